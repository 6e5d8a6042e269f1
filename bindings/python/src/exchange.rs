//! The core's exchange entry points (`ona_core::exchange`) for Python: export cases to a sealed
//! file, receive a sealed export, build a report from received exports. Conversion only: every
//! step (validation, pseudonymisation, packing, sealing, verification, counting) is the core's.

use crate::directory::{policy, Directory};
use crate::errors::{
    io_error, of_class, open_error, report_error, seal_error, validation_error, Problem,
};
use crate::pseudonym::Pseudonymiser;
use crate::report::{spec_of, Report};
use crate::seal::{recipients, to_python, Identity};
use ona_core::exchange::{self as core, ExchangeError, SealTo};
use ona_core::schema::{self, Lang};
use pyo3::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Maps an exchange failure onto the classes of the step that failed.
fn exchange_error(py: Python<'_>, e: ExchangeError) -> PyErr {
    match e {
        ExchangeError::Open(o) => open_error(py, o),
        ExchangeError::Seal(s) => seal_error(s),
        ExchangeError::Report(r) => report_error(r),
        ExchangeError::Io { path, source, .. } => io_error(Path::new(&path), source),
        other => of_class(py, other.class(), other.to_string(), None),
    }
}

/// Validates, pseudonymises, packs and seals the case records `texts` (JSON) into `dst`, sealed
/// to `to` and signed by `sign`; the file appears only when complete. Raises `ValidationError`
/// with every problem of every invalid record (nothing written). Returns the manifest.
#[pyfunction]
pub fn export_cases<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    pseudonymiser: PyRef<'_, Pseudonymiser>,
    to: &Bound<'py, PyAny>,
    sign: &Identity,
    dst: PathBuf,
) -> PyResult<Bound<'py, PyAny>> {
    let rs = recipients(to)?;
    let mut cases = Vec::with_capacity(texts.len());
    let mut problems = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        match schema::validate_json(t) {
            Ok(c) => cases.push(c),
            Err(e) => {
                problems.extend(e.problems.iter().map(|p| Problem::from_core(i, p, Lang::En)))
            }
        }
    }
    if !problems.is_empty() {
        return Err(validation_error(py, problems));
    }
    let n = cases.len() as u64;
    let p = &pseudonymiser.0;
    let summary = py
        .detach(|| {
            core::export_cases(cases, n, p, SealTo { recipients: &rs, sender: &sign.0 }, &dst)
        })
        .map_err(|e| exchange_error(py, e))?;
    to_python(py, &summary.manifest)
}

/// Opens the sealed `cases` export `src` with `key`, checking its sender (`sender`, `directory`,
/// or explicitly `any_sender=True`) before any record is read, and returns `(manifest, records)`
/// — only once the whole export verified and held the records its manifest announced.
///
/// >>> manifest, records = ona.receive("export.ona", hub, directory=d)
/// >>> manifest["record_count"], len(records), manifest["pseudonym_domain"]
/// (60, 60, 'kz/2026')
#[pyfunction]
#[pyo3(signature = (src, key, sender = None, *, directory = None, any_sender = false))]
pub fn receive<'py>(
    py: Python<'py>,
    src: PathBuf,
    key: &Identity,
    sender: Option<&str>,
    directory: Option<PyRef<'_, Directory>>,
    any_sender: bool,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let p = policy(sender, directory.as_deref(), any_sender)?;
    let file = File::open(&src).map_err(|e| io_error(&src, e))?;
    let (manifest, records) = py
        .detach(|| {
            let r = core::receive(file, &key.0, &p)?;
            let manifest = r.manifest().clone();
            Ok((manifest, r.collect::<Result<Vec<_>, _>>()?))
        })
        .map_err(|e| exchange_error(py, e))?;
    Ok((to_python(py, &manifest)?, to_python(py, &records)?))
}

/// Builds the report of `ona report` (`by`, `period`, `k`, `indicators`) from each sealed
/// export in `paths`, opened with `key` and its sender checked, and merges them as `ona merge`
/// does. Any export that does not verify fails the whole call.
///
/// >>> r = ona.report_from_exports(["export.ona"], hub, directory=d, by="country", k=5)
/// >>> r.provenance["cases_counted"], r.provenance["populations"][0]["domain"]
/// (58, 'kz/2026')
#[pyfunction]
#[pyo3(signature = (paths, key, sender = None, *, directory = None, any_sender = false,
                    by = "country,year", period = None, k = 5, indicators = None))]
#[allow(clippy::too_many_arguments)]
pub fn report_from_exports(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    key: &Identity,
    sender: Option<&str>,
    directory: Option<PyRef<'_, Directory>>,
    any_sender: bool,
    by: &str,
    period: Option<String>,
    k: u64,
    indicators: Option<Vec<String>>,
) -> PyResult<Report> {
    let p = policy(sender, directory.as_deref(), any_sender)?;
    let spec = spec_of(by, period, k, indicators, None, None, None, 1)?;
    let files = paths
        .iter()
        .map(|path| File::open(path).map_err(|e| io_error(path, e)))
        .collect::<PyResult<Vec<_>>>()?;
    let reports = py
        .detach(|| {
            let received = files
                .into_iter()
                .map(|f| core::receive(f, &key.0, &p))
                .collect::<Result<Vec<_>, _>>()?;
            core::report_from_exports(received, &spec)
        })
        .map_err(|e| exchange_error(py, e))?;
    Ok(Report(reports.merged))
}

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
use ona_core::report::ReportSpec;
use ona_core::schema::{self, Lang};
use pyo3::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// The records of a sealed `cases` export, one dict at a time, none of them before the whole
/// export verified (see [`receive_records`]).
///
/// >>> got = ona.receive_records("export.ona", hub, directory=d)
/// >>> got.manifest["pseudonym_domain"], len(list(got))
/// ('kz/2026', 60)
#[pyclass(module = "ona._ona")]
pub struct ReceivedRecords {
    records: Mutex<Option<core::VerifiedRecords>>,
    manifest: ona_core::seal::Manifest,
}

#[pymethods]
impl ReceivedRecords {
    /// The manifest, as a dict (its signature verified).
    #[getter]
    fn manifest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.manifest)
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The next record, as a dict.
    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let next = py.detach(|| {
            let mut guard = self.records.lock().unwrap_or_else(|p| p.into_inner());
            let next = guard.as_mut().and_then(Iterator::next);
            if !matches!(next, Some(Ok(_))) {
                guard.take();
            }
            next
        });
        match next {
            None => Ok(None),
            Some(Ok(case)) => Ok(Some(to_python(py, &case)?)),
            Some(Err(e)) => Err(exchange_error(py, e)),
        }
    }
}

/// Opens the sealed `cases` export `src` with `key` as [`receive`] does, and returns its records
/// as an iterator of dicts (with `.manifest`). Nothing comes out before the whole export — every
/// chunk, the sender's signature at its end, the sender and the record count — verified: the
/// plaintext is first decrypted into an unnamed temporary file readable by its owner only, then
/// read back one record at a time, so memory holds one record whatever the export's size. Every
/// refusal (`DecryptionError`, `SignatureError`, `FormatError`) is raised by this call.
///
/// >>> got = ona.receive_records("export.ona", hub, sender=centre.signing_public)
/// >>> sum(1 for record in got if record["mother"]["pseudonym"]), got.manifest["record_count"]
/// (60, 60)
#[pyfunction]
#[pyo3(signature = (src, key, sender = None, *, directory = None, any_sender = false))]
pub fn receive_records(
    py: Python<'_>,
    src: PathBuf,
    key: &Identity,
    sender: Option<&str>,
    directory: Option<PyRef<'_, Directory>>,
    any_sender: bool,
) -> PyResult<ReceivedRecords> {
    let p = policy(sender, directory.as_deref(), any_sender)?;
    let file = File::open(&src).map_err(|e| io_error(&src, e))?;
    let records = py
        .detach(|| core::receive_verified(file, &key.0, &p))
        .map_err(|e| exchange_error(py, e))?;
    let manifest = records.manifest().clone();
    Ok(ReceivedRecords { records: Mutex::new(Some(records)), manifest })
}

/// Builds the report of `ona report` (`by`, `period`, `k`, `indicators`, `lp_protect`) from each sealed
/// export in `paths`, opened with `key` and its sender checked, and merges them as `ona merge`
/// does. Any export that does not verify fails the whole call.
///
/// >>> r = ona.report_from_exports(["export.ona"], hub, directory=d, by="country", k=5)
/// >>> r.provenance["cases_counted"], r.provenance["populations"][0]["domain"]
/// (58, 'kz/2026')
#[pyfunction]
#[pyo3(signature = (paths, key, sender = None, *, directory = None, any_sender = false,
                    by = "country,year", period = None, k = 5, indicators = None,
                    lp_protect = None))]
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
    lp_protect: Option<bool>,
) -> PyResult<Report> {
    let p = policy(sender, directory.as_deref(), any_sender)?;
    let mut spec = spec_of(by, period, k, indicators, None, None, None, 1)?;
    spec.lp_protection = ReportSpec::lp_protection_or_default(lp_protect);
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

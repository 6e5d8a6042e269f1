//! The core's exchange entry points (`ona_core::exchange`) for Kotlin and Swift: export cases to
//! a sealed file, receive a sealed export, build a report from received exports. Conversion
//! only: every step is the core's.

use crate::error::{validation, OnaError};
use crate::pseudonym::Pseudonymiser;
use crate::report::{spec_of, Report};
use crate::seal::{recipients, with_policy, ExportManifest, Identity, SenderCheck};
use ona_core::exchange::{self as core, ExchangeError, SealTo};
use ona_core::report::ReportSpec;
use ona_core::schema::{validate_json, Lang};
use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Mutex};

impl From<ExchangeError> for OnaError {
    fn from(e: ExchangeError) -> Self {
        match e {
            ExchangeError::Open(o) => o.into(),
            ExchangeError::Seal(s) => s.into(),
            ExchangeError::Report(r) => r.into(),
            e @ ExchangeError::Io { .. } => OnaError::Io { detail: e.to_string() },
            other => OnaError::of_class(other.class(), other.to_string(), None),
        }
    }
}

/// A received export: its verified manifest and its records (pseudonymised case JSON).
#[derive(Debug, Clone, uniffi::Record)]
pub struct ReceivedExport {
    /// The manifest, verified with everything else.
    pub manifest: ExportManifest,
    /// The records, in order, as JSON texts.
    pub records: Vec<String>,
}

/// Validates, pseudonymises, packs and seals the case records `case_jsons` into `out_path`,
/// sealed to `recipients_keys` and signed by `sender`; the file appears only when complete.
/// An invalid record is a `Validation` error (messages in English) and nothing is written.
#[uniffi::export]
pub fn export_cases(
    case_jsons: Vec<String>,
    pseudonymiser: Arc<Pseudonymiser>,
    recipients_keys: Vec<String>,
    sender: Arc<Identity>,
    out_path: String,
) -> Result<ExportManifest, OnaError> {
    let cases = case_jsons
        .iter()
        .map(|t| validate_json(t).map_err(|e| validation(e, Lang::En)))
        .collect::<Result<Vec<_>, _>>()?;
    let rs = recipients(&recipients_keys)?;
    let to = SealTo { recipients: &rs, sender: &sender.0 };
    let n = cases.len() as u64;
    let s = core::export_cases(cases, n, &pseudonymiser.0, to, Path::new(&out_path))?;
    Ok(s.manifest.into())
}

/// Opens the sealed `cases` export at `in_path`, checking its sender before any record is read,
/// and returns its records once the whole export verified and held the announced count.
#[uniffi::export]
pub fn receive_file(
    in_path: String,
    identity: Arc<Identity>,
    sender: SenderCheck,
) -> Result<ReceivedExport, OnaError> {
    let file =
        File::open(&in_path).map_err(|e| OnaError::Io { detail: format!("{in_path}: {e}") })?;
    with_policy(&sender, |p| {
        let r = core::receive(file, &identity.0, p)?;
        let manifest = r.manifest().clone().into();
        let mut records = Vec::new();
        for case in r {
            let text = serde_json::to_string(&case?)
                .map_err(|e| OnaError::InvalidArgument { detail: e.to_string() })?;
            records.push(text);
        }
        Ok(ReceivedExport { manifest, records })
    })
}

/// The records of a sealed `cases` export, one JSON text at a time, none of them before the
/// whole export — every chunk, the sender's signature at its end, the sender and the record
/// count — verified: `open` decrypts it first into an unnamed temporary file readable by its
/// owner only, then `next` reads it back record by record, so memory holds one record whatever
/// the export's size. Every refusal is thrown by `open`.
#[derive(uniffi::Object)]
pub struct ReceivedRecords {
    records: Mutex<Option<core::VerifiedRecords>>,
    manifest: ExportManifest,
}

#[uniffi::export]
impl ReceivedRecords {
    /// Opens the sealed `cases` export at `in_path` with `identity`, checking its sender against
    /// `sender` before any content is read, and verifies all of it.
    #[uniffi::constructor]
    pub fn open(
        in_path: String,
        identity: Arc<Identity>,
        sender: SenderCheck,
    ) -> Result<Arc<Self>, OnaError> {
        let file =
            File::open(&in_path).map_err(|e| OnaError::Io { detail: format!("{in_path}: {e}") })?;
        let records = with_policy(&sender, |p| Ok(core::receive_verified(file, &identity.0, p)?))?;
        let manifest = records.manifest().clone().into();
        Ok(Arc::new(ReceivedRecords { records: Mutex::new(Some(records)), manifest }))
    }

    /// The manifest (its signature verified).
    pub fn manifest(&self) -> ExportManifest {
        self.manifest.clone()
    }

    /// The next record as JSON text; null at the end.
    pub fn next(&self) -> Result<Option<String>, OnaError> {
        let mut guard = self.records.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut().and_then(Iterator::next) {
            None => {
                guard.take();
                Ok(None)
            }
            Some(Ok(case)) => serde_json::to_string(&case)
                .map(Some)
                .map_err(|e| OnaError::InvalidArgument { detail: e.to_string() }),
            Some(Err(e)) => {
                guard.take();
                Err(e.into())
            }
        }
    }
}

/// Builds the report of `build_report` (no differential privacy; `k` and `lp_protect` as
/// there) from each sealed export at `in_paths`, opened with `identity` and its sender
/// checked, and merges them.
#[uniffi::export(default(lp_protect = None))]
#[allow(clippy::too_many_arguments)]
pub fn report_from_exports(
    in_paths: Vec<String>,
    identity: Arc<Identity>,
    sender: SenderCheck,
    by: String,
    k: u64,
    period: Option<String>,
    indicators: Vec<String>,
    lp_protect: Option<bool>,
) -> Result<Arc<Report>, OnaError> {
    let mut spec = spec_of(&by, k, period, indicators, None)?;
    spec.lp_protection = ReportSpec::lp_protection_or_default(lp_protect);
    let files = in_paths
        .iter()
        .map(|p| File::open(p).map_err(|e| OnaError::Io { detail: format!("{p}: {e}") }))
        .collect::<Result<Vec<_>, _>>()?;
    with_policy(&sender, |p| {
        let received = files
            .into_iter()
            .map(|f| core::receive(f, &identity.0, p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(Report(core::report_from_exports(received, &spec)?.merged)))
    })
}

//! The hub's side of the demo: every export is opened through the core's
//! [`report_from_files`], checking its sender against the network directory (listed, unrevoked,
//! valid when the export was made), its records streaming from the decryption straight into the
//! country's report, on every core; then the regional report is their merge. The opened records
//! touch the disk only when the case files are kept.

use crate::fail::Fail;
use ona_core::directory::{Directory, SenderPolicy};
use ona_core::exchange::{report_from_files, ExchangeError, Incoming, Reports};
use ona_core::report::ReportSpec;
use ona_core::seal::Identity;
use std::path::PathBuf;

/// One export to open at the hub.
pub(super) struct Export {
    /// The sealed file.
    pub path: PathBuf,
    /// The directory id of the organisation that must have signed it.
    pub sender: String,
    /// Where to keep the opened records as JSON Lines, if at all.
    pub inbox: Option<PathBuf>,
}

/// Opens every export and builds its report and the merged one.
pub(super) fn receive_all(
    exports: &[Export],
    hub: &Identity,
    directory: &Directory,
    spec: &ReportSpec,
) -> Result<Reports, Fail> {
    let incoming: Vec<Incoming<'_>> = exports
        .iter()
        .map(|e| Incoming {
            path: e.path.clone(),
            // Before any record is read: the sender must be the country's listed, unrevoked
            // key, valid when the export was made. The signature is checked at the end.
            sender: SenderPolicy::Directory { directory, name: Some(e.sender.clone()) },
            keep: e.inbox.clone(),
        })
        .collect();
    report_from_files(&incoming, hub, spec).map_err(|err| match err {
        ExchangeError::InExport { path, source } => match *source {
            err @ ExchangeError::Open(_) => Fail::invalid(format!("{path} {err}")),
            err @ ExchangeError::Io { .. } => Fail::usage(err),
            other => Fail::invalid(format!("{path}: {other}")),
        },
        other => Fail::of_class(other.class(), other),
    })
}

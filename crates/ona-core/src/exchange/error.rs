//! Errors of the entry points. Opening errors stay [`OpenError`]s, so every front end maps them
//! to the same classes it uses for `open`.

use crate::report::ReportError;
use crate::seal::{OpenError, SealError};
use std::io;

/// An export could not be written, or a received export could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// A case record is not valid (nothing was written).
    #[error("case {record} is not valid: {detail}")]
    InvalidCase {
        /// The case (from 1).
        record: u64,
        /// What is wrong, with JSON Pointers.
        detail: String,
    },
    /// A case could not be pseudonymised (nothing was written).
    #[error("case {record} cannot be pseudonymised: {detail}")]
    Pseudonymise {
        /// The case (from 1).
        record: u64,
        /// Why.
        detail: String,
    },
    /// A case names a destination there is no export for (nothing was written).
    #[error("case {record} goes to {key:?}, which has no export; nothing was written")]
    Unrouted {
        /// The case (from 1).
        record: u64,
        /// The routing key it names (e.g. its country).
        key: String,
    },
    /// The number of records differs from the one the manifest announces. On export nothing is
    /// written; on receipt the export is not used.
    #[error("the manifest announces {announced} records, the export holds {found}")]
    Count {
        /// What the manifest announces.
        announced: u64,
        /// What was written or read.
        found: u64,
    },
    /// Sealing failed (nothing was written).
    #[error("cannot seal: {0}")]
    Seal(#[from] SealError),
    /// The export does not verify: wrong recipient, changed bytes, a missing or wrong signature,
    /// a sender the policy refuses. Nothing read from it may be used.
    #[error("does not verify: {0}; nothing was used")]
    Open(#[from] OpenError),
    /// The export verified so far but is not a cases export, or its records are damaged.
    #[error("{0}")]
    Records(String),
    /// The report could not be built.
    #[error("{0}")]
    Report(#[from] ReportError),
    /// One of several exports failed ([`super::report_from_files`]): which, and why.
    #[error("{path}: {source}")]
    InExport {
        /// The export's file.
        path: String,
        /// What went wrong with it.
        source: Box<ExchangeError>,
    },
    /// Reading or writing a file failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done (`create`, `write`).
        action: &'static str,
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
}

impl ExchangeError {
    /// The error of a failed read of an opener's plaintext: the [`OpenError`] it carries.
    pub(crate) fn from_read(err: io::Error) -> ExchangeError {
        ExchangeError::Open(OpenError::from_io(err))
    }
}

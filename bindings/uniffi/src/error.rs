//! One exception hierarchy (`OnaException` in Kotlin, `OnaError` in Swift/Python) mirroring
//! the core's error kinds. Each core error is mapped by kind; the message is the core's own.

use ona_core::pseudonym::{PolicyError, PseudonymKeyError, PseudonymiserError};
use ona_core::report::ReportError;
use ona_core::schema::{Lang, ValidationError};
use ona_core::seal::{KeyError, OpenError, SealError};

/// One problem of an invalid record.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ValidationProblem {
    /// JSON Pointer to the offending value (`""` for the whole record).
    pub pointer: String,
    /// Stable problem code, e.g. `unknown_code`.
    pub code: String,
    /// Human message in the language asked for.
    pub message: String,
    /// The named parameters of the message, as `name=value` pairs.
    pub params: std::collections::HashMap<String, String>,
}

/// Every error that crosses the FFI boundary.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum OnaError {
    /// The record is not valid; every problem is listed.
    #[error("{detail}")]
    Validation {
        /// Summary of all problems.
        detail: String,
        /// Every problem, in the order of the record's fields.
        problems: Vec<ValidationProblem>,
    },
    /// A key or identity could not be parsed (bad encoding, wrong kind, wrong length).
    #[error("{detail}")]
    KeyFormat {
        /// The core's message.
        detail: String,
    },
    /// Sealing failed (no or duplicate recipients, manifest, I/O…).
    #[error("{detail}")]
    Seal {
        /// The core's message.
        detail: String,
    },
    /// The file is not for this key, or was modified, truncated or reordered.
    #[error("{detail}")]
    Decryption {
        /// The core's message.
        detail: String,
        /// The kind of failure, as in the seal test vectors' `expect` (`chunk_authentication`…).
        kind: String,
    },
    /// The sender's signature does not verify, or the file is from an unexpected sender.
    #[error("{detail}")]
    Signature {
        /// The core's message.
        detail: String,
        /// The kind of failure, as in the seal test vectors' `expect` (`chunk_authentication`…).
        kind: String,
    },
    /// The file is not a sealed export this library can read (malformed header, version, limits).
    #[error("{detail}")]
    Format {
        /// The core's message.
        detail: String,
        /// The kind of failure, as in the seal test vectors' `expect` (`chunk_authentication`…).
        kind: String,
    },
    /// A pseudonymisation policy is invalid.
    #[error("{detail}")]
    Policy {
        /// The core's message.
        detail: String,
    },
    /// A pseudonymisation key or domain is invalid.
    #[error("{detail}")]
    PseudonymKey {
        /// The core's message.
        detail: String,
    },
    /// A differential-privacy budget would be exceeded.
    #[error("{detail}")]
    Budget {
        /// The core's message.
        detail: String,
    },
    /// A report specification or report input is invalid.
    #[error("{detail}")]
    Report {
        /// The core's message.
        detail: String,
    },
    /// Reading or writing a file failed.
    #[error("{detail}")]
    Io {
        /// The core's message.
        detail: String,
    },
    /// A value given by the caller is not acceptable (e.g. an unknown language code).
    #[error("{detail}")]
    InvalidArgument {
        /// The core's message.
        detail: String,
    },
    /// A streaming object was used after `finish`, or after an earlier failure.
    #[error("{detail}")]
    State {
        /// The core's message.
        detail: String,
    },
}

/// Maps a validation error, with messages in `lang`.
pub(crate) fn validation(e: ValidationError, lang: Lang) -> OnaError {
    {
        let problems = e
            .problems
            .iter()
            .map(|p| ValidationProblem {
                pointer: p.pointer.clone(),
                code: p.code.to_string(),
                message: p.message(lang),
                params: p.params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            })
            .collect();
        OnaError::Validation { detail: e.to_string(), problems }
    }
}

impl From<KeyError> for OnaError {
    fn from(e: KeyError) -> Self {
        OnaError::KeyFormat { detail: e.to_string() }
    }
}

impl From<SealError> for OnaError {
    fn from(e: SealError) -> Self {
        match e {
            SealError::Io(io) => OnaError::Io { detail: io.to_string() },
            other => OnaError::Seal { detail: other.to_string() },
        }
    }
}

impl From<OpenError> for OnaError {
    fn from(e: OpenError) -> Self {
        let (detail, kind) = (e.to_string(), e.kind().to_string());
        match e {
            OpenError::BadSignature
            | OpenError::UnexpectedSender { .. }
            | OpenError::SenderNotAllowed(_) => OnaError::Signature { detail, kind },
            OpenError::NoMatchingRecipient
            | OpenError::KeyCommitment
            | OpenError::HeaderMac
            | OpenError::ChunkAuthentication(_)
            | OpenError::Truncated => OnaError::Decryption { detail, kind },
            OpenError::Io(_) => OnaError::Io { detail },
            _ => OnaError::Format { detail, kind },
        }
    }
}

impl From<PolicyError> for OnaError {
    fn from(e: PolicyError) -> Self {
        OnaError::Policy { detail: e.to_string() }
    }
}

impl From<PseudonymKeyError> for OnaError {
    fn from(e: PseudonymKeyError) -> Self {
        OnaError::PseudonymKey { detail: e.to_string() }
    }
}

impl From<PseudonymiserError> for OnaError {
    fn from(e: PseudonymiserError) -> Self {
        match e {
            PseudonymiserError::Key(k) => k.into(),
            PseudonymiserError::Policy(p) => p.into(),
            other => OnaError::Policy { detail: other.to_string() },
        }
    }
}

impl From<ReportError> for OnaError {
    fn from(e: ReportError) -> Self {
        let message = e.to_string();
        match e {
            ReportError::BudgetExceeded { .. } => OnaError::Budget { detail: message },
            _ => OnaError::Report { detail: message },
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for OnaError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        OnaError::Io { detail: format!("callback failed: {}", e.reason) }
    }
}

impl From<std::io::Error> for OnaError {
    fn from(e: std::io::Error) -> Self {
        OnaError::Io { detail: e.to_string() }
    }
}

/// Parses a language code (`en`, `uk`, `ms`, `tr`, …).
pub(crate) fn lang(code: &str) -> Result<Lang, OnaError> {
    code.parse()
        .map_err(|_| OnaError::InvalidArgument { detail: format!("unknown language `{code}`") })
}

//! One exception hierarchy (`OnaException` in Kotlin, `OnaError` in Swift/Python) mirroring
//! the core's error classes (`ona_core::error_class`): each core error is mapped by its class,
//! in [`OnaError::of_class`]; the message is the core's own.

use ona_core::directory::DirectoryError;
use ona_core::error_class::ErrorClass;
use ona_core::exchange::ContentError;
use ona_core::import::ImportError;
use ona_core::pseudonym::{
    PolicyError, PseudonymKeyError, PseudonymiserError, UnknownIdentifierKind,
};
use ona_core::report::ReportError;
use ona_core::schema::{Lang, UnknownLang, ValidationError};
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
    BudgetExceeded {
        /// The core's message.
        detail: String,
    },
    /// A network directory does not verify (signature, signer, serial) or does not list the
    /// organisation asked for.
    #[error("{detail}")]
    Directory {
        /// The core's message.
        detail: String,
    },
    /// An import mapping is invalid, or the export cannot be read or does not fit it.
    #[error("{detail}")]
    Mapping {
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

impl OnaError {
    /// The variant of the core's error class `class`, with the core's message and, for an
    /// opening failure, its kind. One arm per class, none that guesses: the class is decided in
    /// the core (`ona_core::error_class`), as for Python and the CLI.
    pub(crate) fn of_class(class: ErrorClass, detail: String, kind: Option<&str>) -> OnaError {
        let kind = kind.unwrap_or_default().to_string();
        match class {
            ErrorClass::Validation => OnaError::Validation { detail, problems: Vec::new() },
            ErrorClass::KeyFormat => OnaError::KeyFormat { detail },
            ErrorClass::PseudonymKey => OnaError::PseudonymKey { detail },
            ErrorClass::Policy => OnaError::Policy { detail },
            ErrorClass::Seal => OnaError::Seal { detail },
            ErrorClass::Decryption => OnaError::Decryption { detail, kind },
            ErrorClass::Format => OnaError::Format { detail, kind },
            ErrorClass::Signature => OnaError::Signature { detail, kind },
            ErrorClass::Directory => OnaError::Directory { detail },
            ErrorClass::Mapping => OnaError::Mapping { detail },
            ErrorClass::Report => OnaError::Report { detail },
            ErrorClass::BudgetExceeded => OnaError::BudgetExceeded { detail },
            ErrorClass::Io => OnaError::Io { detail },
            ErrorClass::InvalidArgument => OnaError::InvalidArgument { detail },
        }
    }
}

/// `From` for each core error type that answers `class()`.
macro_rules! by_class {
    ($($t:ty),+ $(,)?) => {$(
        impl From<$t> for OnaError {
            fn from(e: $t) -> Self {
                OnaError::of_class(e.class(), e.to_string(), None)
            }
        }
    )+};
}

by_class!(
    ContentError,
    KeyError,
    SealError,
    PolicyError,
    PseudonymKeyError,
    PseudonymiserError,
    ReportError,
    DirectoryError,
    ImportError,
    UnknownLang,
    UnknownIdentifierKind,
);

impl From<OpenError> for OnaError {
    fn from(e: OpenError) -> Self {
        OnaError::of_class(e.class(), e.to_string(), Some(e.kind()))
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

/// Parses a language code (`en`, `uk`, `ms`, `tr`, …) by the core's rule.
pub(crate) fn lang(code: &str) -> Result<Lang, OnaError> {
    Ok(code.parse::<Lang>()?)
}

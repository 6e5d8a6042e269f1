//! The class of every error a front end surfaces, decided once here.
//!
//! Each error type of the core answers `class()`: one [`ErrorClass`], which the Python binding
//! turns into its exception class, the uniffi binding into its `OnaError` variant and the CLI into
//! its exit code — each by an exhaustive match on the class, never by a default arm that guesses.
//! A new error variant therefore gets its class here, in one place, and every front end follows.

use crate::directory::DirectoryError;
use crate::exchange::{ContentError, ExchangeError};
use crate::import::ImportError;
use crate::pseudonym::{PolicyError, PseudonymKeyError, PseudonymiserError};
use crate::report::ReportError;
use crate::schema::{UnknownLang, ValidationError};
use crate::seal::{KeyError, OpenError, SealError};

/// What kind of failure an error is, the same in every front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// A record is not valid (every problem listed).
    Validation,
    /// A sealing key, identity or key file cannot be read.
    KeyFormat,
    /// A pseudonymisation key or domain cannot be used.
    PseudonymKey,
    /// A pseudonymisation policy is invalid.
    Policy,
    /// Sealing failed (recipients, manifest).
    Seal,
    /// A sealed file is not for this key, or was modified, truncated or reordered.
    Decryption,
    /// A file is not a sealed export this version reads (header, version, limits, manifest).
    Format,
    /// A sender's signature does not verify, or the sender is not the one expected or allowed.
    Signature,
    /// A network directory does not verify or does not list what was asked.
    Directory,
    /// An import mapping is invalid, or the export cannot be read or does not fit it.
    Mapping,
    /// A report specification or input is invalid, or a merge or release is refused.
    Report,
    /// A differentially private release would exceed a population's privacy budget.
    BudgetExceeded,
    /// Reading or writing a file failed.
    Io,
    /// A value given by the caller is not one of the accepted ones (language, kind…).
    InvalidArgument,
}

impl ErrorClass {
    /// Every class, in the order above.
    pub const ALL: [ErrorClass; 14] = [
        ErrorClass::Validation,
        ErrorClass::KeyFormat,
        ErrorClass::PseudonymKey,
        ErrorClass::Policy,
        ErrorClass::Seal,
        ErrorClass::Decryption,
        ErrorClass::Format,
        ErrorClass::Signature,
        ErrorClass::Directory,
        ErrorClass::Mapping,
        ErrorClass::Report,
        ErrorClass::BudgetExceeded,
        ErrorClass::Io,
        ErrorClass::InvalidArgument,
    ];

    /// The class's name, as the uniffi `OnaError` variant and (with `Error` appended) the Python
    /// exception spell it: `Decryption`, `BudgetExceeded`, …
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::Validation => "Validation",
            ErrorClass::KeyFormat => "KeyFormat",
            ErrorClass::PseudonymKey => "PseudonymKey",
            ErrorClass::Policy => "Policy",
            ErrorClass::Seal => "Seal",
            ErrorClass::Decryption => "Decryption",
            ErrorClass::Format => "Format",
            ErrorClass::Signature => "Signature",
            ErrorClass::Directory => "Directory",
            ErrorClass::Mapping => "Mapping",
            ErrorClass::Report => "Report",
            ErrorClass::BudgetExceeded => "BudgetExceeded",
            ErrorClass::Io => "Io",
            ErrorClass::InvalidArgument => "InvalidArgument",
        }
    }

    /// The CLI's exit code for this class: 2 when the command cannot run as asked (a bad
    /// argument, key, policy, mapping or recipient list, or an I/O failure), 1 when it ran but
    /// its input is invalid, does not verify, or its release is refused.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Io
            | ErrorClass::InvalidArgument
            | ErrorClass::KeyFormat
            | ErrorClass::PseudonymKey
            | ErrorClass::Policy
            | ErrorClass::Seal
            | ErrorClass::Mapping => 2,
            ErrorClass::Validation
            | ErrorClass::Decryption
            | ErrorClass::Format
            | ErrorClass::Signature
            | ErrorClass::Directory
            | ErrorClass::Report
            | ErrorClass::BudgetExceeded => 1,
        }
    }
}

impl std::fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl OpenError {
    /// The class of this opening failure.
    pub fn class(&self) -> ErrorClass {
        match self {
            OpenError::HeaderMalformed(_)
            | OpenError::UnsupportedVersion(_)
            | OpenError::UnsupportedSuite(_)
            | OpenError::LimitExceeded(_)
            | OpenError::ManifestMalformed(_) => ErrorClass::Format,
            OpenError::NoMatchingRecipient
            | OpenError::KeyCommitment
            | OpenError::HeaderMac
            | OpenError::ChunkAuthentication(_)
            | OpenError::Truncated => ErrorClass::Decryption,
            OpenError::BadSignature
            | OpenError::UnexpectedSender { .. }
            | OpenError::SenderNotAllowed(_) => ErrorClass::Signature,
            OpenError::Io(_) => ErrorClass::Io,
        }
    }
}

impl SealError {
    /// The class of this sealing failure.
    pub fn class(&self) -> ErrorClass {
        match self {
            SealError::Io(_) => ErrorClass::Io,
            SealError::NoRecipients
            | SealError::TooManyRecipients(_)
            | SealError::DuplicateRecipient
            | SealError::Manifest(_)
            | SealError::Wrap => ErrorClass::Seal,
        }
    }
}

impl KeyError {
    /// The class of a key that cannot be read: always [`ErrorClass::KeyFormat`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::KeyFormat
    }
}

impl PseudonymKeyError {
    /// The class of a pseudonymisation key failure: always [`ErrorClass::PseudonymKey`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::PseudonymKey
    }
}

impl PolicyError {
    /// The class of a policy failure: always [`ErrorClass::Policy`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::Policy
    }
}

impl PseudonymiserError {
    /// The class of a pseudonymiser failure: its key's or its policy's.
    pub fn class(&self) -> ErrorClass {
        match self {
            PseudonymiserError::Key(k) => k.class(),
            PseudonymiserError::Policy(p) => p.class(),
        }
    }
}

impl ReportError {
    /// The class of a reporting failure.
    pub fn class(&self) -> ErrorClass {
        match self {
            ReportError::Io(_) => ErrorClass::Io,
            ReportError::BudgetExceeded { .. } => ErrorClass::BudgetExceeded,
            ReportError::UnknownDimension(_)
            | ReportError::SeveralPeriodDimensions
            | ReportError::BadPeriod(_)
            | ReportError::BadThreshold
            | ReportError::BadDpParameter(_)
            | ReportError::DpRefused { .. }
            | ReportError::UnknownIndicator(_)
            | ReportError::Ledger { .. }
            | ReportError::ReleaseLog { .. }
            | ReportError::ReleaseRefused(_)
            | ReportError::Mismatch(_)
            | ReportError::NothingToMerge
            | ReportError::BadReport(_)
            | ReportError::Unprotected(_)
            | ReportError::BadInput { .. }
            | ReportError::NoCases(_) => ErrorClass::Report,
        }
    }
}

impl ReportError {
    /// The CLI's exit code for this failure: its class's, except that a bad option of the
    /// specification (dimension, indicator, period, threshold, DP parameter) is a usage error
    /// (2), like a bad argument, though its class stays [`ErrorClass::Report`].
    pub fn exit_code(&self) -> u8 {
        match self {
            ReportError::UnknownDimension(_)
            | ReportError::UnknownIndicator(_)
            | ReportError::SeveralPeriodDimensions
            | ReportError::BadPeriod(_)
            | ReportError::BadThreshold
            | ReportError::BadDpParameter(_) => 2,
            other => other.class().exit_code(),
        }
    }
}

impl ExchangeError {
    /// The class of a failed export or receipt: the class of the step that failed (opening,
    /// sealing, reporting), [`ErrorClass::Validation`] for a case that is not valid or cannot be
    /// pseudonymised, [`ErrorClass::Format`] for an export whose records or count do not match
    /// its manifest.
    pub fn class(&self) -> ErrorClass {
        match self {
            ExchangeError::InvalidCase { .. }
            | ExchangeError::Pseudonymise { .. }
            | ExchangeError::Unrouted { .. } => ErrorClass::Validation,
            ExchangeError::Count { .. } | ExchangeError::Records(_) => ErrorClass::Format,
            ExchangeError::Seal(e) => e.class(),
            ExchangeError::Open(e) => e.class(),
            ExchangeError::Report(e) => e.class(),
            ExchangeError::Io { .. } => ErrorClass::Io,
            ExchangeError::InExport { source, .. } => source.class(),
        }
    }
}

impl ContentError {
    /// The class of content that may not be sealed as `cases`: [`ErrorClass::Validation`] (the
    /// records are not pseudonymised, or not as the manifest says), [`ErrorClass::Io`] when
    /// reading or writing failed.
    pub fn class(&self) -> ErrorClass {
        match self {
            ContentError::Io(_) => ErrorClass::Io,
            ContentError::LineTooLong { .. }
            | ContentError::RawCase { .. }
            | ContentError::NotPseudonymised { .. }
            | ContentError::MixedDomains { .. }
            | ContentError::Packed(_)
            | ContentError::ManifestMismatch(_) => ErrorClass::Validation,
        }
    }
}

impl DirectoryError {
    /// The class of a directory failure: always [`ErrorClass::Directory`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::Directory
    }
}

impl ImportError {
    /// The class of an import that cannot run: always [`ErrorClass::Mapping`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::Mapping
    }
}

impl ValidationError {
    /// The class of an invalid record: always [`ErrorClass::Validation`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::Validation
    }
}

impl UnknownLang {
    /// The class of an unknown language code: always [`ErrorClass::InvalidArgument`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::InvalidArgument
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_exit_codes_split_input_from_usage() {
        let mut names: Vec<&str> = ErrorClass::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorClass::ALL.len());
        assert_eq!(ErrorClass::Io.exit_code(), 2);
        assert_eq!(ErrorClass::InvalidArgument.exit_code(), 2);
        assert_eq!(ErrorClass::Policy.exit_code(), 2);
        assert_eq!(ErrorClass::Decryption.exit_code(), 1);
        assert_eq!(ErrorClass::Validation.exit_code(), 1);
    }

    #[test]
    fn opening_failures_split_into_format_decryption_signature_and_io() {
        // The two bindings used to decide this with opposite defaults; these are the cases the
        // seal test vectors exercise, one per kind.
        let cases = [
            (OpenError::HeaderMalformed("x"), ErrorClass::Format),
            (OpenError::UnsupportedVersion(9), ErrorClass::Format),
            (OpenError::UnsupportedSuite(1), ErrorClass::Format),
            (OpenError::LimitExceeded("x"), ErrorClass::Format),
            (OpenError::ManifestMalformed("x".into()), ErrorClass::Format),
            (OpenError::NoMatchingRecipient, ErrorClass::Decryption),
            (OpenError::KeyCommitment, ErrorClass::Decryption),
            (OpenError::HeaderMac, ErrorClass::Decryption),
            (OpenError::ChunkAuthentication(3), ErrorClass::Decryption),
            (OpenError::Truncated, ErrorClass::Decryption),
            (OpenError::BadSignature, ErrorClass::Signature),
            (OpenError::UnexpectedSender { found: "k".into() }, ErrorClass::Signature),
            (OpenError::SenderNotAllowed("k".into()), ErrorClass::Signature),
            (OpenError::Io(std::io::Error::other("x")), ErrorClass::Io),
        ];
        for (e, class) in cases {
            assert_eq!(e.class(), class, "{}", e.kind());
        }
    }

    #[test]
    fn budget_and_io_stand_apart_from_other_report_failures() {
        let budget = ReportError::BudgetExceeded {
            population: "p".into(),
            requested: "1".into(),
            remaining: "0".into(),
            budget: "1".into(),
        };
        assert_eq!(budget.class(), ErrorClass::BudgetExceeded);
        assert_eq!(ReportError::BadThreshold.class(), ErrorClass::Report);
        assert_eq!(ReportError::BadThreshold.exit_code(), 2);
        assert_eq!(ReportError::NothingToMerge.exit_code(), 1);
        assert_eq!(ReportError::Io(std::io::Error::other("x")).exit_code(), 2);
        assert_eq!(ReportError::Io(std::io::Error::other("x")).class(), ErrorClass::Io);
        assert_eq!(SealError::NoRecipients.class(), ErrorClass::Seal);
        assert_eq!(ExchangeError::Count { announced: 2, found: 1 }.class(), ErrorClass::Format);
        assert_eq!(
            ExchangeError::InvalidCase { record: 1, detail: "x".into() }.class(),
            ErrorClass::Validation
        );
        assert_eq!(ExchangeError::Seal(SealError::NoRecipients).class(), ErrorClass::Seal);
        assert_eq!(SealError::Io(std::io::Error::other("x")).class(), ErrorClass::Io);
        assert_eq!(
            PseudonymiserError::Key(PseudonymKeyError::Domain).class(),
            ErrorClass::PseudonymKey
        );
        assert_eq!(
            PseudonymiserError::Policy(PolicyError::Parse("x".into())).class(),
            ErrorClass::Policy
        );
    }
}

//! Errors of sealing, opening and key handling. None of them ever carries secret material.

use std::io;

/// A key or key file could not be parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not valid Bech32 or its checksum does not match.
    #[error("not a valid key: bad Bech32 encoding or checksum")]
    Encoding,
    /// The Bech32 prefix names another kind of key.
    #[error("wrong kind of key: expected prefix `{expected}`, found `{found}`")]
    WrongKind {
        /// The prefix that was expected.
        expected: &'static str,
        /// The prefix that was found.
        found: String,
    },
    /// The key has the wrong length or is not a valid point.
    #[error("key has the wrong length or is invalid")]
    Invalid,
    /// The secret key file is not in the documented format.
    #[error("not an ona secret key file")]
    SecretFile,
}

/// Sealing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// No recipient was given.
    #[error("at least one recipient is needed")]
    NoRecipients,
    /// More recipients than the format allows.
    #[error("too many recipients: {0} (at most {max})", max = super::header::MAX_RECIPIENTS)]
    TooManyRecipients(usize),
    /// The same recipient appears twice.
    #[error("the same recipient is listed twice")]
    DuplicateRecipient,
    /// The manifest cannot be encoded (too large or invalid field).
    #[error("invalid manifest: {0}")]
    Manifest(String),
    /// Wrapping the file key for a recipient failed.
    #[error("key wrapping failed")]
    Wrap,
    /// Writing the sealed output failed.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

/// Opening failed: the file is not verified and nothing it contains may be trusted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The header is malformed or not canonical.
    #[error("header malformed: {0}")]
    HeaderMalformed(&'static str),
    /// The magic bytes are right but the format version is not one this build reads.
    #[error("unsupported format version {0}")]
    UnsupportedVersion(u8),
    /// The cipher suite is not one this build reads.
    #[error("unsupported cipher suite {0:#06x}")]
    UnsupportedSuite(u16),
    /// The header exceeds a limit (recipient count, header size, manifest size).
    #[error("limit exceeded: {0}")]
    LimitExceeded(&'static str),
    /// None of the recipient stanzas opens with this key: the file was not sealed to it.
    #[error("no matching recipient: this file was not sealed to this key")]
    NoMatchingRecipient,
    /// The explicit key commitment in the header does not match the file key.
    #[error("key commitment does not match")]
    KeyCommitment,
    /// The header MAC does not verify: the header was changed.
    #[error("header MAC does not verify: the header was modified")]
    HeaderMac,
    /// A payload chunk did not authenticate: changed, reordered, duplicated, cut inside, or
    /// followed by appended data.
    #[error("payload chunk {0} failed authentication (modified, reordered, duplicated or with data appended)")]
    ChunkAuthentication(u64),
    /// The payload ends before its final chunk (cut at a chunk boundary).
    #[error("payload truncated: the final chunk is missing")]
    Truncated,
    /// The manifest inside the payload is malformed or not canonical.
    #[error("manifest malformed: {0}")]
    ManifestMalformed(String),
    /// The sender's signature over the transcript does not verify.
    #[error("sender signature does not verify")]
    BadSignature,
    /// The file verifies but was signed by another sender than the expected one.
    #[error("unexpected sender: signed by {found}")]
    UnexpectedSender {
        /// The signing public key of the actual sender (Bech32).
        found: String,
    },
    /// The file verifies cryptographically but its sender may not send it: not in the network
    /// directory, revoked, or outside its key's validity at the export's creation time.
    #[error("sender not allowed: {0}")]
    SenderNotAllowed(String),
    /// Reading the input or writing the output failed.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

impl OpenError {
    /// A stable name for the kind of failure, the same in every binding and in the test
    /// vectors' `expect` field: the variant's name in snake case (`chunk_authentication`,
    /// `bad_signature`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            OpenError::HeaderMalformed(_) => "header_malformed",
            OpenError::UnsupportedVersion(_) => "unsupported_version",
            OpenError::UnsupportedSuite(_) => "unsupported_suite",
            OpenError::LimitExceeded(_) => "limit_exceeded",
            OpenError::NoMatchingRecipient => "no_matching_recipient",
            OpenError::KeyCommitment => "key_commitment",
            OpenError::HeaderMac => "header_mac",
            OpenError::ChunkAuthentication(_) => "chunk_authentication",
            OpenError::Truncated => "truncated",
            OpenError::ManifestMalformed(_) => "manifest_malformed",
            OpenError::BadSignature => "bad_signature",
            OpenError::UnexpectedSender { .. } => "unexpected_sender",
            OpenError::SenderNotAllowed(_) => "sender_not_allowed",
            OpenError::Io(_) => "io",
        }
    }

    /// Wraps this error into an `io::Error` (for the `Read` implementation of the opener).
    pub(crate) fn into_io(self) -> io::Error {
        match self {
            OpenError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }

    /// Recovers an `OpenError` from an `io::Error` that carries one (as the `Read` impl of `Opener` returns).
    pub fn from_io(err: io::Error) -> Self {
        if !err.get_ref().is_some_and(|e| e.is::<OpenError>()) {
            return OpenError::Io(err);
        }
        match err.into_inner().map(|b| b.downcast::<OpenError>()) {
            Some(Ok(e)) => *e,
            _ => OpenError::Io(io::Error::other("unrecognised error")),
        }
    }
}

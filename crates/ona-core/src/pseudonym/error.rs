//! Errors of pseudonymisation: bad keys and bad policies. Secrets never appear in them.

/// A pseudonymisation master key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PseudonymKeyError {
    /// The text is not a pseudonymisation key file.
    #[error("not an ona pseudonymisation key file (expected a line `ona-pseudonym-key-v1 <generation> <64 hex digits>`)")]
    Format,
    /// The secret has the wrong length.
    #[error("the key's secret must be 32 bytes (64 hex digits)")]
    Length,
    /// The domain is empty or too long.
    #[error("a pseudonymisation domain must be 1 to 200 characters, without control characters")]
    Domain,
}

/// A pseudonymisation policy is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The policy file could not be parsed.
    #[error("policy file: {0}")]
    Parse(String),
    /// The policy names a field the schema does not have.
    #[error("policy: {field}: no such field in the case schema")]
    UnknownField {
        /// The field (JSON Pointer pattern).
        field: String,
    },
    /// The policy asks for an action a field cannot take.
    #[error("policy: {field}: {action} is not allowed here ({why})")]
    ActionNotAllowed {
        /// The field.
        field: String,
        /// The action asked for.
        action: String,
        /// Why not.
        why: String,
    },
    /// A setting is out of range.
    #[error("policy: {setting}: {why}")]
    BadSetting {
        /// The setting.
        setting: String,
        /// What is wrong.
        why: String,
    },
}

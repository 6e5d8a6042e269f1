//! Why an import could not run at all (as opposed to rows that were rejected).

/// An import that cannot start or cannot read its export. Rows with problems are not errors:
/// they come back as rejects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The mapping file is malformed or does not fit the standard.
    #[error("mapping: {0}")]
    Mapping(String),
    /// The export cannot be read (missing file, broken CSV, not a workbook...).
    #[error("export: {0}")]
    Source(String),
    /// The mapping names a sheet or column the export does not have.
    #[error("the export does not fit the mapping: {0}")]
    Mismatch(String),
}

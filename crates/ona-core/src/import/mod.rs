//! Import from the systems partners already run: a declarative [`Mapping`] (TOML) says how an
//! export's tables, columns and values become standard case records.
//!
//! ```text
//! export (CSV / XLSX / ZIP of CSVs) ──read──▶ tables ──join repeats by key──▶ records
//!        ──convert cells (codelists by label in 7 languages, dates, numbers)──▶ validate
//!        ──▶ cases, and rejects listing every problem with sheet, row, column and pointer
//! ```
//!
//! Nothing is dropped silently: each root row becomes a [`Case`](crate::schema::Case) or a
//! [`Reject`], and a repeat row without a parent is a reject of its own. The mapping format is
//! documented in `docs/import.md`.

mod codematch;
mod convert;
mod dates;
mod engine;
mod error;
mod mapping;
mod pointer;
mod problem;
mod source;
mod target;

pub use codematch::{fold, match_code};
pub use dates::{from_excel_serial, parse_with_format};
pub use engine::{import_export, ImportOutcome, Reject, RowRef};
pub use error::ImportError;
pub use mapping::{
    ColumnRule, ColumnSpec, Mapping, SourceFormat, SourceOptions, TableMapping, MAPPING_VERSION,
};
pub use problem::{ImportCode, ProblemKind, RowProblem};
pub use source::{Cell, Export, Table};
pub use target::{target_at, Target};

/// Reads the export at `path` as the mapping says and imports it.
pub fn import_path(
    mapping: &Mapping,
    path: &std::path::Path,
) -> Result<ImportOutcome, ImportError> {
    let export = Export::read(path, &mapping.source)?;
    import_export(mapping, &export)
}

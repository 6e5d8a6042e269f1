//! Import from the systems partners already run: a declarative [`Mapping`] (TOML) says how an
//! export's tables, columns and values become standard case records.
//!
//! ```text
//! export (CSV / XLSX / ZIP of CSVs / DHIS2 JSON) ──read──▶ tables ──join repeats by key──▶ records
//!        ──convert cells (codelists by label in 7 languages, dates, numbers)──▶ validate
//!        ──▶ cases, and rejects listing every problem with sheet, row, column and pointer
//! ```
//!
//! Nothing is dropped silently: each root row becomes a [`Case`](crate::schema::Case) or a
//! [`Reject`], and a repeat row without a parent is a reject of its own. The mapping format is
//! documented in `docs/import.md`.

mod check;
mod codematch;
mod convert;
mod dates;
mod dhis2;
mod engine;
mod error;
mod fields;
mod frame;
mod guess;
mod layout;
mod mapping;
mod plan;
mod pointer;
mod problem;
mod skeleton;
mod source;
mod target;
mod trace;
mod words;
mod workbook;

pub use check::{check, CheckReport, UnmappedColumn, UnmappedValue};
pub use codematch::{fold, match_code};
pub use dates::{from_excel_serial, parse_with_format};
pub use dhis2::{
    dhis2_labels, is_dhis2_system_column, read_dhis2, DHIS2_ENROLLMENTS, DHIS2_ENTITIES,
};
pub use engine::{import_export, import_export_each, ImportOutcome, Reject, RowRef};
pub use error::ImportError;
pub use fields::{fields, repeat_lists, Field};
pub use frame::{import_tables, ProblemRow};
pub use guess::{
    guess_source, guess_tables, guess_tables_labelled, ColumnGuess, Reason, TableGuess,
};
pub use mapping::{
    ColumnRule, ColumnSpec, Mapping, SourceFormat, SourceOptions, TableMapping, MAPPING_VERSION,
};
pub use problem::{ImportCode, ProblemKind, RowProblem};
pub use skeleton::{skeleton, skeleton_labelled, REVIEW};
pub use source::{Cell, Export, Table};
pub use target::{target_at, Target};
pub use workbook::{
    cases_to_xlsx, layout, sheet_rows, workbook_mapping, SheetLayout, WorkbookCell, CASES_SHEET,
    CASE_KEY, ROW_KEY,
};

/// Reads the export at `path` as the mapping says and imports it.
pub fn import_path(
    mapping: &Mapping,
    path: &std::path::Path,
) -> Result<ImportOutcome, ImportError> {
    let export = Export::read(path, &mapping.source)?;
    import_export(mapping, &export)
}

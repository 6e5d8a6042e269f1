//! Import through a mapping from a file: the same cases (byte for byte the JSON Lines that
//! `ona import --out` writes), rejects and problems as the command line and Python.

use crate::error::{lang, OnaError};
use ona_core::import::{import_path, Mapping};

/// One problem of a rejected row, traced back to the export.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ImportProblem {
    /// Sheet or file of the export.
    pub sheet: String,
    /// Spreadsheet row number (the header is row 1).
    pub row: u64,
    /// The record id, when the row had one.
    pub id: Option<String>,
    /// The column, when the problem comes from one cell.
    pub column: Option<String>,
    /// The cell's value as the export wrote it.
    pub value: Option<String>,
    /// JSON Pointer in the standard record (`""` for the whole record).
    pub pointer: String,
    /// Stable problem code.
    pub code: String,
    /// Human message in the language asked for.
    pub message: String,
}

/// What an import gave.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ImportResult {
    /// The valid cases as JSON Lines (the bytes `ona import --out` writes).
    pub cases_jsonl: Vec<u8>,
    /// The rejected rows as JSON Lines (the bytes `ona import --rejects` writes).
    pub rejects_jsonl: Vec<u8>,
    /// Every problem of every rejected row, in the order found.
    pub problems: Vec<ImportProblem>,
}

/// Imports the export at `export_path` (CSV, XLSX/XLS/ODS or ZIP of CSVs) through the mapping
/// file at `mapping_path` (TOML, docs/import.md), messages in `lang_code`. A mapping that is
/// invalid or does not fit the export is a `Mapping` error naming what and where.
#[uniffi::export]
pub fn import_file(
    export_path: String,
    mapping_path: String,
    lang_code: String,
) -> Result<ImportResult, OnaError> {
    let lang = lang(&lang_code)?;
    let mapping = Mapping::from_path(std::path::Path::new(&mapping_path))?;
    let outcome = import_path(&mapping, std::path::Path::new(&export_path))?;
    let problems = outcome
        .problem_rows(lang)
        .into_iter()
        .map(|p| ImportProblem {
            sheet: p.sheet,
            row: p.row as u64,
            id: p.id,
            column: p.column,
            value: p.value,
            pointer: p.pointer,
            code: p.code,
            message: p.message,
        })
        .collect();
    Ok(ImportResult {
        cases_jsonl: outcome.cases_jsonl(),
        rejects_jsonl: outcome.rejects_jsonl(lang),
        problems,
    })
}

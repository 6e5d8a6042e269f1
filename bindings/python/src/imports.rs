//! Import through a mapping: from a file (as `ona import`) or from DataFrame columns that the
//! Python side has turned into plain values. Conversion only: the core maps, joins, converts and
//! validates, so the same export gives the same bytes as the command line.

use crate::errors::import_error;
use crate::standard::lang;
use ona_core::import::{
    import_path, import_tables, Cell, ImportOutcome, Mapping, ProblemRow, Table,
};
use ona_core::schema::Date;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyTuple};
use std::path::PathBuf;

/// One problem as a tuple: (sheet, row, id, column, value, pointer, code, message).
type ProblemTuple =
    (String, usize, Option<String>, Option<String>, Option<String>, String, String, String);

/// What the import gives Python: cases as JSON Lines, rejects as JSON Lines, the problems.
type Outcome = (Vec<u8>, Vec<u8>, Vec<ProblemTuple>);

/// The mapping from TOML text, or from JSON text (a Python dict) when `json` is set.
fn mapping(text: &str, json: bool) -> PyResult<Mapping> {
    if json { Mapping::from_json(text) } else { Mapping::from_toml(text) }.map_err(import_error)
}

fn outcome(o: &ImportOutcome, lang: ona_core::schema::Lang) -> Outcome {
    let rows = o
        .problem_rows(lang)
        .into_iter()
        .map(|p: ProblemRow| {
            (p.sheet, p.row, p.id, p.column, p.value, p.pointer, p.code, p.message)
        })
        .collect();
    (o.cases_jsonl(), o.rejects_jsonl(lang), rows)
}

/// A cell from a plain Python value: None, bool, int, float, str, or a date as a
/// `(year, month, day)` tuple. Anything else is refused, naming the table, column and row.
fn cell(v: &Bound<'_, PyAny>, at: impl Fn() -> String) -> PyResult<Cell> {
    if v.is_none() {
        return Ok(Cell::Empty);
    }
    if v.is_instance_of::<PyBool>() {
        return Ok(Cell::Bool(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() || v.is_instance_of::<PyFloat>() {
        let n: f64 = v.extract()?;
        return Ok(if n.is_nan() { Cell::Empty } else { Cell::Number(n) });
    }
    if v.is_instance_of::<PyString>() {
        return Ok(Cell::Text(v.extract()?));
    }
    if let Ok(t) = v.cast::<PyTuple>() {
        if let Ok((y, m, d)) = t.extract::<(i32, u8, u8)>() {
            return Date::new(y, m, d).map(Cell::Date).ok_or_else(|| {
                crate::errors::bad_value(format!("{}: {y}-{m}-{d} is not a date", at()))
            });
        }
    }
    Err(crate::errors::bad_value(format!(
        "{}: a cell must be None, bool, int, float, str or a date, not {}",
        at(),
        v.get_type().name()?
    )))
}

/// Imports the export at `path` as the mapping (TOML text, or JSON when `json`) says.
#[pyfunction]
#[pyo3(signature = (path, mapping_text, json = false, lang = "en"))]
pub fn import_file(
    py: Python<'_>,
    path: PathBuf,
    mapping_text: &str,
    json: bool,
    lang: &str,
) -> PyResult<Outcome> {
    let lang = self::lang(lang)?;
    let m = mapping(mapping_text, json)?;
    if !path.exists() {
        return Err(crate::errors::io_error(
            &path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    py.detach(|| import_path(&m, &path).map(|o| outcome(&o, lang))).map_err(import_error)
}

/// Imports tables given as `(name, [(column, [values])])`; a table named `None` is the one the
/// mapping's root table reads. Values are plain Python values (see the module's `cell`).
#[pyfunction]
#[pyo3(signature = (tables, mapping_text, json = false, lang = "en"))]
#[allow(clippy::type_complexity)]
pub fn import_columns(
    py: Python<'_>,
    tables: Vec<(Option<String>, Vec<(String, Vec<Bound<'_, PyAny>>)>)>,
    mapping_text: &str,
    json: bool,
    lang: &str,
) -> PyResult<Outcome> {
    let lang = self::lang(lang)?;
    let m = mapping(mapping_text, json)?;
    let mut converted = Vec::with_capacity(tables.len());
    for (name, columns) in tables {
        let name = match name {
            Some(n) => n,
            None => m.sheet_of(0).unwrap_or_default().to_string(),
        };
        let mut cols = Vec::with_capacity(columns.len());
        for (header, values) in columns {
            let cells = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    cell(v, || format!("table {name:?}, column {header:?}, row {}", i + 2))
                })
                .collect::<PyResult<Vec<Cell>>>()?;
            cols.push((header, cells));
        }
        converted.push(Table::from_columns(&name, cols).map_err(import_error)?);
    }
    py.detach(|| import_tables(&m, converted).map(|o| outcome(&o, lang))).map_err(import_error)
}

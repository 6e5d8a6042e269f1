//! The "ona workbook": standard cases as a spreadsheet for people who do not read JSON — one
//! sheet of cases and one sheet per repeat (children, services, ...), a column per field named
//! by its JSON Pointer — and the mapping that reads such a workbook back into the same cases.

use super::fields::{fields, repeat_lists, Field};
use super::mapping::MAPPING_VERSION;
use super::target::Target;
use crate::schema::Case;
use serde_json::Value;
use std::fmt::Write;

/// The sheet of cases.
pub const CASES_SHEET: &str = "cases";
/// The key column of the cases sheet (the case's row number, from 1).
pub const ROW_KEY: &str = "_row";
/// The column of a repeat sheet naming the case's row.
pub const CASE_KEY: &str = "_case";

/// One sheet of the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLayout {
    /// Sheet name.
    pub name: String,
    /// The list of the record a repeat sheet fills (`/children`), `None` for the cases sheet.
    pub list: Option<String>,
    /// The fields, one column each (header: the pointer without its leading `/`).
    pub fields: Vec<Field>,
}

/// The sheets of the workbook, from the standard's JSON Schema.
pub fn layout() -> Vec<SheetLayout> {
    let root: Vec<Field> =
        fields("").into_iter().filter(|f| !f.pointer.starts_with("/children/")).collect();
    let mut out = vec![SheetLayout { name: CASES_SHEET.into(), list: None, fields: root }];
    for list in repeat_lists() {
        out.push(SheetLayout {
            name: list.trim_start_matches('/').to_string(),
            fields: fields(&list),
            list: Some(list),
        });
    }
    out
}

/// One cell of the workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkbookCell {
    /// Nothing.
    Empty,
    /// Text (codes, dates as YYYY-MM-DD, select-multiples as space-separated codes).
    Text(String),
    /// A number.
    Number(f64),
    /// Yes or no.
    Bool(bool),
}

/// The rows of each sheet of `layout()` for `cases`: header row first.
pub fn sheet_rows(cases: &[Case]) -> Vec<(SheetLayout, Vec<Vec<WorkbookCell>>)> {
    let layout = layout();
    let values: Vec<Value> =
        cases.iter().map(|c| serde_json::to_value(c).unwrap_or(Value::Null)).collect();
    layout
        .into_iter()
        .map(|sheet| {
            let key = if sheet.list.is_some() { CASE_KEY } else { ROW_KEY };
            let mut rows = vec![std::iter::once(WorkbookCell::Text(key.into()))
                .chain(sheet.fields.iter().map(|f| WorkbookCell::Text(header(&f.pointer))))
                .collect::<Vec<_>>()];
            for (i, case) in values.iter().enumerate() {
                let elements: Vec<&Value> = match &sheet.list {
                    None => vec![case],
                    Some(list) => case
                        .pointer(list)
                        .and_then(Value::as_array)
                        .map(|a| a.iter().collect())
                        .unwrap_or_default(),
                };
                for e in elements {
                    let mut row = vec![WorkbookCell::Number((i + 1) as f64)];
                    row.extend(sheet.fields.iter().map(|f| cell(e.pointer(&f.pointer), f.target)));
                    rows.push(row);
                }
            }
            (sheet, rows)
        })
        .collect()
}

fn header(pointer: &str) -> String {
    pointer.trim_start_matches('/').to_string()
}

fn cell(v: Option<&Value>, target: Target) -> WorkbookCell {
    match v {
        None | Some(Value::Null) => WorkbookCell::Empty,
        Some(Value::String(s)) => WorkbookCell::Text(s.clone()),
        Some(Value::Bool(b)) => WorkbookCell::Bool(*b),
        Some(Value::Number(n)) => WorkbookCell::Number(n.as_f64().unwrap_or_default()),
        Some(Value::Array(items)) if matches!(target, Target::Codes(_)) => {
            if items.is_empty() {
                WorkbookCell::Empty
            } else {
                let codes: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                WorkbookCell::Text(codes.join(" "))
            }
        }
        Some(other) => WorkbookCell::Text(other.to_string()),
    }
}

/// Writes `cases` as an XLSX workbook (bytes).
pub fn cases_to_xlsx(cases: &[Case]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (sheet, rows) in sheet_rows(cases) {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (r, row) in rows.iter().enumerate() {
            let r =
                u32::try_from(r).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
            for (c, value) in row.iter().enumerate() {
                let c = u16::try_from(c)
                    .map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
                match value {
                    WorkbookCell::Empty => {}
                    WorkbookCell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    WorkbookCell::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    WorkbookCell::Bool(b) => {
                        ws.write_boolean(r, c, *b)?;
                    }
                }
            }
        }
    }
    book.save_to_buffer()
}

/// The mapping that reads an ona workbook back into the cases it was written from
/// (shipped as `examples/mappings/ona-workbook.toml`).
pub fn workbook_mapping() -> String {
    let mut s = String::new();
    let q = |t: &str| toml::Value::String(t.to_string()).to_string();
    let _ = writeln!(
        s,
        "# The \"ona workbook\" (written by `ona cases-to-xlsx`) back into standard cases."
    );
    let _ = writeln!(s, "# Generated from the standard's JSON Schema: do not edit by hand.");
    let _ = writeln!(s, "ona_mapping = {MAPPING_VERSION}");
    let _ = writeln!(s, "name = \"ona workbook\"\n\n[source]\nformat = \"xlsx\"");
    for sheet in layout() {
        let _ = writeln!(s, "\n[[tables]]\nname = {}\nsheet = {}", q(&sheet.name), q(&sheet.name));
        match &sheet.list {
            None => {
                let _ = writeln!(s, "key = {}", q(ROW_KEY));
            }
            Some(list) => {
                let _ = writeln!(s, "parent = {}", q(CASES_SHEET));
                let _ = writeln!(s, "parent_key = {}\ninto = {}", q(CASE_KEY), q(list));
            }
        }
        let _ = writeln!(s, "\n[tables.columns]");
        for f in &sheet.fields {
            let _ = writeln!(s, "{} = {}", q(&header(&f.pointer)), q(&f.pointer));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_workbook_mapping_is_the_generated_one() {
        let shipped = include_str!("../../../../examples/mappings/ona-workbook.toml");
        assert_eq!(
            shipped,
            workbook_mapping(),
            "run: ona mapping workbook > examples/mappings/ona-workbook.toml"
        );
    }

    #[test]
    fn every_field_of_the_standard_has_a_column() {
        let sheets = layout();
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        for n in ["cases", "children", "services", "risk_assessments", "follow_ups"] {
            assert!(names.contains(&n), "{names:?}");
        }
        let cases = &sheets[0].fields;
        assert!(cases.iter().any(|f| f.pointer == "/mother/national_id/type"));
        assert!(cases.iter().any(|f| f.pointer == "/outcome/housing"));
    }
}

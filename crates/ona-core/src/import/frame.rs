//! Import from tables that are already in memory — a DataFrame handed over by a binding — and
//! the import's results in the shapes every front end writes: cases as JSON Lines (the bytes
//! `ona import --out` writes), rejects as JSON objects, and one flat row per problem.
//!
//! The bindings only convert their values into [`Cell`]s; the mapping, the joins, the
//! conversions and the validation are the same code as `ona import`, so the same export gives
//! the same bytes through the command line, Python and Kotlin.

use super::engine::{import_export, ImportOutcome, Reject};
use super::error::ImportError;
use super::mapping::Mapping;
use super::source::{Cell, Export, Table};
use crate::schema::Lang;

impl Table {
    /// A table from named columns of equal length (a DataFrame's columns, in order).
    pub fn from_columns(
        name: &str,
        columns: Vec<(String, Vec<Cell>)>,
    ) -> Result<Table, ImportError> {
        let len = columns.first().map_or(0, |(_, c)| c.len());
        if let Some((bad, cells)) = columns.iter().find(|(_, c)| c.len() != len) {
            return Err(ImportError::Source(format!(
                "table {name:?}: column {bad:?} has {} values where the first column has {len}",
                cells.len()
            )));
        }
        let mut headers = Vec::with_capacity(columns.len());
        let mut cols = Vec::with_capacity(columns.len());
        for (h, c) in columns {
            if headers.contains(&h) {
                return Err(ImportError::Source(format!(
                    "table {name:?}: two columns are named {h:?}"
                )));
            }
            headers.push(h);
            cols.push(c.into_iter());
        }
        let rows = (0..len)
            .map(|_| cols.iter_mut().map(|c| c.next().unwrap_or(Cell::Empty)).collect())
            .collect();
        Ok(Table { name: name.to_string(), headers, rows })
    }
}

impl Mapping {
    /// A mapping given as JSON with the keys of the TOML file (a Python dict, a Kotlin map),
    /// checked exactly as a mapping file is.
    pub fn from_json(text: &str) -> Result<Mapping, ImportError> {
        let value: toml::Value = serde_json::from_str(text)
            .map_err(|e| ImportError::Mapping(format!("the mapping is not valid JSON: {e}")))?;
        let text = toml::to_string(&value).map_err(|e| ImportError::Mapping(e.to_string()))?;
        Mapping::from_toml(&text)
    }

    /// The name of the export table that the mapping's table `index` reads (its `sheet`, else
    /// its `name`): what a caller names an in-memory table so that the mapping finds it.
    pub fn sheet_of(&self, index: usize) -> Option<&str> {
        let t = self.tables.get(index)?;
        Some(t.sheet.as_deref().unwrap_or(&t.name))
    }
}

/// Imports tables already in memory (the first is read by the mapping's root table unless the
/// mapping names its sheet).
pub fn import_tables(mapping: &Mapping, tables: Vec<Table>) -> Result<ImportOutcome, ImportError> {
    import_export(mapping, &Export { tables })
}

/// One problem of an import as a flat row: a DataFrame row, a spreadsheet row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemRow {
    /// The sheet or file of the export.
    pub sheet: String,
    /// The spreadsheet row number (the header is row 1).
    pub row: usize,
    /// The record id, when the row had one.
    pub id: Option<String>,
    /// The column, when the problem comes from one cell.
    pub column: Option<String>,
    /// The cell's value as the export wrote it.
    pub value: Option<String>,
    /// JSON Pointer in the standard record (empty for the whole record).
    pub pointer: String,
    /// The stable problem code.
    pub code: String,
    /// The problem explained in the caller's language.
    pub message: String,
}

impl ImportOutcome {
    /// The valid cases as JSON Lines: exactly the bytes `ona import --out` writes.
    pub fn cases_jsonl(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (_, case) in &self.cases {
            // Serialising a validated case cannot fail: it is plain data with string keys.
            if serde_json::to_writer(&mut out, case).is_ok() {
                out.push(b'\n');
            }
        }
        out
    }

    /// The rejects as JSON Lines: exactly the bytes `ona import --rejects` writes.
    pub fn rejects_jsonl(&self, lang: Lang) -> Vec<u8> {
        let mut out = Vec::new();
        for r in &self.rejects {
            if serde_json::to_writer(&mut out, &r.to_json(lang)).is_ok() {
                out.push(b'\n');
            }
        }
        out
    }

    /// Every problem of every reject, one row each, in the order found.
    pub fn problem_rows(&self, lang: Lang) -> Vec<ProblemRow> {
        self.rejects
            .iter()
            .flat_map(|r| {
                r.problems.iter().map(move |p| ProblemRow {
                    sheet: p.sheet.clone(),
                    row: p.row,
                    id: r.id.clone(),
                    column: p.column.clone(),
                    value: p.value.clone(),
                    pointer: p.pointer.clone(),
                    code: p.code().to_string(),
                    message: p.message(lang),
                })
            })
            .collect()
    }
}

impl Reject {
    /// One line of the rejects file: where the row is, its id and every problem.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "sheet": self.at.sheet,
            "row": self.at.row,
            "id": self.id,
            "problems": self.problems.iter().map(|p| p.to_json(lang)).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: &str = r#"
ona_mapping = 1
[source]
date_formats = ["DD.MM.YYYY"]
[[tables]]
name = "intake"
[tables.columns]
"Sex" = "/mother/sex"
"#;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn columns_of_unequal_length_are_refused_naming_the_column() {
        let e = Table::from_columns(
            "t",
            vec![("a".into(), vec![text("1"), text("2")]), ("b".into(), vec![text("1")])],
        )
        .unwrap_err();
        assert!(e.to_string().contains("column \"b\" has 1 values"), "{e}");
        let e =
            Table::from_columns("t", vec![("a".into(), vec![]), ("a".into(), vec![])]).unwrap_err();
        assert!(e.to_string().contains("two columns are named \"a\""), "{e}");
    }

    #[test]
    fn columns_become_rows_in_order() {
        let t = Table::from_columns(
            "t",
            vec![
                ("a".into(), vec![text("1"), Cell::Number(2.0)]),
                ("b".into(), vec![Cell::Empty, Cell::Bool(true)]),
            ],
        )
        .unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(
            t.rows,
            vec![vec![text("1"), Cell::Empty], vec![Cell::Number(2.0), Cell::Bool(true)]]
        );
    }

    #[test]
    fn a_json_mapping_is_read_and_checked_like_the_toml_file() {
        let toml = Mapping::from_toml(MAPPING).unwrap();
        let json = serde_json::json!({
            "ona_mapping": 1,
            "source": {"date_formats": ["DD.MM.YYYY"]},
            "tables": [{"name": "intake", "columns": {"Sex": "/mother/sex"}}],
        });
        let m = Mapping::from_json(&json.to_string()).unwrap();
        assert_eq!(format!("{m:?}"), format!("{toml:?}"));
        assert_eq!(m.sheet_of(0), Some("intake"));
        let bad = serde_json::json!({"ona_mapping": 1, "tables": [], "tabels": 1});
        let e = Mapping::from_json(&bad.to_string()).unwrap_err();
        assert!(e.to_string().contains("tabels"), "{e}");
    }
}

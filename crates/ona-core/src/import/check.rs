//! Checking a mapping against an export before importing (`ona mapping check`): the columns it
//! leaves out and every value it cannot read, with counts and the codelist's codes.

use super::convert::{convert, truth};
use super::error::ImportError;
use super::mapping::Mapping;
use super::plan::plan;
use super::problem::{ProblemKind, RowProblem};
use super::source::Export;
use crate::schema::Lang;

/// A column the mapping does not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedColumn {
    /// Sheet or file.
    pub sheet: String,
    /// Header.
    pub column: String,
    /// How many rows have something in it.
    pub filled: usize,
}

/// A value of a mapped column that cannot be read, with how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedValue {
    /// The first row it occurs in, with the problem (code, message, codes to choose from).
    pub first: RowProblem,
    /// How many cells hold it.
    pub count: usize,
}

impl UnmappedValue {
    /// One line for people: where, what, how often, and the problem in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let p = &self.first;
        format!(
            "{} column {:?} → {}: {:?} ×{} (first in row {}): {}",
            p.sheet,
            p.column.as_deref().unwrap_or(""),
            p.pointer,
            p.value.as_deref().unwrap_or(""),
            self.count,
            p.row,
            p.message(lang)
        )
    }
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Columns no rule reads (system metadata included: a person decides).
    pub unmapped_columns: Vec<UnmappedColumn>,
    /// Values no rule can read, in column order, most frequent first within a column.
    pub unmapped_values: Vec<UnmappedValue>,
}

/// Checks `mapping` against `export` without importing anything.
pub fn check(mapping: &Mapping, export: &Export) -> Result<CheckReport, ImportError> {
    let planned = plan(mapping, export)?;
    let mut report = CheckReport::default();
    for p in &planned {
        let mut used: Vec<usize> = p.columns.iter().map(|c| c.index).collect();
        used.extend(p.key);
        used.extend(p.parent.as_ref().map(|x| x.1));
        for (i, h) in p.table.headers.iter().enumerate() {
            if !used.contains(&i) {
                let filled = p.table.rows.iter().filter(|r| !r[i].is_empty()).count();
                report.unmapped_columns.push(UnmappedColumn {
                    sheet: p.table.name.clone(),
                    column: h.clone(),
                    filled,
                });
            }
        }
        for c in &p.columns {
            let mut found: Vec<UnmappedValue> = Vec::new();
            for (r, row) in p.table.rows.iter().enumerate() {
                let cell = &row[c.index];
                if cell.is_empty() {
                    continue;
                }
                let failure = if c.spec.choice.is_some() {
                    truth(cell, &mapping.source).is_none().then(|| {
                        (
                            super::problem::ImportCode::NotABoolean,
                            vec![("value", format!("{:?}", cell.display()))],
                        )
                    })
                } else {
                    convert(cell, &c.spec, c.target, &mapping.source).err()
                };
                let Some((code, params)) = failure else { continue };
                let value = cell.display();
                match found.iter_mut().find(|f| f.first.value.as_deref() == Some(value.as_str())) {
                    Some(f) => f.count += 1,
                    None => found.push(UnmappedValue {
                        first: RowProblem {
                            sheet: p.table.name.clone(),
                            row: super::source::Table::row_number(r),
                            column: Some(c.name.clone()),
                            value: Some(value),
                            pointer: c.spec.to.clone(),
                            kind: ProblemKind::Import(code, params),
                        },
                        count: 1,
                    }),
                }
            }
            found.sort_by_key(|f| std::cmp::Reverse(f.count));
            report.unmapped_values.extend(found);
        }
    }
    Ok(report)
}

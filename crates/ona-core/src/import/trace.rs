//! Finishing a record: defaults, validation, and every validation problem traced back to the
//! cell (or at least the row) of the export it comes from.

use super::engine::{Reject, RowRef};
use super::plan::PlannedTable;
use super::pointer;
use super::problem::{ProblemKind, RowProblem};
use super::source::Table;
use crate::schema::{validate_value, Case, Problem, ProblemCode};
use serde_json::Value;

/// A record being assembled.
pub(super) struct Draft {
    /// The root row.
    pub(super) at: RowRef,
    /// The record so far.
    pub(super) value: Value,
    /// Each row that went into it: (element pointer, table, row index).
    pub(super) rows: Vec<(String, usize, usize)>,
    /// Problems found while reading its cells.
    pub(super) problems: Vec<RowProblem>,
}

/// Applies defaults, validates, and traces every validation problem back to the export.
pub(super) fn finish(
    mut d: Draft,
    m: &super::mapping::Mapping,
    plan: &[PlannedTable<'_>],
) -> Result<(RowRef, Case), Reject> {
    for (ptr, v) in &m.defaults {
        if !pointer::has(&d.value, ptr) {
            pointer::set(&mut d.value, ptr, serde_json::to_value(v).unwrap_or_default());
        }
    }
    pointer::prune_nulls(&mut d.value);
    let id = d.value.get("id").and_then(Value::as_str).map(str::to_string);
    let mut problems = std::mem::take(&mut d.problems);
    let value = std::mem::take(&mut d.value);
    match validate_value(value) {
        Ok(case) if problems.is_empty() => return Ok((d.at, case)),
        Ok(_) => {}
        Err(e) => {
            // A cell that could not be read was left out of the record: the validator's
            // "missing" for that same place is the same problem, reported once.
            let read_failures: Vec<String> = problems.iter().map(|p| p.pointer.clone()).collect();
            for p in e.problems {
                let full = missing_pointer(&p);
                if read_failures.iter().any(|f| *f == full || full.starts_with(&format!("{f}/"))) {
                    continue;
                }
                problems.push(trace(&d, plan, full, p));
            }
        }
    }
    Err(Reject { at: d.at, id, problems })
}

/// The pointer a problem is about: for a missing field, the field itself.
fn missing_pointer(p: &Problem) -> String {
    match (p.code, p.param("field")) {
        (ProblemCode::MissingField, Some(f)) => {
            let f = f.trim_matches('"');
            if p.pointer.ends_with(&format!("/{f}")) {
                p.pointer.clone()
            } else {
                format!("{}/{f}", p.pointer)
            }
        }
        _ => p.pointer.clone(),
    }
}

/// Finds the cell (or at least the row) a validation problem comes from.
fn trace(d: &Draft, plan: &[PlannedTable<'_>], full: String, p: Problem) -> RowProblem {
    // Every mapped cell of the record: (pointer, table, row, column position).
    let cells: Vec<(String, usize, usize, usize)> = d
        .rows
        .iter()
        .flat_map(|(element, t, r)| {
            plan[*t]
                .columns
                .iter()
                .map(move |c| (format!("{element}{}", c.spec.to), *t, *r, c.index))
        })
        .collect();
    let pick = |pred: &dyn Fn(&str) -> bool| {
        cells.iter().filter(|(ptr, ..)| pred(ptr)).max_by_key(|(ptr, ..)| ptr.len())
    };
    let found = pick(&|ptr| ptr == full)
        .or_else(|| pick(&|ptr| full.starts_with(&format!("{ptr}/"))))
        .or_else(|| cells.iter().find(|(ptr, ..)| ptr.starts_with(&format!("{full}/"))));
    let (sheet, row, column, value) = match found {
        Some((_, t, r, c)) => {
            let table = plan[*t].table;
            (
                table.name.clone(),
                Table::row_number(*r),
                Some(table.headers[*c].clone()),
                Some(table.rows[*r][*c].display()),
            )
        }
        None => {
            // The deepest element the problem is in (a repeat row), else the root row.
            let (t, r) = d
                .rows
                .iter()
                .filter(|(e, ..)| full == *e || full.starts_with(&format!("{e}/")))
                .max_by_key(|(e, ..)| e.len())
                .map_or((0, None), |(_, t, r)| (*t, Some(*r)));
            match r {
                Some(r) => (plan[t].table.name.clone(), Table::row_number(r), None, None),
                None => (d.at.sheet.clone(), d.at.row, None, None),
            }
        }
    };
    RowProblem { sheet, row, column, value, pointer: full, kind: ProblemKind::Schema(p) }
}

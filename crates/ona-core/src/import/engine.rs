//! The import itself: each row of the root table becomes one record, with the rows of repeat
//! tables that name it attached in sheet order, and is validated. Each row ends as a case or as
//! a reject that lists every problem with its place in the export. Records are assembled in
//! batches on every core and handed on in export order, so memory holds the export and one
//! batch of cases.

use super::convert::{convert, truth};
use super::error::ImportError;
use super::mapping::Mapping;
use super::plan::{plan, PlannedTable};
use super::pointer;
use super::problem::{ImportCode, ProblemKind, RowProblem};
use super::source::{Cell, Export, Table};
use super::target::Target;
use super::trace::{finish, Draft};
use crate::schema::Case;
use serde_json::Value;
use std::collections::HashMap;

/// Where a record, or a part of it, came from in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRef {
    /// Sheet or file name.
    pub sheet: String,
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
}

/// A row (with its repeats) that did not become a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The root row (or, for a repeat row without a parent, that row).
    pub at: RowRef,
    /// The record id, when the row had one.
    pub id: Option<String>,
    /// Every problem, in the order found.
    pub problems: Vec<RowProblem>,
}

/// What an import produced: cases and rejects, each in export order.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    /// The valid cases with the root row each came from.
    pub cases: Vec<(RowRef, Case)>,
    /// The rows that did not become cases.
    pub rejects: Vec<Reject>,
}

/// The keys of one table: key → first row with it; rows whose key repeats an earlier one.
#[derive(Default)]
struct Keys {
    first: HashMap<String, usize>,
    duplicate_of: HashMap<usize, usize>,
}

/// How the tables join: per table, its keys (if it has children) and its rows by parent key.
struct Joins {
    keys: Vec<Keys>,
    by_parent: Vec<HashMap<String, Vec<usize>>>,
    children: Vec<Vec<usize>>,
}

fn key_of(p: &PlannedTable<'_>, column: usize, row: usize) -> String {
    p.table.rows[row][column].display().trim().to_string()
}

/// Imports an export that has already been read, holding every case in memory (see
/// [`import_export_each`] to write them as they are made).
pub fn import_export(mapping: &Mapping, export: &Export) -> Result<ImportOutcome, ImportError> {
    let mut outcome = ImportOutcome::default();
    let done = import_export_each(mapping, export, |r| {
        match r {
            Ok(case) => outcome.cases.push(case),
            Err(reject) => outcome.rejects.push(reject),
        }
        Ok::<(), std::convert::Infallible>(())
    })?;
    match done {
        Ok(()) => Ok(outcome),
        Err(never) => match never {},
    }
}

/// Root rows assembled and validated together (on every core) before they are handed on, so
/// memory holds one batch of cases, never all of them.
const BATCH: usize = 4096;

/// Imports an export that has already been read, handing each root row's outcome to `each` in
/// export order as soon as its batch is done, then the orphan repeat rows. Nothing is handed
/// on when the mapping does not fit the export (the outer error); an error of `each` stops the
/// import and is returned inside.
pub fn import_export_each<E>(
    mapping: &Mapping,
    export: &Export,
    mut each: impl FnMut(Result<(RowRef, Case), Reject>) -> Result<(), E>,
) -> Result<Result<(), E>, ImportError> {
    let plan = plan(mapping, export)?;
    let joins = joins(&plan);
    let roots = plan.first().map_or(0, |p| p.table.rows.len());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for batch in (0..roots).step_by(BATCH) {
        let end = (batch + BATCH).min(roots);
        let chunk = (end - batch).div_ceil(cores).max(1);
        let results: Vec<Result<(RowRef, Case), Reject>> = std::thread::scope(|s| {
            let handles: Vec<_> = (batch..end)
                .step_by(chunk)
                .map(|start| {
                    let (plan, joins) = (&plan, &joins);
                    s.spawn(move || {
                        (start..(start + chunk).min(end))
                            .map(|r| finish(assemble(plan, joins, mapping, r), mapping, plan))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        for r in results {
            if let Err(e) = each(r) {
                return Ok(Err(e));
            }
        }
    }
    for reject in orphans(&plan, &joins) {
        if let Err(e) = each(Err(reject)) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// Indexes the keys of every table and the rows of every repeat by their parent's key.
fn joins(plan: &[PlannedTable<'_>]) -> Joins {
    let mut joins = Joins {
        keys: plan.iter().map(|_| Keys::default()).collect(),
        by_parent: plan.iter().map(|_| HashMap::new()).collect(),
        children: plan.iter().map(|_| Vec::new()).collect(),
    };
    for (t, p) in plan.iter().enumerate() {
        if let Some((parent, _, _)) = &p.parent {
            joins.children[*parent].push(t);
        }
        if let Some(k) = p.key {
            let keys = &mut joins.keys[t];
            for r in 0..p.table.rows.len() {
                let key = key_of(p, k, r);
                if key.is_empty() {
                    continue;
                }
                match keys.first.get(&key) {
                    Some(&first) => {
                        keys.duplicate_of.insert(r, first);
                    }
                    None => {
                        keys.first.insert(key, r);
                    }
                }
            }
        }
        if let Some((_, column, _)) = &p.parent {
            for r in 0..p.table.rows.len() {
                joins.by_parent[t].entry(key_of(p, *column, r)).or_default().push(r);
            }
        }
    }
    joins
}

/// Repeat rows whose parent key names no row of the parent table: rejects of their own.
fn orphans(plan: &[PlannedTable<'_>], joins: &Joins) -> Vec<Reject> {
    let mut out = Vec::new();
    for p in plan {
        let Some((parent, column, _)) = &p.parent else { continue };
        for r in 0..p.table.rows.len() {
            let key = key_of(p, *column, r);
            if joins.keys[*parent].first.contains_key(&key) {
                continue;
            }
            let at = RowRef { sheet: p.table.name.clone(), row: Table::row_number(r) };
            let problem = RowProblem {
                sheet: at.sheet.clone(),
                row: at.row,
                column: Some(p.table.headers[*column].clone()),
                value: Some(key.clone()),
                pointer: String::new(),
                kind: ProblemKind::Import(
                    ImportCode::OrphanRow,
                    vec![("parent", plan[*parent].table.name.clone()), ("key", format!("{key:?}"))],
                ),
            };
            out.push(Reject { at, id: None, problems: vec![problem] });
        }
    }
    out
}

/// Builds the record of root row `r` with everything that joins it.
fn assemble(plan: &[PlannedTable<'_>], joins: &Joins, m: &Mapping, r: usize) -> Draft {
    let root = &plan[0];
    let mut value = Value::Object(Default::default());
    for (ptr, v) in &m.constants {
        pointer::set(&mut value, ptr, serde_json::to_value(v).unwrap_or_default());
    }
    let at = RowRef { sheet: root.table.name.clone(), row: Table::row_number(r) };
    let mut d = Draft { at, value, rows: Vec::new(), problems: Vec::new() };
    attach(plan, joins, m, &mut d, 0, r, String::new());
    d
}

/// Fills row `r` of table `t` into the element at `element`, then attaches its own repeats.
fn attach(
    plan: &[PlannedTable<'_>],
    joins: &Joins,
    m: &Mapping,
    d: &mut Draft,
    t: usize,
    r: usize,
    element: String,
) {
    let p = &plan[t];
    d.rows.push((element.clone(), t, r));
    fill(d, &element, p, &p.table.rows[r], r, m);
    let Some(k) = p.key else { return };
    let key = key_of(p, k, r);
    let problem = |code, params| RowProblem {
        sheet: p.table.name.clone(),
        row: Table::row_number(r),
        column: Some(p.table.headers[k].clone()),
        value: Some(key.clone()),
        pointer: element.clone(),
        kind: ProblemKind::Import(code, params),
    };
    if key.is_empty() {
        if !joins.children[t].is_empty() {
            let column = format!("{:?}", p.table.headers[k]);
            d.problems.push(problem(ImportCode::MissingKey, vec![("column", column)]));
        }
        return;
    }
    if let Some(first) = joins.keys[t].duplicate_of.get(&r) {
        let params =
            vec![("key", format!("{key:?}")), ("other", Table::row_number(*first).to_string())];
        d.problems.push(problem(ImportCode::DuplicateKey, params));
        return;
    }
    for &c in &joins.children[t] {
        let child = &plan[c];
        let Some((_, column, into)) = &child.parent else { continue };
        let rows = joins.by_parent[c].get(&key).map(Vec::as_slice).unwrap_or_default();
        for (n, &cr) in rows.iter().enumerate() {
            if into.is_empty() && n > 0 {
                // A one-to-one form (Primero) filled twice for the same parent row.
                d.problems.push(RowProblem {
                    sheet: child.table.name.clone(),
                    row: Table::row_number(cr),
                    column: Some(child.table.headers[*column].clone()),
                    value: Some(key.clone()),
                    pointer: element.clone(),
                    kind: ProblemKind::Import(
                        ImportCode::DuplicateKey,
                        vec![
                            ("key", format!("{key:?}")),
                            ("other", Table::row_number(rows[0]).to_string()),
                        ],
                    ),
                });
                continue;
            }
            let target = if into.is_empty() {
                element.clone()
            } else {
                pointer::push_element(&mut d.value, &format!("{element}{into}"))
            };
            attach(plan, joins, m, d, c, cr, target);
        }
    }
}

/// Writes one row's cells into its record (or repeat element at `element`).
fn fill(d: &mut Draft, element: &str, p: &PlannedTable<'_>, cells: &[Cell], r: usize, m: &Mapping) {
    for c in &p.columns {
        let cell = &cells[c.index];
        let ptr = format!("{element}{}", c.spec.to);
        // A select-multiple answered with nothing is an empty list, not a missing one.
        if matches!(c.target, Target::Codes(_)) && !pointer::has(&d.value, &ptr) {
            pointer::set(&mut d.value, &ptr, Value::Array(Vec::new()));
        }
        if cell.is_empty() {
            continue;
        }
        let problem = |code, params| RowProblem {
            sheet: p.table.name.clone(),
            row: Table::row_number(r),
            column: Some(c.name.clone()),
            value: Some(cell.display()),
            pointer: ptr.clone(),
            kind: ProblemKind::Import(code, params),
        };
        if let Some(choice) = &c.spec.choice {
            match truth(cell, &m.source) {
                Some(true) => {
                    pointer::add_to_list(&mut d.value, &ptr, Value::String(choice.clone()))
                }
                Some(false) => {}
                None => {
                    let value = format!("{:?}", cell.display());
                    d.problems.push(problem(ImportCode::NotABoolean, vec![("value", value)]));
                }
            }
            continue;
        }
        match convert(cell, &c.spec, c.target, &m.source) {
            Ok(Value::Array(items)) if matches!(c.target, Target::Codes(_)) => {
                for item in items {
                    pointer::add_to_list(&mut d.value, &ptr, item);
                }
            }
            Ok(v) => {
                pointer::set(&mut d.value, &ptr, v);
                if let (Some(t), Some((parent, _))) = (&c.spec.id_type, ptr.rsplit_once('/')) {
                    pointer::set(&mut d.value, &format!("{parent}/type"), Value::String(t.clone()));
                }
            }
            Err((code, params)) => d.problems.push(problem(code, params)),
        }
    }
}

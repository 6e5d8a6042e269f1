//! The import itself: rows of the root table become records, rows of repeat tables join their
//! parent by key, and every record is validated. Each row ends as a case or as a reject that
//! lists every problem with its place in the export.

use super::convert::convert;
use super::error::ImportError;
use super::mapping::{ColumnSpec, Mapping};
use super::pointer;
use super::problem::{ImportCode, ProblemKind, RowProblem};
use super::source::{Cell, Export, Table};
use super::target::{target_at, Target};
use crate::schema::{validate_value, Case};
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

/// One mapped column of a table, resolved against the export and the standard.
pub(super) struct Column {
    pub(super) name: String,
    pub(super) index: usize,
    pub(super) spec: ColumnSpec,
    pub(super) target: Target,
}

/// A table of the mapping matched to the export.
pub(super) struct PlannedTable<'a> {
    pub(super) table: &'a Table,
    pub(super) columns: Vec<Column>,
    pub(super) key: Option<usize>,
    /// (parent table position, parent-key column, into)
    pub(super) parent: Option<(usize, usize, String)>,
}

/// A record being assembled, with where each of its values came from.
struct Draft {
    at: RowRef,
    value: Value,
    /// Pointer → (sheet, row, column, value as written), for every mapped cell.
    cells: Vec<(String, RowRef, String, String)>,
    /// Pointer of each repeat element → the row it came from.
    elements: Vec<(String, RowRef)>,
    problems: Vec<RowProblem>,
}

/// Imports an export that has already been read.
pub fn import_export(mapping: &Mapping, export: &Export) -> Result<ImportOutcome, ImportError> {
    let plan = plan(mapping, export)?;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut rejects = Vec::new();
    // Per table: key → (draft, element pointer).
    let mut keys: Vec<HashMap<String, (usize, String, usize)>> = Vec::new();
    // One-to-one forms: (form table, parent key) → the row that filled it.
    let mut merged: HashMap<(usize, String), usize> = HashMap::new();
    for (t, p) in plan.iter().enumerate() {
        let mut index: HashMap<String, (usize, String, usize)> = HashMap::new();
        for (r, cells) in p.table.rows.iter().enumerate() {
            let at = RowRef { sheet: p.table.name.clone(), row: Table::row_number(r) };
            let key = p.key.map(|k| cells[k].display().trim().to_string());
            let (draft, element) = match &p.parent {
                None => {
                    let mut value = Value::Object(Default::default());
                    for (ptr, v) in &mapping.constants {
                        pointer::set(&mut value, ptr, serde_json::to_value(v).unwrap_or_default());
                    }
                    drafts.push(Draft {
                        at: at.clone(),
                        value,
                        cells: Vec::new(),
                        elements: Vec::new(),
                        problems: Vec::new(),
                    });
                    (drafts.len() - 1, String::new())
                }
                Some((parent, column, into)) => {
                    let parent_key = cells[*column].display().trim().to_string();
                    match keys[*parent].get(&parent_key) {
                        // `into = ""`: a form of one row per parent row, written into the
                        // parent's element itself (Primero's form sheets).
                        Some((d, prefix, _)) if into.is_empty() => {
                            if let Some(first) = merged.insert((t, parent_key.clone()), at.row) {
                                let problem = RowProblem {
                                    sheet: at.sheet.clone(),
                                    row: at.row,
                                    column: Some(p.table.headers[*column].clone()),
                                    value: Some(parent_key.clone()),
                                    pointer: prefix.clone(),
                                    kind: ProblemKind::Import(
                                        ImportCode::DuplicateKey,
                                        vec![
                                            ("key", format!("{parent_key:?}")),
                                            ("other", first.to_string()),
                                        ],
                                    ),
                                };
                                drafts[*d].problems.push(problem);
                                continue;
                            }
                            (*d, prefix.clone())
                        }
                        Some((d, prefix, _)) => {
                            let d = *d;
                            let element = pointer::push_element(
                                &mut drafts[d].value,
                                &format!("{prefix}{into}"),
                            );
                            drafts[d].elements.push((element.clone(), at.clone()));
                            (d, element)
                        }
                        None => {
                            let problem = RowProblem {
                                sheet: at.sheet.clone(),
                                row: at.row,
                                column: Some(p.table.headers[*column].clone()),
                                value: Some(parent_key.clone()),
                                pointer: String::new(),
                                kind: ProblemKind::Import(
                                    ImportCode::OrphanRow,
                                    vec![
                                        ("parent", plan[*parent].table.name.clone()),
                                        ("key", format!("{parent_key:?}")),
                                    ],
                                ),
                            };
                            rejects.push((
                                usize::MAX,
                                Reject { at, id: None, problems: vec![problem] },
                            ));
                            continue;
                        }
                    }
                }
            };
            fill(&mut drafts[draft], &element, p, cells, &at, mapping);
            if let (Some(k), Some(key)) = (p.key, key) {
                let column = p.table.headers[k].clone();
                let problem = |code, params| RowProblem {
                    sheet: at.sheet.clone(),
                    row: at.row,
                    column: Some(column.clone()),
                    value: Some(key.clone()),
                    pointer: element.clone(),
                    kind: ProblemKind::Import(code, params),
                };
                if key.is_empty() {
                    if plan.iter().any(|c| c.parent.as_ref().is_some_and(|x| x.0 == t)) {
                        let pr = problem(
                            ImportCode::MissingKey,
                            vec![("column", format!("{column:?}"))],
                        );
                        drafts[draft].problems.push(pr);
                    }
                } else if let Some((_, _, other)) = index.get(&key) {
                    let pr = problem(
                        ImportCode::DuplicateKey,
                        vec![("key", format!("{key:?}")), ("other", other.to_string())],
                    );
                    drafts[draft].problems.push(pr);
                } else {
                    index.insert(key, (draft, element.clone(), at.row));
                }
            }
        }
        keys.push(index);
    }
    let mut outcome = ImportOutcome::default();
    let mut ordered: Vec<(usize, Reject)> = rejects;
    for (i, d) in drafts.into_iter().enumerate() {
        match finish(d, mapping) {
            Ok((at, case)) => outcome.cases.push((at, case)),
            Err(r) => ordered.push((i, r)),
        }
    }
    // Rejects in export order: root rows first in their order, then orphan repeat rows.
    ordered.sort_by_key(|(i, r)| (*i, r.at.sheet.clone(), r.at.row));
    outcome.rejects = ordered.into_iter().map(|(_, r)| r).collect();
    Ok(outcome)
}

/// Writes one row's cells into its record (or repeat element at `element`).
fn fill(
    d: &mut Draft,
    element: &str,
    p: &PlannedTable<'_>,
    cells: &[Cell],
    at: &RowRef,
    m: &Mapping,
) {
    for c in &p.columns {
        let cell = &cells[c.index];
        let ptr = format!("{element}{}", c.spec.to);
        d.cells.push((ptr.clone(), at.clone(), c.name.clone(), cell.display()));
        // A select-multiple answered with nothing is an empty list, not a missing one.
        if matches!(c.target, Target::Codes(_)) && !pointer::has(&d.value, &ptr) {
            pointer::set(&mut d.value, &ptr, Value::Array(Vec::new()));
        }
        if cell.is_empty() {
            continue;
        }
        if let Some(choice) = &c.spec.choice {
            match super::convert::truth(cell, &m.source) {
                Some(true) => {
                    pointer::add_to_list(&mut d.value, &ptr, Value::String(choice.clone()))
                }
                Some(false) => {}
                None => d.problems.push(RowProblem {
                    sheet: at.sheet.clone(),
                    row: at.row,
                    column: Some(c.name.clone()),
                    value: Some(cell.display()),
                    pointer: ptr.clone(),
                    kind: ProblemKind::Import(
                        ImportCode::NotABoolean,
                        vec![("value", format!("{:?}", cell.display()))],
                    ),
                }),
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
            Err((code, params)) => d.problems.push(RowProblem {
                sheet: at.sheet.clone(),
                row: at.row,
                column: Some(c.name.clone()),
                value: Some(cell.display()),
                pointer: ptr,
                kind: ProblemKind::Import(code, params),
            }),
        }
    }
}

/// Applies defaults, validates, and traces every validation problem back to the export.
fn finish(mut d: Draft, m: &Mapping) -> Result<(RowRef, Case), Reject> {
    for (ptr, v) in &m.defaults {
        if !pointer::has(&d.value, ptr) {
            pointer::set(&mut d.value, ptr, serde_json::to_value(v).unwrap_or_default());
        }
    }
    pointer::prune_nulls(&mut d.value);
    let id = d.value.get("id").and_then(Value::as_str).map(str::to_string);
    let mut problems = std::mem::take(&mut d.problems);
    match validate_value(d.value.clone()) {
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
                problems.push(trace(&d, full, p));
            }
        }
    }
    Err(Reject { at: d.at, id, problems })
}

/// The pointer a problem is about: for a missing field, the field itself.
fn missing_pointer(p: &crate::schema::Problem) -> String {
    match (p.code, p.param("field")) {
        (crate::schema::ProblemCode::MissingField, Some(f)) => {
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
fn trace(d: &Draft, full: String, p: crate::schema::Problem) -> RowProblem {
    let cell = |pred: &dyn Fn(&str) -> bool| {
        d.cells.iter().filter(|(ptr, ..)| pred(ptr)).max_by_key(|(ptr, ..)| ptr.len())
    };
    let found = cell(&|ptr| ptr == full)
        .or_else(|| cell(&|ptr| full.starts_with(&format!("{ptr}/"))))
        .or_else(|| {
            d.cells.iter().find(|(ptr, ..)| ptr.starts_with(&format!("{full}/")) && !ptr.is_empty())
        });
    let (sheet, row, column, value) = match found {
        Some((_, at, col, val)) => (at.sheet.clone(), at.row, Some(col.clone()), Some(val.clone())),
        None => {
            let at = d
                .elements
                .iter()
                .filter(|(e, _)| full == *e || full.starts_with(&format!("{e}/")))
                .max_by_key(|(e, _)| e.len())
                .map_or(&d.at, |(_, at)| at);
            (at.sheet.clone(), at.row, None, None)
        }
    };
    RowProblem { sheet, row, column, value, pointer: full, kind: ProblemKind::Schema(p) }
}

/// Matches the mapping's tables and columns to the export and the standard, before any row.
pub(super) fn plan<'a>(
    m: &Mapping,
    export: &'a Export,
) -> Result<Vec<PlannedTable<'a>>, ImportError> {
    let mut missing = Vec::new();
    let mut out: Vec<PlannedTable<'a>> = Vec::new();
    for (i, t) in m.tables.iter().enumerate() {
        let table = match &t.sheet {
            Some(s) => export.table(s),
            None if export.tables.len() == 1 || i == 0 => export.tables.first(),
            None => export.table(&t.name),
        };
        let Some(table) = table else {
            let names: Vec<&str> = export.tables.iter().map(|t| t.name.as_str()).collect();
            return Err(ImportError::Mismatch(format!(
                "table {:?}: the export has no sheet {:?} (it has {names:?})",
                t.name,
                t.sheet.as_deref().unwrap_or(&t.name)
            )));
        };
        let mut col = |name: &str| {
            let found = table.column(name);
            if found.is_none() {
                missing.push(format!("{}: {name:?}", table.name));
            }
            found
        };
        let key = t.key.as_deref().and_then(&mut col);
        let parent = match (&t.parent, &t.parent_key, &t.into) {
            (Some(p), Some(pk), Some(into)) => {
                let pos = m.tables.iter().position(|o| &o.name == p).unwrap_or(0);
                col(pk).map(|c| (pos, c, into.clone()))
            }
            _ => None,
        };
        let mut columns = Vec::new();
        let prefix = prefix_of(m, i);
        for (name, rule) in &t.columns {
            let spec = rule.spec();
            let Some(index) = col(name) else { continue };
            let schema_ptr = format!("{prefix}{}", spec.to);
            let target = target_at(&schema_ptr).ok_or_else(|| {
                ImportError::Mapping(format!(
                    "table {:?}, column {name:?}: the standard has no field {schema_ptr}",
                    t.name
                ))
            })?;
            if spec.choice.is_some() && !matches!(target, Target::Codes(_)) {
                return Err(ImportError::Mapping(format!(
                    "table {:?}, column {name:?}: `choice` needs a list of codes at {schema_ptr}",
                    t.name
                )));
            }
            if let Some(c) = &spec.choice {
                if let Target::Codes(list) = target {
                    if super::codematch::match_code(list, c) != Some(c.as_str()) {
                        return Err(ImportError::Mapping(format!(
                            "column {name:?}: {c:?} is not a code of {list}"
                        )));
                    }
                }
            }
            columns.push(Column { name: name.clone(), index, spec, target });
        }
        // Export order, so that 0/1 choice columns add their codes in the order they stand.
        columns.sort_by_key(|c| c.index);
        out.push(PlannedTable { table, columns, key, parent });
    }
    for (ptr, _) in m.constants.iter().chain(&m.defaults) {
        if target_at(ptr).is_none() {
            return Err(ImportError::Mapping(format!("the standard has no field {ptr}")));
        }
    }
    if !missing.is_empty() {
        return Err(ImportError::Mismatch(format!(
            "columns named in the mapping are not in the export: {}",
            missing.join(", ")
        )));
    }
    Ok(out)
}

/// The schema pointer prefix of table `i`'s elements: its ancestors' `into` with index 0.
fn prefix_of(m: &Mapping, i: usize) -> String {
    let t = &m.tables[i];
    match (&t.parent, &t.into) {
        (Some(p), Some(into)) => {
            let pos = m.tables.iter().position(|o| &o.name == p).unwrap_or(0);
            if pos == i {
                return String::new();
            }
            if into.is_empty() {
                return prefix_of(m, pos);
            }
            format!("{}{into}/0", prefix_of(m, pos))
        }
        _ => String::new(),
    }
}

//! Matching a mapping to an export and to the standard before any row is read: every sheet,
//! column and pointer must exist, or the import stops with a clear error.

use super::error::ImportError;
use super::mapping::{ColumnSpec, Mapping};
use super::source::{Export, Table};
use super::target::{target_at, Target};

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

//! The fields of the standard a column can map to, listed from the generated JSON Schema, with
//! the words that name them (for guessing a mapping from an export's headers).

use super::target::{target_at, Target};
use crate::schema::json_schema;
use crate::schema::schema_walk::resolve;
use serde_json::Value;

/// A field a cell can fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its JSON Pointer, relative to the record (or to a repeat element).
    pub pointer: String,
    /// What the standard expects there.
    pub target: Target,
}

/// The lists of objects a repeat table can fill (`/children`, `/services`, ...).
pub fn repeat_lists() -> Vec<String> {
    let root = json_schema();
    let mut out = Vec::new();
    if let Some(props) = root.get("properties").and_then(Value::as_object) {
        for (name, node) in props {
            let node = resolve(root, node);
            if let Some(items) = node.get("items") {
                if resolve(root, items).get("properties").is_some() {
                    out.push(format!("/{name}"));
                }
            }
        }
    }
    out
}

/// The fields under `scope` (`""` for the record, or a repeat list such as `/children`). In the
/// record, the first child's fields are listed as `/children/0/…` (a flat sheet's usual shape);
/// other lists of objects are left to repeat tables.
pub fn fields(scope: &str) -> Vec<Field> {
    let root = json_schema();
    let mut out = Vec::new();
    let node = if scope.is_empty() {
        Some(root)
    } else {
        root.get("properties")
            .and_then(|p| p.get(scope.trim_start_matches('/')))
            .map(|n| resolve(root, n))
            .and_then(|n| n.get("items"))
    };
    if let Some(node) = node {
        let prefix = if scope.is_empty() { String::new() } else { format!("{scope}/0") };
        walk(root, node, &prefix, scope.is_empty(), &mut |p: &str, target| {
            out.push(Field { pointer: p[prefix.len()..].to_string(), target })
        });
    }
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    out
}

fn walk(
    root: &'static Value,
    node: &'static Value,
    ptr: &str,
    record: bool,
    found: &mut dyn FnMut(&str, Target),
) {
    let node = resolve(root, node);
    let Some(props) = node.get("properties").and_then(Value::as_object) else { return };
    for (name, child) in props {
        let p = format!("{ptr}/{name}");
        let child = resolve(root, child);
        let items = child.get("items").map(|i| resolve(root, i));
        if let Some(items) = items.filter(|i| i.get("properties").is_some()) {
            if record && name == "children" {
                walk(root, items, &format!("{p}/0"), record, found);
            }
        } else if child.get("properties").is_some() {
            walk(root, child, &p, record, found);
        } else if let Some(target) = target_at(&p) {
            found(&p, target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_leaves_of_the_record_and_of_repeats() {
        let root: Vec<String> = fields("").into_iter().map(|f| f.pointer).collect();
        for p in ["/intake_date", "/mother/name/given", "/children/0/sex", "/consent/date"] {
            assert!(root.contains(&p.to_string()), "{p} in {root:?}");
        }
        assert!(!root.iter().any(|p| p.starts_with("/services")), "services are a repeat");
        let services: Vec<String> = fields("/services").into_iter().map(|f| f.pointer).collect();
        assert!(services.contains(&"/type".to_string()), "{services:?}");
        let lists = repeat_lists();
        assert!(
            lists.contains(&"/children".to_string()) && lists.contains(&"/follow_ups".to_string())
        );
    }
}

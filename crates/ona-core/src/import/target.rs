//! What kind of value the standard expects at a JSON Pointer, read from the generated JSON
//! Schema (so the import follows the schema wherever it changes).

use crate::schema::json_schema;
use crate::schema::schema_walk::resolve;
use serde_json::Value;

/// The kind of value at a pointer of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// One code of a codelist.
    Code(&'static str),
    /// A list of codes of a codelist (a select-multiple).
    Codes(&'static str),
    /// A calendar date.
    Date,
    /// A whole number.
    Integer,
    /// Yes or no.
    Boolean,
    /// Text.
    Text,
}

/// The kind of value at `pointer` (array positions written as numbers or `-`), or `None` when
/// the standard has no field there.
pub fn target_at(pointer: &str) -> Option<Target> {
    let root = json_schema();
    let mut node = root;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        node = resolve(root, node);
        if let Some(child) = node.get("properties").and_then(|p| p.get(&seg)) {
            node = child;
        } else if let (Some(items), true) =
            (node.get("items"), seg == "-" || seg.parse::<usize>().is_ok())
        {
            node = items;
        } else {
            return None;
        }
    }
    kind(root, node)
}

fn kind(root: &'static Value, node: &'static Value) -> Option<Target> {
    let node = resolve(root, node);
    if let Some(list) = node.get("x-codelist").and_then(Value::as_str) {
        return Some(Target::Code(list));
    }
    if node.get("format").and_then(Value::as_str) == Some("date") {
        return Some(Target::Date);
    }
    let has = |t: &str| match node.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|v| v == t),
        _ => false,
    };
    if has("array") {
        return match kind(root, node.get("items")?)? {
            Target::Code(list) => Some(Target::Codes(list)),
            _ => None,
        };
    }
    if has("integer") {
        Some(Target::Integer)
    } else if has("boolean") {
        Some(Target::Boolean)
    } else if has("string") {
        Some(Target::Text)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kinds_from_the_schema() {
        assert_eq!(target_at("/referral_source"), Some(Target::Code("referral_source")));
        assert_eq!(target_at("/mother/birth_date"), Some(Target::Date));
        assert_eq!(target_at("/children/0/sex"), Some(Target::Code("sex")));
        assert_eq!(
            target_at("/children/0/health_conditions"),
            Some(Target::Codes("child_health_condition"))
        );
        assert_eq!(target_at("/children/0/birth_weight_g"), Some(Target::Integer));
        assert_eq!(target_at("/consent/services"), Some(Target::Boolean));
        assert_eq!(target_at("/mother/name/given"), Some(Target::Text));
        assert_eq!(target_at("/mother/shoe_size"), None);
        assert_eq!(target_at("/children"), None, "a list of objects is not a cell");
    }
}

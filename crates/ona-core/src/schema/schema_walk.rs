//! Walking the generated JSON Schema: following `$ref` into `$defs`, and the `anyOf [X, null]`
//! that optional fields produce. Shared by the disclosure classes, the compiled validator and
//! the code labeller, so that all three read the schema the same way.

use serde_json::Value;

/// Follows `$ref`s of `node` into the `$defs` of `root`.
pub(crate) fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        match root.get("$defs").and_then(|d| d.get(r.trim_start_matches("#/$defs/"))) {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

/// Follows `$ref`s and the `anyOf [X, null]` of optional values down to `X`.
pub(crate) fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = deref(root, node);
    while let Some(any) = node.get("anyOf").and_then(Value::as_array) {
        match any.iter().find(|s| s.get("type").and_then(Value::as_str) != Some("null")) {
            Some(n) if any.len() == 2 => node = deref(root, n),
            _ => break,
        }
    }
    node
}

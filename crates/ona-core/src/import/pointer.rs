//! Writing values into a JSON record at JSON Pointers (RFC 6901), creating objects and array
//! elements on the way.

use serde_json::{Map, Value};

fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
}

/// The value at `pointer`, created (as an empty object) with everything on the way when absent.
/// Numeric segments index arrays, which grow with empty objects as needed.
pub fn entry<'a>(root: &'a mut Value, pointer: &str) -> &'a mut Value {
    let mut node = root;
    for seg in segments(pointer) {
        if let (Ok(i), true) = (seg.parse::<usize>(), node.is_array() || node.is_null()) {
            if node.is_null() {
                *node = Value::Array(Vec::new());
            }
            let Value::Array(items) = node else { unreachable!("made an array above") };
            while items.len() <= i {
                items.push(Value::Object(Map::new()));
            }
            node = &mut items[i];
        } else {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let Value::Object(map) = node else { unreachable!("made an object above") };
            node = map.entry(seg).or_insert(Value::Null);
        }
    }
    node
}

/// Sets the value at `pointer`.
pub fn set(root: &mut Value, pointer: &str, value: Value) {
    *entry(root, pointer) = value;
}

/// Whether the record holds a value (other than null) at `pointer`.
pub fn has(root: &Value, pointer: &str) -> bool {
    root.pointer(pointer).is_some_and(|v| !v.is_null())
}

/// Appends `item` to the list at `pointer` unless it is already there.
pub fn add_to_list(root: &mut Value, pointer: &str, item: Value) {
    let node = entry(root, pointer);
    if !node.is_array() {
        *node = Value::Array(Vec::new());
    }
    if let Value::Array(items) = node {
        if !items.contains(&item) {
            items.push(item);
        }
    }
}

/// Appends an empty object to the list at `pointer`; returns the new element's pointer.
pub fn push_element(root: &mut Value, pointer: &str) -> String {
    let node = entry(root, pointer);
    if !node.is_array() {
        *node = Value::Array(Vec::new());
    }
    let Value::Array(items) = node else { unreachable!("made an array above") };
    items.push(Value::Object(Map::new()));
    format!("{pointer}/{}", items.len() - 1)
}

/// Removes every null left by [`entry`] (an object member that was never filled).
pub fn prune_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(prune_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(prune_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_nested_objects_and_arrays() {
        let mut v = json!({});
        set(&mut v, "/mother/name/given", json!("Aigerim"));
        set(&mut v, "/children/1/sex", json!("female"));
        add_to_list(&mut v, "/children/1/health_conditions", json!("premature"));
        add_to_list(&mut v, "/children/1/health_conditions", json!("premature"));
        let p = push_element(&mut v, "/services");
        assert_eq!(p, "/services/0");
        entry(&mut v, "/mother/phone");
        prune_nulls(&mut v);
        assert_eq!(
            v,
            json!({"mother": {"name": {"given": "Aigerim"}},
                   "children": [{}, {"sex": "female", "health_conditions": ["premature"]}],
                   "services": [{}]})
        );
        assert!(has(&v, "/children/1/sex") && !has(&v, "/children/0/sex"));
    }
}

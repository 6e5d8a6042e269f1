//! Structural validation driven by the generated JSON Schema itself: types, required and unknown
//! fields, codes, dates, lengths, ranges and list sizes — every problem, not just the first.
//!
//! It understands the subset of JSON Schema that the case types generate (`$ref`, `anyOf` for
//! optional structs, `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
//! `format: date`, `minLength`/`maxLength`, `minimum`/`maximum`, `minItems`/`maxItems`) plus the
//! `x-ona-format` keyword for country and subdivision codes.

use super::countries::is_country;
use super::problem::{Problem, ProblemCode};
use crate::schema::Date;
use serde_json::Value;

/// Appends `/token` to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires.
pub(crate) fn push(pointer: &str, token: &str) -> String {
    if token.contains(['~', '/']) {
        format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
    } else {
        format!("{pointer}/{token}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_ok(want: &str, v: &Value) -> bool {
    let have = type_name(v);
    want == have || (want == "number" && have == "integer")
}

/// Checks `value` against `node` of the schema `root`, appending problems at `pointer`.
pub(crate) fn check(
    root: &Value,
    node: &Value,
    value: &Value,
    pointer: &str,
    out: &mut Vec<Problem>,
) {
    let node = deref(root, node);
    if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
        if value.is_null()
            && any.iter().any(|s| s.get("type").and_then(Value::as_str) == Some("null"))
        {
            return;
        }
        if let Some(branch) =
            any.iter().find(|s| s.get("type").and_then(Value::as_str) != Some("null"))
        {
            return check(root, branch, value, pointer, out);
        }
    }
    if let Some(t) = node.get("type") {
        let allowed: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !allowed.iter().any(|w| type_ok(w, value)) {
            let expected =
                allowed.iter().filter(|w| **w != "null").copied().collect::<Vec<_>>().join(" or ");
            out.push(
                Problem::new(pointer, ProblemCode::WrongType)
                    .with("expected", expected)
                    .with("found", type_name(value)),
            );
            return;
        }
        if value.is_null() {
            return;
        }
    }
    match value {
        Value::String(s) => check_string(node, s, pointer, out),
        Value::Number(n) => check_number(node, n, pointer, out),
        Value::Object(obj) => check_object(root, node, obj, pointer, out),
        Value::Array(items) => check_array(root, node, items, pointer, out),
        _ => {}
    }
}

fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        match root.get("$defs").and_then(|d| d.get(r.trim_start_matches("#/$defs/"))) {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

fn check_string(node: &Value, s: &str, pointer: &str, out: &mut Vec<Problem>) {
    if let Some(options) = node.get("enum").and_then(Value::as_array) {
        if !options.iter().any(|o| o.as_str() == Some(s)) {
            let list = node.get("x-codelist").and_then(Value::as_str).unwrap_or("?");
            out.push(
                Problem::new(pointer, ProblemCode::UnknownCode)
                    .with("value", format!("{s:?}"))
                    .with("list", list),
            );
        }
        return;
    }
    if node.get("format").and_then(Value::as_str) == Some("date") {
        if Date::parse(s).is_err() {
            out.push(Problem::new(pointer, ProblemCode::BadDate).with("value", format!("{s:?}")));
        }
        return;
    }
    match node.get("x-ona-format").and_then(Value::as_str) {
        Some("country") if !is_country(s) => {
            out.push(
                Problem::new(pointer, ProblemCode::BadCountry).with("value", format!("{s:?}")),
            );
            return;
        }
        Some("admin1") if !is_admin1(s) => {
            out.push(Problem::new(pointer, ProblemCode::BadAdmin1).with("value", format!("{s:?}")));
            return;
        }
        _ => {}
    }
    let len = s.chars().count() as u64;
    if let Some(min) = node.get("minLength").and_then(Value::as_u64) {
        if len < min {
            out.push(Problem::new(pointer, ProblemCode::TooShort).with("min", min));
        }
    }
    if let Some(max) = node.get("maxLength").and_then(Value::as_u64) {
        if len > max {
            out.push(Problem::new(pointer, ProblemCode::TooLong).with("max", max));
        }
    }
}

/// Whether `s` has the shape of an ISO 3166-2 code of a known country (`KZ-75`, `UA-32`).
pub(crate) fn is_admin1(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 4
        && b.len() <= 6
        && b[2] == b'-'
        && is_country(&s[..2])
        && b[3..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn check_number(node: &Value, n: &serde_json::Number, pointer: &str, out: &mut Vec<Problem>) {
    let v = n.as_f64().unwrap_or(f64::NAN);
    let min = node.get("minimum").and_then(Value::as_f64);
    let max = node.get("maximum").and_then(Value::as_f64);
    if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
        let show = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_else(|| "…".into());
        out.push(
            Problem::new(pointer, ProblemCode::OutOfRange)
                .with("value", n)
                .with("min", show(min))
                .with("max", show(max)),
        );
    }
}

fn check_object(
    root: &Value,
    node: &Value,
    obj: &serde_json::Map<String, Value>,
    pointer: &str,
    out: &mut Vec<Problem>,
) {
    let props = node.get("properties").and_then(Value::as_object);
    if let Some(required) = node.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                out.push(
                    Problem::new(push(pointer, name), ProblemCode::MissingField)
                        .with("field", name),
                );
            }
        }
    }
    let closed = node.get("additionalProperties") == Some(&Value::Bool(false));
    for (name, v) in obj {
        match props.and_then(|p| p.get(name)) {
            Some(sub) => check(root, sub, v, &push(pointer, name), out),
            None if closed => out.push(
                Problem::new(push(pointer, name), ProblemCode::UnknownField).with("field", name),
            ),
            None => {}
        }
    }
}

fn check_array(root: &Value, node: &Value, items: &[Value], pointer: &str, out: &mut Vec<Problem>) {
    let n = items.len() as u64;
    if let Some(min) = node.get("minItems").and_then(Value::as_u64) {
        if n < min {
            let code = if pointer == "/children" {
                ProblemCode::NoChildren
            } else {
                ProblemCode::TooFewItems
            };
            out.push(Problem::new(pointer, code).with("min", min));
        }
    }
    if let Some(max) = node.get("maxItems").and_then(Value::as_u64) {
        if n > max {
            out.push(Problem::new(pointer, ProblemCode::TooManyItems).with("max", max));
        }
    }
    if let Some(item_schema) = node.get("items") {
        for (i, v) in items.iter().enumerate() {
            check(root, item_schema, v, &format!("{pointer}/{i}"), out);
        }
    }
}

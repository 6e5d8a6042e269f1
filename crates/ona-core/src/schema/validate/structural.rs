//! Structural validation driven by the generated JSON Schema itself — compiled once into
//! [`compiled::Node`]s — types, required and unknown fields, codes, dates, lengths, ranges and
//! list sizes: every problem, not just the first.
//!
//! It understands the subset of JSON Schema that the case types generate (`$ref`, `anyOf` for
//! optional structs, `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
//! `format: date`, `minLength`/`maxLength`, `minimum`/`maximum`, `minItems`/`maxItems`) plus the
//! `x-ona-format` keyword for country and subdivision codes.

use super::compiled::{
    self, type_names, Node, StringFormat, T_ARR, T_BOOL, T_INT, T_NULL, T_NUM, T_OBJ, T_STR,
};
use super::countries::is_country;
use super::problem::{Problem, ProblemCode};
use crate::schema::{json_schema, Date};
use serde_json::Value;
use std::sync::OnceLock;

/// The compiled schema of a case record.
pub(crate) fn root() -> &'static Node {
    static ROOT: OnceLock<Node> = OnceLock::new();
    ROOT.get_or_init(|| compiled::compile(json_schema(), json_schema()))
}

/// A segment of the path to the value being checked; turned into a JSON Pointer only when a
/// problem is found.
#[derive(Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Appends `/token` to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires.
pub(crate) fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(token);
    }
}

pub(crate) fn pointer(path: &[Seg<'_>]) -> String {
    let mut p = String::new();
    for s in path {
        match s {
            Seg::Key(k) => push(&mut p, k),
            Seg::Index(i) => {
                p.push('/');
                p.push_str(&i.to_string());
            }
        }
    }
    p
}

fn type_of(v: &Value) -> (u8, &'static str) {
    match v {
        Value::Null => (T_NULL, "null"),
        Value::Bool(_) => (T_BOOL, "boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => (T_INT, "integer"),
        Value::Number(_) => (T_NUM, "number"),
        Value::String(_) => (T_STR, "string"),
        Value::Array(_) => (T_ARR, "array"),
        Value::Object(_) => (T_OBJ, "object"),
    }
}

/// Checks a whole record, appending problems.
pub(crate) fn check_record(value: &Value, out: &mut Vec<Problem>) {
    let mut path = Vec::with_capacity(8);
    check(root(), value, &mut path, out);
}

fn check<'a>(node: &'a Node, value: &'a Value, path: &mut Vec<Seg<'a>>, out: &mut Vec<Problem>) {
    let (bit, found) = type_of(value);
    if node.types & bit == 0 {
        out.push(
            Problem::new(pointer(path), ProblemCode::WrongType)
                .with("expected", type_names(node.types))
                .with("found", found),
        );
        return;
    }
    match value {
        Value::String(s) => check_string(node, s, &|| pointer(path), out),
        Value::Number(n) => check_number(
            node,
            n.as_f64().unwrap_or(f64::NAN),
            &|| n.to_string(),
            &|| pointer(path),
            out,
        ),
        Value::Object(obj) => {
            let mut seen = 0u64;
            for (name, v) in obj {
                match node.prop(name) {
                    Some((i, sub)) => {
                        seen |= 1 << i;
                        path.push(Seg::Key(name));
                        check(sub, v, path, out);
                        path.pop();
                    }
                    None if node.closed => {
                        path.push(Seg::Key(name));
                        out.push(
                            Problem::new(pointer(path), ProblemCode::UnknownField)
                                .with("field", name),
                        );
                        path.pop();
                    }
                    None => {}
                }
            }
            let missing = node.required & !seen;
            if missing != 0 {
                for (i, (name, _)) in node.props.iter().enumerate() {
                    if missing & (1 << i) != 0 {
                        path.push(Seg::Key(name));
                        out.push(
                            Problem::new(pointer(path), ProblemCode::MissingField)
                                .with("field", name),
                        );
                        path.pop();
                    }
                }
            }
        }
        Value::Array(items) => {
            let n = items.len() as u64;
            if node.min_items.is_some_and(|m| n < m) {
                let at = pointer(path);
                let code = if at == "/children" {
                    ProblemCode::NoChildren
                } else {
                    ProblemCode::TooFewItems
                };
                out.push(Problem::new(at, code).with("min", node.min_items.unwrap_or(0)));
            }
            if let Some(max) = node.max_items.filter(|m| n > *m) {
                out.push(Problem::new(pointer(path), ProblemCode::TooManyItems).with("max", max));
            }
            if let Some(item) = &node.items {
                for (i, v) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    check(item, v, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// Reports a number outside the node's range.
pub(crate) fn check_number(
    node: &Node,
    v: f64,
    shown: &dyn Fn() -> String,
    at: &dyn Fn() -> String,
    out: &mut Vec<Problem>,
) {
    if node.minimum.is_some_and(|m| v < m) || node.maximum.is_some_and(|m| v > m) {
        let show = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_else(|| "…".into());
        out.push(
            Problem::new(at(), ProblemCode::OutOfRange)
                .with("value", shown())
                .with("min", show(node.minimum))
                .with("max", show(node.maximum)),
        );
    }
}

/// Reports a string that is not a code of its list, a date, a country or subdivision code, or
/// that is too short or long.
pub(crate) fn check_string(node: &Node, s: &str, at: &dyn Fn() -> String, out: &mut Vec<Problem>) {
    let quoted = || format!("{s:?}");
    match &node.string {
        StringFormat::Code { list, codes, .. } => {
            if !codes.contains(s) {
                out.push(
                    Problem::new(at(), ProblemCode::UnknownCode)
                        .with("value", quoted())
                        .with("list", list),
                );
            }
        }
        StringFormat::Date => {
            if Date::parse(s).is_err() {
                out.push(Problem::new(at(), ProblemCode::BadDate).with("value", quoted()));
            }
        }
        StringFormat::Country => {
            if !is_country(s) {
                out.push(Problem::new(at(), ProblemCode::BadCountry).with("value", quoted()));
            }
        }
        StringFormat::Admin1 => {
            if !is_admin1(s) {
                out.push(Problem::new(at(), ProblemCode::BadAdmin1).with("value", quoted()));
            }
        }
        StringFormat::Text { min, max } => {
            if min.is_some() || max.is_some() {
                // A string has between bytes / 4 and bytes characters: count them only when
                // its byte length cannot settle the bounds.
                let bytes = s.len() as u64;
                let unsure = max.is_some_and(|m| bytes > m) || min.is_some_and(|m| bytes / 4 < m);
                let len = if unsure { s.chars().count() as u64 } else { bytes };
                if let Some(m) = min.filter(|m| len < *m) {
                    out.push(Problem::new(at(), ProblemCode::TooShort).with("min", m));
                }
                if let Some(m) = max.filter(|m| len > *m) {
                    out.push(Problem::new(at(), ProblemCode::TooLong).with("max", m));
                }
            }
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

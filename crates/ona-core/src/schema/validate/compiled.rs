//! The JSON Schema compiled once into a compact tree the structural pass walks quickly: `$ref`s
//! and optional wrappers resolved, keywords parsed, property names in vectors.

use super::names::Names;
use crate::schema::schema_walk::deref;
use serde_json::Value;

/// What a string must be beyond its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StringFormat {
    /// Any text, with length bounds.
    Text { min: Option<u64>, max: Option<u64> },
    /// One of the codes of a codelist.
    Code {
        /// The codelist's id.
        list: String,
        /// Its codes.
        codes: Names,
        /// Whether the node is a codelist type's (`x-codelist`, written only by the `codelist!`
        /// macro): a typed value then is a Rust enum variant and cannot be a wrong code.
        from_enum: bool,
    },
    /// A `YYYY-MM-DD` date.
    Date,
    /// An ISO 3166-1 alpha-2 country code.
    Country,
    /// An ISO 3166-2 subdivision code.
    Admin1,
}

impl Node {
    /// The node of property `name`, and its position.
    pub(crate) fn prop(&self, name: &str) -> Option<(usize, &Node)> {
        self.prop_names.position(name).map(|i| (i, &self.props[i].1))
    }
}

/// A compiled schema node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// A number no other node of the process has (for caches keyed by node).
    pub id: u32,
    /// Allowed JSON types as a bit set of `T_*`.
    pub types: u8,
    pub string: StringFormat,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// Object properties: name and node.
    pub props: Vec<(String, Node)>,
    /// The names of `props`, for finding a property fast.
    pub prop_names: Names,
    /// Bit `i` set when `props[i]` is required.
    pub required: u64,
    pub closed: bool,
    pub items: Option<Box<Node>>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

pub(crate) const T_NULL: u8 = 1;
pub(crate) const T_BOOL: u8 = 2;
pub(crate) const T_INT: u8 = 4;
pub(crate) const T_NUM: u8 = 8;
pub(crate) const T_STR: u8 = 16;
pub(crate) const T_ARR: u8 = 32;
pub(crate) const T_OBJ: u8 = 64;
const T_ANY: u8 = 127;

fn type_bit(name: &str) -> u8 {
    match name {
        "null" => T_NULL,
        "boolean" => T_BOOL,
        "integer" => T_INT,
        "number" => T_NUM | T_INT,
        "string" => T_STR,
        "array" => T_ARR,
        "object" => T_OBJ,
        _ => 0,
    }
}

/// Names of the types in a bit set, for messages (`string or null` → `string`).
pub(crate) fn type_names(types: u8) -> String {
    let names = [
        (T_BOOL, "boolean"),
        (T_NUM, "number"),
        (T_INT, "integer"),
        (T_STR, "string"),
        (T_ARR, "array"),
        (T_OBJ, "object"),
    ];
    let mut out: Vec<&str> = Vec::new();
    for (bit, name) in names {
        if types & bit != 0 && !(bit == T_INT && types & T_NUM != 0) {
            out.push(name);
        }
    }
    out.join(" or ")
}

/// Compiles `node` of schema `root`.
pub(crate) fn compile(root: &Value, node: &Value) -> Node {
    let node = deref(root, node);
    if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
        let nullable = any.iter().any(|s| s.get("type").and_then(Value::as_str) == Some("null"));
        if let Some(branch) =
            any.iter().find(|s| s.get("type").and_then(Value::as_str) != Some("null"))
        {
            let mut n = compile(root, branch);
            if nullable {
                n.types |= T_NULL;
            }
            return n;
        }
    }
    let types = match node.get("type") {
        Some(Value::String(s)) => type_bit(s),
        Some(Value::Array(a)) => {
            a.iter().filter_map(Value::as_str).map(type_bit).fold(0, |x, y| x | y)
        }
        _ => T_ANY,
    };
    let u = |k: &str| node.get(k).and_then(Value::as_u64);
    let string = if let Some(options) = node.get("enum").and_then(Value::as_array) {
        StringFormat::Code {
            list: node.get("x-codelist").and_then(Value::as_str).unwrap_or("?").to_string(),
            from_enum: node.get("x-codelist").is_some(),
            codes: Names::new(
                options.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            ),
        }
    } else if node.get("format").and_then(Value::as_str) == Some("date") {
        StringFormat::Date
    } else {
        match node.get("x-ona-format").and_then(Value::as_str) {
            Some("country") => StringFormat::Country,
            Some("admin1") => StringFormat::Admin1,
            _ => StringFormat::Text { min: u("minLength"), max: u("maxLength") },
        }
    };
    let mut props = Vec::new();
    let mut required = 0u64;
    if let Some(p) = node.get("properties").and_then(Value::as_object) {
        let req: Vec<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (i, (name, sub)) in p.iter().enumerate() {
            if req.contains(&name.as_str()) {
                required |= 1 << i;
            }
            props.push((name.clone(), compile(root, sub)));
        }
    }
    static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    Node {
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        prop_names: Names::new(props.iter().map(|(n, _)| n.clone()).collect()),
        types,
        string,
        minimum: node.get("minimum").and_then(Value::as_f64),
        maximum: node.get("maximum").and_then(Value::as_f64),
        props,
        required,
        closed: node.get("additionalProperties") == Some(&Value::Bool(false)),
        items: node.get("items").map(|i| Box::new(compile(root, i))),
        min_items: u("minItems"),
        max_items: u("maxItems"),
    }
}

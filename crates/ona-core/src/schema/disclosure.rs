//! The disclosure class of every field, read at run time from the `x-disclosure` annotations of
//! the generated JSON Schema, so the schema is the one place that says how a field may be used.

use super::json_schema::json_schema;
use super::schema_walk::resolve;
use serde_json::Value;
use std::fmt;
use std::sync::OnceLock;

/// How identifying a field is; decides what pseudonymisation does with it by default.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureClass {
    /// Identifies a person on its own (name, ID number, phone, address): never leaves a centre.
    Direct,
    /// Identifies a person in combination with others (dates, places, age): generalised.
    Quasi,
    /// A sensitive attribute (violence, health, relinquishment): kept, protected by l-diversity.
    Sensitive,
    /// Neither identifying nor sensitive.
    Plain,
}

impl DisclosureClass {
    /// The id used in the schema's `x-disclosure` keyword.
    pub fn id(self) -> &'static str {
        match self {
            DisclosureClass::Direct => "direct",
            DisclosureClass::Quasi => "quasi",
            DisclosureClass::Sensitive => "sensitive",
            DisclosureClass::Plain => "plain",
        }
    }

    fn from_id(s: &str) -> Option<Self> {
        [Self::Direct, Self::Quasi, Self::Sensitive, Self::Plain].into_iter().find(|c| c.id() == s)
    }
}

impl fmt::Display for DisclosureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A leaf field of the case record and its disclosure class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldClass {
    /// JSON Pointer pattern of the field; `*` stands for any array index,
    /// e.g. `/children/*/birth_date`.
    pub pointer: String,
    /// Its disclosure class.
    pub class: DisclosureClass,
}

/// Every leaf field of a case record with its disclosure class, in schema order.
pub fn fields() -> &'static [FieldClass] {
    static FIELDS: OnceLock<Vec<FieldClass>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let schema = json_schema();
        let mut out = Vec::new();
        walk(schema, schema, String::new(), &mut out);
        out
    })
}

/// The disclosure class of the field at `pointer` (a concrete pointer such as
/// `/children/0/birth_date` or a pattern with `*`), if it is a leaf field of the schema.
pub fn class_of(pointer: &str) -> Option<DisclosureClass> {
    let want: Vec<&str> = pointer.split('/').collect();
    fields().iter().find_map(|f| {
        let have: Vec<&str> = f.pointer.split('/').collect();
        let same = have.len() == want.len()
            && have
                .iter()
                .zip(&want)
                .all(|(h, w)| h == w || (*h == "*" && w.parse::<usize>().is_ok()));
        same.then_some(f.class)
    })
}

/// Pointers of every field of `class`.
pub fn fields_of(class: DisclosureClass) -> impl Iterator<Item = &'static str> {
    fields().iter().filter(move |f| f.class == class).map(|f| f.pointer.as_str())
}

fn walk(root: &Value, node: &Value, path: String, out: &mut Vec<FieldClass>) {
    if let Some(class) =
        node.get("x-disclosure").and_then(Value::as_str).and_then(DisclosureClass::from_id)
    {
        out.push(FieldClass { pointer: path, class });
        return;
    }
    let node = resolve(root, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            walk(root, sub, format!("{path}/{name}"), out);
        }
    } else if let Some(items) = node.get("items") {
        walk(root, items, format!("{path}/*"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_field_has_a_class() {
        // Walk the schema independently: every property that is not an object or array of
        // objects must carry x-disclosure.
        fn leaves(root: &Value, node: &Value, path: String, out: &mut Vec<String>) {
            let tagged = node.get("x-disclosure").is_some();
            let r = resolve(root, node);
            if let Some(props) = r.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    leaves(root, v, format!("{path}/{k}"), out);
                }
            } else if let Some(items) =
                r.get("items").filter(|i| resolve(root, i).get("properties").is_some())
            {
                leaves(root, items, format!("{path}/*"), out);
            } else if !tagged {
                out.push(path);
            }
        }
        let mut untagged = Vec::new();
        leaves(json_schema(), json_schema(), String::new(), &mut untagged);
        assert!(untagged.is_empty(), "fields without x-disclosure: {untagged:?}");
        assert!(fields().len() > 60);
    }

    #[test]
    fn classes_are_queryable() {
        assert_eq!(class_of("/mother/name/given"), Some(DisclosureClass::Direct));
        assert_eq!(class_of("/mother/national_id/value"), Some(DisclosureClass::Direct));
        assert_eq!(class_of("/children/1/birth_certificate"), Some(DisclosureClass::Direct));
        assert_eq!(class_of("/children/*/birth_date"), Some(DisclosureClass::Quasi));
        assert_eq!(class_of("/relinquishment_intent"), Some(DisclosureClass::Sensitive));
        assert_eq!(class_of("/status"), Some(DisclosureClass::Plain));
        assert_eq!(class_of("/mother"), None);
        let direct: Vec<_> = fields_of(DisclosureClass::Direct).collect();
        for p in
            ["/mother/phone", "/mother/address/line", "/notes", "/id", "/children/*/name/family"]
        {
            assert!(direct.contains(&p), "{p} not direct: {direct:?}");
        }
    }
}

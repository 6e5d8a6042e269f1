//! Codelist codes replaced by their labels in a record, for people and tables that read them
//! (an analyst's DataFrame, a spreadsheet), driven by the `x-codelist` marks of the schema.
//!
//! Works on case records and on pseudonymised case records: the record's own JSON Schema says
//! which values are codes and of which list, so a field named the same in two places (`status`
//! of a case and of a service) gets the label of its own list.

use crate::pseudonym::PseudoCase;
use crate::schema::json_schema;
use crate::schema::labels::label;
use crate::schema::schema_walk::resolve;
use crate::schema::Lang;
use serde_json::Value;
use std::sync::OnceLock;

/// The JSON Schema of a pseudonymised case record ([`PseudoCase`]), generated from the type.
pub fn pseudo_case_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(PseudoCase).to_value())
}

/// Replaces, in place, every codelist code of `record` by its label in `lang`. A record with a
/// `pseudonymisation` member is read as a pseudonymised case, any other as a case record.
/// Values that are not codes of their list (an invalid record) are left as they are, and so
/// are codes without a label in `lang`. Returns how many values were replaced.
pub fn label_codes(record: &mut Value, lang: Lang) -> usize {
    let root =
        if record.get("pseudonymisation").is_some() { pseudo_case_schema() } else { json_schema() };
    walk(root, root, record, lang)
}

fn walk(root: &Value, node: &Value, value: &mut Value, lang: Lang) -> usize {
    let node = resolve(root, node);
    if let Some(list) = node.get("x-codelist").and_then(Value::as_str) {
        return match value {
            Value::String(code) => match label(list, code, lang) {
                Some(text) => {
                    *value = Value::String(text.to_string());
                    1
                }
                None => 0,
            },
            _ => 0,
        };
    }
    match value {
        Value::Object(members) => {
            let Some(props) = node.get("properties").and_then(Value::as_object) else {
                return 0;
            };
            members
                .iter_mut()
                .filter_map(|(k, v)| props.get(k).map(|sub| walk(root, sub, v, lang)))
                .sum()
        }
        Value::Array(items) => match node.get("items") {
            Some(sub) => items.iter_mut().map(|v| walk(root, sub, v, lang)).sum(),
            None => 0,
        },
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_of_a_case_become_labels_of_their_own_list() {
        let mut v = json!({
            "status": "closed",
            "referral_source": "self",
            "mother": {"marital_status": "married", "name": {"given": "closed"}},
            "services": [{"type": "legal_aid", "status": "implemented"}],
            "unknown_member": "closed"
        });
        let n = label_codes(&mut v, Lang::En);
        assert_eq!(v["status"], label("case_status", "closed", Lang::En).unwrap());
        assert_eq!(
            v["mother"]["marital_status"],
            label("marital_status", "married", Lang::En).unwrap()
        );
        assert_eq!(v["services"][0]["type"], label("service_type", "legal_aid", Lang::En).unwrap());
        assert_eq!(
            v["services"][0]["status"],
            label("service_status", "implemented", Lang::En).unwrap()
        );
        // Free text and members outside the schema are never touched.
        assert_eq!(v["mother"]["name"]["given"], "closed");
        assert_eq!(v["unknown_member"], "closed");
        assert_eq!(n, 5);
    }

    #[test]
    fn pseudonymised_records_use_their_own_schema() {
        let mut v = json!({"pseudonymisation": {}, "status": "open", "mother": {}});
        label_codes(&mut v, Lang::Ru);
        assert_eq!(v["status"], label("case_status", "open", Lang::Ru).unwrap());
        assert!(pseudo_case_schema().get("$defs").is_some());
    }

    #[test]
    fn values_that_are_not_codes_stay() {
        let mut v = json!({"status": "no-such-code", "referral_source": 7});
        assert_eq!(label_codes(&mut v, Lang::En), 0);
        assert_eq!(v, json!({"status": "no-such-code", "referral_source": 7}));
    }
}

//! The JSON Schema (draft 2020-12) of the case standard, generated from the Rust types.

use super::case::{Case, SCHEMA_VERSION};
use serde_json::Value;
use std::sync::OnceLock;

/// The `$id` of the published schema.
pub const SCHEMA_ID: &str = "https://schema.mothers-home.org/ona/case/1.0/case.schema.json";

/// The JSON Schema (2020-12) of a case record, generated from [`Case`].
///
/// Every leaf property carries `x-disclosure` (`direct`, `quasi`, `sensitive` or `plain`), code
/// properties carry `x-codelist` naming their list, and country and subdivision codes carry
/// `x-ona-format`. Validators that do not know these keywords ignore them.
pub fn json_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = schemars::schema_for!(Case).to_value();
        if let Some(obj) = schema.as_object_mut() {
            obj.insert("$id".into(), Value::String(SCHEMA_ID.into()));
            obj.insert(
                "title".into(),
                Value::String(format!(
                    "Mother's Home case record, schema version {SCHEMA_VERSION}"
                )),
            );
        }
        schema
    })
}

//! Reading records of older schema versions: each step migrates one version to the next, on the
//! JSON value, before validation.
//!
//! Version 0.9 is a made-up predecessor that proves the mechanism: it had `mother.full_name`
//! ("Family Given Patronymic") instead of a structured name, a single `child` object instead of the
//! `children` array, and called the referral source `referral`.

use super::case::SCHEMA_VERSION;
use serde_json::{Map, Value};

/// Schema versions this library reads, oldest first. The last is the one it writes.
pub const SUPPORTED_VERSIONS: &[&str] = &["0.9", SCHEMA_VERSION];

/// A record cannot be migrated to the current version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    /// The record has no `schema_version` string.
    #[error("the record has no schema_version")]
    MissingVersion,
    /// The record's version is not one this library reads.
    #[error("schema version {0:?} is not supported (supported: 0.9, 1.0)")]
    UnsupportedVersion(String),
    /// The record is not a JSON object.
    #[error("a case record must be a JSON object")]
    NotAnObject,
}

/// Migrates a record of any supported version to the current one, in place.
///
/// Returns the version the record had. Records already at the current version are untouched.
pub fn migrate(record: &mut Value) -> Result<String, MigrationError> {
    let obj = record.as_object_mut().ok_or(MigrationError::NotAnObject)?;
    let from = obj
        .get("schema_version")
        .and_then(Value::as_str)
        .ok_or(MigrationError::MissingVersion)?
        .to_string();
    let mut version = from.clone();
    loop {
        version = match version.as_str() {
            SCHEMA_VERSION => return Ok(from),
            "0.9" => {
                v0_9_to_1_0(obj);
                "1.0".to_string()
            }
            other => return Err(MigrationError::UnsupportedVersion(other.to_string())),
        };
        obj.insert("schema_version".into(), Value::String(version.clone()));
    }
}

fn v0_9_to_1_0(obj: &mut Map<String, Value>) {
    if let Some(r) = obj.remove("referral") {
        obj.insert("referral_source".into(), r);
    }
    if let Some(child) = obj.remove("child") {
        obj.insert("children".into(), Value::Array(vec![child]));
    }
    if let Some(mother) = obj.get_mut("mother").and_then(Value::as_object_mut) {
        if let Some(full) = mother.remove("full_name") {
            let text = full.as_str().unwrap_or_default();
            let mut parts = text.split_whitespace();
            let family = parts.next();
            let given = parts.next();
            let rest: Vec<&str> = parts.collect();
            let mut name = Map::new();
            match (family, given) {
                (Some(f), Some(g)) => {
                    name.insert("given".into(), g.into());
                    name.insert("family".into(), f.into());
                }
                (Some(only), None) => {
                    name.insert("given".into(), only.into());
                }
                _ => {
                    name.insert("given".into(), full.clone());
                }
            }
            if !rest.is_empty() {
                name.insert("patronymic".into(), rest.join(" ").into());
            }
            mother.insert("name".into(), Value::Object(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn migrates_0_9_fields() {
        let mut v = json!({
            "schema_version": "0.9",
            "referral": "police",
            "mother": {"full_name": "Сейтказина Динара Болатовна"},
            "child": {"sex": "female"}
        });
        assert_eq!(migrate(&mut v).unwrap(), "0.9");
        assert_eq!(v["schema_version"], "1.0");
        assert_eq!(v["referral_source"], "police");
        assert_eq!(
            v["mother"]["name"],
            json!({"given": "Динара", "family": "Сейтказина", "patronymic": "Болатовна"})
        );
        assert_eq!(v["children"], json!([{"sex": "female"}]));
    }

    #[test]
    fn rejects_unknown_and_missing_versions() {
        assert_eq!(
            migrate(&mut json!({"schema_version": "7.0"})),
            Err(MigrationError::UnsupportedVersion("7.0".into()))
        );
        assert_eq!(migrate(&mut json!({})), Err(MigrationError::MissingVersion));
        assert_eq!(migrate(&mut json!([1])), Err(MigrationError::NotAnObject));
    }
}

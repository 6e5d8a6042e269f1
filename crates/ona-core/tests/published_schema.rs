//! The JSON Schema published in `docs/schema/case.schema.json` is the one the code generates.
//! Regenerate after changing the types: `ONA_UPDATE_SCHEMA=1 cargo test -p ona-core --test published_schema`.

use std::path::PathBuf;

#[test]
fn published_schema_matches_the_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/case.schema.json");
    let generated = serde_json::to_string_pretty(ona_core::schema::json_schema()).unwrap() + "\n";
    if std::env::var_os("ONA_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == generated,
        "docs/schema/case.schema.json is out of date: run ONA_UPDATE_SCHEMA=1 cargo test -p ona-core --test published_schema"
    );
}

/// A field reference generated from the schema: pointer, type, disclosure class, codelist, text.
fn reference() -> String {
    use serde_json::Value;
    fn resolve<'a>(root: &'a Value, mut n: &'a Value) -> &'a Value {
        loop {
            if let Some(r) = n.get("$ref").and_then(Value::as_str) {
                n = &root["$defs"][r.trim_start_matches("#/$defs/")];
            } else if let Some(any) = n.get("anyOf").and_then(Value::as_array) {
                n = any
                    .iter()
                    .find(|s| s.get("type").and_then(Value::as_str) != Some("null"))
                    .unwrap_or(n);
                if n.get("anyOf").is_some() {
                    return n;
                }
            } else {
                return n;
            }
        }
    }
    fn walk(root: &Value, field: &Value, path: &str, required: bool, out: &mut String) {
        let n = resolve(root, field);
        let desc =
            field.get("description").or(n.get("description")).and_then(Value::as_str).unwrap_or("");
        let class = field.get("x-disclosure").and_then(Value::as_str);
        let ty = match n.get("type") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect::<Vec<_>>()
                .join("|"),
            _ => "object".into(),
        };
        let list = n
            .get("x-codelist")
            .or_else(|| n.get("items").map(|i| resolve(root, i)).and_then(|i| i.get("x-codelist")));
        if !path.is_empty() {
            out.push_str(&format!(
                "| `{path}` | {ty}{} | {} | {} | {} |\n",
                if required { "" } else { "?" },
                class.unwrap_or("—"),
                list.and_then(Value::as_str).map(|l| format!("`{l}`")).unwrap_or_default(),
                desc.replace('\n', " ")
            ));
        }
        if let Some(props) = n.get("properties").and_then(Value::as_object) {
            let req: Vec<&str> = n
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (k, v) in props {
                walk(root, v, &format!("{path}/{k}"), req.contains(&k.as_str()), out);
            }
        } else if let Some(items) = n.get("items") {
            if resolve(root, items).get("properties").is_some() {
                walk(root, items, &format!("{path}/*"), true, out);
            }
        }
    }
    let root = ona_core::schema::json_schema();
    let mut out = String::from(
        "# Case schema 1.0 — field reference\n\n\
         Generated from the Rust types (`cargo test -p ona-core --test published_schema` checks it is current;\n\
         `ONA_UPDATE_SCHEMA=1` regenerates it). `?` marks an optional field. Disclosure classes: `direct`\n\
         identifiers never leave a centre; `quasi`-identifiers are generalised; `sensitive` attributes are\n\
         kept and protected by l-diversity; `plain` fields are neither. `ona codes LIST` prints a codelist.\n\n\
         | field | type | disclosure | codelist | description |\n| --- | --- | --- | --- | --- |\n",
    );
    walk(root, root, "", true, &mut out);
    out
}

#[test]
fn published_reference_matches_the_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/reference.md");
    let generated = reference();
    if std::env::var_os("ONA_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == generated,
        "docs/schema/reference.md is out of date: run ONA_UPDATE_SCHEMA=1 cargo test -p ona-core --test published_schema"
    );
}

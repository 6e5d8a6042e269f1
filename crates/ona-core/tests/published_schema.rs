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

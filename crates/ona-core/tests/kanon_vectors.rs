//! Shared k-anonymity vectors (`tests/vectors/pseudonym/kanon-*`): the CLI, Python and Kotlin
//! must release exactly these records with exactly this report from the same cases.
//!
//! - `kanon-cases.jsonl`: valid case records, several women with several cases each;
//! - `kanon-pseudonymised.jsonl`: each pseudonymised (key of `pseudonyms.json`, domain
//!   `kz/kanon`, default policy);
//! - `kanon-released.jsonl` and `kanon-report.json`: k = 3 over the default quasi-identifiers.
//!
//! Regenerate after a deliberate change:
//! `ONA_REGEN_VECTORS=1 cargo test -p ona-core --test kanon_vectors`.

use ona_core::pseudonym::QuasiIdentifier;
use ona_core::pseudonym::{k_anonymise, MasterKey, Policy, PseudoCase, Pseudonymiser};
use ona_core::schema::validate_json;
use std::path::PathBuf;

const KEY: &str =
    "ona-pseudonym-key-v1 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const K: usize = 3;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/pseudonym")
}

/// Case `i`: woman `i % 26` for the first 26 cases, then returning women; citizenship, intake
/// month and birth year vary so that some groups are small.
fn case_text(i: usize) -> String {
    let w = if i < 26 { i } else { (i * 7) % 26 };
    let given = [
        "Aigerim", "Dinara", "Zhanar", "Aliya", "Gulnaz", "Assel", "Madina", "Saule", "Aruzhan",
        "Kamila", "Dana", "Ainur", "Bota",
    ][w % 13];
    let family = if w < 13 { "Nurlanova" } else { "Seitkazina" };
    let citizenship = ["KZ", "KZ", "KZ", "UZ", "KG", "KZ", "TJ"][w % 7];
    let birth_year = 1990 + (w % 4);
    let month = 1 + (i % 3);
    format!(
        r#"{{"schema_version":"1.0","id":"kz-almaty-01-{i:04}",
        "centre":{{"id":"kz-almaty-01","organisation":{{"id":"ana-uyi","name":"Ana Uyi"}},"country":"KZ","admin1":"KZ-75","settlement":"Алматы","operator_type":"ngo"}},
        "intake_date":"2025-{month:02}-10","status":"open","referral_source":"maternity_ward","intake_point":"maternity_ward",
        "relinquishment_intent":"{intent}",
        "consent":{{"services":true,"referral_sharing":true,"aggregate_reporting":true,"date":"2025-{month:02}-10"}},
        "mother":{{"name":{{"given":"{given}","family":"{family}"}},
          "birth_date":"{birth_year}-06-15","citizenship":"{citizenship}","residence_status":"citizen",
          "employment":"unemployed","marital_status":"single"}},
        "children":[{{"birth_date":"2025-{month:02}-01","sex":"female","location_at_intake":"with_mother"}}]}}"#,
        intent = ["none", "considering", "none", "unknown"][i % 4],
    )
    .replace('\n', "")
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

fn jsonl(records: &[PseudoCase]) -> String {
    records.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect()
}

#[test]
fn shared_k_anonymity_vectors_pass() {
    let cases: String = (0..40).map(|i| case_text(i) + "\n").collect();
    let master = MasterKey::from_key_file(KEY).unwrap();
    let p = Pseudonymiser::new(&master, "kz/kanon", Policy::default()).unwrap();
    let mut records: Vec<PseudoCase> = cases
        .lines()
        .map(|l| p.pseudonymise(&validate_json(l).expect("valid case")).unwrap())
        .collect();
    let pseudonymised = jsonl(&records);
    let report = k_anonymise(&mut records, K, QuasiIdentifier::DEFAULT, None);
    let released = jsonl(&records);
    let report_text = serde_json::to_string_pretty(&report).unwrap() + "\n";
    let files = [
        ("kanon-cases.jsonl", cases),
        ("kanon-pseudonymised.jsonl", pseudonymised),
        ("kanon-released.jsonl", released),
        ("kanon-report.json", report_text),
    ];
    if std::env::var_os("ONA_REGEN_VECTORS").is_some() {
        for (name, text) in &files {
            std::fs::write(dir().join(name), text).unwrap();
        }
    }
    for (name, text) in &files {
        let stored = std::fs::read_to_string(dir().join(name)).unwrap();
        assert_eq!(&stored, text, "{name} differs: regenerate only after a deliberate change");
    }
    // What the vectors stand for: women returned, some were at risk, and k holds in women.
    assert!(report.records_in > report.women_in, "{report}");
    assert!(report.at_risk_before > 0 && report.records_out > 0, "{report}");
    assert!(report.k_achieved >= K, "{report}");
}

//! Validation tests on hand-made records; the synthetic network is checked in ona-synth and the
//! CLI tests, and both paths are compared on mutated synthetic records there.

use super::*;
use serde_json::json;

/// The valid IIN of a woman born 1988-01-01.
fn iin() -> String {
    crate::schema::national_id::complete(crate::schema::NationalIdType::KzIin, "88010140002")
        .unwrap()
        .unwrap()
}

/// Sets the value at `ptr`, creating the last key if needed.
fn set(v: &mut Value, ptr: &str, val: Value) {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    let p = v.pointer_mut(parent).unwrap_or_else(|| panic!("{ptr}"));
    match p {
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = val,
        Value::Object(o) => {
            o.insert(key.to_string(), val);
        }
        _ => panic!("{ptr}"),
    }
}

fn record() -> Value {
    let mut v = json!({
        "schema_version": "1.0",
        "id": "kz-almaty-01-0001",
        "centre": {"id": "kz-almaty-01", "organisation": {"id": "ana-uyi", "name": "Ana Uyi"},
                   "country": "KZ", "admin1": "KZ-75", "settlement": "Алматы", "operator_type": "ngo"},
        "intake_date": "2025-03-10",
        "status": "closed",
        "referral_source": "maternity_ward",
        "intake_point": "maternity_ward",
        "relinquishment_intent": "considering",
        "consent": {"services": true, "referral_sharing": true, "aggregate_reporting": true, "date": "2025-03-10"},
        "closure_reason": "plan_completed",
        "mother": {"name": {"given": "Динара", "family": "Сейтказина"},
                   "national_id": {"type": "KZ_IIN", "value": "880101400024"},
                   "birth_date": "1988-01-01", "residence_status": "citizen",
                   "employment": "unemployed", "marital_status": "single"},
        "children": [{"birth_date": "2025-03-08", "sex": "female", "location_at_intake": "maternity_ward"}],
        "stay": {"admission_date": "2025-03-12", "discharge_date": "2025-07-01", "stay_type": "residential"},
        "outcome": {"child_placement": "with_mother", "housing": "rented", "income": "benefits"},
        "follow_ups": [{"point": "m6", "due_date": "2026-01-01", "date": "2026-01-05", "contact_result": "reached"}],
        "extensions": [{"list": "kz_family_map_category", "code": "C"}]
    });
    v["mother"]["national_id"]["value"] = json!(iin());
    v
}

fn codes(r: Result<Case, ValidationError>) -> Vec<(String, &'static str)> {
    let mut v: Vec<_> = r
        .err()
        .map(|e| e.problems)
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.pointer, p.code.id()))
        .collect();
    v.sort();
    v
}

fn both(v: &Value) -> Vec<(String, &'static str)> {
    let slow = codes(validate_value(v.clone()));
    let fast = codes(validate_json(&v.to_string()));
    assert_eq!(slow, fast, "typed and JSON paths disagree on {v}");
    slow
}

#[test]
fn a_good_record_passes_both_paths() {
    let v = record();
    assert_eq!(both(&v), vec![]);
    let case = validate_value(v).unwrap();
    assert!(validate_case(&case).is_ok());
}

#[test]
fn every_problem_is_reported_once_with_its_pointer() {
    let mut v = record();
    v["referral_source"] = json!("aliens");
    v["centre"]["admin1"] = json!("UZ-TK");
    v["stay"]["admission_date"] = json!("2025-03-01");
    v["follow_ups"][0]["due_date"] = json!("2025-10-01");
    v["status"] = json!("closed");
    v.as_object_mut().unwrap().remove("closure_reason");
    v["extensions"][0]["code"] = json!("Z");
    v["mother"]["national_id"]["value"] = json!("880101400020");
    let got = codes(validate_value(v.clone()));
    let want = [
        ("/centre/admin1", "admin1_country_mismatch"),
        ("/closure_reason", "missing_closure_reason"),
        ("/extensions/0/code", "unknown_extension_code"),
        ("/follow_ups/0/due_date", "follow_up_due_date"),
        ("/mother/national_id/value", "national_id_checksum"),
        ("/referral_source", "unknown_code"),
        ("/stay/admission_date", "date_order"),
    ];
    assert_eq!(got, want.iter().map(|(p, c)| (p.to_string(), *c)).collect::<Vec<_>>());
}

#[test]
fn typed_and_json_paths_agree_on_broken_records() {
    let breakers: Vec<(&str, Value)> = vec![
        ("/children", json!([])),
        ("/intake_date", json!("2025-02-30")),
        ("/centre/country", json!("XX")),
        ("/mother/other_children", json!(99)),
        ("/mother/name/given", json!("")),
        ("/children/0/birth_date", json!("2025-04-01")),
        ("/consent/withdrawn", json!("2025-01-01")),
        ("/mother/birth_date", json!("2020-01-01")),
        ("/mother/national_id/value", json!("8801-0140-0024x")),
        ("/centre/admin1", json!("KZ75")),
    ];
    for (ptr, val) in breakers {
        let mut v = record();
        set(&mut v, ptr, val);
        assert!(!both(&v).is_empty(), "{ptr} accepted");
    }
}

#[test]
fn duplicate_keys_are_rejected() {
    let text = record().to_string().replacen(
        "\"status\":\"closed\"",
        "\"status\":\"closed\",\"status\":\"open\"",
        1,
    );
    assert!(text.contains("\"status\":\"open\""));
    let e = validate_json(&text).unwrap_err();
    assert_eq!(e.problems[0].code, ProblemCode::InvalidJson);
}

#[test]
fn older_versions_are_migrated_then_validated() {
    let mut v = record();
    let o = v.as_object_mut().unwrap();
    o.insert("schema_version".into(), json!("0.9"));
    let child = o.remove("children").unwrap()[0].clone();
    o.insert("child".into(), child);
    let referral = o.remove("referral_source").unwrap();
    o.insert("referral".into(), referral);
    let m = o.get_mut("mother").unwrap().as_object_mut().unwrap();
    m.remove("name");
    m.insert("full_name".into(), json!("Сейтказина Динара"));
    v["mother"]["national_id"]["value"] = json!("880101400020");
    let got = codes(validate_json(&v.to_string()));
    // Only the deliberately wrong IIN check digit remains after migration.
    assert_eq!(got, vec![("/mother/national_id/value".to_string(), "national_id_checksum")]);
}

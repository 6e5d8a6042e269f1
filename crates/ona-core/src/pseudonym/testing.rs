//! A hand-written valid case for unit tests of this module.

use crate::schema::{validate_json, Case};

/// A valid Kazakh case with every kind of field filled.
pub(crate) fn sample_case() -> Case {
    validate_json(
        r#"{"schema_version":"1.0","id":"kz-almaty-01-0001",
        "centre":{"id":"kz-almaty-01","organisation":{"id":"ana-uyi","name":"Ana Uyi"},"country":"KZ","admin1":"KZ-75","settlement":"Алматы","operator_type":"ngo"},
        "intake_date":"2025-03-10","status":"closed","referral_source":"maternity_ward","intake_point":"maternity_ward",
        "relinquishment_intent":"considering",
        "consent":{"services":true,"referral_sharing":true,"aggregate_reporting":true,"date":"2025-03-10"},
        "closure_reason":"plan_completed",
        "mother":{"name":{"given":"Айгерим","family":"Нурланова"},"phone":"+7 701 111 22 33",
          "address":{"line":"ул. Абая 1, кв. 2","settlement":"Алматы","admin1":"KZ-75","country":"KZ"},
          "birth_date":"1995-06-15","citizenship":"KZ","residence_status":"citizen","education":"isced_3",
          "employment":"unemployed","marital_status":"single","disability":false,"other_children":5},
        "children":[{"name":{"given":"Аружан","family":"Нурланова"},"birth_certificate":"KZ-123456789","birth_date":"2025-03-01","sex":"female",
          "birth_weight_g":3130,"gestation_weeks":39,"birth_registered":true,"location_at_intake":"maternity_ward"}],
        "risk_assessments":[{"date":"2025-03-11","risk_factors":["homelessness","poverty"],"violence_types":[],"risk_level":"medium"}],
        "services":[{"type":"shelter","delivery":"in_house","start_date":"2025-03-12","end_date":"2025-07-01","status":"implemented"}],
        "stay":{"admission_date":"2025-03-12","discharge_date":"2025-07-01","stay_type":"residential"},
        "outcome":{"child_placement":"with_mother","housing":"rented","income":"benefits"},
        "follow_ups":[{"point":"m6","due_date":"2026-01-01","date":"2026-01-05","contact_result":"reached","child_placement":"with_mother"}],
        "extensions":[{"list":"kz_family_map_category","code":"C"}],
        "notes":"Айгерим called from +7 701 111 22 33."}"#,
    )
    .expect("the sample case is valid")
}

//! Test-only stand-in for the pseudonymiser: synthetic `Case`s to `PseudoCase`s, generalising
//! dates to the month (stay lengths exact), ages to bands, and hashing identifiers into
//! pseudonym-shaped strings. Not a pseudonymiser: no key, no policy.
#![allow(dead_code)]

use ona_core::pseudonym::{
    AgeBand, ChildAge, GenDate, PseudoCase, PseudoCentre, PseudoChild, PseudoFollowUp, PseudoMeta,
    PseudoMother, PseudoRiskAssessment, PseudoService, PseudoStay, Pseudonym,
};
use ona_core::schema::{Case, Date};

fn pseudonym(text: &str) -> Pseudonym {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in text.bytes() {
        h = (h ^ u128::from(b)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
    let s: String =
        (0..26).map(|i| alphabet[((h >> (i * 5 % 125)) & 31) as usize] as char).collect();
    serde_json::from_value(serde_json::Value::String(s)).unwrap()
}

fn month(d: Date) -> GenDate {
    GenDate::Month { year: d.year(), month: d.month() }
}

fn band(age: i32) -> AgeBand {
    let bands = [(0u8, 17u8), (18, 24), (25, 29), (30, 34), (35, 39)];
    for (a, b) in bands {
        if age <= i32::from(b) {
            return AgeBand { min: a, max: Some(b) };
        }
    }
    AgeBand { min: 40, max: None }
}

/// The woman's identity key: national id, else name and birth date.
fn woman_key(c: &Case) -> String {
    match &c.mother.national_id {
        Some(id) => format!("{:?}{}", id.id_type, id.value),
        None => {
            format!("{}|{:?}|{:?}", c.mother.name.given, c.mother.name.family, c.mother.birth_date)
        }
    }
}

/// Converts a synthetic case.
pub fn pseudo(c: &Case) -> PseudoCase {
    let stay = c.stay.as_ref().map(|s| PseudoStay {
        admission: month(s.admission_date),
        discharge: s.discharge_date.map(month),
        length_days: s.discharge_date.map(|d| s.admission_date.days_until(d) as u32),
        stay_type: s.stay_type,
    });
    PseudoCase {
        schema_version: c.schema_version.clone(),
        pseudonymisation: PseudoMeta {
            domain: "test/report".into(),
            key_id: "test".into(),
            policy: "test".into(),
            dates_shifted: false,
        },
        case_pseudonym: pseudonym(&format!("{}/{}", c.centre.id, c.id)),
        centre: PseudoCentre {
            id: Some(c.centre.id.clone()),
            organisation: c.centre.organisation.id.clone(),
            country: c.centre.country.clone(),
            admin1: Some(c.centre.admin1.clone()),
        },
        intake: month(c.intake_date),
        status: c.status,
        referral_source: Some(c.referral_source),
        intake_point: Some(c.intake_point),
        relinquishment_intent: Some(c.relinquishment_intent),
        consent_aggregate_reporting: c.consent.aggregate_reporting,
        closure_reason: c.closure_reason,
        mother: PseudoMother {
            pseudonym: Some(pseudonym(&woman_key(c))),
            age_band: c.mother.birth_date.map(|b| band(b.age_years_on(c.intake_date))),
            ..PseudoMother::default()
        },
        children: c
            .children
            .iter()
            .map(|ch| PseudoChild {
                pseudonym: None,
                sex: ch.sex,
                age_at_intake: ch.birth_date.filter(|b| *b <= c.intake_date).map(|b| {
                    let days = b.days_until(c.intake_date);
                    if days < 84 {
                        ChildAge::Weeks((days / 7) as u32)
                    } else {
                        ChildAge::Months(b.age_months_on(c.intake_date).max(0) as u32)
                    }
                }),
                birth: None,
                birth_weight_g: None,
                gestation_weeks: None,
                birth_registered: ch.birth_registered,
                location_at_intake: ch.location_at_intake,
                health_conditions: Vec::new(),
            })
            .collect(),
        risk_assessments: c
            .risk_assessments
            .iter()
            .map(|r| PseudoRiskAssessment {
                date: month(r.date),
                risk_factors: r.risk_factors.clone(),
                violence_types: r.violence_types.clone(),
                risk_level: r.risk_level,
            })
            .collect(),
        services: c
            .services
            .iter()
            .map(|s| PseudoService {
                service_type: s.service_type,
                delivery: s.delivery,
                status: s.status,
                start: s.start_date.map(month),
                end: s.end_date.map(month),
            })
            .collect(),
        stay,
        outcome: c.outcome.clone(),
        follow_ups: c
            .follow_ups
            .iter()
            .map(|f| PseudoFollowUp {
                point: f.point,
                due: month(f.due_date),
                date: f.date.map(month),
                contact_result: f.contact_result,
                child_placement: f.child_placement,
                child_in_formal_care: f.child_in_formal_care,
                risk_level: f.risk_level,
                method: f.method,
            })
            .collect(),
        extensions: Vec::new(),
        notes: None,
    }
}

/// `n` synthetic cases of `seed`, pseudonymised by the stand-in.
pub fn pseudo_cases(seed: u64, n: u64) -> Vec<PseudoCase> {
    ona_synth::cases(seed, n).map(|c| pseudo(&c)).collect()
}

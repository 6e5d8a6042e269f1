//! Tests of the pseudonymiser on the sample case.

use super::testing::sample_case;
use super::*;
use crate::schema::{Date, NationalId, NationalIdType, PersonName};

fn ps(domain: &str, policy: Policy) -> Pseudonymiser {
    Pseudonymiser::new(&MasterKey::from_bytes(&[42; 32], 1).unwrap(), domain, policy).unwrap()
}

#[test]
fn no_direct_identifier_survives_the_default_policy() {
    let out = serde_json::to_string(
        &ps("kz/test", Policy::default()).pseudonymise(&sample_case()).unwrap(),
    )
    .unwrap();
    for secret in [
        "Айгерим",
        "Нурланова",
        "Аружан",
        "701 111",
        "Абая",
        "123456789",
        "kz-almaty-01-0001",
        "called",
    ] {
        assert!(!out.contains(secret), "{secret} leaked: {out}");
    }
}

#[test]
fn generalisation_follows_the_policy() {
    let p = ps("kz/test", Policy::default()).pseudonymise(&sample_case()).unwrap();
    assert_eq!(p.intake.to_string(), "2025-03");
    assert_eq!(p.mother.age_band.unwrap().to_string(), "25-29");
    assert_eq!(p.mother.other_children.unwrap().to_string(), "3+");
    assert_eq!(p.children[0].age_at_intake.unwrap().to_string(), "P0M");
    assert_eq!(p.children[0].birth_weight_g, Some(3250));
    assert_eq!(p.stay.as_ref().unwrap().length_days, Some(111));
    assert_eq!(p.centre.admin1.as_deref(), Some("KZ-75"));
    assert!(p.notes.is_none());
    let q = Policy::from_toml(
        "dates = \"quarter\"\nplace = \"country\"\nchild_age = \"weeks\"\nnotes = \"scrub\"",
    )
    .unwrap();
    let p = ps("kz/test", q).pseudonymise(&sample_case()).unwrap();
    assert_eq!(p.intake.to_string(), "2025-Q1");
    assert_eq!(p.centre.admin1, None);
    assert_eq!(p.mother.admin1, None);
    assert_eq!(p.children[0].age_at_intake.unwrap().to_string(), "P1W");
    assert_eq!(p.notes.as_ref().unwrap().as_str(), "<NAME_1> called from <PHONE>.");
    assert!(p.pseudonymisation.policy.starts_with("default@"));
}

#[test]
fn date_shift_keeps_every_interval_exact() {
    let case = sample_case();
    let p = ps("kz/test", Policy { dates: DatePrecision::Shift, ..Policy::default() })
        .pseudonymise(&case)
        .unwrap();
    let day = |g: GenDate| g.day().unwrap();
    let shift = day(p.intake).to_days() - case.intake_date.to_days();
    assert_ne!(shift, 0);
    assert!(shift.abs() <= 182);
    let s = p.stay.as_ref().unwrap();
    let cs = case.stay.as_ref().unwrap();
    assert_eq!(day(s.admission).to_days() - cs.admission_date.to_days(), shift);
    assert_eq!(day(s.discharge.unwrap()).to_days() - cs.discharge_date.unwrap().to_days(), shift);
    assert_eq!(
        day(p.children[0].birth.unwrap()).to_days()
            - case.children[0].birth_date.unwrap().to_days(),
        shift
    );
    assert_eq!(
        day(p.follow_ups[0].date.unwrap()).to_days() - case.follow_ups[0].date.unwrap().to_days(),
        shift
    );
    assert!(p.pseudonymisation.dates_shifted);
}

#[test]
fn the_same_woman_written_differently_links_within_a_domain_only() {
    let a = sample_case();
    let mut b = sample_case();
    b.id = "kz-almaty-01-0777".into();
    b.mother.name =
        PersonName { given: "NURLANOVA".into(), family: Some("Aigerim".into()), patronymic: None };
    let p = ps("kz/case-management", Policy::default());
    let (pa, pb) = (p.pseudonymise(&a).unwrap(), p.pseudonymise(&b).unwrap());
    assert_eq!(pa.mother.pseudonym, pb.mother.pseudonym);
    assert_ne!(pa.case_pseudonym, pb.case_pseudonym);
    let other = ps("regional-report-2026", Policy::default()).pseudonymise(&a).unwrap();
    assert_ne!(other.mother.pseudonym, pa.mother.pseudonym);
    // A valid national ID takes precedence over the name, however it is written.
    let mut c = sample_case();
    c.mother.national_id =
        Some(NationalId { id_type: NationalIdType::KzIin, value: "950615400027".into() });
    let mut d = c.clone();
    d.mother.national_id.as_mut().unwrap().value = "9506 1540-0027".into();
    d.mother.name.given = "Someone".into();
    assert!(crate::schema::national_id::check(NationalIdType::KzIin, "950615400027").is_ok());
    assert_eq!(
        p.pseudonymise(&c).unwrap().mother.pseudonym,
        p.pseudonymise(&d).unwrap().mother.pseudonym
    );
}

#[test]
fn children_get_their_own_pseudonyms_and_keep_the_link() {
    let mut case = sample_case();
    let mut twin = case.children[0].clone();
    twin.birth_certificate = None;
    twin.name = None;
    case.children.push(twin);
    let p = ps("kz/test", Policy::default()).pseudonymise(&case).unwrap();
    let (c0, c1) =
        (p.children[0].pseudonym.clone().unwrap(), p.children[1].pseudonym.clone().unwrap());
    assert_ne!(c0, c1);
    assert_ne!(Some(c0), p.mother.pseudonym);
    assert!(p.mother.pseudonym.is_some());
}

#[test]
fn values_columns_and_bands() {
    let p = ps("kz/test", Policy::default());
    let out = p.pseudonymise_values(
        IdentifierKind::Name,
        &["Динара Сейтказина", "SEITKAZINA Dinara", "Aigerim"],
    );
    assert_eq!(out[0], out[1]);
    assert_ne!(out[0], out[2]);
    assert_eq!(
        p.pseudonym_of(IdentifierKind::NationalId(NationalIdType::KzIin), "880101300021"),
        None
    );
    assert_eq!(age_band(17, &[18, 25]).to_string(), "10-17");
    assert_eq!(age_band(40, &[18, 25, 30, 35, 40]).to_string(), "40+");
    assert_eq!(
        generalise_date(Date::new(2025, 11, 3).unwrap(), DatePrecision::Year).to_string(),
        "2025"
    );
}

#[test]
fn pseudonym_into_equals_pseudonym_of_for_every_kind() {
    let p = ps("kz/test", Policy::default());
    let mut scratch = String::new();
    let mut out = [0u8; PSEUDONYM_LEN];
    let samples: [(IdentifierKind, &str); 7] = [
        (IdentifierKind::Text, "  KZ-0001 /  2025 "),
        (IdentifierKind::Text, "Ｃａｓｅ　ＡＢ"),
        (IdentifierKind::Name, "Динара Сейтказина"),
        (IdentifierKind::Document, "I-АЛ 123456"),
        (IdentifierKind::NationalId(NationalIdType::KzIin), "123456789012"),
        (IdentifierKind::Text, ""),
        (IdentifierKind::Text, "x"),
    ];
    for (kind, value) in samples {
        let want = p.pseudonym_of(kind, value);
        let got = p.pseudonym_into(kind, value, &mut scratch, &mut out);
        assert_eq!(got, want.is_some(), "{value:?}");
        if let Some(w) = want {
            assert_eq!(std::str::from_utf8(&out).unwrap(), w.as_str(), "{value:?}");
        }
    }
}

//! One synthetic case, drawn deterministically from the seed and the case's index.

use crate::case_history::{children, follow_ups, outcome, risk_assessment, services};
use crate::draw::{rng_for, weighted};
use crate::names::table;
use crate::network::{centre, CountryProfile, COUNTRIES};
use crate::person::Identity;
use ona_core::schema::*;
use rand::Rng;

/// The date the synthetic world is observed on: later events have not happened yet.
pub fn reference_date() -> Date {
    Date::new(2026, 6, 30).expect("2026-06-30 is a valid date")
}

/// Per mille of cases that are a woman coming back with a new case, written differently.
pub const RETURN_PER_MILLE: u64 = 30;

/// The person (index of the case where she first appeared) behind case `index`.
///
/// About 3 % of cases are a woman who came before, at an earlier index of the same country.
pub fn person_of(seed: u64, index: u64) -> u64 {
    let mut rng = rng_for(seed, index.wrapping_mul(2).wrapping_add(1) | (1 << 63));
    if index > 0 && rng.random_range(0..1000) < RETURN_PER_MILLE {
        let back = rng.random_range(1..=index.min(5_000));
        let earlier = index - back;
        person_of(seed, earlier)
    } else {
        index
    }
}

/// The country of case number `index`, without drawing the rest of the case (a few hundred
/// nanoseconds, for counting a network's cases per country up front).
pub fn country_of(seed: u64, index: u64) -> &'static CountryProfile {
    country_of_person(seed, person_of(seed, index))
}

fn country_of_person(seed: u64, person: u64) -> &'static CountryProfile {
    let mut rng = rng_for(seed, person.wrapping_mul(2));
    let weights: Vec<(usize, u32)> =
        COUNTRIES.iter().enumerate().map(|(i, c)| (i, c.weight)).collect();
    &COUNTRIES[weighted(&mut rng, &weights)]
}

fn identity_of(seed: u64, person: u64) -> (Identity, usize, Date) {
    let profile = country_of_person(seed, person);
    let mut rng = rng_for(seed, person.wrapping_mul(2) | (1 << 62));
    let centre_idx = rng.random_range(0..profile.centres.len());
    let first_intake = Date::new(2023, 1, 1).map(|d| d.add_days(rng.random_range(0..1000)));
    let first_intake = first_intake.flatten().unwrap_or_else(reference_date);
    (Identity::draw(&mut rng, profile.code, first_intake), centre_idx, first_intake)
}

/// Case number `index` of the synthetic network drawn from `seed`.
pub fn case(seed: u64, index: u64) -> Case {
    let person = person_of(seed, index);
    let returning = person != index;
    let (who, centre_idx, first_intake) = identity_of(seed, person);
    let profile = COUNTRIES.iter().find(|c| c.code == who.country).unwrap_or(&COUNTRIES[0]);
    let mut rng = rng_for(seed, index.wrapping_mul(2) | (1 << 61));
    let today = reference_date();

    let intake = if returning {
        let d = first_intake.add_days(rng.random_range(200..500)).unwrap_or(first_intake);
        d.min(today)
    } else {
        first_intake
    };
    let intake_point = weighted(
        &mut rng,
        &[
            (IntakePoint::Pregnant, 30),
            (IntakePoint::MaternityWard, 35),
            (IntakePoint::AfterDischarge, 25),
            (IntakePoint::ChildInBabyHome, 10),
        ],
    );
    let intent = weighted(
        &mut rng,
        &[
            (RelinquishmentIntent::SignedRefusal, 15),
            (RelinquishmentIntent::Considering, 35),
            (RelinquishmentIntent::None, 40),
            (RelinquishmentIntent::Unknown, 10),
        ],
    );

    let children = children(&mut rng, &who, intake, intake_point, today);
    let risk = risk_assessment(&mut rng, intake, profile.code, intent);
    let admission = intake.add_days(rng.random_range(0..10)).unwrap_or(intake).min(today);
    let (lo, hi) = profile.stay_days;
    let discharge =
        admission.add_days(i64::from(rng.random_range(lo..=hi))).filter(|d| *d <= today);
    let transferred = discharge.is_some() && rng.random_bool(0.02);
    let status = match (discharge, transferred) {
        (Some(_), true) => CaseStatus::Transferred,
        (Some(_), false) => CaseStatus::Closed,
        (None, _) => CaseStatus::Open,
    };
    let outcome = discharge.map(|_| outcome(&mut rng, intent));
    let follow_ups =
        discharge.map(|d| follow_ups(&mut rng, d, today, outcome.as_ref())).unwrap_or_default();
    let services = services(&mut rng, admission, discharge.unwrap_or(today));
    let extensions = if profile.code == "KZ" {
        let code = match risk.risk_level {
            RiskLevel::Low => {
                if rng.random_bool(0.5) {
                    "A"
                } else {
                    "B"
                }
            }
            RiskLevel::Medium => "C",
            RiskLevel::High => "D",
            RiskLevel::Critical => "E",
        };
        vec![ExtensionCode { list: "kz_family_map_category".into(), code: code.into() }]
    } else {
        Vec::new()
    };
    let variant = returning && rng.random_bool(0.8);
    let name = who.name(&mut rng, variant);
    let notes = rng.random_bool(0.2).then(|| {
        format!(
            "{} came with the baby; she asks to be called on {} only in the evening.",
            name.given, who.phone
        )
    });
    let street = {
        let t = table(who.country);
        format!(
            "{} {}, {}",
            t.streets[rng.random_range(0..t.streets.len())],
            rng.random_range(1..150),
            rng.random_range(1..90)
        )
    };
    let c = centre(profile, centre_idx);
    Case {
        schema_version: SCHEMA_VERSION.to_string(),
        id: format!("{}-{:08}", c.id, index),
        intake_date: intake,
        status,
        referral_source: weighted(
            &mut rng,
            &[
                (ReferralSource::MaternityWard, 30),
                (ReferralSource::PerinatalCentre, 8),
                (ReferralSource::Polyclinic, 10),
                (ReferralSource::GuardianshipAuthority, 8),
                (ReferralSource::SocialProtection, 12),
                (ReferralSource::Police, 3),
                (ReferralSource::Ngo, 6),
                (ReferralSource::Hotline, 8),
                (ReferralSource::SelfReferral, 8),
                (ReferralSource::Relative, 5),
                (ReferralSource::Other, 2),
            ],
        ),
        intake_point,
        relinquishment_intent: intent,
        consent: Consent {
            services: true,
            referral_sharing: rng.random_bool(0.9),
            aggregate_reporting: rng.random_bool(0.97),
            date: intake,
            withdrawn: None,
        },
        closure_reason: (status == CaseStatus::Closed).then(|| {
            weighted(
                &mut rng,
                &[
                    (ClosureReason::PlanCompleted, 70),
                    (ClosureReason::LeftVoluntarily, 15),
                    (ClosureReason::MovedAway, 5),
                    (ClosureReason::RuleViolation, 3),
                    (ClosureReason::ChildRelinquished, 4),
                    (ClosureReason::Other, 3),
                ],
            )
        }),
        mother: Mother {
            national_id: who.national_id_written(&mut rng, returning),
            phone: rng.random_bool(0.9).then(|| who.phone.clone()),
            address: Some(Address {
                line: rng.random_bool(0.7).then_some(street),
                settlement: Some(c.settlement.clone()),
                admin1: Some(c.admin1.clone()),
                country: c.country.clone(),
            }),
            birth_date: Some(who.birth_date),
            citizenship: Some(who.country.to_string()),
            residence_status: weighted(
                &mut rng,
                &[
                    (ResidenceStatus::Citizen, 88),
                    (ResidenceStatus::TemporaryResident, 4),
                    (
                        ResidenceStatus::InternallyDisplaced,
                        if who.country == "UA" { 20 } else { 1 },
                    ),
                    (ResidenceStatus::Refugee, 2),
                    (ResidenceStatus::Irregular, 3),
                    (ResidenceStatus::Unknown, 2),
                ],
            ),
            education: Some(IscedLevel::ALL[rng.random_range(1..7)]),
            employment: weighted(
                &mut rng,
                &[
                    (Employment::Unemployed, 45),
                    (Employment::Informal, 15),
                    (Employment::Employed, 12),
                    (Employment::ParentalLeave, 10),
                    (Employment::Student, 8),
                    (Employment::NotInLabourForce, 10),
                ],
            ),
            marital_status: weighted(
                &mut rng,
                &[
                    (MaritalStatus::Single, 45),
                    (MaritalStatus::UnregisteredUnion, 15),
                    (MaritalStatus::Married, 12),
                    (MaritalStatus::Divorced, 15),
                    (MaritalStatus::Separated, 8),
                    (MaritalStatus::Widowed, 5),
                ],
            ),
            disability: Some(rng.random_bool(0.05)),
            other_children: Some(weighted(
                &mut rng,
                &[(0, 50), (1, 25), (2, 13), (3, 7), (4, 3), (6, 2)],
            )),
            name,
        },
        centre: c,
        children,
        risk_assessments: vec![risk],
        services,
        stay: Some(Stay {
            admission_date: admission,
            discharge_date: discharge,
            stay_type: if rng.random_bool(0.85) {
                StayType::Residential
            } else {
                StayType::DaySupport
            },
        }),
        outcome,
        follow_ups,
        extensions,
        notes,
    }
}

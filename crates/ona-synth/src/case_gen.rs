//! One synthetic case, drawn deterministically from the seed and the case's index.

use crate::names::table;
use crate::network::{centre, CountryProfile, COUNTRIES};
use crate::person::Identity;
use ona_core::schema::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The date the synthetic world is observed on: later events have not happened yet.
pub fn reference_date() -> Date {
    Date::new(2026, 6, 30).expect("2026-06-30 is a valid date")
}

/// Per mille of cases that are a woman coming back with a new case, written differently.
pub const RETURN_PER_MILLE: u64 = 30;

fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

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

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
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

fn children(
    rng: &mut ChaCha8Rng,
    who: &Identity,
    intake: Date,
    point: IntakePoint,
    today: Date,
) -> Vec<Child> {
    let n = weighted(rng, &[(1usize, 92), (2, 7), (3, 1)]);
    let t = table(who.country);
    let (birth, location) = match point {
        IntakePoint::Pregnant => {
            let b = intake.add_days(rng.random_range(7..150)).filter(|d| *d <= today);
            (b, ChildLocation::NotYetBorn)
        }
        IntakePoint::MaternityWard => (
            intake.add_days(-rng.random_range(0..7)),
            if rng.random_bool(0.6) {
                ChildLocation::MaternityWard
            } else {
                ChildLocation::WithMother
            },
        ),
        IntakePoint::AfterDischarge => (
            intake.add_days(-rng.random_range(7..120)),
            weighted(
                rng,
                &[
                    (ChildLocation::WithMother, 80),
                    (ChildLocation::Kin, 10),
                    (ChildLocation::Hospital, 10),
                ],
            ),
        ),
        IntakePoint::ChildInBabyHome => (
            intake.add_days(-rng.random_range(14..300)),
            weighted(rng, &[(ChildLocation::BabyHome, 85), (ChildLocation::Foster, 15)]),
        ),
    };
    (0..n)
        .map(|_| {
            let sex = if rng.random_bool(0.49) { Sex::Female } else { Sex::Male };
            let weeks = if rng.random_bool(0.1) {
                rng.random_range(28..37)
            } else {
                rng.random_range(37..42)
            };
            let weight = if weeks < 37 {
                rng.random_range(1200..2600)
            } else {
                rng.random_range(2500..4300)
            };
            let registered = birth.is_some() && rng.random_bool(0.8);
            let names = if sex == Sex::Female { t.girls } else { t.boys };
            let mut health = Vec::new();
            if birth.is_some() && weeks < 37 {
                health.push(ChildHealthCondition::Premature);
            }
            if birth.is_some() && weight < 2500 {
                health.push(ChildHealthCondition::LowBirthWeight);
            }
            if birth.is_some() && rng.random_bool(0.03) {
                health.push(ChildHealthCondition::CongenitalAnomaly);
            }
            Child {
                name: birth.is_some().then(|| PersonName {
                    given: names[rng.random_range(0..names.len())][0].to_string(),
                    family: who.family.map(|f| f[0].to_string()),
                    patronymic: None,
                }),
                birth_certificate: registered.then(|| {
                    format!(
                        "{}-{}",
                        who.country,
                        (0..9)
                            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
                            .collect::<String>()
                    )
                }),
                birth_date: birth,
                sex: if birth.is_some() { sex } else { Sex::Unknown },
                birth_weight_g: birth.is_some().then_some(weight),
                gestation_weeks: birth.is_some().then_some(weeks),
                birth_registered: birth.is_some().then_some(registered),
                location_at_intake: location,
                health_conditions: health,
            }
        })
        .collect()
}

fn risk_assessment(
    rng: &mut ChaCha8Rng,
    intake: Date,
    country: &str,
    intent: RelinquishmentIntent,
) -> RiskAssessment {
    let weights: &[(RiskFactor, u32)] = &[
        (RiskFactor::Homelessness, 35),
        (RiskFactor::DomesticViolence, 30),
        (RiskFactor::FamilyRejection, 30),
        (RiskFactor::NoIdentityDocuments, 12),
        (RiskFactor::ChildUnregistered, 10),
        (RiskFactor::Poverty, 55),
        (RiskFactor::Unemployment, 40),
        (RiskFactor::Debt, 12),
        (RiskFactor::MaternalPhysicalIllness, 6),
        (RiskFactor::MentalHealth, 8),
        (RiskFactor::SubstanceUse, 4),
        (RiskFactor::HivTb, 2),
        (RiskFactor::Disability, 4),
        (RiskFactor::ChildHealthDisability, 6),
        (RiskFactor::MinorMother, 5),
        (RiskFactor::PregnancyFromRape, 2),
        (RiskFactor::TraffickingExploitation, 1),
        (RiskFactor::IrregularMigration, if country == "MY" || country == "TR" { 12 } else { 3 }),
        (RiskFactor::PreviousChildInCare, 5),
        (RiskFactor::NoSocialSupport, 30),
    ];
    let mut factors: Vec<RiskFactor> =
        weights.iter().filter(|(_, w)| rng.random_range(0..100) < *w).map(|(f, _)| *f).collect();
    factors.sort();
    let mut violence = Vec::new();
    if factors.contains(&RiskFactor::DomesticViolence) {
        violence.push(ViolenceType::PhysicalAssault);
        violence.push(ViolenceType::PsychologicalAbuse);
        if rng.random_bool(0.3) {
            violence.push(ViolenceType::DenialOfResources);
        }
    }
    if factors.contains(&RiskFactor::PregnancyFromRape) {
        violence.push(ViolenceType::Rape);
    }
    violence.sort();
    let score = factors.len() + usize::from(intent == RelinquishmentIntent::SignedRefusal) * 2;
    let risk_level = match score {
        0..=1 => RiskLevel::Low,
        2..=3 => RiskLevel::Medium,
        4..=5 => RiskLevel::High,
        _ => RiskLevel::Critical,
    };
    RiskAssessment {
        date: intake.add_days(rng.random_range(0..4)).unwrap_or(intake),
        risk_factors: factors,
        violence_types: violence,
        risk_level,
    }
}

fn services(rng: &mut ChaCha8Rng, admission: Date, until: Date) -> Vec<Service> {
    let menu: &[(ServiceType, u32)] = &[
        (ServiceType::Shelter, 90),
        (ServiceType::Food, 90),
        (ServiceType::MaterialAid, 70),
        (ServiceType::MedicalMother, 40),
        (ServiceType::MedicalChild, 45),
        (ServiceType::Psychological, 65),
        (ServiceType::LegalAid, 35),
        (ServiceType::Documents, 15),
        (ServiceType::BirthRegistration, 20),
        (ServiceType::BenefitsApplication, 40),
        (ServiceType::VocationalTraining, 20),
        (ServiceType::JobPlacement, 15),
        (ServiceType::Parenting, 50),
        (ServiceType::FamilyMediation, 20),
        (ServiceType::Housing, 25),
    ];
    let span = admission.days_until(until).max(0);
    let chosen: Vec<ServiceType> =
        menu.iter().filter(|(_, w)| rng.random_range(0..100) < *w).map(|(t, _)| *t).collect();
    chosen
        .into_iter()
        .map(|t| {
            let referral = matches!(
                t,
                ServiceType::MedicalMother | ServiceType::MedicalChild | ServiceType::Housing
            ) && rng.random_bool(0.6);
            let start = admission.add_days(rng.random_range(0..=span.min(20))).unwrap_or(admission);
            let end = start
                .add_days(rng.random_range(0..=(span - admission.days_until(start)).max(0)))
                .filter(|d| *d <= until);
            Service {
                service_type: t,
                delivery: if referral {
                    ServiceDelivery::Referral
                } else {
                    ServiceDelivery::InHouse
                },
                provider: referral.then(|| "City polyclinic".to_string()),
                start_date: Some(start),
                end_date: end,
                status: weighted(
                    rng,
                    &[
                        (ServiceStatus::Implemented, 85),
                        (ServiceStatus::Referred, 6),
                        (ServiceStatus::Declined, 4),
                        (ServiceStatus::Unavailable, 3),
                        (ServiceStatus::Planned, 2),
                    ],
                ),
            }
        })
        .collect()
}

fn outcome(rng: &mut ChaCha8Rng, intent: RelinquishmentIntent) -> Outcome {
    let with_mother = if intent == RelinquishmentIntent::SignedRefusal { 65 } else { 85 };
    Outcome {
        child_placement: weighted(
            rng,
            &[
                (Placement::WithMother, with_mother),
                (Placement::WithBothParents, 5),
                (Placement::Kinship, 4),
                (Placement::Foster, 2),
                (Placement::Guardianship, 1),
                (Placement::Adoption, 2),
                (Placement::ResidentialCare, 3),
                (Placement::Unknown, 1),
            ],
        ),
        housing: weighted(
            rng,
            &[
                (HousingOutcome::Rented, 35),
                (HousingOutcome::WithFamily, 30),
                (HousingOutcome::SocialHousing, 12),
                (HousingOutcome::Own, 8),
                (HousingOutcome::Shelter, 8),
                (HousingOutcome::Homeless, 2),
                (HousingOutcome::Unknown, 5),
            ],
        ),
        income: weighted(
            rng,
            &[
                (IncomeOutcome::Benefits, 40),
                (IncomeOutcome::Employment, 30),
                (IncomeOutcome::FamilySupport, 18),
                (IncomeOutcome::None, 7),
                (IncomeOutcome::Unknown, 5),
            ],
        ),
        documents_restored: Some(rng.random_bool(0.9)),
        birth_registered: Some(rng.random_bool(0.95)),
        benefits_obtained: Some(rng.random_bool(0.6)),
    }
}

fn follow_ups(
    rng: &mut ChaCha8Rng,
    discharge: Date,
    today: Date,
    outcome: Option<&Outcome>,
) -> Vec<FollowUp> {
    let mut placement = outcome.map(|o| o.child_placement).unwrap_or(Placement::Unknown);
    let mut lost = false;
    FollowUpPoint::ALL
        .iter()
        .filter_map(|&point| {
            let due = discharge.add_months(point.months())?;
            let date = due.add_days(rng.random_range(-5..12))?;
            if date > today {
                return None;
            }
            let result = if lost {
                ContactResult::Lost
            } else {
                weighted(
                    rng,
                    &[
                        (ContactResult::Reached, 82),
                        (ContactResult::NotReached, 8),
                        (ContactResult::Refused, 3),
                        (ContactResult::Lost, 7),
                    ],
                )
            };
            lost |= result == ContactResult::Lost;
            let reached = result == ContactResult::Reached;
            if reached && placement.with_mother() && rng.random_bool(0.03) {
                placement = Placement::Kinship;
            }
            Some(FollowUp {
                point,
                due_date: due,
                date: (result != ContactResult::Lost).then_some(date),
                contact_result: result,
                child_placement: reached.then_some(placement),
                child_in_formal_care: reached.then(|| placement.formal_care()),
                risk_level: reached.then(|| {
                    if rng.random_bool(0.8) {
                        RiskLevel::Low
                    } else {
                        RiskLevel::Medium
                    }
                }),
                method: (result != ContactResult::Lost)
                    .then(|| ContactMethod::ALL[rng.random_range(0..ContactMethod::ALL.len())]),
            })
        })
        .collect()
}

//! What happens in a synthetic case after the intake: the children, the risk assessments, the
//! services, the outcome at exit and the follow-ups — each drawn from the case's generator.

use crate::draw::weighted;
use crate::names::table;
use crate::person::Identity;
use ona_core::schema::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(crate) fn children(
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

pub(crate) fn risk_assessment(
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

pub(crate) fn services(rng: &mut ChaCha8Rng, admission: Date, until: Date) -> Vec<Service> {
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

pub(crate) fn outcome(rng: &mut ChaCha8Rng, intent: RelinquishmentIntent) -> Outcome {
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

pub(crate) fn follow_ups(
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

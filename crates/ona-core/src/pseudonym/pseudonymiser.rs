//! The pseudonymiser: turns a validated [`Case`] into a [`PseudoCase`] under one domain key and
//! one policy.
//!
//! What makes each pseudonym (all HMAC-SHA256 under the domain key, labelled so kinds never
//! collide, first 128 bits, base32):
//!
//! | pseudonym | label | input |
//! | --- | --- | --- |
//! | mother | `mother` | `id:` type `:` digits of her national ID when it passes its checks; otherwise `name:` canonical given + family name `\|` birth date |
//! | child | `child` | `doc:` canonical birth certificate number; otherwise the mother's input `\|` child birth date (or `unborn`) `\|` position |
//! | case | `case` | centre id `/` local case id |
//! | a column of values | caller's label | the value's canonical form |
//!
//! The patronymic is left out of the name input: records write it sometimes and not other times.
//! A mother with neither a valid national ID nor a name with a canonical form (placeholders,
//! particles, single letters) gets no pseudonym: she is treated as missing, never linked.

use super::canonical::{
    canonical_document, canonical_id, canonical_name, canonical_name_into, canonical_text,
    canonical_text_into,
};
use super::field_actions::FieldActions;
use super::generalised::{AgeBand, ChildAge, GenDate, TopCoded};
use super::keys::{DomainKey, MasterKey};
use super::policy::{Action, ChildAgeUnit, DatePrecision, NotesMode, PlaceLevel, Policy};
use super::record::*;
use super::scrub::scrub_notes;
use super::{PolicyError, PseudonymKeyError};
use crate::schema::{Case, Codelist, Date, NationalIdType};

/// What kind of identifier a value is, for [`Pseudonymiser::pseudonym_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierKind {
    /// A person's name (all parts in one string).
    Name,
    /// A national ID of this type.
    NationalId(NationalIdType),
    /// A document number (birth certificate…).
    Document,
    /// Any other identifier (NFKC, lower case, spaces collapsed).
    Text,
}

impl IdentifierKind {
    fn label(self) -> &'static str {
        match self {
            IdentifierKind::Name => "name",
            IdentifierKind::NationalId(_) => "national-id",
            IdentifierKind::Document => "document",
            IdentifierKind::Text => "text",
        }
    }
}

/// Pseudonymises cases and identifiers under one domain key and policy.
#[derive(Debug, Clone)]
pub struct Pseudonymiser {
    key: DomainKey,
    policy: Policy,
    policy_id: String,
    /// The action for every field the pseudonymiser reads, resolved once.
    fields: FieldActions,
}

impl Pseudonymiser {
    /// A pseudonymiser for `domain` with keys derived from `master`.
    pub fn new(
        master: &MasterKey,
        domain: &str,
        policy: Policy,
    ) -> Result<Pseudonymiser, PseudonymiserError> {
        let policy = policy.checked()?;
        let policy_id = if policy == Policy::default() {
            "default".to_string()
        } else {
            format!("{}@{}", policy.id, policy.digest())
        };
        let fields = FieldActions::resolve(&policy);
        Ok(Pseudonymiser { key: master.domain_key(domain)?, policy, policy_id, fields })
    }

    /// The id of the domain key (written into every record).
    pub fn key_id(&self) -> &str {
        self.key.key_id()
    }

    /// The domain.
    pub fn domain(&self) -> &str {
        self.key.domain()
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The canonical form of `value` as `kind`; `None` when it has none: a national ID that
    /// fails its checks (or is a placeholder such as `000000000000`), or a value without
    /// identifying content — blank, punctuation, a placeholder (`-`, `N/A`, `нет`, `yok`…), or
    /// for a name only particles and single letters.
    pub fn canonical(&self, kind: IdentifierKind, value: &str) -> Option<String> {
        match kind {
            IdentifierKind::Name => {
                Some(canonical_name(&[value], self.policy.name_order_independent))
                    .filter(|c| !c.is_empty())
            }
            IdentifierKind::NationalId(t) => canonical_id(t, value),
            IdentifierKind::Document => canonical_document(value),
            IdentifierKind::Text => canonical_text(value),
        }
    }

    /// The pseudonym of one identifier; `None` when it has no canonical form.
    pub fn pseudonym_of(&self, kind: IdentifierKind, value: &str) -> Option<Pseudonym> {
        let c = self.canonical(kind, value)?;
        Some(Pseudonym::from_tag(self.key.mac(kind.label(), c.as_bytes()).as_ref()))
    }

    /// The pseudonym of one identifier written into `out` as ASCII, without allocating for
    /// ASCII text: the loop of a column. `scratch` holds the canonical form between calls.
    /// Returns `false` (and leaves `out` as it was) when the value has no canonical form.
    /// Gives the same pseudonym as [`Pseudonymiser::pseudonym_of`].
    pub fn pseudonym_into(
        &self,
        kind: IdentifierKind,
        value: &str,
        scratch: &mut String,
        out: &mut [u8; PSEUDONYM_LEN],
    ) -> bool {
        if kind == IdentifierKind::Text {
            if !canonical_text_into(value, scratch) {
                return false;
            }
        } else if kind == IdentifierKind::Name {
            canonical_name_into(&[value], self.policy.name_order_independent, scratch);
            if scratch.is_empty() {
                return false;
            }
        } else {
            match self.canonical(kind, value) {
                Some(c) => *scratch = c,
                None => return false,
            }
        }
        encode_tag(self.key.mac(kind.label(), scratch.as_bytes()).as_ref(), out);
        true
    }

    /// Pseudonyms of a column of identifiers, in order.
    pub fn pseudonymise_values(
        &self,
        kind: IdentifierKind,
        values: &[&str],
    ) -> Vec<Option<Pseudonym>> {
        values.iter().map(|v| self.pseudonym_of(kind, v)).collect()
    }

    fn mark(&self, label: &str, input: &str) -> Pseudonym {
        Pseudonym::from_tag(self.key.mac(label, input.as_bytes()).as_ref())
    }

    /// The input that identifies the mother of `case` (see the module docs), and whether it
    /// identifies her at all: with neither a valid national ID nor a name with a canonical form
    /// she is not linked to anyone, and the input falls back to the case itself.
    fn mother_input(&self, case: &Case) -> (String, bool) {
        let m = &case.mother;
        if let Some(digits) = m
            .national_id
            .as_ref()
            .and_then(|n| canonical_id(n.id_type, &n.value).map(|d| (n.id_type, d)))
        {
            return (format!("id:{}:{}", digits.0.id(), digits.1), true);
        }
        let mut parts = vec![m.name.given.as_str()];
        parts.extend(m.name.family.as_deref());
        let name = canonical_name(&parts, self.policy.name_order_independent);
        if name.is_empty() {
            return (format!("case:{}/{}", case.centre.id, case.id), false);
        }
        let birth = m.birth_date.map(|d| d.to_string()).unwrap_or_default();
        (format!("name:{name}|{birth}"), true)
    }

    /// The per-person date shift in days, in `-max..=max`, derived from the key.
    fn shift_days(&self, mother_input: &str) -> i64 {
        let tag = self.key.mac("date-shift", mother_input.as_bytes());
        let mut b = [0u8; 8];
        b.copy_from_slice(&tag.as_ref()[..8]);
        let span = 2 * u64::from(self.policy.max_shift_days) + 1;
        (u64::from_be_bytes(b) % span) as i64 - i64::from(self.policy.max_shift_days)
    }

    /// Pseudonymises one validated case.
    pub fn pseudonymise(&self, case: &Case) -> Result<PseudoCase, PseudonymiserError> {
        let p = &self.policy;
        let (mother_input, identified) = self.mother_input(case);
        let shifting = p.dates == DatePrecision::Shift;
        // The shift costs a MAC: only when some date is shifted.
        let shift = if shifting || self.fields.any(Action::DateShift) {
            self.shift_days(&mother_input)
        } else {
            0
        };
        let fa = &self.fields;
        let date = |action: Action, d: Date| -> Option<GenDate> {
            match action {
                Action::Drop => None,
                Action::Keep => Some(GenDate::Day(d)),
                Action::DateShift => d.add_days(shift).map(GenDate::Day),
                _ if shifting => d.add_days(shift).map(GenDate::Day),
                _ => Some(generalise_date(d, p.dates)),
            }
        };
        // Required dates fall back to the year if a policy's action gives nothing.
        let must = |action: Action, d: Date| date(action, d).unwrap_or(GenDate::Year(d.year()));
        let keep = |action: Action| action != Action::Drop;
        let m = &case.mother;
        let mother_age = m
            .birth_date
            .filter(|_| keep(fa.mother_birth_date))
            .map(|b| b.age_years_on(case.intake_date));
        let mother = PseudoMother {
            pseudonym: (identified
                && (keep(fa.mother_name_given) || keep(fa.mother_national_id_value)))
            .then(|| self.mark("mother", &mother_input)),
            age_band: mother_age.map(|a| age_band(a, &p.mother_age_bands)),
            admin1: m
                .address
                .as_ref()
                .and_then(|a| a.admin1.clone())
                .filter(|_| keep(fa.mother_address_admin1) && p.place == PlaceLevel::Admin1),
            citizenship: m.citizenship.clone().filter(|_| keep(fa.mother_citizenship)),
            residence_status: Some(m.residence_status).filter(|_| keep(fa.mother_residence_status)),
            education: m.education.filter(|_| keep(fa.mother_education)),
            employment: Some(m.employment).filter(|_| keep(fa.mother_employment)),
            marital_status: Some(m.marital_status).filter(|_| keep(fa.mother_marital_status)),
            disability: m.disability.filter(|_| keep(fa.mother_disability)),
            other_children: m.other_children.filter(|_| keep(fa.mother_other_children)).map(|n| {
                TopCoded {
                    value: n.min(p.top_code_other_children),
                    top: n >= p.top_code_other_children,
                }
            }),
        };
        let children = case
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let input = match c.birth_certificate.as_deref().and_then(canonical_document) {
                    Some(doc) => format!("doc:{doc}"),
                    None => format!(
                        "{mother_input}|{}|{i}",
                        c.birth_date.map_or_else(|| "unborn".to_string(), |d| d.to_string())
                    ),
                };
                let born = c.birth_date.filter(|b| *b <= case.intake_date);
                PseudoChild {
                    pseudonym: Some(self.mark("child", &input)),
                    sex: c.sex,
                    age_at_intake: born.filter(|_| keep(fa.children_birth_date)).map(|b| {
                        match p.child_age {
                            ChildAgeUnit::Weeks => {
                                ChildAge::Weeks((b.days_until(case.intake_date) / 7) as u32)
                            }
                            ChildAgeUnit::Months => {
                                ChildAge::Months(b.age_months_on(case.intake_date).max(0) as u32)
                            }
                        }
                    }),
                    birth: c.birth_date.and_then(|b| date(fa.children_birth_date, b)),
                    birth_weight_g: c
                        .birth_weight_g
                        .filter(|_| keep(fa.children_birth_weight_g))
                        .map(|w| {
                            let r = p.birth_weight_round_g;
                            (w + r / 2) / r * r
                        }),
                    gestation_weeks: c
                        .gestation_weeks
                        .filter(|_| keep(fa.children_gestation_weeks)),
                    birth_registered: c
                        .birth_registered
                        .filter(|_| keep(fa.children_birth_registered)),
                    location_at_intake: c.location_at_intake,
                    health_conditions: if keep(fa.children_health_conditions) {
                        c.health_conditions.clone()
                    } else {
                        vec![]
                    },
                }
            })
            .collect();
        let stay = case.stay.as_ref().map(|s| PseudoStay {
            admission: must(fa.stay_admission_date, s.admission_date),
            discharge: s.discharge_date.and_then(|d| date(fa.stay_discharge_date, d)),
            length_days: s.discharge_date.map(|d| s.admission_date.days_until(d).max(0) as u32),
            stay_type: s.stay_type,
        });
        let notes = match (p.notes, &case.notes) {
            (NotesMode::Scrub, Some(text)) if p.fields.get("/notes") != Some(&Action::Drop) => {
                Some(ScrubbedText::scrubbed(scrub_notes(text, case)))
            }
            _ => None,
        };
        Ok(PseudoCase {
            schema_version: case.schema_version.clone(),
            pseudonymisation: PseudoMeta {
                domain: self.key.domain().to_string(),
                key_id: self.key.key_id().to_string(),
                policy: self.policy_id.clone(),
                dates_shifted: shifting,
            },
            case_pseudonym: self.mark("case", &format!("{}/{}", case.centre.id, case.id)),
            centre: PseudoCentre {
                id: Some(case.centre.id.clone()).filter(|_| keep(fa.centre_id)),
                organisation: case.centre.organisation.id.clone(),
                country: case.centre.country.clone(),
                admin1: Some(case.centre.admin1.clone())
                    .filter(|_| keep(fa.centre_admin1) && p.place == PlaceLevel::Admin1),
            },
            intake: must(fa.intake_date, case.intake_date),
            status: case.status,
            referral_source: Some(case.referral_source).filter(|_| keep(fa.referral_source)),
            intake_point: Some(case.intake_point).filter(|_| keep(fa.intake_point)),
            relinquishment_intent: Some(case.relinquishment_intent)
                .filter(|_| keep(fa.relinquishment_intent)),
            consent_aggregate_reporting: case.consent.aggregate_reporting
                && case.consent.withdrawn.is_none(),
            closure_reason: case.closure_reason.filter(|_| keep(fa.closure_reason)),
            mother,
            children,
            risk_assessments: case
                .risk_assessments
                .iter()
                .map(|r| PseudoRiskAssessment {
                    date: must(fa.risk_assessments_date, r.date),
                    risk_factors: if keep(fa.risk_assessments_risk_factors) {
                        r.risk_factors.clone()
                    } else {
                        vec![]
                    },
                    violence_types: if keep(fa.risk_assessments_violence_types) {
                        r.violence_types.clone()
                    } else {
                        vec![]
                    },
                    risk_level: r.risk_level,
                })
                .collect(),
            services: case
                .services
                .iter()
                .map(|s| PseudoService {
                    service_type: s.service_type,
                    delivery: s.delivery,
                    status: s.status,
                    start: s.start_date.and_then(|d| date(fa.services_start_date, d)),
                    end: s.end_date.and_then(|d| date(fa.services_end_date, d)),
                })
                .collect(),
            stay,
            outcome: case.outcome.clone(),
            follow_ups: case
                .follow_ups
                .iter()
                .map(|f| PseudoFollowUp {
                    point: f.point,
                    due: must(fa.follow_ups_due_date, f.due_date),
                    date: f.date.and_then(|d| date(fa.follow_ups_date, d)),
                    contact_result: f.contact_result,
                    child_placement: f
                        .child_placement
                        .filter(|_| keep(fa.follow_ups_child_placement)),
                    child_in_formal_care: f
                        .child_in_formal_care
                        .filter(|_| keep(fa.follow_ups_child_in_formal_care)),
                    risk_level: f.risk_level.filter(|_| keep(fa.follow_ups_risk_level)),
                    method: f.method.filter(|_| keep(fa.follow_ups_method)),
                })
                .collect(),
            extensions: if keep(fa.extensions_code) { case.extensions.clone() } else { vec![] },
            notes,
        })
    }
}

/// A date at the policy's precision (`Shift` is applied by the caller).
pub fn generalise_date(d: Date, precision: DatePrecision) -> GenDate {
    match precision {
        DatePrecision::Day | DatePrecision::Shift => GenDate::Day(d),
        DatePrecision::Month => GenDate::Month { year: d.year(), month: d.month() },
        DatePrecision::Quarter => GenDate::Quarter { year: d.year(), quarter: d.quarter() },
        DatePrecision::Year => GenDate::Year(d.year()),
    }
}

/// The band of `age` given the lower bounds of the bands after the first (which starts at 10).
pub fn age_band(age: i32, starts: &[u8]) -> AgeBand {
    let age = age.clamp(10, 120) as u8;
    let mut min = 10u8;
    for &s in starts {
        if age < s {
            return AgeBand { min, max: Some(s - 1) };
        }
        min = s;
    }
    AgeBand { min, max: None }
}

/// Pseudonymisation failed: a bad key or policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PseudonymiserError {
    /// The key or domain is not usable.
    #[error(transparent)]
    Key(#[from] PseudonymKeyError),
    /// The policy is not valid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

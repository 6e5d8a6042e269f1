//! Pseudonymisation policies: what happens to each field, as a declarative file (TOML or JSON)
//! or the built-in default that follows the disclosure class of every field.
//!
//! ```toml
//! id = "kz-2026"
//! dates = "quarter"             # day | month | quarter | year | shift
//! mother_age_bands = [18, 25, 30, 35, 40]
//! child_age = "weeks"           # weeks | months
//! place = "country"             # admin1 | country
//! notes = "scrub"               # drop | scrub
//! [fields]
//! "/mother/citizenship" = "drop"
//! "/stay/admission_date" = "date_shift"
//! ```
//!
//! Defaults by class: a direct identifier is dropped, or pseudonymised where it identifies the
//! mother (`/mother/name/*`, `/mother/national_id/value`), a child (`/children/*/name/*`,
//! `/children/*/birth_certificate`) or the case (`/id`); a quasi-identifier is generalised (dates
//! to the `dates` precision, birth dates to ages, places to `place`, counts top-coded; categorical
//! codes kept); sensitive and plain fields are kept. A policy cannot keep a direct identifier:
//! the pseudonymised record has no field that could hold one.

use super::error::PolicyError;
use crate::schema::disclosure::{self, DisclosureClass};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How precise dates are in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// Exact day (only for analyses inside the centre).
    Day,
    /// Month.
    Month,
    /// Quarter.
    Quarter,
    /// Year.
    Year,
    /// Exact day shifted by a per-person offset derived from the key: intervals stay exact.
    Shift,
}

/// Unit of a child's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildAgeUnit {
    /// Completed weeks.
    Weeks,
    /// Completed months.
    Months,
}

/// How precise places are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceLevel {
    /// First-level subdivision (ISO 3166-2).
    Admin1,
    /// Country only.
    Country,
}

/// What happens to free-text notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotesMode {
    /// Dropped.
    Drop,
    /// Kept with phone numbers, e-mails, national IDs and the record's names replaced.
    Scrub,
}

/// What happens to one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Copied as it is.
    Keep,
    /// Left out.
    Drop,
    /// Replaced by a keyed pseudonym (identifying fields only).
    Pseudonymise,
    /// Generalised as the policy's settings say.
    Generalise,
    /// Shifted by the per-person date offset (dates only).
    DateShift,
}

impl Action {
    fn id(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Drop => "drop",
            Action::Pseudonymise => "pseudonymise",
            Action::Generalise => "generalise",
            Action::DateShift => "date_shift",
        }
    }
}

/// A pseudonymisation policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Id written into every record (`default` for the built-in policy).
    pub id: String,
    /// Precision of event dates.
    pub dates: DatePrecision,
    /// Largest per-person shift in days when dates are shifted.
    pub max_shift_days: u16,
    /// Lower bounds of the mother's age bands after the first (which starts at 10).
    pub mother_age_bands: Vec<u8>,
    /// Unit of a child's age.
    pub child_age: ChildAgeUnit,
    /// Precision of places.
    pub place: PlaceLevel,
    /// Counts from this value up are written `N+`.
    pub top_code_other_children: u32,
    /// Birth weights are rounded to this many grams.
    pub birth_weight_round_g: u32,
    /// Whether the order of name parts is ignored when matching names.
    pub name_order_independent: bool,
    /// What happens to notes.
    pub notes: NotesMode,
    /// Per-field actions overriding the defaults, keyed by JSON Pointer pattern.
    pub fields: BTreeMap<String, Action>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            id: "default".into(),
            dates: DatePrecision::Month,
            max_shift_days: 182,
            mother_age_bands: vec![18, 25, 30, 35, 40],
            child_age: ChildAgeUnit::Months,
            place: PlaceLevel::Admin1,
            top_code_other_children: 3,
            birth_weight_round_g: 250,
            name_order_independent: true,
            notes: NotesMode::Drop,
            fields: BTreeMap::new(),
        }
    }
}

/// Fields whose values make pseudonyms.
const PSEUDONYMISED: &[&str] = &[
    "/id",
    "/mother/name/given",
    "/mother/name/family",
    "/mother/name/patronymic",
    "/mother/national_id/value",
    "/children/*/name/given",
    "/children/*/name/family",
    "/children/*/name/patronymic",
    "/children/*/birth_certificate",
];

/// Fields the pseudonymised record must have.
const REQUIRED: &[&str] = &[
    "/intake_date",
    "/status",
    "/centre/country",
    "/centre/organisation/id",
    "/children/*/sex",
    "/children/*/location_at_intake",
    "/stay/admission_date",
    "/stay/stay_type",
    "/risk_assessments/*/date",
    "/risk_assessments/*/risk_level",
    "/follow_ups/*/point",
    "/follow_ups/*/due_date",
    "/follow_ups/*/contact_result",
    "/services/*/type",
    "/services/*/delivery",
    "/services/*/status",
    "/consent/aggregate_reporting",
];

/// Every date of a record that is a quasi-identifier and that the pseudonymised record carries.
/// Shifted all or none: one true date next to a shifted one gives the woman's shift away, and
/// with it all her dates in every export of the domain.
pub const QUASI_DATES: &[&str] = &[
    "/intake_date",
    "/children/*/birth_date",
    "/stay/admission_date",
    "/stay/discharge_date",
    "/risk_assessments/*/date",
    "/services/*/start_date",
    "/services/*/end_date",
    "/follow_ups/*/due_date",
    "/follow_ups/*/date",
];

fn is_date(pointer: &str) -> bool {
    pointer.ends_with("date") || pointer.ends_with("_date") || pointer == "/consent/withdrawn"
}

impl Policy {
    /// Reads a policy from TOML text.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let p: Policy = toml::from_str(text).map_err(|e| PolicyError::Parse(e.to_string()))?;
        p.checked()
    }

    /// Reads a policy from JSON text.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let p: Policy =
            serde_json::from_str(text).map_err(|e| PolicyError::Parse(e.to_string()))?;
        p.checked()
    }

    /// Reads a policy file: JSON if it starts with `{`, TOML otherwise.
    pub fn from_text(text: &str) -> Result<Policy, PolicyError> {
        if text.trim_start().starts_with('{') {
            Policy::from_json(text)
        } else {
            Policy::from_toml(text)
        }
    }

    /// Checks every setting and per-field action; returns the policy if all are allowed.
    pub fn checked(self) -> Result<Policy, PolicyError> {
        let bad = |setting: &str, why: &str| {
            Err(PolicyError::BadSetting { setting: setting.into(), why: why.into() })
        };
        if self.id.is_empty() || self.id.len() > 64 {
            return bad("id", "must be 1 to 64 characters");
        }
        if !(1..=730).contains(&self.max_shift_days) {
            return bad("max_shift_days", "must be between 1 and 730");
        }
        if self.mother_age_bands.windows(2).any(|w| w[0] >= w[1])
            || self.mother_age_bands.iter().any(|b| *b <= 10 || *b > 80)
        {
            return bad("mother_age_bands", "must be increasing ages between 11 and 80");
        }
        if self.top_code_other_children == 0 {
            return bad("top_code_other_children", "must be at least 1");
        }
        if !(1..=1000).contains(&self.birth_weight_round_g) {
            return bad("birth_weight_round_g", "must be between 1 and 1000");
        }
        for (field, action) in &self.fields {
            let class = disclosure::class_of(field)
                .ok_or_else(|| PolicyError::UnknownField { field: field.clone() })?;
            let no = |why: &str| {
                Err(PolicyError::ActionNotAllowed {
                    field: field.clone(),
                    action: action.id().into(),
                    why: why.into(),
                })
            };
            match action {
                Action::Keep | Action::Generalise if class == DisclosureClass::Direct => {
                    return no("a direct identifier cannot leave a centre; drop or pseudonymise it")
                }
                Action::Pseudonymise if !PSEUDONYMISED.contains(&field.as_str()) => {
                    return no(
                        "only names, ID and document numbers and the case id make pseudonyms",
                    )
                }
                Action::DateShift if !is_date(field) || class != DisclosureClass::Quasi => {
                    return no("only dates can be shifted")
                }
                Action::Drop if REQUIRED.contains(&field.as_str()) => {
                    return no("the pseudonymised record needs this field; generalise it instead")
                }
                Action::Generalise if class != DisclosureClass::Quasi => {
                    return no("only quasi-identifiers are generalised")
                }
                _ => {}
            }
        }
        self.dates_shifted_all_or_none()?;
        Ok(self)
    }

    /// Refuses a policy that shifts some dates and keeps or generalises others (see
    /// [`QUASI_DATES`]), naming the first date that would not be shifted.
    fn dates_shifted_all_or_none(&self) -> Result<(), PolicyError> {
        let shifting = self.dates == DatePrecision::Shift
            || self.fields.values().any(|a| *a == Action::DateShift);
        if !shifting {
            return Ok(());
        }
        for field in QUASI_DATES {
            let action = self.action(field);
            let shifted = match action {
                Action::Drop | Action::DateShift => true,
                Action::Generalise => self.dates == DatePrecision::Shift,
                _ => false,
            };
            if !shifted {
                return Err(PolicyError::ActionNotAllowed {
                    field: (*field).into(),
                    action: action.id().into(),
                    why: "this policy shifts dates, and one true date next to a shifted one \
                          gives the shift away: shift every date (dates = \"shift\") or none"
                        .into(),
                });
            }
        }
        Ok(())
    }

    /// The action for a field: the policy's override, or the default for its disclosure class.
    pub fn action(&self, pointer: &str) -> Action {
        if let Some(a) = self.fields.get(pointer) {
            return *a;
        }
        match disclosure::class_of(pointer) {
            Some(DisclosureClass::Direct) if PSEUDONYMISED.contains(&pointer) => {
                Action::Pseudonymise
            }
            Some(DisclosureClass::Direct) => Action::Drop,
            Some(DisclosureClass::Quasi) => Action::Generalise,
            _ => Action::Keep,
        }
    }

    /// Whether a field appears in the output at all.
    pub fn keeps(&self, pointer: &str) -> bool {
        self.action(pointer) != Action::Drop
    }

    /// A short digest identifying this policy's content (the id of a custom policy's settings).
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let d = ring::digest::digest(&ring::digest::SHA256, &json);
        d.as_ref()[..6].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_follows_the_disclosure_classes() {
        let p = Policy::default();
        assert_eq!(p.action("/mother/phone"), Action::Drop);
        assert_eq!(p.action("/mother/address/line"), Action::Drop);
        assert_eq!(p.action("/notes"), Action::Drop);
        assert_eq!(p.action("/mother/national_id/value"), Action::Pseudonymise);
        assert_eq!(p.action("/children/*/birth_certificate"), Action::Pseudonymise);
        assert_eq!(p.action("/mother/birth_date"), Action::Generalise);
        assert_eq!(p.action("/relinquishment_intent"), Action::Keep);
    }

    #[test]
    fn files_parse_and_bad_ones_name_the_field() {
        let p = Policy::from_toml(
            "dates = \"quarter\"\n[fields]\n\"/mother/citizenship\" = \"drop\"\n",
        )
        .unwrap();
        assert_eq!(p.dates, DatePrecision::Quarter);
        assert!(!p.keeps("/mother/citizenship"));
        let j = Policy::from_json(
            r#"{"dates": "shift", "fields": {"/stay/admission_date": "date_shift"}}"#,
        )
        .unwrap();
        assert_eq!(j.dates, DatePrecision::Shift);
        let e = Policy::from_toml("[fields]\n\"/mother/phone\" = \"keep\"\n").unwrap_err();
        assert!(e.to_string().contains("/mother/phone"), "{e}");
        let e = Policy::from_toml("[fields]\n\"/mother/shoe_size\" = \"drop\"\n").unwrap_err();
        assert_eq!(e, PolicyError::UnknownField { field: "/mother/shoe_size".into() });
        let e = Policy::from_toml("[fields]\n\"/intake_date\" = \"drop\"\n").unwrap_err();
        assert!(e.to_string().contains("/intake_date"));
        assert!(Policy::from_toml("datez = 1").is_err());
        assert!(Policy::from_toml("mother_age_bands = [30, 20]").is_err());
        assert!(Policy::from_toml("[fields]\n\"/status\" = \"date_shift\"\n").is_err());
    }

    #[test]
    fn dates_are_shifted_all_or_none() {
        // The attacker holds one true date of hers (the intake she remembers); a policy that
        // leaves any date unshifted next to shifted ones would hand her the shift.
        let refused = |text: &str, field: &str| {
            let e = Policy::from_toml(text).unwrap_err();
            assert!(
                matches!(&e, PolicyError::ActionNotAllowed { field: f, .. } if f == field),
                "{text}: {e}"
            );
            assert!(e.to_string().contains(field), "{e}");
        };
        refused("[fields]\n\"/stay/admission_date\" = \"date_shift\"\n", "/intake_date");
        refused(
            "dates = \"shift\"\n[fields]\n\"/follow_ups/*/date\" = \"keep\"\n",
            "/follow_ups/*/date",
        );
        refused(
            "dates = \"month\"\n[fields]\n\"/intake_date\" = \"date_shift\"\n\"/stay/admission_date\" = \"date_shift\"\n",
            "/children/*/birth_date",
        );
        // All shifted, or shifted and dropped: accepted.
        assert!(Policy::from_toml("dates = \"shift\"\n").is_ok());
        let mut all = String::from("dates = \"month\"\n[fields]\n");
        for f in QUASI_DATES {
            all.push_str(&format!("\"{f}\" = \"date_shift\"\n"));
        }
        assert!(Policy::from_toml(&all).is_ok(), "{all}");
        assert!(Policy::from_toml(
            "dates = \"shift\"\n[fields]\n\"/follow_ups/*/date\" = \"drop\"\n\"/stay/admission_date\" = \"date_shift\"\n"
        )
        .is_ok());
        // No shift at all: keeping or generalising dates freely is fine.
        assert!(Policy::from_toml("dates = \"quarter\"\n[fields]\n\"/intake_date\" = \"keep\"\n")
            .is_ok());
    }
}

//! Disclosure control over pseudonymised records: the quasi-identifiers of a [`PseudoCase`], and
//! k-anonymity per woman over them (the algorithm is in [`super::ktable`]).

use super::generalised::GenDate;
use super::ktable::{KPlan, QiTable, RiskReport};
use super::record::PseudoCase;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A quasi-identifier of a pseudonymised record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuasiIdentifier {
    /// The centre the woman came to.
    CentreId,
    /// The intake period (month, quarter… as the policy generalises it). Suppression coarsens
    /// every event date of the record (intake, stay, assessments, services, follow-ups) to its
    /// year: the record needs an intake date, and any other date would give the month back.
    IntakePeriod,
    /// The children's birth periods and ages at intake; suppression removes both.
    ChildrenBirthPeriod,
    /// Where the mother lives (subdivision).
    MotherAdmin1,
    /// The centre's subdivision.
    CentreAdmin1,
    /// Education.
    Education,
    /// Employment.
    Employment,
    /// Citizenship.
    Citizenship,
    /// Residence status.
    ResidenceStatus,
    /// Marital status.
    MaritalStatus,
    /// Number of other children.
    OtherChildren,
    /// The mother's age band.
    AgeBand,
}

impl QuasiIdentifier {
    /// The default set, most identifying first (suppressed first): what an attacker who knows
    /// a woman — a neighbour, a relative, the man she fled — can know: when and where she came,
    /// when her children were born, her age, citizenship, residence status, where she lives and
    /// her marital status.
    pub const DEFAULT: &'static [QuasiIdentifier] = &[
        QuasiIdentifier::ChildrenBirthPeriod,
        QuasiIdentifier::IntakePeriod,
        QuasiIdentifier::MotherAdmin1,
        QuasiIdentifier::Citizenship,
        QuasiIdentifier::ResidenceStatus,
        QuasiIdentifier::MaritalStatus,
        QuasiIdentifier::AgeBand,
        QuasiIdentifier::CentreId,
    ];

    /// The default set as the CLI's `--qi` takes it.
    pub const DEFAULT_TEXT: &'static str = "children_birth_period,intake_period,mother_admin1,\
        citizenship,residence_status,marital_status,age_band,centre_id";

    const ALL: &'static [(QuasiIdentifier, &'static str)] = &[
        (QuasiIdentifier::CentreId, "centre_id"),
        (QuasiIdentifier::IntakePeriod, "intake_period"),
        (QuasiIdentifier::ChildrenBirthPeriod, "children_birth_period"),
        (QuasiIdentifier::MotherAdmin1, "mother_admin1"),
        (QuasiIdentifier::CentreAdmin1, "centre_admin1"),
        (QuasiIdentifier::Education, "education"),
        (QuasiIdentifier::Employment, "employment"),
        (QuasiIdentifier::Citizenship, "citizenship"),
        (QuasiIdentifier::ResidenceStatus, "residence_status"),
        (QuasiIdentifier::MaritalStatus, "marital_status"),
        (QuasiIdentifier::OtherChildren, "other_children"),
        (QuasiIdentifier::AgeBand, "age_band"),
    ];

    /// The value in a record (`None`: missing).
    pub fn value(self, r: &PseudoCase) -> Option<String> {
        let m = &r.mother;
        match self {
            QuasiIdentifier::CentreId => r.centre.id.clone(),
            QuasiIdentifier::IntakePeriod => Some(r.intake.to_string()),
            QuasiIdentifier::ChildrenBirthPeriod => {
                let mut parts: Vec<String> = r
                    .children
                    .iter()
                    .filter(|c| c.birth.is_some() || c.age_at_intake.is_some())
                    .map(|c| {
                        let b = c.birth.map(|b| b.to_string()).unwrap_or_default();
                        let a = c.age_at_intake.map(|a| a.to_string()).unwrap_or_default();
                        format!("{b}/{a}")
                    })
                    .collect();
                parts.sort();
                (!parts.is_empty()).then(|| parts.join(","))
            }
            QuasiIdentifier::MotherAdmin1 => m.admin1.clone(),
            QuasiIdentifier::CentreAdmin1 => r.centre.admin1.clone(),
            QuasiIdentifier::Education => m.education.map(|v| v.to_string()),
            QuasiIdentifier::Employment => m.employment.map(|v| v.to_string()),
            QuasiIdentifier::Citizenship => m.citizenship.clone(),
            QuasiIdentifier::ResidenceStatus => m.residence_status.map(|v| v.to_string()),
            QuasiIdentifier::MaritalStatus => m.marital_status.map(|v| v.to_string()),
            QuasiIdentifier::OtherChildren => m.other_children.map(|v| v.to_string()),
            QuasiIdentifier::AgeBand => m.age_band.map(|v| v.to_string()),
        }
    }

    /// What suppression leaves of the value (`None`: nothing).
    pub fn suppressed_value(self, r: &PseudoCase) -> Option<String> {
        match self {
            QuasiIdentifier::IntakePeriod => Some(GenDate::Year(r.intake.year()).to_string()),
            _ => None,
        }
    }

    /// Suppresses the value; returns whether there was one.
    pub fn suppress(self, r: &mut PseudoCase) -> bool {
        let m = &mut r.mother;
        match self {
            QuasiIdentifier::CentreId => r.centre.id.take().is_some(),
            QuasiIdentifier::IntakePeriod => {
                let year = |d: &mut GenDate| *d = GenDate::Year(d.year());
                let before = r.intake;
                year(&mut r.intake);
                r.stay.iter_mut().for_each(|s| {
                    year(&mut s.admission);
                    s.discharge.iter_mut().for_each(year);
                });
                r.risk_assessments.iter_mut().for_each(|a| year(&mut a.date));
                r.services.iter_mut().for_each(|s| {
                    s.start.iter_mut().for_each(year);
                    s.end.iter_mut().for_each(year);
                });
                r.follow_ups.iter_mut().for_each(|f| {
                    year(&mut f.due);
                    f.date.iter_mut().for_each(year);
                });
                before != r.intake
            }
            QuasiIdentifier::ChildrenBirthPeriod => {
                let mut any = false;
                for c in &mut r.children {
                    any |= c.birth.take().is_some() | c.age_at_intake.take().is_some();
                }
                any
            }
            QuasiIdentifier::MotherAdmin1 => m.admin1.take().is_some(),
            QuasiIdentifier::CentreAdmin1 => r.centre.admin1.take().is_some(),
            QuasiIdentifier::Education => m.education.take().is_some(),
            QuasiIdentifier::Employment => m.employment.take().is_some(),
            QuasiIdentifier::Citizenship => m.citizenship.take().is_some(),
            QuasiIdentifier::ResidenceStatus => m.residence_status.take().is_some(),
            QuasiIdentifier::MaritalStatus => m.marital_status.take().is_some(),
            QuasiIdentifier::OtherChildren => m.other_children.take().is_some(),
            QuasiIdentifier::AgeBand => m.age_band.take().is_some(),
        }
    }
}

impl fmt::Display for QuasiIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Self::ALL.iter().find(|(q, _)| q == self).map_or("?", |(_, n)| n);
        f.write_str(name)
    }
}

impl FromStr for QuasiIdentifier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL.iter().find(|(_, n)| *n == s).map(|(q, _)| *q).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|(_, n)| *n).collect();
            format!("unknown quasi-identifier {s:?}; use one of {}", names.join(", "))
        })
    }
}

/// The woman a record is about, for counting: her pseudonym, or — when she has none (no valid
/// ID and no usable name, or a policy that drops both) — the case, so that each such record
/// counts as a woman of its own. [`RiskReport`] cannot tell those apart; the CLI and bindings
/// say how many records had no mother pseudonym.
pub fn woman_of(r: &PseudoCase) -> &str {
    r.mother.pseudonym.as_ref().unwrap_or(&r.case_pseudonym).as_str()
}

/// The quasi-identifier table of `records` over `qis` (sensitive value: the relinquishment
/// intent), in order.
pub fn qi_table<'a>(
    records: impl IntoIterator<Item = &'a PseudoCase>,
    qis: &[QuasiIdentifier],
) -> QiTable {
    let mut t = QiTable::new(qis.iter().map(ToString::to_string).collect())
        .unwrap_or_else(|_| unreachable!("fewer quasi-identifiers than MAX_QUASI_IDENTIFIERS"));
    for r in records {
        push_record(&mut t, r, qis);
    }
    t
}

/// Adds one record to a table made over `qis`.
pub fn push_record(t: &mut QiTable, r: &PseudoCase, qis: &[QuasiIdentifier]) {
    let values: Vec<(Option<String>, Option<String>)> =
        qis.iter().map(|q| (q.value(r), q.suppressed_value(r))).collect();
    let refs: Vec<(Option<&str>, Option<&str>)> =
        values.iter().map(|(v, s)| (v.as_deref(), s.as_deref())).collect();
    let sensitive = r.relinquishment_intent.map(|v| v.to_string());
    t.push_with_fallback(woman_of(r), &refs, sensitive.as_deref());
}

/// Applies the plan for row `row` to its record: suppresses what the plan says; returns whether
/// the record is released.
pub fn apply_plan(plan: &KPlan, row: usize, r: &mut PseudoCase, qis: &[QuasiIdentifier]) -> bool {
    for (col, q) in qis.iter().enumerate() {
        if plan.suppressed(row, col) {
            q.suppress(r);
        }
    }
    if plan.sensitive_suppressed(row) {
        r.relinquishment_intent = None;
    }
    plan.keeps(row)
}

/// Makes `records` k-anonymous over `qis` — every released group holds at least k distinct
/// women — and l-diverse in the relinquishment intent when `l` is given, removing records that
/// cannot be hidden. Returns the risk report.
pub fn k_anonymise(
    records: &mut Vec<PseudoCase>,
    k: usize,
    qis: &[QuasiIdentifier],
    l: Option<usize>,
) -> RiskReport {
    let plan = qi_table(records.iter(), qis).solve(k, l);
    let mut row = 0;
    records.retain_mut(|r| {
        let keep = apply_plan(&plan, row, r, qis);
        row += 1;
        keep
    });
    plan.report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pseudonym::testing::sample_case;
    use crate::pseudonym::{MasterKey, Policy, Pseudonymiser};
    use crate::schema::{Case, Codelist, MaritalStatus, RelinquishmentIntent};

    fn ps() -> Pseudonymiser {
        Pseudonymiser::new(&MasterKey::from_bytes(&[1; 32], 1).unwrap(), "t", Policy::default())
            .unwrap()
    }

    /// Case `i` of woman `w` (distinct women have distinct names).
    fn case_of(w: usize, i: usize) -> Case {
        let mut c = sample_case();
        c.id = format!("case-{w}-{i}");
        const GIVEN: [&str; 16] = [
            "Aigerim", "Dinara", "Zhanar", "Aliya", "Gulnaz", "Assel", "Madina", "Saule", "Kamila",
            "Dana", "Ainur", "Bota", "Tomiris", "Meruert", "Zarina", "Nazira",
        ];
        const FAMILY: [&str; 13] = [
            "Nurlanova",
            "Seitkazina",
            "Abenova",
            "Bekova",
            "Dosova",
            "Ermekova",
            "Fazylova",
            "Iskakova",
            "Kasymova",
            "Laskova",
            "Mukanova",
            "Omarova",
            "Pernebaeva",
        ];
        c.mother.name.given = GIVEN[w % 16].to_string();
        c.mother.name.family = Some(FAMILY[w / 16].to_string());
        c.mother.national_id = None;
        c
    }

    fn records(n: usize) -> Vec<PseudoCase> {
        let p = ps();
        (0..n)
            .map(|i| {
                let mut c = case_of(i, 0);
                c.mother.marital_status = MaritalStatus::ALL[i % 3];
                c.mother.citizenship =
                    Some(["KZ", "UZ", "KG", "RU", "TJ"][i % 5 * (i % 7) / 6].to_string());
                c.relinquishment_intent = RelinquishmentIntent::ALL[i % 4];
                let mut r = p.pseudonymise(&c).unwrap();
                r.mother.age_band =
                    Some(crate::pseudonym::age_band(18 + (i % 23) as i32, &[18, 25, 30, 35, 40]));
                r
            })
            .collect()
    }

    #[test]
    fn five_cases_of_one_mother_with_a_unique_citizenship_are_not_released_as_they_are() {
        // The attacker: she knows her sister-in-law is the only Tajik citizen who came
        // to the centre. Five cases of that woman must not make a group of "5".
        let p = ps();
        let mut rs: Vec<PseudoCase> = (0..5)
            .map(|i| {
                let mut c = case_of(0, i);
                c.mother.citizenship = Some("TJ".into());
                p.pseudonymise(&c).unwrap()
            })
            .collect();
        rs.extend((1..=12).map(|w| p.pseudonymise(&case_of(w, 0)).unwrap()));
        let her = rs[0].mother.pseudonym.clone().unwrap();
        assert!(rs[..5].iter().all(|r| r.mother.pseudonym.as_ref() == Some(&her)));
        let report = k_anonymise(&mut rs, 5, QuasiIdentifier::DEFAULT, None);
        assert_eq!(report.max_risk_before, 1.0, "{report}");
        assert_eq!((report.women_in, report.records_in), (13, 17));
        assert_eq!(report.women_at_risk_before, 1);
        assert!(report.max_risk <= 0.2 + 1e-12, "{report}");
        // Nothing released tells that a Tajik citizen is among them.
        assert!(rs.iter().all(|r| r.mother.citizenship.as_deref() != Some("TJ")));
        // What counts is women: every released group of equal values holds 5 distinct women.
        let t = qi_table(rs.iter(), QuasiIdentifier::DEFAULT);
        assert!(t.solve(5, None).report.at_risk_before == 0);
    }

    #[test]
    fn every_group_reaches_k_women_and_the_report_adds_up() {
        let mut rs = records(200);
        let report = k_anonymise(&mut rs, 5, QuasiIdentifier::DEFAULT, Some(2));
        assert_eq!(report.records_out, rs.len());
        assert_eq!(report.records_in, report.records_out + report.records_removed);
        assert_eq!(report.at_risk_after, 0);
        assert!(report.k_achieved >= 5);
        assert!((report.max_risk - 1.0 / report.k_achieved as f64).abs() < 1e-12);
        assert!(report.at_risk_before > 0 && report.cells_suppressed > 0);
        // Solving again what was released finds nothing at risk: the plan was applied.
        let again = qi_table(rs.iter(), QuasiIdentifier::DEFAULT).solve(5, None).report;
        assert_eq!((again.at_risk_before, again.cells_suppressed), (0, 0), "{again}");
    }

    #[test]
    fn suppressing_the_intake_period_leaves_no_month_anywhere() {
        let mut r = ps().pseudonymise(&sample_case()).unwrap();
        assert!(QuasiIdentifier::IntakePeriod.suppress(&mut r));
        assert!(QuasiIdentifier::ChildrenBirthPeriod.suppress(&mut r));
        assert!(r.children.iter().all(|c| c.birth.is_none() && c.age_at_intake.is_none()));
        // No month of any event survives: every date is a year.
        let text = serde_json::to_string(&r).unwrap();
        assert!(!text.contains("2025-") && !text.contains("2026-"), "{text}");
        assert_eq!(r.intake.to_string(), "2025");
    }

    #[test]
    fn small_sets_are_removed_rather_than_released() {
        let mut rs = records(3);
        let report = k_anonymise(&mut rs, 5, QuasiIdentifier::DEFAULT, None);
        assert!(rs.is_empty());
        assert_eq!(report.records_removed, 3);
    }

    #[test]
    fn names_parse() {
        assert_eq!("age_band".parse::<QuasiIdentifier>().unwrap(), QuasiIdentifier::AgeBand);
        assert!("shoe".parse::<QuasiIdentifier>().is_err());
        let defaults: Vec<QuasiIdentifier> =
            QuasiIdentifier::DEFAULT_TEXT.split(',').map(|q| q.trim().parse().unwrap()).collect();
        assert_eq!(defaults, QuasiIdentifier::DEFAULT);
    }
}

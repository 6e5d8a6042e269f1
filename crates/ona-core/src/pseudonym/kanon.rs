//! Disclosure control over a set of pseudonymised records: k-anonymity over chosen
//! quasi-identifiers by local suppression, l-diversity of a sensitive attribute, and a risk report.
//!
//! Algorithm (greedy local suppression): group records by their quasi-identifier values; every
//! record in a group smaller than k has its next quasi-identifier suppressed, in the order given
//! (most identifying first), and the groups are formed again. A suppressed value is written `*`
//! and matches only other suppressed values. Records still in a group smaller than k once all
//! their quasi-identifiers are suppressed are removed. l-diversity: in every group of the result,
//! the sensitive attribute must take at least l distinct values; where it does not, the attribute
//! is suppressed in that group's records.

use super::record::PseudoCase;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// A quasi-identifier of a pseudonymised record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuasiIdentifier {
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
    /// The default set, most identifying first (suppressed first).
    pub const DEFAULT: &'static [QuasiIdentifier] = &[
        QuasiIdentifier::MotherAdmin1,
        QuasiIdentifier::Citizenship,
        QuasiIdentifier::ResidenceStatus,
        QuasiIdentifier::MaritalStatus,
        QuasiIdentifier::AgeBand,
    ];

    const ALL: &'static [(QuasiIdentifier, &'static str)] = &[
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

    fn value(self, r: &PseudoCase) -> Option<String> {
        let m = &r.mother;
        match self {
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

    /// Suppresses the value; returns whether there was one.
    fn suppress(self, r: &mut PseudoCase) -> bool {
        let m = &mut r.mother;
        match self {
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

/// What disclosure control did and what risk remains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskReport {
    /// Records given.
    pub records_in: usize,
    /// Records released.
    pub records_out: usize,
    /// The k asked for.
    pub k: usize,
    /// The quasi-identifiers considered, in suppression order.
    pub quasi_identifiers: Vec<String>,
    /// Records in a group smaller than k before suppression.
    pub at_risk_before: usize,
    /// Records in a group smaller than k after (0 when k is achieved).
    pub at_risk_after: usize,
    /// Quasi-identifier values suppressed.
    pub cells_suppressed: usize,
    /// Records removed because no suppression could hide them.
    pub records_removed: usize,
    /// Smallest group size among released records.
    pub k_achieved: usize,
    /// Highest re-identification risk among released records: 1 / smallest group size.
    pub max_risk: f64,
    /// Highest risk before disclosure control.
    pub max_risk_before: f64,
    /// Groups of equal quasi-identifiers after suppression.
    pub groups: usize,
    /// The l asked for the sensitive attribute, if any.
    pub l: Option<usize>,
    /// Smallest number of distinct sensitive values in a group (before l-suppression).
    pub l_achieved: Option<usize>,
    /// Sensitive values suppressed to reach l.
    pub sensitive_suppressed: usize,
}

impl fmt::Display for RiskReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "disclosure control: k = {} over {}",
            self.k,
            self.quasi_identifiers.join(", ")
        )?;
        writeln!(f, "  records in / out:          {} / {}", self.records_in, self.records_out)?;
        writeln!(
            f,
            "  records at risk before:    {} (highest risk {:.3})",
            self.at_risk_before, self.max_risk_before
        )?;
        writeln!(f, "  records at risk after:     {}", self.at_risk_after)?;
        writeln!(f, "  cells suppressed:          {}", self.cells_suppressed)?;
        writeln!(f, "  records removed:           {}", self.records_removed)?;
        writeln!(f, "  k achieved:                {} in {} groups", self.k_achieved, self.groups)?;
        write!(f, "  highest re-identification risk: {:.3}", self.max_risk)?;
        if let (Some(l), Some(la)) = (self.l, self.l_achieved) {
            write!(f, "\n  l-diversity (relinquishment intent): asked {l}, lowest {la}, values suppressed {}", self.sensitive_suppressed)?;
        }
        Ok(())
    }
}

/// The quasi-identifier values of one record (`None` = suppressed).
type GroupKey = Vec<Option<String>>;

fn group_sizes(
    records: &[PseudoCase],
    qis: &[QuasiIdentifier],
) -> (Vec<GroupKey>, HashMap<GroupKey, usize>) {
    let keys: Vec<GroupKey> =
        records.iter().map(|r| qis.iter().map(|q| q.value(r)).collect()).collect();
    let mut sizes = HashMap::new();
    for k in &keys {
        *sizes.entry(k.clone()).or_insert(0) += 1;
    }
    (keys, sizes)
}

/// Makes `records` k-anonymous over `qis` (and l-diverse in the relinquishment intent when `l` is
/// given), removing records that cannot be hidden. Returns the risk report.
pub fn k_anonymise(
    records: &mut Vec<PseudoCase>,
    k: usize,
    qis: &[QuasiIdentifier],
    l: Option<usize>,
) -> RiskReport {
    let k = k.max(1);
    let records_in = records.len();
    let (keys, sizes) = group_sizes(records, qis);
    let at_risk_before = keys.iter().filter(|key| sizes[*key] < k).count();
    let min_before = sizes.values().copied().min().unwrap_or(0);
    let mut cells_suppressed = 0;
    for q in qis {
        let (keys, sizes) = group_sizes(records, qis);
        let mut any = false;
        for (r, key) in records.iter_mut().zip(&keys) {
            if sizes[key] < k {
                any = true;
                cells_suppressed += usize::from(q.suppress(r));
            }
        }
        if !any {
            break;
        }
    }
    let (keys, sizes) = group_sizes(records, qis);
    let before_removal = records.len();
    let mut keep = keys.iter().map(|key| sizes[key] >= k);
    records.retain(|_| keep.next().unwrap_or(false));
    let records_removed = before_removal - records.len();
    let (keys, sizes) = group_sizes(records, qis);
    let k_achieved = sizes.values().copied().min().unwrap_or(0);

    let (mut l_achieved, mut sensitive_suppressed) = (None, 0);
    if let Some(l) = l {
        let mut distinct: HashMap<&GroupKey, std::collections::BTreeSet<String>> = HashMap::new();
        for (r, key) in records.iter().zip(&keys) {
            distinct
                .entry(key)
                .or_default()
                .insert(r.relinquishment_intent.map(|v| v.to_string()).unwrap_or_default());
        }
        l_achieved = distinct.values().map(|s| s.len()).min();
        let poor: std::collections::HashSet<GroupKey> =
            distinct.iter().filter(|(_, s)| s.len() < l).map(|(key, _)| (*key).clone()).collect();
        for (r, key) in records.iter_mut().zip(&keys) {
            if poor.contains(key) && r.relinquishment_intent.take().is_some() {
                sensitive_suppressed += 1;
            }
        }
    }
    RiskReport {
        records_in,
        records_out: records.len(),
        k,
        quasi_identifiers: qis.iter().map(ToString::to_string).collect(),
        at_risk_before,
        at_risk_after: keys.iter().filter(|key| sizes[*key] < k).count(),
        cells_suppressed,
        records_removed,
        k_achieved,
        max_risk: if k_achieved == 0 { 0.0 } else { 1.0 / k_achieved as f64 },
        max_risk_before: if min_before == 0 { 0.0 } else { 1.0 / min_before as f64 },
        groups: sizes.len(),
        l,
        l_achieved,
        sensitive_suppressed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pseudonym::testing::sample_case;
    use crate::pseudonym::{MasterKey, Policy, Pseudonymiser};
    use crate::schema::{Codelist, MaritalStatus, RelinquishmentIntent};

    fn records(n: usize) -> Vec<PseudoCase> {
        let p = Pseudonymiser::new(
            &MasterKey::from_bytes(&[1; 32], 1).unwrap(),
            "t",
            Policy::default(),
        )
        .unwrap();
        let base = sample_case();
        (0..n)
            .map(|i| {
                let mut c = base.clone();
                c.id = format!("case-{i}");
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
    fn every_group_reaches_k_and_the_report_adds_up() {
        let mut rs = records(200);
        let report = k_anonymise(&mut rs, 5, QuasiIdentifier::DEFAULT, Some(2));
        let (_, sizes) = group_sizes(&rs, QuasiIdentifier::DEFAULT);
        assert!(sizes.values().all(|s| *s >= 5), "{sizes:?}");
        assert_eq!(report.records_out, rs.len());
        assert_eq!(report.records_in, report.records_out + report.records_removed);
        assert_eq!(report.at_risk_after, 0);
        assert_eq!(report.k_achieved, *sizes.values().min().unwrap());
        assert!((report.max_risk - 1.0 / report.k_achieved as f64).abs() < 1e-12);
        assert!(report.at_risk_before > 0 && report.cells_suppressed > 0);
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
    }
}

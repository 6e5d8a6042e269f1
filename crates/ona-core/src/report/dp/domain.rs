//! The public domain of a differentially private release: the populations, centres, periods and
//! (if broken down by them) mother's age bands the caller declares, never read from the data.
//!
//! Under differential privacy every released cell, key and provenance entry comes from this
//! declaration and the codelists; a record outside it (another population, an undeclared centre,
//! an undeclared age band) is left out, and an event in an undeclared period is not counted.
//! How many were left out is never published.
//!
//! The file is JSON:
//!
//! ```json
//! {
//!   "populations": [{"domain": "kz/case-management", "key_id": "k2025"}],
//!   "centres": [{"country": "KZ", "admin1": "KZ-75", "centre": "KZ-ALM-01"}],
//!   "periods": ["2024", "2025"],
//!   "mother_age_bands": ["18-24", "25-34", "35+"]
//! }
//! ```
//!
//! `admin1` and `centre` may be left out of an entry when the breakdown does not use them (the
//! entry then stands for the whole country, or the whole subdivision). `periods` are years,
//! quarters or months at least as fine as the report's period dimension (a year declares its
//! quarters for `--by …,quarter`); when left out, the `--period` filter declares them.

use crate::report::dimensions::{period_code, Dimension, Period};
use crate::report::error::ReportError;
use crate::report::population::Population;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// One declared place: a country, optionally a subdivision and a centre in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainCentre {
    /// Country (ISO 3166-1 alpha-2), as in the records.
    pub country: String,
    /// Subdivision (ISO 3166-2), as in the records (`unknown` where the policy removed it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// Centre id, as in the records (`unknown` where the policy removed it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<String>,
}

/// The declared public domain of a release (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicDomain {
    /// The populations whose records may be counted; each one's ledger is charged.
    pub populations: Vec<Population>,
    /// The places whose records may be counted.
    pub centres: Vec<DomainCentre>,
    /// The periods whose events may be counted (`2025`, `2025-Q3`, `2025-07`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<String>,
    /// Mother's age bands (`18-24`, `35+`), needed for a breakdown by `mother_age`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mother_age_bands: Vec<String>,
}

impl PublicDomain {
    /// Reads a domain from its JSON text.
    pub fn from_json(text: &str) -> Result<PublicDomain, ReportError> {
        serde_json::from_str(text)
            .map_err(|e| ReportError::BadDpParameter(format!("public domain: {e}")))
    }

    /// Reads a domain file.
    pub fn load(path: &Path) -> Result<PublicDomain, ReportError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ReportError::BadDpParameter(format!("public domain {}: {e}", path.display()))
        })?;
        PublicDomain::from_json(&text).map_err(|e| match e {
            ReportError::BadDpParameter(m) => {
                ReportError::BadDpParameter(format!("{}: {m}", path.display()))
            }
            other => other,
        })
    }

    /// Checks the declaration against a breakdown and period filter, and returns the period
    /// codes of the release at the granularity of `period_dim`, in order.
    pub(crate) fn resolve(
        &self,
        dims: &[Dimension],
        period_dim: Dimension,
        filter: Option<Period>,
    ) -> Result<Vec<u32>, ReportError> {
        let bad = |m: String| ReportError::BadDpParameter(format!("public domain: {m}"));
        if self.populations.is_empty() {
            return Err(
                bad("declare at least one population (pseudonym domain and key id)".into()),
            );
        }
        if self.centres.is_empty() {
            return Err(bad("declare at least one centre (or country)".into()));
        }
        for c in &self.centres {
            if dims.contains(&Dimension::Admin1) && c.admin1.is_none() {
                return Err(bad(format!(
                    "{:?} has no admin1, but the breakdown uses it",
                    c.country
                )));
            }
            if dims.contains(&Dimension::Centre) && c.centre.is_none() {
                return Err(bad(format!(
                    "{:?} has no centre, but the breakdown uses it",
                    c.country
                )));
            }
        }
        let distinct: BTreeSet<&DomainCentre> = self.centres.iter().collect();
        if distinct.len() != self.centres.len() {
            return Err(bad("a centre is declared twice".into()));
        }
        if dims.contains(&Dimension::MotherAge) && self.mother_age_bands.is_empty() {
            return Err(bad("declare mother_age_bands for a breakdown by mother_age".into()));
        }
        let from_filter = self.periods.is_empty();
        let declared: Vec<Period> = if from_filter {
            filter.into_iter().collect()
        } else {
            self.periods.iter().map(|p| p.parse()).collect::<Result<_, _>>()?
        };
        if declared.is_empty() {
            return Err(bad("declare the periods (\"periods\", or --period)".into()));
        }
        let mut codes = BTreeSet::new();
        for p in declared {
            let months = p.months();
            let mut seen = BTreeSet::new();
            for m in months.clone() {
                let d = crate::pseudonym::GenDate::Month {
                    year: m.div_euclid(12),
                    month: (m.rem_euclid(12) + 1) as u8,
                };
                // Only months inside the filter, if any.
                if filter.is_some_and(|f| f.locate(d) != crate::report::dimensions::Within::Inside)
                {
                    continue;
                }
                if let Some(c) = period_code(period_dim, d) {
                    seen.insert(c);
                }
            }
            // A declared period must cover whole periods of the report's granularity.
            for c in &seen {
                let code_months = months_of_code(period_dim, *c);
                let whole = from_filter
                    || (months.contains(code_months.start()) && months.contains(code_months.end()));
                if !whole {
                    return Err(bad(format!(
                        "period {p} is finer than the breakdown by {period_dim}: declare whole \
                         {period_dim}s"
                    )));
                }
            }
            codes.extend(seen);
        }
        if codes.is_empty() {
            return Err(bad("no declared period lies inside --period".into()));
        }
        Ok(codes.into_iter().collect())
    }
}

/// The months (counted as `year × 12 + month − 1`) of a period code.
fn months_of_code(dim: Dimension, code: u32) -> std::ops::RangeInclusive<i32> {
    let (y, r) = ((code / 100) as i32, (code % 100) as i32);
    match dim {
        Dimension::Quarter => y * 12 + (r - 1) * 3..=y * 12 + (r - 1) * 3 + 2,
        Dimension::Month => y * 12 + r - 1..=y * 12 + r - 1,
        _ => y * 12..=y * 12 + 11,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(periods: &[&str]) -> PublicDomain {
        PublicDomain {
            populations: vec![Population { domain: "kz/cm".into(), key_id: "k".into() }],
            centres: vec![DomainCentre { country: "KZ".into(), admin1: None, centre: None }],
            periods: periods.iter().map(|p| p.to_string()).collect(),
            mother_age_bands: vec![],
        }
    }

    #[test]
    fn periods_expand_to_the_breakdown_and_must_be_whole() {
        let dims = [Dimension::Country, Dimension::Quarter];
        let q = domain(&["2025"]).resolve(&dims, Dimension::Quarter, None).unwrap();
        assert_eq!(q, [202501, 202502, 202503, 202504]);
        let y = domain(&["2024", "2025"]).resolve(&dims, Dimension::Year, None).unwrap();
        assert_eq!(y, [202400, 202500]);
        let err = domain(&["2025-Q3"]).resolve(&dims, Dimension::Year, None).unwrap_err();
        assert!(err.to_string().contains("finer"), "{err}");
        let f: Period = "2025-Q2".parse().unwrap();
        let q = domain(&[]).resolve(&dims, Dimension::Month, Some(f)).unwrap();
        assert_eq!(q, [202504, 202505, 202506]);
        let q = domain(&["2024", "2025"]).resolve(&dims, Dimension::Quarter, Some(f)).unwrap();
        assert_eq!(q, [202502]);
        assert!(domain(&[]).resolve(&dims, Dimension::Year, None).is_err());
        let by_centre = [Dimension::Country, Dimension::Centre];
        let err = domain(&["2025"]).resolve(&by_centre, Dimension::Year, None).unwrap_err();
        assert!(err.to_string().contains("no centre"), "{err}");
        assert!(PublicDomain::from_json("{\"populations\":[],\"centres\":[],\"x\":1}").is_err());
    }
}

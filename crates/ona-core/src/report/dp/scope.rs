//! What the aggregator counts under differential privacy: records inside the declared public
//! domain, each woman's first cases up to the bound, and nothing whose woman is unknown.

use super::domain::{DomainCentre, PublicDomain};
use crate::pseudonym::PseudoCase;
use crate::report::population::Population;
use std::collections::HashSet;

/// The code of an absent subdivision or centre in the string slots.
const UNKNOWN: &str = "unknown";

/// The aggregator's side of a differentially private release.
#[derive(Debug, Clone)]
pub(crate) struct DpScope {
    /// Cases counted per woman at most.
    pub(crate) bound: u32,
    populations: Vec<Population>,
    centres: Vec<DomainCentre>,
    /// Period codes (at the report's granularity) whose events are counted.
    pub(crate) periods: HashSet<u32>,
    /// The same, in order.
    pub(crate) period_list: Vec<u32>,
    /// Declared mother's age bands when the breakdown uses them.
    pub(crate) ages: Option<Vec<String>>,
}

/// What to do with a record.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Count it, at the declared place of this index.
    Count(usize),
    /// Leave it out: outside the public domain (never published).
    Outside,
    /// Refuse the input: the record cannot be bounded.
    Refuse(String),
}

impl DpScope {
    pub(crate) fn new(
        domain: &PublicDomain,
        bound: u32,
        period_list: Vec<u32>,
        by_age: bool,
    ) -> DpScope {
        DpScope {
            bound,
            populations: domain.populations.clone(),
            centres: domain.centres.clone(),
            periods: period_list.iter().copied().collect(),
            period_list,
            ages: by_age.then(|| domain.mother_age_bands.clone()),
        }
    }

    /// The declared places as (country, admin1, centre) text, `unknown` where not declared.
    pub(crate) fn places(&self) -> impl Iterator<Item = [&str; 3]> + '_ {
        self.centres.iter().map(|c| {
            [
                c.country.as_str(),
                c.admin1.as_deref().unwrap_or(UNKNOWN),
                c.centre.as_deref().unwrap_or(UNKNOWN),
            ]
        })
    }

    /// Decides on one record.
    pub(crate) fn admit(&self, c: &PseudoCase) -> Admit {
        let m = &c.pseudonymisation;
        if !self.populations.iter().any(|p| p.domain == m.domain && p.key_id == m.key_id) {
            return Admit::Outside;
        }
        if c.mother.pseudonym.is_none() {
            return Admit::Refuse(
                "the record has no mother pseudonym, so her cases cannot be bounded; \
                 pseudonymise with a policy that keeps it"
                    .into(),
            );
        }
        if c.schema_version != crate::schema::SCHEMA_VERSION {
            return Admit::Outside;
        }
        if let Some(ages) = &self.ages {
            let band = c.mother.age_band.map_or(UNKNOWN.to_string(), |b| b.to_string());
            if band != UNKNOWN && !ages.contains(&band) {
                return Admit::Outside;
            }
        }
        let same = |declared: &Option<String>, actual: Option<&str>| {
            declared.as_deref().is_none_or(|d| d == actual.unwrap_or(UNKNOWN))
        };
        self.centres
            .iter()
            .position(|d| {
                d.country == c.centre.country
                    && same(&d.admin1, c.centre.admin1.as_deref())
                    && same(&d.centre, c.centre.id.as_deref())
            })
            .map_or(Admit::Outside, Admit::Count)
    }
}

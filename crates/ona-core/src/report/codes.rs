//! The codes of a cell key's slots and their texts: strings interned as they come, and the
//! text and the full list of codes of each slot, read from the domains of [`super::slots::TABLE`].

use super::cell_key::TOT;
use super::dimensions::{period_text, Dimension, TOTAL};
use super::hasher::HashMap;
use super::slots::{Domain, Slot, CHILD_BANDS};
use crate::schema::{Codelist, Placement, ReferralSource, RiskFactor, ServiceType};

/// Interned strings of one string slot.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    pub(crate) names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    /// The code of `s`, a new one if it is new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// Text of a code in a slot.
pub(crate) struct Codes {
    /// The place names of each [`Domain::Place`] interner.
    pub(crate) strings: [Vec<String>; 3],
    /// The mother age bands, by code.
    pub(crate) ages: Vec<String>,
    /// The report's period dimension.
    pub(crate) period_dim: Dimension,
}

impl Codes {
    /// The text of `code` in `slot` ([`TOTAL`] for a total).
    pub(crate) fn text(&self, slot: Slot, code: u32) -> String {
        if code == TOT {
            return TOTAL.to_string();
        }
        let i = code as usize;
        let s = |v: &[String]| v.get(i).cloned().unwrap_or_default();
        match slot.info().domain {
            Domain::Place(p) => s(&self.strings[p]),
            Domain::Period => period_text(self.period_dim, code),
            Domain::AgeBands => s(&self.ages),
            Domain::ChildBands => CHILD_BANDS.get(i).unwrap_or(&"").to_string(),
            Domain::ReferralSources => {
                ReferralSource::ALL.get(i).map_or("unknown", |c| c.id()).to_string()
            }
            Domain::RiskFactors => RiskFactor::ALL.get(i).map_or("", |c| c.id()).to_string(),
            Domain::ServiceTypes => ServiceType::ALL.get(i).map_or("", |c| c.id()).to_string(),
            Domain::Placements => Placement::ALL.get(i).map_or("", |c| c.id()).to_string(),
        }
    }

    /// Every code of `slot` (`periods`: the codes of the period slot).
    pub(crate) fn domain(&self, slot: Slot, periods: &[u32]) -> Vec<u32> {
        let n = |k: usize| (0..k as u32).collect();
        match slot.info().domain {
            Domain::Place(p) => n(self.strings[p].len()),
            Domain::Period => periods.to_vec(),
            Domain::AgeBands => n(self.ages.len()),
            fixed => n(fixed.fixed_len().unwrap_or(0)),
        }
    }
}

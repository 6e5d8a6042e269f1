//! The noisy tables of a differentially private release: which count tables the chosen
//! indicators need, their noise parameters (the budget split in proportion to each table's
//! sensitivity, so every table gets the same noise scale as one mechanism over all of them), the
//! public cells of each (from the declared domain and the codelists, never from the data), and
//! the 95 % half-width of every published count.

use super::accuracy::{gaussian_half_width_at, laplace_half_width_at, Level, LEVEL_95};
use super::{DpSpec, Mechanism, NoiseSource};
use crate::report::aggregate::{count_index, unit_cap, HashMap, Key, COUNTS, SLOTS, TOT};
use crate::report::codes::Codes;
use crate::report::error::ReportError;
use crate::report::indicators::{Indicator, Kind, DEFINITIONS};
use crate::report::model::NoiseRecord;
use crate::report::slots::{Domain, TABLE};
use std::collections::{BTreeMap, BTreeSet};

/// Number of cells above which a DP table is refused (the noise domain is enumerated).
const MAX_DP_CELLS: usize = 2_000_000;

/// The indicators to publish: those chosen, or all of them.
pub(crate) fn chosen(indicators: &[Indicator]) -> Vec<Indicator> {
    if indicators.is_empty() {
        DEFINITIONS.iter().map(|d| d.indicator).collect()
    } else {
        indicators.to_vec()
    }
}

/// Positions in [`COUNTS`] of the count tables the chosen indicators need under DP (a share needs
/// its numerator and denominator). Means and medians are not released under DP: choosing one is
/// an error; when all indicators are wanted they are left out.
pub(crate) fn needed_tables(indicators: &[Indicator]) -> Result<BTreeSet<usize>, ReportError> {
    let mut out = BTreeSet::new();
    for i in chosen(indicators) {
        let def = i.definition();
        match def.kind {
            Kind::Count => out.extend(count_index(i)),
            Kind::Share => {
                out.extend(def.numerator_of.and_then(count_index));
                out.extend(def.denominator.and_then(count_index));
            }
            Kind::Mean | Kind::Median if !indicators.is_empty() => {
                return Err(ReportError::BadDpParameter(format!(
                    "{} is not released under differential privacy (means and medians are not \
                     noised); choose counts and shares",
                    i.id()
                )));
            }
            Kind::Mean | Kind::Median => {}
        }
    }
    Ok(out)
}

/// The noise of every needed table: the same parameter for all, from the sum of their
/// sensitivities (Laplace: scale ΣΔ/ε) or of their squares (Gaussian: σ² = ΣΔ²/2ρ).
pub(crate) struct NoisePlan {
    /// Per-woman sensitivity of each needed table, by position in [`COUNTS`].
    pub(crate) sensitivity: BTreeMap<usize, u64>,
    /// The sampler's parameter: Laplace `(s, t)` for scale t/s, Gaussian `(a, b)` for σ² = a/b.
    pub(crate) param: (u128, u128),
}

impl NoisePlan {
    pub(crate) fn new(dp: &DpSpec, tables: &BTreeSet<usize>) -> Result<NoisePlan, ReportError> {
        let sensitivity: BTreeMap<usize, u64> = tables
            .iter()
            .map(|t| (*t, u64::from(dp.max_cases_per_woman) * unit_cap(COUNTS[*t])))
            .collect();
        let total = match dp.mechanism {
            Mechanism::Laplace => sensitivity.values().sum::<u64>(),
            Mechanism::Gaussian => sensitivity.values().map(|d| d * d).sum::<u64>(),
        };
        Ok(NoisePlan { sensitivity, param: dp.parameter(total.max(1))? })
    }

    /// The 95 % half-width of a sum of `n` noise samples.
    pub(crate) fn half_width(&self, dp: &DpSpec, n: u64) -> u64 {
        self.half_width_at(dp, n, LEVEL_95)
    }

    /// The half-width at `level` of a sum of `n` noise samples.
    pub(crate) fn half_width_at(&self, dp: &DpSpec, n: u64, level: Level) -> u64 {
        let (x, y) = (self.param.0 as f64, self.param.1 as f64);
        match dp.mechanism {
            Mechanism::Laplace => laplace_half_width_at(y / x, n, level),
            Mechanism::Gaussian => gaussian_half_width_at(x / y, n, level),
        }
    }

    /// The noise's scale in words: `laplace scale 12.5` or `gaussian sigma 3.2`.
    pub(crate) fn scale(&self, dp: &DpSpec) -> f64 {
        let (x, y) = (self.param.0 as f64, self.param.1 as f64);
        match dp.mechanism {
            Mechanism::Laplace => y / x,
            Mechanism::Gaussian => (x / y).sqrt(),
        }
    }

    /// What the report records of the noise of table `t`.
    pub(crate) fn record(&self, dp: &DpSpec, t: usize) -> NoiseRecord {
        NoiseRecord {
            indicator: COUNTS[t].id().to_string(),
            sensitivity: self.sensitivity.get(&t).copied().unwrap_or(0),
            parameter: format!("{}/{}", self.param.1, self.param.0),
            margin_95: Some(self.half_width(dp, 1)),
        }
    }
}

/// The public cells of a table: the declared places (a centre only under its own country,
/// projected on the table's geographic slots) × the declared periods × the codelists.
pub(crate) fn table_keys(
    mask: &[bool; SLOTS],
    codes: &Codes,
    periods: &[u32],
    places: &[[u32; 3]],
) -> Result<Vec<Key>, ReportError> {
    let mut keys: Vec<Key> = places
        .iter()
        .map(|g| {
            let mut k = [TOT; SLOTS];
            for row in TABLE.iter().filter(|r| mask[r.slot.index()]) {
                if let Domain::Place(p) = row.domain {
                    k[row.slot.index()] = g[p];
                }
            }
            k
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let others = TABLE.iter().filter(|r| !matches!(r.domain, Domain::Place(_)));
    for row in others.filter(|r| mask[r.slot.index()]) {
        let s = row.slot.index();
        let dom = codes.domain(row.slot, periods);
        if keys.len().saturating_mul(dom.len().max(1)) > MAX_DP_CELLS {
            return Err(ReportError::BadDpParameter(format!(
                "the breakdown has more than {MAX_DP_CELLS} cells per table; choose fewer dimensions"
            )));
        }
        keys = keys
            .iter()
            .flat_map(|k| {
                dom.iter().map(move |v| {
                    let mut k2 = *k;
                    k2[s] = *v;
                    k2
                })
            })
            .collect();
    }
    Ok(keys)
}

/// Every public cell of a table with its noisy count (not clamped, so totals stay unbiased).
pub(crate) fn noisy_cells<R: NoiseSource + ?Sized>(
    keys: Vec<Key>,
    detail: &HashMap<Key, u64>,
    dp: &DpSpec,
    param: (u128, u128),
    rng: &mut R,
) -> HashMap<Key, i128> {
    keys.into_iter()
        .map(|k| (k, detail.get(&k).copied().unwrap_or(0) as i128 + dp.sample(rng, param)))
        .collect()
}

/// A noisy table with its margins: each cell's noisy sum and how many detail cells it sums.
pub(crate) fn noisy_margins(
    detail: &HashMap<Key, i128>,
    mask: &[bool; SLOTS],
) -> BTreeMap<Key, (i128, u64)> {
    let sets = crate::report::margins::margin_sets(mask);
    let mut out: BTreeMap<Key, (i128, u64)> = BTreeMap::new();
    for (k, v) in detail {
        for set in &sets {
            let mut k2 = *k;
            for s in set {
                k2[*s] = TOT;
            }
            let e = out.entry(k2).or_default();
            e.0 += v;
            e.1 += 1;
        }
    }
    out
}

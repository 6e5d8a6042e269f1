//! The observations of a report: each cell of the suppressed count tables (and of the
//! length-of-stay margins) turned into an [`Observation`] with its dimension texts; shares, means
//! and medians are derived here.

use super::aggregate::{count_index, Plan};
use super::cell_key::{Key, TOT};
use super::codes::Codes;
use super::dimensions::Dimension;
use super::dp::accuracy::{share_bounds, Margins};
use super::indicators::{Indicator, Kind, DEFINITIONS};
use super::length_of_stay::Los;
use super::model::{ConfStatus, ObsStatus, Observation};
use super::ratio::ratio;
use super::suppress::{Cell, Supp};
use std::collections::BTreeMap;

/// Dimensions carried by every observation besides the breakdown: the inherent ones.
const INHERENT: [Dimension; 4] =
    [Dimension::ReferralSource, Dimension::RiskFactor, Dimension::ServiceType, Dimension::Outcome];

/// Dimensions of every observation: the breakdown, then the inherent ones.
pub(crate) fn obs_dims(plan_dims: &[Dimension]) -> Vec<Dimension> {
    let mut v = plan_dims.to_vec();
    for d in INHERENT {
        if !v.contains(&d) {
            v.push(d);
        }
    }
    v
}

fn status(supp: Supp) -> (ObsStatus, ConfStatus) {
    match supp {
        Supp::Free => (ObsStatus::A, ConfStatus::F),
        Supp::Primary => (ObsStatus::Q, ConfStatus::C),
        Supp::Secondary => (ObsStatus::Q, ConfStatus::D),
    }
}

/// Builds the observations from suppressed count tables (`cells`, in [`COUNTS`] order) and
/// length-of-stay margins; shares, means and medians are derived here. Under differential
/// privacy `margins_95` holds each count's half-widths (same order as `cells`): counts carry
/// their 95 % half-width, shares the 95 % interval made from those of their two counts.
pub(crate) fn observations(
    plan: &Plan,
    codes: &Codes,
    cells: &mut [BTreeMap<Key, Cell>],
    los: &BTreeMap<Key, Los>,
    threshold: u64,
    margins_95: Option<&[BTreeMap<Key, Margins>]>,
) -> Vec<Observation> {
    let dp = plan.dp.is_some();
    let dims = obs_dims(&plan.dims);
    let dims_of = |k: &Key| -> BTreeMap<String, String> {
        dims.iter().map(|d| (d.id().to_string(), codes.text(d.key_slot(), k[d.slot()]))).collect()
    };
    let mut out = Vec::new();
    for def in DEFINITIONS {
        let unit = def.unit.code().to_string();
        match def.kind {
            Kind::Count => {
                let Some(idx) = count_index(def.indicator) else { continue };
                for (k, c) in &cells[idx] {
                    let (o, cs) = status(c.supp);
                    let margin_95 = margins_95.and_then(|m| Some(m.get(idx)?.get(k)?.at_95));
                    out.push(Observation {
                        indicator: def.id.to_string(),
                        dims: dims_of(k),
                        value: (c.supp == Supp::Free).then(|| c.value.map(Into::into)).flatten(),
                        margin_95,
                        low_95: None,
                        high_95: None,
                        numerator: None,
                        denominator: None,
                        unit: unit.clone(),
                        obs_status: if c.supp == Supp::Free && c.value.is_none() {
                            ObsStatus::M
                        } else {
                            o
                        },
                        conf_status: cs,
                    });
                }
            }
            Kind::Share => {
                let (Some(ni), Some(di)) =
                    (def.numerator_of.and_then(count_index), def.denominator.and_then(count_index))
                else {
                    continue;
                };
                let inherent = def.inherent.map(|d| d.slot());
                let keys: Vec<Key> = if inherent.is_some() {
                    cells[ni].keys().copied().collect()
                } else {
                    cells[di].keys().copied().collect()
                };
                for k in keys {
                    let mut dk = k;
                    if let Some(s) = inherent {
                        dk[s] = TOT;
                    }
                    let Some(den) = cells[di].get(&dk).copied() else { continue };
                    let num = cells[ni]
                        .get(&k)
                        .copied()
                        .unwrap_or(Cell { value: Some(0), supp: Supp::Free });
                    if den.value == Some(0) && !dp {
                        continue;
                    }
                    let free = num.supp == Supp::Free && den.supp == Supp::Free;
                    // Under DP a noisy denominator of 0 leaves the share undefined (missing),
                    // so the observations do not depend on the data.
                    let known = free && num.value.is_some() && den.value.is_some_and(|d| d > 0);
                    let (value, n, d) = match (known, num.value, den.value) {
                        (true, Some(n), Some(d)) => {
                            (Some(ratio(n.min(d), d, 100)), Some(n), Some(d))
                        }
                        _ => (None, None, None),
                    };
                    let (low_95, high_95) = match (n, d, margins_95) {
                        (Some(n), Some(d), Some(m)) => share_bounds(
                            n,
                            d,
                            m.get(ni).and_then(|t| t.get(&k)),
                            m.get(di).and_then(|t| t.get(&dk)),
                        ),
                        _ => (None, None),
                    };
                    out.push(Observation {
                        indicator: def.id.to_string(),
                        dims: dims_of(&k),
                        value,
                        margin_95: None,
                        low_95,
                        high_95,
                        numerator: n,
                        denominator: d,
                        unit: unit.clone(),
                        obs_status: if free && !known {
                            ObsStatus::M
                        } else if free {
                            ObsStatus::A
                        } else {
                            ObsStatus::Q
                        },
                        conf_status: if free { ConfStatus::F } else { ConfStatus::C },
                    });
                }
            }
            Kind::Mean | Kind::Median => {
                let Some(exits) = count_index(Indicator::Exits) else { continue };
                for (k, l) in los {
                    let exit_free = cells[exits].get(k).is_some_and(|c| c.supp == Supp::Free);
                    let free = exit_free && l.n >= threshold;
                    let value = if !free {
                        None
                    } else if def.kind == Kind::Mean {
                        Some(ratio(l.sum, l.n, 1))
                    } else {
                        l.median().map(|m| serde_json::Number::from(u64::from(m)))
                    };
                    let mean = def.kind == Kind::Mean && free;
                    out.push(Observation {
                        indicator: def.id.to_string(),
                        dims: dims_of(k),
                        value,
                        margin_95: None,
                        low_95: None,
                        high_95: None,
                        numerator: mean.then_some(l.sum),
                        denominator: mean.then_some(l.n),
                        unit: unit.clone(),
                        obs_status: if free { ObsStatus::A } else { ObsStatus::Q },
                        conf_status: if free { ConfStatus::F } else { ConfStatus::C },
                    });
                }
            }
        }
    }
    out
}

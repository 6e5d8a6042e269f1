//! Suppressing more cells of a report that is already built (to protect a cell of it or of an
//! earlier release): the chosen counts become secondary-suppressed, the single-relation rule of
//! [`crate::report::suppress`] is restored around them, and every share, mean or median that
//! depends on a newly hidden count is hidden with it (as the report builder does).

use super::super::aggregate::count_index;
use super::super::error::ReportError;
use super::super::indicators::{Indicator, Kind, DEFINITIONS};
use super::super::model::{ConfStatus, ObsStatus, Observation, Report};
use super::super::suppress::{secondary, Supp};
use super::decode;
use std::collections::BTreeMap;

/// Hides the count observations at positions `chosen` of `report` (secondary suppression), then
/// whatever else must go with them. Returns how many count cells were newly hidden.
pub(crate) fn suppress_more(report: &mut Report, chosen: &[usize]) -> Result<usize, ReportError> {
    let mut p = decode::published(report)?;
    let cell_of: BTreeMap<usize, (usize, _)> =
        p.observation.iter().map(|(c, n)| (*n, *c)).collect();
    for n in chosen {
        let Some((t, k)) = cell_of.get(n) else {
            return Err(ReportError::BadReport(format!("observation {} is not a count", n + 1)));
        };
        if let Some(c) = p.tables[*t].get_mut(k) {
            if c.supp == Supp::Free {
                c.supp = Supp::Secondary;
            }
        }
    }
    for (table, mask) in p.tables.iter_mut().zip(&p.masks) {
        secondary(table, mask);
    }
    let mut hidden = 0;
    for ((t, k), n) in &p.observation {
        let o = &mut report.observations[*n];
        if p.tables[*t][k].supp != Supp::Free && o.conf_status == ConfStatus::F {
            hide(o, ConfStatus::D);
            hidden += 1;
        }
    }
    hide_derived(report);
    Ok(hidden)
}

fn hide(o: &mut Observation, why: ConfStatus) {
    o.value = None;
    o.numerator = None;
    o.denominator = None;
    o.obs_status = ObsStatus::Q;
    o.conf_status = why;
}

/// Hides each published share whose numerator or denominator count is hidden, and each
/// length-of-stay mean or median whose exits count is hidden.
fn hide_derived(report: &mut Report) {
    let hidden: BTreeMap<(String, BTreeMap<String, String>), bool> = report
        .observations
        .iter()
        .filter(|o| Indicator::from_id(&o.indicator).and_then(count_index).is_some())
        .map(|o| ((o.indicator.clone(), o.dims.clone()), o.conf_status != ConfStatus::F))
        .collect();
    let is_hidden = |i: Indicator, dims: &BTreeMap<String, String>| {
        hidden.get(&(i.id().to_string(), dims.clone())).copied()
    };
    for o in &mut report.observations {
        if o.conf_status != ConfStatus::F || o.obs_status != ObsStatus::A {
            continue;
        }
        let Some(def) = DEFINITIONS.iter().find(|d| d.id == o.indicator) else { continue };
        let hide_it = match def.kind {
            Kind::Count => false,
            Kind::Share => {
                // A numerator cell the report does not list is a published zero.
                let num = def.numerator_of.and_then(|i| is_hidden(i, &o.dims)).unwrap_or(false);
                let mut dd = o.dims.clone();
                if let Some(d) = def.inherent {
                    dd.insert(d.id().to_string(), super::super::dimensions::TOTAL.to_string());
                }
                let den = def.denominator.and_then(|i| is_hidden(i, &dd)).unwrap_or(true);
                num || den
            }
            Kind::Mean | Kind::Median => is_hidden(Indicator::Exits, &o.dims).unwrap_or(true),
        };
        if hide_it {
            hide(o, ConfStatus::C);
        }
    }
}

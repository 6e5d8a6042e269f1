//! A published report read back into count tables: what the attacker holds.

use super::super::aggregate::{count_index, Key, Plan, COUNTS, SLOTS};
use super::super::build::obs_dims;
use super::super::dimensions::Dimension;
use super::super::error::ReportError;
use super::super::indicators::Indicator;
use super::super::merge::Decoder;
use super::super::model::{ConfStatus, ObsStatus, Report};
use super::super::suppress::{Cell, Supp};
use super::system::{CellRef, Origin};
use std::collections::BTreeMap;

/// The count tables of a report, as published.
pub(crate) struct Published {
    /// Count tables in [`COUNTS`] order.
    pub(crate) tables: Vec<BTreeMap<Key, Cell>>,
    /// Active slots of each table.
    pub(crate) masks: Vec<[bool; SLOTS]>,
    /// Which relations hold exactly.
    pub(crate) origin: Origin,
    /// The observation of each cell.
    pub(crate) observation: BTreeMap<CellRef, usize>,
}

/// Reads the count tables of `report`.
pub(crate) fn published(report: &Report) -> Result<Published, ReportError> {
    let dims: Vec<Dimension> = report.by.iter().map(|d| d.parse()).collect::<Result<_, _>>()?;
    let period_dim = dims.iter().copied().find(|d| d.is_period()).unwrap_or(Dimension::Year);
    let plan = Plan { dims: dims.clone(), period_dim, filter: None, dp: None };
    let masks: Vec<[bool; SLOTS]> = COUNTS.iter().map(|i| plan.mask(*i)).collect();
    let all_dims = obs_dims(&dims);
    let mut dec = Decoder { strings: Default::default(), ages: Default::default() };
    let mut tables = vec![BTreeMap::new(); COUNTS.len()];
    let mut observation = BTreeMap::new();
    for (n, o) in report.observations.iter().enumerate() {
        let Some(t) = Indicator::from_id(&o.indicator).and_then(count_index) else { continue };
        let k = dec.key(&all_dims, o)?;
        let value = match (&o.value, o.obs_status) {
            (Some(v), ObsStatus::A) => Some(v.as_u64().ok_or_else(|| {
                ReportError::BadReport(format!(
                    "observation {} of {} has the value {v}, not a count",
                    n + 1,
                    o.indicator
                ))
            })?),
            _ => None,
        };
        let supp = match o.conf_status {
            ConfStatus::F => Supp::Free,
            ConfStatus::C => Supp::Primary,
            ConfStatus::D => Supp::Secondary,
        };
        if tables[t].insert(k, Cell { value, supp }).is_some() {
            return Err(ReportError::BadReport(format!(
                "observation {} repeats a cell of {}",
                n + 1,
                o.indicator
            )));
        }
        observation.insert((t, k), n);
    }
    let origin =
        Origin { noisy: report.dp.is_some(), merged: !report.provenance.merged_from.is_empty() };
    Ok(Published { tables, masks, origin, observation })
}

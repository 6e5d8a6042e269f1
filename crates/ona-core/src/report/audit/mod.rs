//! The disclosure audit of a published report: for every suppressed count, the least and the
//! greatest value an attacker holding the whole report can derive by linear programming.
//!
//! The attacker (see the `system` module and docs/reporting.md) knows every published value and flag,
//! the threshold k, every total of every table, the geographic hierarchy, and the relations
//! between indicators that hold by definition. A primary-suppressed cell is *protected* when the
//! exact LP interval is the whole 1 … k − 1: the attacker learns nothing beyond the flag — or,
//! for a cell inside a small total, contains what the flags alone already give away (see the
//! `flags` module: a small count whose small total has another small cell is at most k − 2, and
//! a cell not flagged C is 0 or ≥ k).
//!
//! ```no_run
//! # let text = std::fs::read_to_string("report.json").unwrap_or_default();
//! let report = ona_core::report::Report::from_json(&text)?;
//! let audit = ona_core::report::audit::audit(&report)?;
//! assert!(audit.passes());
//! # Ok::<(), ona_core::report::ReportError>(())
//! ```

pub(crate) mod certify;
mod combine;
mod complete;
#[cfg(test)]
mod complete_tests;
mod decode;
#[cfg(test)]
mod dump;
pub(crate) mod flags;
mod flags_lp;
mod pattern;
pub(crate) mod presolve;
pub(crate) mod protect;
pub(crate) mod resuppress;
pub(crate) mod solve;
pub(crate) mod system;

pub(crate) use combine::quantities as combine_quantities;
pub use combine::{audit_together, JointAudit, JointCell};

use super::error::ReportError;
use super::model::{ConfStatus, Report};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the attacker can derive about one primary-suppressed count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellAudit {
    /// Indicator id.
    pub indicator: String,
    /// The cell's dimensions, as in the report.
    pub dims: BTreeMap<String, String>,
    /// Always `C` (primary): secondary cells are unknowns of the attack, not its targets.
    pub conf_status: ConfStatus,
    /// The least value the published report allows.
    pub lower: f64,
    /// The greatest value it allows.
    pub upper: Option<f64>,
    /// The least value the flags and relations alone allow, before any published value is
    /// read: 1, or more for a small total of small counts.
    pub flags_lower: f64,
    /// The greatest value the flags and relations alone allow: k − 1, or less for a small
    /// count inside a small total.
    pub flags_upper: f64,
    /// Whether the attacker learns nothing from the published values: the interval contains
    /// `flags_lower … flags_upper` (the whole 1 … k − 1 for most cells).
    pub protected: bool,
}

/// The audit of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    /// The report's threshold k.
    pub threshold: u64,
    /// Count cells in the report.
    pub count_cells: usize,
    /// Every primary-suppressed count cell.
    pub cells: Vec<CellAudit>,
    /// Independent subsystems holding a primary-suppressed cell (after presolve).
    pub components: usize,
    /// Variables in the largest subsystem.
    pub largest_component: usize,
    /// Linear programs solved.
    pub lps: usize,
    /// Unknown cells (suppressed counts) before presolve.
    pub unknowns: usize,
    /// Variables left after presolve (fixed cells and merged equal cells removed).
    pub variables: usize,
}

impl Audit {
    /// Whether every primary-suppressed cell is protected.
    pub fn passes(&self) -> bool {
        self.cells.iter().all(|c| c.protected)
    }

    /// The cells an attacker narrows.
    pub fn unprotected(&self) -> impl Iterator<Item = &CellAudit> + '_ {
        self.cells.iter().filter(|c| !c.protected)
    }

    /// Primary-suppressed cells.
    pub fn primary(&self) -> usize {
        self.cells.iter().filter(|c| c.conf_status == ConfStatus::C).count()
    }
}

/// Audits a report (see the module docs). An error when the report is malformed or its
/// published values contradict each other.
pub fn audit(report: &Report) -> Result<Audit, ReportError> {
    let p = decode::published(report)?;
    let rels = system::attacker_relations(&p.tables, &p.masks, p.origin);
    // A merged report hides a regional total as D whatever its value: not 0 or ≥ k.
    let gap = (!p.origin.merged && !p.origin.noisy).then_some(report.threshold);
    let attack = solve::attack_with(&p.tables, &rels, report.threshold, gap)
        .map_err(ReportError::BadReport)?;
    let mut cells: Vec<CellAudit> = attack
        .bounds
        .iter()
        .filter_map(|b| {
            let o = &report.observations[*p.observation.get(&b.cell)?];
            Some(CellAudit {
                indicator: o.indicator.clone(),
                dims: o.dims.clone(),
                conf_status: o.conf_status,
                lower: round(b.lower),
                upper: b.upper.map(round),
                flags_lower: round(b.flags.0),
                flags_upper: round(b.flags.1),
                protected: b.protected,
            })
        })
        .collect();
    cells.sort_by(|a, b| (&a.indicator, &a.dims).cmp(&(&b.indicator, &b.dims)));
    Ok(Audit {
        threshold: report.threshold,
        count_cells: p.observation.len(),
        cells,
        components: attack.components,
        largest_component: attack.largest,
        lps: attack.lps,
        unknowns: attack.unknowns,
        variables: attack.variables,
    })
}

/// A bound as shown: solver noise below a millionth removed.
fn round(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() < 1e-6 {
        r
    } else {
        (x * 1e4).round() / 1e4
    }
}

//! Releasing a report with the release log of its populations
//! ([`super::release_log`]): before it is written, the new report is audited together with every
//! logged release of the same populations ([`super::audit::audit_together`]). If an attacker
//! holding them all would narrow a primary-suppressed count — of the new report or of an
//! earlier one — more cells of the NEW report are suppressed (earlier releases are published and
//! cannot change) and the audit runs again; if that cannot protect the cell, the release is
//! refused with a message naming the earlier release. On success the report is appended to
//! every population's log.
//!
//! The loop ([`protect`]) is written over an abstract joint audit, so another audit (e.g. a
//! faster solver) can be plugged in without touching the decision.

use super::audit::resuppress::suppress_more;
use super::audit::{audit_together, combine_quantities, JointAudit, JointCell};
use super::dp::LedgerKey;
use super::error::ReportError;
use super::model::{ConfStatus, ObsStatus, Report};
use super::release_log::{release_id, ReleaseLog};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Rounds of "suppress more, audit again" before giving up (each round is two audits).
const MAX_ROUNDS: usize = 64;

/// Where a release is logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseLogUse {
    /// The directory of the release logs, one file per population
    /// (`ona-release-log-<population>.jsonl`, started if missing).
    pub dir: PathBuf,
    /// The hub's key file (the privacy-budget ledger's key: 64 hex digits; made, owner-only, if
    /// missing).
    pub key_file: PathBuf,
    /// Label of the release in the log (e.g. the output path).
    pub label: String,
}

/// A report released with the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Released {
    /// The report as released (with any further suppression).
    pub report: Report,
    /// Its release id in the logs.
    pub release: String,
    /// Earlier releases it was audited with.
    pub earlier: usize,
    /// Count cells suppressed beyond the report's own suppression.
    pub suppressed: usize,
}

/// The outcome of [`protect`].
#[derive(Debug, Clone, PartialEq)]
pub struct Protected {
    /// The report, with any further suppression.
    pub report: Report,
    /// Count cells suppressed beyond its own suppression.
    pub suppressed: usize,
    /// Audits run.
    pub audits: usize,
}

/// Makes `report` safe to release after `earlier` (each with the name a message gives it):
/// audits them together with `audit` (the last release given to it is `report`), and while the
/// combination narrows a primary cell — beyond what the earlier releases together, or the new
/// one alone, already give (nothing, for reports that pass their own audit) — suppresses more
/// cells of `report`; refuses with [`ReportError::ReleaseRefused`], naming the earlier releases
/// involved, when no cell of `report` is left to suppress.
pub fn protect<F>(
    mut report: Report,
    earlier: &[(String, Report)],
    audit: F,
) -> Result<Protected, ReportError>
where
    F: Fn(&[(&str, &Report)]) -> Result<JointAudit, ReportError>,
{
    let new = earlier.len();
    if earlier.is_empty() {
        // Nothing to combine with: the report's own audit is `ona audit`'s business.
        return Ok(Protected { report, suppressed: 0, audits: 0 });
    }
    let earlier_quantities: BTreeSet<_> =
        earlier.iter().flat_map(|(_, r)| combine_quantities(r)).flatten().collect();
    let named: Vec<(&str, &Report)> = earlier.iter().map(|(n, r)| (n.as_str(), r)).collect();
    let before = intervals(&audit(&named)?, 0);
    let mut suppressed = 0;
    let mut audits = 1;
    loop {
        let mut all = named.clone();
        all.push(("this report", &report));
        let joint = audit(&all)?;
        let alone = intervals(&audit(&[("this report", &report)])?, new);
        audits += 2;
        let worse = harmed(&joint, &before, &alone);
        if worse.is_empty() {
            return Ok(Protected { report, suppressed, audits });
        }
        if audits > 2 * MAX_ROUNDS {
            return Err(refusal(&worse, earlier, new));
        }
        // For each narrowed cell, the smallest published count of the new report of the same
        // indicator, at the same place and categories if one is left, else at the same place;
        // preferring one that is the same quantity as a cell of an earlier release, then a
        // non-zero one.
        let quantities = combine_quantities(&report);
        let mut chosen = BTreeSet::new();
        for c in &worse {
            let pick = report
                .observations
                .iter()
                .enumerate()
                .filter(|(_, o)| {
                    o.indicator == c.cell.indicator
                        && o.conf_status == ConfStatus::F
                        && o.obs_status == ObsStatus::A
                        && same(&o.dims, &c.cell.dims, is_place)
                })
                .min_by_key(|(n, o)| {
                    let v = o.value.as_ref().and_then(|v| v.as_u64()).unwrap_or(0);
                    let near = same(&o.dims, &c.cell.dims, |d| !is_period(d));
                    let old =
                        quantities[*n].as_ref().is_some_and(|q| earlier_quantities.contains(q));
                    (!near, !old, v == 0, v, *n)
                })
                .map(|(n, _)| n);
            if let Some(n) = pick {
                chosen.insert(n);
            }
        }
        if chosen.is_empty() {
            return Err(refusal(&worse, earlier, new));
        }
        let chosen: Vec<usize> = chosen.into_iter().collect();
        suppressed += suppress_more(&mut report, &chosen)?;
    }
}

/// A primary cell: its release, indicator and dimensions.
type CellId = (usize, String, BTreeMap<String, String>);

/// The interval of every primary cell of an audit, its release shifted by `offset`.
fn intervals(a: &JointAudit, offset: usize) -> BTreeMap<CellId, (f64, f64)> {
    a.cells
        .iter()
        .map(|c| {
            let id = (c.release + offset, c.cell.indicator.clone(), c.cell.dims.clone());
            (id, (c.cell.lower, c.cell.upper.unwrap_or(f64::INFINITY)))
        })
        .collect()
}

/// The cells the combination narrows: not protected, and narrower than the releases give on
/// their own — the earlier ones together (`before`), the new one alone (`alone`). Once every
/// report passes its own audit this is every unprotected cell.
fn harmed<'a>(
    joint: &'a JointAudit,
    before: &BTreeMap<CellId, (f64, f64)>,
    alone: &BTreeMap<CellId, (f64, f64)>,
) -> Vec<&'a JointCell> {
    joint
        .unprotected()
        .filter(|c| {
            let id = (c.release, c.cell.indicator.clone(), c.cell.dims.clone());
            let (lo, hi) =
                before.get(&id).or_else(|| alone.get(&id)).copied().unwrap_or((1.0, f64::INFINITY));
            let up = c.cell.upper.unwrap_or(f64::INFINITY);
            c.cell.lower > lo + 1e-6 || up < hi - 1e-6
        })
        .collect()
}

fn is_period(dim: &str) -> bool {
    matches!(dim, "year" | "quarter" | "month")
}

fn is_place(dim: &str) -> bool {
    matches!(dim, "country" | "admin1" | "centre")
}

/// Whether two cells have the same code on every dimension `which` selects (a dimension one of
/// them lacks reads as `_T`).
fn same(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
    which: impl Fn(&str) -> bool,
) -> bool {
    let code = |m: &BTreeMap<String, String>, d: &str| {
        m.get(d).map_or(super::TOTAL, String::as_str).to_string()
    };
    a.keys().chain(b.keys()).filter(|d| which(d)).all(|d| code(a, d) == code(b, d))
}

/// The refusal: which cells are narrowed, and which earlier releases make it so.
fn refusal(worse: &[&JointCell], earlier: &[(String, Report)], new: usize) -> ReportError {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    let mut cells = Vec::new();
    for c in worse {
        if c.release < new {
            names.insert(&earlier[c.release].0);
        }
        if cells.len() < 3 {
            let dims: Vec<String> = c
                .cell
                .dims
                .iter()
                .filter(|(_, v)| v.as_str() != super::TOTAL)
                .map(|(d, v)| format!("{d}={v}"))
                .collect();
            let whose = if c.release < new { "earlier" } else { "new" };
            cells.push(format!(
                "{} [{}] of the {whose} release would be known to lie in {}…{}",
                c.cell.indicator,
                dims.join(", "),
                c.cell.lower,
                c.cell.upper.map_or("∞".into(), |u| u.to_string())
            ));
        }
    }
    if names.is_empty() {
        // The narrowed cells are the new report's own: every earlier release takes part.
        names.extend(earlier.iter().map(|(n, _)| n.as_str()));
    }
    ReportError::ReleaseRefused(format!(
        "together with {} this report would let an attacker narrow a suppressed count: {}; \
         publish a coarser breakdown, another period, or a larger --k",
        names.into_iter().collect::<Vec<_>>().join(" and "),
        cells.join("; ")
    ))
}

/// Releases `report` with the release logs in `log` (see the module docs): opens (and locks)
/// the log of each of its populations, audits it with the earlier releases of the same
/// populations, suppresses more or refuses, and on success appends it to every log.
pub fn release_with_log(report: Report, log: &ReleaseLogUse) -> Result<Released, ReportError> {
    if report.dp.is_some() {
        return Err(ReportError::ReleaseRefused(
            "a differentially private release is accounted by the privacy-budget ledger, not \
             the release log"
                .into(),
        ));
    }
    let mut populations = report.provenance.populations.clone();
    populations.sort();
    populations.dedup();
    if populations.is_empty() {
        return Err(ReportError::ReleaseRefused(
            "the report names no population (pseudonym domain and key id): the release log is \
             kept per population"
                .into(),
        ));
    }
    std::fs::create_dir_all(&log.dir).map_err(|e| ReportError::ReleaseLog {
        path: log.dir.display().to_string(),
        reason: format!("cannot create the release-log directory: {e}"),
    })?;
    let (key, _) = LedgerKey::load_or_create(&log.key_file)?;
    // Locks are taken in population order, so two runs cannot wait on each other.
    let mut logs = populations
        .iter()
        .map(|p| ReleaseLog::open(&ReleaseLog::path_in(&log.dir, p), p, &key))
        .collect::<Result<Vec<_>, _>>()?;
    let mut earlier: BTreeMap<String, (String, Report)> = BTreeMap::new();
    let mut order = Vec::new();
    for l in &logs {
        for r in l.releases() {
            if earlier.contains_key(&r.release) {
                continue;
            }
            let rep = r.report()?;
            let mut theirs = rep.provenance.populations.clone();
            theirs.sort();
            theirs.dedup();
            // Only releases of exactly these populations count the same women.
            if theirs == populations {
                order.push((r.time, r.entry, r.release.clone()));
                earlier.insert(r.release.clone(), (r.describe(), rep));
            }
        }
    }
    order.sort();
    let earlier: Vec<(String, Report)> =
        order.into_iter().filter_map(|(_, _, id)| earlier.remove(&id)).collect();
    let p = protect(report, &earlier, audit_together)?;
    for l in &mut logs {
        l.append(&p.report, &log.label)?;
    }
    Ok(Released {
        release: release_id(&p.report),
        report: p.report,
        earlier: earlier.len(),
        suppressed: p.suppressed,
    })
}

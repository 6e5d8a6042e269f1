//! The audit of several releases of one population together: the attacker holds every report
//! published of it (the release log, [`crate::report::release_log`]) and combines them.
//!
//! On top of each report's own relations ([`super::system`]), cells of different releases are
//! tied together:
//!
//! - **the same quantity**: two cells with the same indicator, the same code on every
//!   non-period dimension (a dimension a report lacks reads as `_T`) and the same span of months
//!   are equal. A period code spans its months; a period total (`_T`) spans the report's
//!   `period` filter, or without one the periods it covers (`provenance.periods`);
//! - **periods nest**: a cell spanning S and the cells of another release that lie inside S,
//!   when that release covers all of S and S starts and ends on its period boundaries (so every
//!   event of S falls in one of them; a cell it does not list is a zero): for additive counts
//!   S = Σ parts; for distinct women (`women_served`) each part ≤ S ≤ Σ parts.
//!
//! A primary cell of a release with threshold k is known to lie in 1 … k − 1. Relations between
//! releases with different populations are not modelled (docs/reporting.md says so); neither
//! are differentially private releases, which [`audit_together`] refuses.

use super::super::aggregate::{count_index, Key, COUNTS, SLOTS, TOT};
use super::super::dimensions::{Dimension, Period, TOTAL};
use super::super::error::ReportError;
use super::super::indicators::Indicator;
use super::super::model::{ConfStatus, Observation, Report};
use super::super::suppress::{Cell, Supp};
use super::system::{attacker_relations, CellRef, Relation, Sense};
use super::{decode, round, solve, CellAudit};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the attacker holding several releases derives about one primary-suppressed count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointCell {
    /// Which release (position in the list given to [`audit_together`]).
    pub release: usize,
    /// The cell and its bounds; `protected` against the threshold of its own release.
    pub cell: CellAudit,
}

/// The audit of several releases together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointAudit {
    /// Every primary-suppressed count cell of every release.
    pub cells: Vec<JointCell>,
    /// Cells of different releases found to be the same quantity.
    pub shared: usize,
    /// Period-nesting relations between releases.
    pub nested: usize,
    /// Linear programs solved.
    pub lps: usize,
}

impl JointAudit {
    /// Whether every primary-suppressed cell of every release is protected.
    pub fn passes(&self) -> bool {
        self.cells.iter().all(|c| c.cell.protected)
    }

    /// The cells an attacker narrows.
    pub fn unprotected(&self) -> impl Iterator<Item = &JointCell> + '_ {
        self.cells.iter().filter(|c| !c.cell.protected)
    }
}

/// A quantity: count table, codes of the non-period dimensions, span of months.
type Group = (usize, Vec<String>);
pub(crate) type Span = (i32, i32);

/// A cell of one release, placed in the combined system.
#[derive(Debug, Clone)]
struct Placed {
    cell: CellRef,
    release: usize,
    value: Option<u64>,
    /// A period total (`_T`) rather than one period.
    total: bool,
}

/// Audits `releases` (each named for messages, e.g. by [`super::super::release_log::Release::describe`])
/// together: see the module docs. Fails when a report is malformed or differentially private,
/// or when two releases publish different values for the same quantity (a re-release of changed
/// figures gives the change away; the error names both).
pub fn audit_together(releases: &[(&str, &Report)]) -> Result<JointAudit, ReportError> {
    let nt = COUNTS.len();
    let mut tables: Vec<BTreeMap<Key, Cell>> = Vec::new();
    let mut rels: Vec<Relation> = Vec::new();
    let mut observation: BTreeMap<CellRef, (usize, usize)> = BTreeMap::new();
    let mut quantities: BTreeMap<(Group, Span), Vec<Placed>> = BTreeMap::new();
    let mut coverage: Vec<Option<(Span, u32)>> = Vec::new();
    let mut merged = false;
    for (r, (name, report)) in releases.iter().enumerate() {
        if report.dp.is_some() {
            return Err(ReportError::BadReport(format!(
                "{name} is differentially private: the release log audits suppressed reports"
            )));
        }
        let p = decode::published(report)?;
        merged |= p.origin.merged;
        let shift = |c: CellRef| (c.0 + r * nt, c.1);
        for rel in attacker_relations(&p.tables, &p.masks, p.origin) {
            let terms = rel.terms.into_iter().map(|(c, a)| (shift(c), a)).collect();
            rels.push(Relation { terms, sense: rel.sense });
        }
        let cov = covered(report);
        coverage.push(cov);
        let period_id = period_of(report);
        for (cell, n) in &p.observation {
            let o = &report.observations[*n];
            observation.insert(shift(*cell), (r, *n));
            let Some((rest, span, total)) = quantity(o, period_id, cov) else { continue };
            let value = p.tables[cell.0].get(&cell.1).and_then(|c| match c.supp {
                Supp::Free => c.value,
                _ => None,
            });
            quantities.entry(((cell.0, rest), span)).or_default().push(Placed {
                cell: shift(*cell),
                release: r,
                value,
                total,
            });
        }
        tables.extend(p.tables);
    }
    // The same quantity in several releases.
    let mut shared = 0;
    for ((group, _), cells) in &quantities {
        let first = &cells[0];
        for other in &cells[1..] {
            if other.release == first.release {
                continue;
            }
            if let (Some(a), Some(b)) = (first.value, other.value) {
                if a != b {
                    let (_, n) = observation[&first.cell];
                    let o = &releases[first.release].1.observations[n];
                    return Err(ReportError::ReleaseRefused(format!(
                        "{} {:?} is {b} in {} but was published as {a} in {}: re-releasing a \
                         changed figure gives the change away",
                        COUNTS[group.0].id(),
                        o.dims,
                        releases[other.release].0,
                        releases[first.release].0
                    )));
                }
            }
            shared += 1;
            rels.push(Relation {
                terms: vec![(first.cell, 1), (other.cell, -1)],
                sense: Sense::Eq,
            });
        }
    }
    let nested = nest(&quantities, &coverage, &mut rels);
    // Each primary cell lies in 1 … k − 1 of its own release: the solver is given the largest k,
    // and a smaller one is a relation with a constant.
    let kmax = releases.iter().map(|(_, r)| r.threshold).max().unwrap_or(1);
    let constants = tables.len();
    let mut consts: BTreeMap<Key, Cell> = BTreeMap::new();
    for (cell, (r, _)) in &observation {
        let k = releases[*r].1.threshold;
        let primary = tables[cell.0].get(&cell.1).is_some_and(|c| c.supp == Supp::Primary);
        if primary && k < kmax {
            let mut key = [TOT; SLOTS];
            key[0] = k.saturating_sub(1) as u32;
            consts.insert(key, Cell { value: Some(k.saturating_sub(1)), supp: Supp::Free });
            rels.push(Relation {
                terms: vec![(*cell, 1), ((constants, key), -1)],
                sense: Sense::Le,
            });
        }
    }
    tables.push(consts);
    // A cell not flagged C is 0 or ≥ its release's k (so ≥ the least k), unless a release was
    // merged (regional totals hidden as D whatever their value).
    let kmin = releases.iter().map(|(_, r)| r.threshold).min().unwrap_or(1);
    let gap = (!merged).then_some(kmin);
    let attack = solve::attack_with(&tables, &rels, kmax, gap).map_err(ReportError::BadReport)?;
    let mut cells: Vec<JointCell> = attack
        .bounds
        .iter()
        .filter_map(|b| {
            let (r, n) = *observation.get(&b.cell)?;
            let o = &releases[r].1.observations[n];
            let k1 = releases[r].1.threshold.saturating_sub(1) as f64;
            // What the flags alone give away (computed with the largest k), within this
            // release's own 1 … k − 1.
            let flags = (b.flags.0, b.flags.1.min(k1));
            let protected =
                b.lower <= flags.0 + 1e-6 && b.upper.is_some_and(|u| u >= flags.1 - 1e-6);
            Some(JointCell {
                release: r,
                cell: CellAudit {
                    indicator: o.indicator.clone(),
                    dims: o.dims.clone(),
                    conf_status: ConfStatus::C,
                    lower: round(b.lower),
                    upper: b.upper.map(round),
                    flags_lower: round(flags.0),
                    flags_upper: round(flags.1),
                    protected,
                },
            })
        })
        .collect();
    cells.sort_by(|a, b| {
        (a.release, &a.cell.indicator, &a.cell.dims).cmp(&(
            b.release,
            &b.cell.indicator,
            &b.cell.dims,
        ))
    });
    Ok(JointAudit { cells, shared, nested, lps: attack.lps })
}

/// The id of a report's period dimension.
fn period_of(report: &Report) -> Option<&'static str> {
    report.dimensions().into_iter().find(|d| d.is_period()).map(|d| d.id())
}

/// The quantity an observation of a report is, apart from its indicator: the codes of every
/// non-period dimension, its span of months, and whether it is a period total.
fn quantity(
    o: &Observation,
    period_id: Option<&str>,
    cov: Option<(Span, u32)>,
) -> Option<(Vec<String>, Span, bool)> {
    let code = period_id.and_then(|d| o.dims.get(d)).map_or(TOTAL, String::as_str);
    let (span, total) =
        if code == TOTAL { (cov?.0, true) } else { (bounds(&code.parse::<Period>().ok()?), false) };
    let rest: Vec<String> = Dimension::ALL
        .iter()
        .filter(|d| !d.is_period())
        .map(|d| o.dims.get(d.id()).cloned().unwrap_or_else(|| TOTAL.to_string()))
        .collect();
    Some((rest, span, total))
}

/// The quantity of each observation of `report` (see the module docs): indicator, codes of the
/// non-period dimensions and span of months; `None` where it has none.
pub(crate) fn quantities(report: &Report) -> Vec<Option<(String, Vec<String>, Span)>> {
    let (period_id, cov) = (period_of(report), covered(report));
    report
        .observations
        .iter()
        .map(|o| {
            quantity(o, period_id, cov).map(|(rest, span, _)| (o.indicator.clone(), rest, span))
        })
        .collect()
}

/// First and last month of a period.
fn bounds(p: &Period) -> Span {
    let m = p.months();
    (*m.start(), *m.end())
}

/// The months a report covers — its `period` filter, or the span of the periods it lists —
/// and the length in months of its periods.
fn covered(report: &Report) -> Option<(Span, u32)> {
    let step = match report.dimensions().into_iter().find(|d| d.is_period()) {
        Some(Dimension::Month) => 1,
        Some(Dimension::Quarter) => 3,
        _ => 12,
    };
    if let Some(f) = &report.period {
        return f.parse::<Period>().ok().map(|p| (bounds(&p), step));
    }
    let spans: Vec<Span> = report
        .provenance
        .periods
        .iter()
        .filter_map(|p| p.parse::<Period>().ok())
        .map(|p| bounds(&p))
        .collect();
    let first = spans.iter().map(|s| s.0).min()?;
    let last = spans.iter().map(|s| s.1).max()?;
    Some(((first, last), step))
}

/// Adds, for each quantity spanning S and each other release covering S on its own period
/// boundaries, the relation between S and that release's periods inside S. Returns how many.
fn nest(
    quantities: &BTreeMap<(Group, Span), Vec<Placed>>,
    coverage: &[Option<(Span, u32)>],
    rels: &mut Vec<Relation>,
) -> usize {
    let women = count_index(Indicator::WomenServed);
    let mut by_group: BTreeMap<&Group, Vec<(Span, &Vec<Placed>)>> = BTreeMap::new();
    for ((g, s), cells) in quantities {
        by_group.entry(g).or_default().push((*s, cells));
    }
    let mut added = 0;
    for (group, spans) in by_group {
        for (s, whole) in &spans {
            for (r, cov) in coverage.iter().enumerate() {
                let Some(((first, last), step)) = *cov else { continue };
                let step = step as i32;
                let aligned = s.0.rem_euclid(step) == 0 && (s.1 + 1).rem_euclid(step) == 0;
                if whole.iter().any(|c| c.release == r) || !aligned || s.0 < first || s.1 > last {
                    continue;
                }
                let parts: Vec<CellRef> = spans
                    .iter()
                    .filter(|(p, _)| p.0 >= s.0 && p.1 <= s.1 && *p != *s)
                    .flat_map(|(_, cells)| cells.iter())
                    .filter(|c| c.release == r && !c.total)
                    .map(|c| c.cell)
                    .collect();
                if parts.is_empty() {
                    continue;
                }
                let total = whole[0].cell;
                added += 1;
                if Some(group.0) == women {
                    let mut terms: Vec<(CellRef, i64)> = parts.iter().map(|p| (*p, -1)).collect();
                    terms.push((total, 1));
                    rels.push(Relation { terms, sense: Sense::Le });
                    for p in &parts {
                        rels.push(Relation { terms: vec![(*p, 1), (total, -1)], sense: Sense::Le });
                    }
                } else {
                    let mut terms: Vec<(CellRef, i64)> = parts.iter().map(|p| (*p, 1)).collect();
                    terms.push((total, -1));
                    rels.push(Relation { terms, sense: Sense::Eq });
                }
            }
        }
    }
    added
}

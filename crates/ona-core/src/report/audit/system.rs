//! The attacker's knowledge as linear relations between the cells of a report's count tables.
//!
//! What the attacker is assumed to know (see docs/reporting.md, "What suppression guarantees"):
//! every published value and flag, the threshold k, and every relation that holds exactly:
//!
//! - in each table, every total along any additive dimension at every level of the others
//!   (which covers the hierarchy country ⊃ admin1 ⊃ centre and period totals, since a centre's
//!   row at `admin1 = _T` is a total whose only member is the centre's row in its subdivision);
//! - distinct women are not additive (a woman may have cases in several cells): for
//!   `women_served` a total lies between its largest part and the sum of its parts, except
//!   across countries in a merged report (summed from country reports) and under differential
//!   privacy (margins summed from noisy cells), where the total is the sum;
//! - relations between indicators that hold by definition ([`BY_DEFINITION`]) when the report
//!   publishes both (`--indicators` may leave one out), e.g.
//!   `with_mother_at_exit ≤ exit_children` and, by outcome, `placement_at_exit = exits` (not under
//!   differential privacy, where each table has its own noise).
//!
//! Shares are published only when their numerator and denominator are both published (with
//! them), so they add nothing to what the counts say; means and medians are outside the model
//! (docs/reporting.md says so).

use super::super::aggregate::{count_index, Key, SLOTS, TOT};
use super::super::dimensions::Dimension;
use super::super::indicators::Indicator;
use super::super::suppress::{relations, Cell, Supp};
use crate::schema::{Codelist, Placement};
use std::collections::BTreeMap;

/// A cell of the count tables: position of the table in [`COUNTS`], and key.
pub(crate) type CellRef = (usize, Key);

/// Whether a relation is an equality or an inequality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sense {
    /// Σ coefficient × cell = 0.
    Eq,
    /// Σ coefficient × cell ≤ 0.
    Le,
}

/// A relation `Σ coefficient × cell (= or ≤) 0` that holds exactly between cells.
#[derive(Debug, Clone)]
pub(crate) struct Relation {
    /// The cells and their coefficients.
    pub(crate) terms: Vec<(CellRef, i64)>,
    /// Equality or inequality.
    pub(crate) sense: Sense,
}

/// What kind of report the tables come from (it decides which relations hold exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Origin {
    /// Noise was added (margins summed from noisy cells; tables noised independently).
    pub(crate) noisy: bool,
    /// Merged from country reports (regional totals summed over countries).
    pub(crate) merged: bool,
}

/// Relations between tables that hold by definition: the sum of the first indicators is at most
/// the second, in the same cell (dimensions the second table lacks read as totals).
pub(crate) const BY_DEFINITION: &[(&[Indicator], Indicator)] = &[
    (&[Indicator::WithMotherAtExit], Indicator::ExitChildren),
    (&[Indicator::FollowUp6WithMother, Indicator::FollowUp6Lost], Indicator::FollowUp6Due),
    (&[Indicator::FollowUp12WithMother, Indicator::FollowUp12Lost], Indicator::FollowUp12Due),
    (&[Indicator::RelinquishmentPrevented], Indicator::IntentExits),
    (&[Indicator::IntentExits], Indicator::PlacementAtExit),
    (&[Indicator::BabyHomeExits], Indicator::ExitChildren),
    (&[Indicator::Reunified], Indicator::BabyHomeExits),
    (&[Indicator::Reunified], Indicator::WithMotherAtExit),
    (&[Indicator::PlacementAtExit], Indicator::Exits),
    (&[Indicator::RiskFactorCases], Indicator::RiskAssessed),
    (&[Indicator::RiskAssessed], Indicator::Referrals),
    (&[Indicator::WomenServed], Indicator::Referrals),
];

/// Every relation the attacker knows between the cells of `tables` (in [`COUNTS`] order, with
/// their active slots `masks`).
pub(crate) fn attacker_relations(
    tables: &[BTreeMap<Key, Cell>],
    masks: &[[bool; SLOTS]],
    origin: Origin,
) -> Vec<Relation> {
    let mut out = Vec::new();
    let women = count_index(Indicator::WomenServed);
    for (t, (cells, mask)) in tables.iter().zip(masks).enumerate() {
        for (total, members) in relations(cells, mask) {
            let slot = (0..SLOTS).find(|s| total[*s] == TOT && members[0][*s] != TOT);
            let additive = Some(t) != women || origin.noisy || (origin.merged && slot == Some(0));
            if additive {
                let mut terms: Vec<(CellRef, i64)> = members.iter().map(|m| ((t, *m), 1)).collect();
                terms.push(((t, total), -1));
                out.push(Relation { terms, sense: Sense::Eq });
            } else {
                // Distinct women: each part ≤ total ≤ Σ parts.
                let mut terms: Vec<(CellRef, i64)> =
                    members.iter().map(|m| ((t, *m), -1)).collect();
                terms.push(((t, total), 1));
                out.push(Relation { terms, sense: Sense::Le });
                for m in &members {
                    out.push(Relation {
                        terms: vec![((t, *m), 1), ((t, total), -1)],
                        sense: Sense::Le,
                    });
                }
            }
        }
    }
    if !origin.noisy {
        for (subs, sup) in BY_DEFINITION {
            by_definition(tables, masks, subs, *sup, &mut out);
        }
    }
    out
}

fn by_definition(
    tables: &[BTreeMap<Key, Cell>],
    masks: &[[bool; SLOTS]],
    subs: &[Indicator],
    sup: Indicator,
    out: &mut Vec<Relation>,
) {
    let Some(u) = count_index(sup) else { return };
    // A table the report does not publish (`--indicators`) has no cell: the attacker knows none
    // of its values, so a relation to it tells him nothing (and is not read as "≤ 0").
    if tables.get(u).is_none_or(BTreeMap::is_empty) {
        return;
    }
    let sub_idx: Vec<usize> = subs.iter().filter_map(|i| count_index(*i)).collect();
    let mut keys: Vec<Key> = sub_idx
        .iter()
        .flat_map(|t| tables.get(*t).into_iter().flat_map(|c| c.keys()))
        .copied()
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let outcome = Dimension::Outcome.slot();
    let unknown = Placement::ALL.iter().position(|p| *p == Placement::Unknown).map(|p| p as u32);
    for k in keys {
        let mut terms: Vec<(CellRef, i64)> =
            sub_idx.iter().filter(|t| tables[**t].contains_key(&k)).map(|t| ((*t, k), 1)).collect();
        let mut sk = k;
        for s in 0..SLOTS {
            if !masks[u][s] {
                sk[s] = TOT;
            }
        }
        if tables[u].contains_key(&sk) {
            terms.push(((u, sk), -1));
        }
        // By outcome, exits with a recorded outcome are exactly the placements at exit.
        let equal = sup == Indicator::Exits
            && subs == [Indicator::PlacementAtExit]
            && masks[u][outcome]
            && k[outcome] != TOT
            && Some(k[outcome]) != unknown;
        out.push(Relation { terms, sense: if equal { Sense::Eq } else { Sense::Le } });
    }
}

/// The bounds the attacker knows for a suppressed cell before any relation: a primary cell is a
/// count from 1 to k − 1; any other unknown cell is a count (≥ 0).
pub(crate) fn prior_bounds(cell: &Cell, threshold: u64) -> (f64, Option<f64>) {
    match cell.supp {
        Supp::Primary => (1.0, Some(threshold.saturating_sub(1) as f64)),
        _ => (0.0, None),
    }
}

/// Whether the attacker does not know the cell's value.
pub(crate) fn unknown(cell: &Cell) -> bool {
    cell.supp != Supp::Free || cell.value.is_none()
}

//! What the flags alone give away: the interval of each primary-suppressed cell that follows
//! from the flags and the relations, before any published value is read.
//!
//! Some narrowing cannot be prevented by suppressing more: when a total is itself a small count
//! (flag C, so 1 … k − 1) and two of its cells are small counts (each at least 1), each cell is
//! at most k − 2 — whatever else is hidden. Suppression is asked to give away nothing beyond
//! this: the attacker's interval must contain the one computed here.
//!
//! The flags say more than "≥ 0" of the other cells: every count from 1 to k − 1 is flagged C,
//! so a cell not flagged C — published or hidden (D) — is 0 or k or more. When the flags of a
//! small total pin one of its small cells (a C total of 4 with four C cells: each is 1), a
//! non-C total holding that cell and one other small cell (at least 1, so at least k) pins the
//! other cell too (5 − 1 = 4), whatever is published or hidden: no suppression can prevent it.
//!
//! The interval is computed by bound propagation over every relation with *every* cell unknown
//! (a primary cell in 1 … k − 1, any other count 0 or ≥ k: above 0 means ≥ k, below k means 0),
//! repeated until nothing changes. Each step is a deduction from the flags alone, so the
//! interval holds every value the flags allow: asking the attacker's interval to contain it is
//! at least as strict as "the published values add nothing". Propagation reads one relation at
//! a time; where the attacker combines several, [`super::flags_lp`] tightens the interval by LP.

use super::super::aggregate::{HashMap, Key};
use super::super::suppress::{Cell, Supp};
use super::presolve::EPS;
use super::system::{CellRef, Relation, Sense};
use std::collections::BTreeMap;

/// The most passes of propagation (each tightens at least one bound; the intervals are within
/// 0 … k − 1 for the cells that matter, so few are needed).
const PASSES: usize = 64;

/// The flags-only interval of every primary-suppressed cell of `tables`.
pub(crate) fn flag_bounds(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
) -> HashMap<CellRef, (f64, f64)> {
    flag_bounds_gapped(tables, relations, threshold, Some(threshold))
}

/// [`flag_bounds`] where a cell not flagged C is known to be 0 or ≥ `gap` (`None`: only ≥ 0 —
/// a merged report, whose regional totals are hidden as D when a member is, whatever their
/// value; or noise).
pub(crate) fn flag_bounds_gapped(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
    gap: Option<u64>,
) -> HashMap<CellRef, (f64, f64)> {
    let (index, bounds) = propagate(tables, relations, threshold, gap);
    let k1 = threshold.saturating_sub(1) as f64;
    let mut out = HashMap::default();
    for (t, table) in tables.iter().enumerate() {
        for (k, c) in table {
            if c.supp == Supp::Primary {
                let b = index.get(&(t, *k)).map_or((1.0, k1), |v| bounds[*v]);
                out.insert((t, *k), b);
            }
        }
    }
    out
}

/// What the flags and the relations alone give every cell of a relation, by bound propagation
/// (`gap` as for [`flag_bounds_gapped`]): each cell's index, and the bounds by index.
pub(crate) fn propagate(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
    gap: Option<u64>,
) -> (HashMap<CellRef, usize>, Vec<(f64, f64)>) {
    let k1 = threshold.saturating_sub(1) as f64;
    let mut index: HashMap<CellRef, usize> = HashMap::default();
    let mut bounds: Vec<(f64, f64)> = Vec::new();
    // The cells known to be 0 or ≥ k ([`zero_or_large`]).
    let mut gapped: Vec<bool> = Vec::new();
    let mut var = |c: &CellRef, index: &mut HashMap<CellRef, usize>| -> usize {
        *index.entry(*c).or_insert_with(|| {
            let cell = tables[c.0].get(&c.1);
            let primary = cell.is_some_and(|x| x.supp == Supp::Primary);
            bounds.push(if primary { (1.0, k1) } else { (0.0, f64::INFINITY) });
            gapped.push(cell.is_some_and(|x| gap.is_some_and(|g| zero_or_large(x, g))));
            bounds.len() - 1
        })
    };
    let rows: Vec<(Vec<(usize, f64)>, Sense)> = relations
        .iter()
        .map(|r| (r.terms.iter().map(|(c, a)| (var(c, &mut index), *a as f64)).collect(), r.sense))
        .collect();
    let k = gap.unwrap_or(0) as f64;
    for _ in 0..PASSES {
        let mut changed = false;
        for (terms, sense) in &rows {
            changed |= tighten(terms, *sense, &mut bounds);
        }
        // A cell that is 0 or ≥ k: above 0 means k or more, below k means 0.
        for (b, g) in bounds.iter_mut().zip(&gapped) {
            if !*g || b.0 > b.1 {
                continue;
            }
            if b.0 > EPS && b.0 < k - EPS {
                b.0 = k;
                changed = true;
            }
            if b.1 < k - EPS && b.1 > EPS {
                b.1 = 0.0;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (index, bounds)
}

/// Whether the flags say the cell is 0 or k or more: every count from 1 to k − 1 is a primary
/// cell (flag C), so a cell that is not one is 0 or ≥ k — published or hidden (flag D). A
/// published value from 1 to k − 1 (a report made otherwise, e.g. with noise) keeps the cell a
/// plain count, so the interval stays sound.
fn zero_or_large(cell: &Cell, gap: u64) -> bool {
    cell.supp != Supp::Primary && cell.value.is_none_or(|v| v == 0 || v >= gap)
}

/// The least value of `a × x` over x's bounds.
fn low(a: f64, (lo, hi): (f64, f64)) -> f64 {
    if a > 0.0 {
        a * lo
    } else {
        a * hi
    }
}

/// Tightens the bounds of each term of `Σ a x (= or ≤) 0` from the others; whether any moved.
fn tighten(terms: &[(usize, f64)], sense: Sense, bounds: &mut [(f64, f64)]) -> bool {
    let mut changed = false;
    // Σ a x ≤ 0 (and, for an equality, −Σ a x ≤ 0): each term ≤ −(least of the others).
    let sides: &[f64] = if sense == Sense::Eq { &[1.0, -1.0] } else { &[1.0] };
    for sign in sides {
        let parts: Vec<f64> = terms.iter().map(|(v, a)| low(sign * a, bounds[*v])).collect();
        let infinite = parts.iter().filter(|p| p.is_infinite()).count();
        let finite: f64 = parts.iter().filter(|p| p.is_finite()).sum();
        for (j, (v, a)) in terms.iter().enumerate() {
            let others = if parts[j].is_infinite() {
                if infinite > 1 {
                    continue;
                }
                finite
            } else {
                if infinite > 0 {
                    continue;
                }
                finite - parts[j]
            };
            // (sign × a) × x ≤ −others.
            let c = sign * a;
            let limit = -others / c;
            let (lo, hi) = &mut bounds[*v];
            if c > 0.0 && limit < *hi - EPS {
                *hi = limit;
                changed = true;
            } else if c < 0.0 && limit > *lo + EPS {
                *lo = limit;
                changed = true;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::super::super::aggregate::{SLOTS, TOT};
    use super::*;

    fn key(i: u32) -> Key {
        let mut k = [TOT; SLOTS];
        k[0] = i;
        k
    }

    #[test]
    fn a_small_total_of_small_cells_bounds_each_cell() {
        // total (C) = a (C) + b (C) + c (published 0): a, b ≤ 3 and total ≥ 2 with k = 5.
        let mut t = BTreeMap::new();
        for (i, supp) in [(0, Supp::Primary), (1, Supp::Primary), (2, Supp::Free)] {
            t.insert(key(i), Cell { value: Some(if i == 2 { 0 } else { 1 }), supp });
        }
        t.insert(key(TOT), Cell { value: Some(2), supp: Supp::Primary });
        let rel = Relation {
            terms: vec![((0, key(0)), 1), ((0, key(1)), 1), ((0, key(2)), 1), ((0, key(TOT)), -1)],
            sense: Sense::Eq,
        };
        let b = flag_bounds(&[t], &[rel], 5);
        assert_eq!(b[&(0, key(0))], (1.0, 3.0));
        assert_eq!(b[&(0, key(1))], (1.0, 3.0));
        assert_eq!(b[&(0, key(TOT))], (2.0, 4.0));
    }
}

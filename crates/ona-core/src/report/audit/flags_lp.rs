//! What the flags alone give away, where bound propagation ([`super::flags`]) is not enough: an
//! LP over several relations at once.
//!
//! Propagation reads one relation at a time. An attacker who reads only the flags can combine
//! them: with `reunified ≤ baby_home_exits` in two years, the baby-home exits of the two years
//! summing to a C total (≤ 4) one of whose other cells is C (≥ 1), the reunified children of
//! the two years are at most 3 together — though each relation alone allows 4. Such a cell
//! cannot reach k − 1 whatever is published or hidden: it is not narrowed by publication, and
//! neither the protection nor the audit may ask it to.
//!
//! The LP here has every cell unknown, within its propagated bounds (each a deduction from the
//! flags), and the relations whose cells all lie within a few hops of the cell asked about. Leaving
//! relations out only widens the result, so every end found is one the flags alone imply
//! (counts are integers: it is rounded inwards). Neighbourhoods grow until the end is found
//! as tight as the caller needs, or none is left to try.

use super::super::aggregate::{HashMap, Key};
use super::super::suppress::Cell;
use super::flags::propagate;
use super::presolve::EPS;
use super::system::{CellRef, Relation, Sense};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::BTreeMap;

/// The neighbourhoods tried, in relation hops: the pins seen on the synthetic networks span
/// two or three relations (a total, its small cells, a relation between indicators).
const RADII: [usize; 4] = [2, 3, 4, 6];

/// The most cells in one LP (a neighbourhood beyond it is not tried: the end stays wider).
const MOST_CELLS: usize = 6_000;

/// The flags-only knowledge of a report's cells, for LPs around one cell at a time.
pub(crate) struct FlagsOnly {
    index: HashMap<CellRef, usize>,
    /// Propagated bounds of each cell ([`super::flags::propagate`]).
    bounds: Vec<(f64, f64)>,
    rows: Vec<(Vec<(usize, f64)>, Sense)>,
    /// The rows of each cell.
    rows_of: Vec<Vec<usize>>,
}

impl FlagsOnly {
    /// The flags-only knowledge of `tables` (their flags; values are not read) and `relations`
    /// (`gap` as for [`super::flags::flag_bounds_gapped`]).
    pub(crate) fn new(
        tables: &[BTreeMap<Key, Cell>],
        relations: &[Relation],
        threshold: u64,
        gap: Option<u64>,
    ) -> FlagsOnly {
        let (index, bounds) = propagate(tables, relations, threshold, gap);
        let mut rows_of = vec![Vec::new(); bounds.len()];
        let rows: Vec<(Vec<(usize, f64)>, Sense)> = relations
            .iter()
            .enumerate()
            .map(|(r, rel)| {
                let terms: Vec<(usize, f64)> =
                    rel.terms.iter().map(|(c, a)| (index[c], *a as f64)).collect();
                for (i, _) in &terms {
                    if rows_of[*i].last() != Some(&r) {
                        rows_of[*i].push(r);
                    }
                }
                (terms, rel.sense)
            })
            .collect();
        FlagsOnly { index, bounds, rows, rows_of }
    }

    /// The least (or with `max` the greatest) value the flags allow `cell`, tightened by LP
    /// until it is within reach of `enough` (no tighter end is needed: the caller's value is
    /// there), or every neighbourhood is tried. `None` for a cell in no relation.
    pub(crate) fn end(&self, cell: &CellRef, max: bool, enough: f64) -> Option<f64> {
        let i = *self.index.get(cell)?;
        let mut best = if max { self.bounds[i].1 } else { self.bounds[i].0 };
        let done = |b: f64| if max { b <= enough + EPS } else { b >= enough - EPS };
        let mut size = 0;
        for radius in RADII {
            if done(best) {
                break;
            }
            let near = self.near(i, radius);
            if near.len() == size || near.len() > MOST_CELLS {
                break;
            }
            size = near.len();
            if let Some(b) = self.solve(i, &near, max) {
                best = if max { best.min(b) } else { best.max(b) };
            }
        }
        Some(best)
    }

    /// The flags-only interval `flags` of `cell` (from propagation), tightened at each end the
    /// attacker's interval `lower … upper` does not reach, as far as the flags alone allow.
    pub(crate) fn refine(
        &self,
        cell: &CellRef,
        flags: (f64, f64),
        lower: f64,
        upper: Option<f64>,
    ) -> (f64, f64) {
        let (mut lo, mut hi) = flags;
        if lower > lo + EPS {
            lo = lo.max(self.end(cell, false, lower).unwrap_or(lo));
        }
        if let Some(u) = upper.filter(|u| *u < hi - EPS) {
            hi = hi.min(self.end(cell, true, u).unwrap_or(hi));
        }
        (lo, hi)
    }

    /// The cells within `radius` hops of `start`, sorted.
    fn near(&self, start: usize, radius: usize) -> Vec<usize> {
        let mut seen = vec![false; self.bounds.len()];
        seen[start] = true;
        let mut out = vec![start];
        let mut frontier = vec![start];
        for _ in 0..radius {
            let mut next = Vec::new();
            for c in frontier {
                for r in &self.rows_of[c] {
                    for (j, _) in &self.rows[*r].0 {
                        if !seen[*j] {
                            seen[*j] = true;
                            out.push(*j);
                            next.push(*j);
                        }
                    }
                }
            }
            frontier = next;
        }
        out.sort_unstable();
        out
    }

    /// The LP end of cell `c` over the cells `near` and the relations among them, rounded
    /// inwards; `None` when unbounded (or the solver fails: nothing is claimed).
    fn solve(&self, c: usize, near: &[usize], max: bool) -> Option<f64> {
        let dir =
            if max { OptimizationDirection::Maximize } else { OptimizationDirection::Minimize };
        let mut problem = Problem::new(dir);
        let local: HashMap<usize, microlp::Variable> = near
            .iter()
            .map(|j| (*j, problem.add_var(if *j == c { 1.0 } else { 0.0 }, self.bounds[*j])))
            .collect();
        let mut rows: Vec<usize> =
            near.iter().flat_map(|j| self.rows_of[*j].iter().copied()).collect();
        rows.sort_unstable();
        rows.dedup();
        for r in rows {
            let (terms, sense) = &self.rows[r];
            let expr: Option<Vec<(microlp::Variable, f64)>> =
                terms.iter().map(|(j, a)| local.get(j).map(|x| (*x, *a))).collect();
            let Some(expr) = expr else { continue };
            let op = match sense {
                Sense::Eq => ComparisonOp::Eq,
                Sense::Le => ComparisonOp::Le,
            };
            problem.add_constraint(expr, op, 0.0);
        }
        let solution = problem.solve().ok()?.into_solution().ok()?;
        let v = solution.var_value(local[&c]);
        Some(if max { (v + EPS).floor() } else { (v - EPS).ceil() })
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::aggregate::{SLOTS, TOT};
    use super::super::super::suppress::Supp;
    use super::super::flags::flag_bounds;
    use super::*;

    fn key(i: u32) -> Key {
        let mut k = [TOT; SLOTS];
        k[0] = i;
        k
    }

    /// `Σ members − total = 0` over cells of table `t`.
    fn total(t: usize, members: &[u32], tot: u32) -> Relation {
        let mut terms: Vec<(CellRef, i64)> = members.iter().map(|m| ((t, key(*m)), 1)).collect();
        terms.push(((t, key(tot)), -1));
        Relation { terms, sense: Sense::Eq }
    }

    #[test]
    fn two_relations_together_pin_what_each_alone_does_not() {
        // Table 0 (reunified): r1 (C) + r2 (C) = R (C). Table 1 (baby-home exits):
        // b1 (C) + b2 (C) + b3 (C) = B (C), and r1 ≤ b1, r2 ≤ b2. From the flags alone:
        // b1 + b2 ≤ 4 − 1, so R ≤ 3; propagation, one relation at a time, allows 4.
        let c = |v: u64| Cell { value: Some(v), supp: Supp::Primary };
        let mut t0 = BTreeMap::new();
        let mut t1 = BTreeMap::new();
        for (i, v) in [(1, 1), (2, 1), (9, 2)] {
            t0.insert(key(i), c(v));
        }
        for (i, v) in [(1, 1), (2, 1), (3, 1), (9, 3)] {
            t1.insert(key(i), c(v));
        }
        let le = |a: u32| Relation {
            terms: vec![((0, key(a)), 1), ((1, key(a)), -1)],
            sense: Sense::Le,
        };
        let rels = vec![total(0, &[1, 2], 9), total(1, &[1, 2, 3], 9), le(1), le(2)];
        let tables = [t0, t1];
        assert_eq!(flag_bounds(&tables, &rels, 5)[&(0, key(9))], (2.0, 4.0), "propagation");
        let f = FlagsOnly::new(&tables, &rels, 5, Some(5));
        assert_eq!(f.end(&(0, key(9)), true, 2.0), Some(3.0), "the LP over both relations");
        assert_eq!(f.end(&(0, key(9)), false, 2.0), Some(2.0));
        // Asked only for 4 or less, it stops at propagation.
        assert_eq!(f.end(&(0, key(9)), true, 4.0), Some(4.0));
    }
}

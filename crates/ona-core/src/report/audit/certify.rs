//! The move LP of certified suppression (the "incremental attacker" of Fischetti & Salazar, as
//! τ-Argus's optimal and modular methods and sdcTable use it).
//!
//! The attacker's interval for a primary cell contains its target `L … U` (the flags-only
//! interval, [`super::flags`]) iff the attacker's system has feasible points with the cell at
//! `L` and at `U`. Such a point is the true table plus a *move* `y`: every relation still holds
//! at `v + y`, every cell stays within what the attacker knows of it if it is suppressed — a
//! primary cell in 1 … k − 1, any other non-zero cell at k or more (a `D` flag says "0 or ≥ k"),
//! a zero does not move (a suppressed zero is 0 or ≥ k, not an interval) — and the published
//! cells that move become secondary. Suppressing more only enlarges the attacker's feasible set,
//! so a point found once stays a certificate.
//!
//! For one cell and direction the move is the cheapest in information lost: it minimises
//! `Σ w_j |y_j|` with `w_j` = the cell's value for a published cell (τ-Argus's default cost:
//! large totals are expensive) and a small [`HIDDEN_COST`] for a cell already suppressed. The
//! move is looked for near the cell first (cells within a few relation hops), then in the whole
//! connected part of the tables.

use super::super::aggregate::{HashMap, Key};
use super::super::suppress::{Cell, Supp};
use super::system::{CellRef, Relation, Sense};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::BTreeMap;

/// The cost per unit of moving a cell that is already suppressed: small, so that compact moves
/// are preferred, but never zero.
pub(crate) const HIDDEN_COST: f64 = 1e-3;

/// A move below this is no move.
const MOVED: f64 = 1e-9;

/// Tolerance of the check of a point against the relations.
const TOLERANCE: f64 = 1e-6;

/// A relation on cell indices: terms, sense, and the room `−Σ a v` it has at the true values
/// (0 for an equality).
struct Row {
    terms: Vec<(usize, f64)>,
    sense: Sense,
    room: f64,
}

/// The tables as a graph of cells and relations, with the true values.
pub(crate) struct Graph {
    /// Every cell that appears in a relation, sorted.
    pub(crate) cells: Vec<CellRef>,
    index: HashMap<CellRef, usize>,
    /// True value of each cell (`None`: not known, it does not move).
    values: Vec<Option<f64>>,
    rows: Vec<Row>,
    /// The rows of each cell.
    rows_of: Vec<Vec<usize>>,
    /// The values each slot takes in each table, sorted (for the hypercube pass).
    slot_values: HashMap<(usize, usize), Vec<u32>>,
    threshold: f64,
}

/// What the attacker knows of a cell if it is suppressed, as bounds on its move:
/// `None` when it cannot move at all.
fn room(value: Option<f64>, primary: bool, k: f64) -> Option<(f64, f64)> {
    let v = value?;
    if v <= 0.0 {
        return None;
    }
    if primary || v < k {
        Some((1.0 - v, (k - 1.0) - v))
    } else {
        Some((k - v, f64::INFINITY))
    }
}

impl Graph {
    /// The graph of `relations` over `tables` (cells with their true values).
    pub(crate) fn new(
        tables: &[BTreeMap<Key, Cell>],
        relations: &[Relation],
        threshold: u64,
    ) -> Graph {
        let mut cells: Vec<CellRef> =
            relations.iter().flat_map(|r| r.terms.iter().map(|(c, _)| *c)).collect();
        cells.sort_unstable();
        cells.dedup();
        let index: HashMap<CellRef, usize> =
            cells.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let values: Vec<Option<f64>> = cells
            .iter()
            .map(|(t, k)| tables[*t].get(k).and_then(|c| c.value).map(|v| v as f64))
            .collect();
        let mut rows_of = vec![Vec::new(); cells.len()];
        let rows: Vec<Row> = relations
            .iter()
            .enumerate()
            .map(|(r, rel)| {
                let terms: Vec<(usize, f64)> =
                    rel.terms.iter().map(|(c, a)| (index[c], *a as f64)).collect();
                for (i, _) in &terms {
                    rows_of[*i].push(r);
                }
                let room = match rel.sense {
                    Sense::Eq => 0.0,
                    Sense::Le => {
                        -terms.iter().map(|(i, a)| a * values[*i].unwrap_or(f64::NAN)).sum::<f64>()
                    }
                };
                Row { terms, sense: rel.sense, room }
            })
            .collect();
        for r in &mut rows_of {
            r.dedup();
        }
        let mut slot_values: HashMap<(usize, usize), Vec<u32>> = HashMap::default();
        for (t, k) in &cells {
            for (s, v) in k.iter().enumerate() {
                slot_values.entry((*t, s)).or_default().push(*v);
            }
        }
        for v in slot_values.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Graph { cells, index, values, rows, rows_of, slot_values, threshold: threshold as f64 }
    }

    /// The values slot `s` takes among the cells of table `t`, sorted.
    pub(crate) fn slot_values(&self, t: usize, s: usize) -> &[u32] {
        self.slot_values.get(&(t, s)).map_or(&[], Vec::as_slice)
    }

    /// Whether cell `j`, suppressed, may move by `d` within what the attacker knows of it.
    pub(crate) fn can_move(&self, j: usize, d: f64, supp: &[Supp]) -> bool {
        let primary = supp[j] == Supp::Primary;
        room(self.values[j], primary, self.threshold)
            .is_some_and(|(lo, hi)| d >= lo - TOLERANCE && d <= hi + TOLERANCE)
    }

    /// Information lost per unit moved: the value of a published cell, [`HIDDEN_COST`] for a
    /// suppressed one.
    pub(crate) fn weight(&self, j: usize, supp: &[Supp]) -> f64 {
        if supp[j] == Supp::Free {
            self.values[j].unwrap_or(0.0)
        } else {
            HIDDEN_COST
        }
    }

    /// The index of a cell, if it is in a relation.
    pub(crate) fn index(&self, cell: &CellRef) -> Option<usize> {
        self.index.get(cell).copied()
    }

    /// The true value of a cell.
    pub(crate) fn value(&self, i: usize) -> Option<f64> {
        self.values[i]
    }

    /// The movable cells within `radius` relation hops of `start` (every one reachable when
    /// `None`), sorted. A cell that cannot move does not lead further.
    pub(crate) fn near(&self, start: usize, radius: Option<usize>, supp: &[Supp]) -> Vec<usize> {
        let mut seen = vec![false; self.cells.len()];
        seen[start] = true;
        let mut out = vec![start];
        let mut frontier = vec![start];
        let mut hops = 0;
        while !frontier.is_empty() && radius.is_none_or(|r| hops < r) {
            hops += 1;
            let mut next = Vec::new();
            for c in frontier {
                for r in &self.rows_of[c] {
                    for (j, _) in &self.rows[*r].terms {
                        if seen[*j] {
                            continue;
                        }
                        seen[*j] = true;
                        let primary = supp[*j] == Supp::Primary;
                        if room(self.values[*j], primary, self.threshold).is_some() {
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

    /// The cheapest move that takes cell `c` by `delta` moving only the cells `vars` (from
    /// [`Graph::near`]; `supp`: how each cell is published now), checked against every
    /// relation; `None` when there is none (or the solver fails).
    ///
    /// Primary cells still waiting for their upper certificate (`wants_up`) earn a bonus per
    /// unit moved up, so that one point settles several where it costs nothing more; the bonus
    /// summed over every such cell stays below the cost of one unit of any published cell (at
    /// least k ≥ 3), so it never makes a published cell hidden.
    pub(crate) fn moves(
        &self,
        c: usize,
        delta: f64,
        vars: &[usize],
        supp: &[Supp],
        wants_up: &[bool],
    ) -> Option<Vec<(usize, f64)>> {
        let waiting = vars.iter().filter(|j| wants_up[**j]).count() as f64;
        let bonus = (2.0 * HIDDEN_COST).min(0.25 / (waiting + 1.0));
        let local: HashMap<usize, usize> = vars.iter().enumerate().map(|(i, v)| (*v, i)).collect();
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        // Per cell: (up, down) variables, y = up − down; the cell itself moves by exactly delta.
        let mut parts = Vec::with_capacity(vars.len());
        for j in vars {
            let primary = supp[*j] == Supp::Primary;
            let (lo, hi) = room(self.values[*j], primary, self.threshold)?;
            if *j == c {
                let y = problem.add_var(0.0, (delta, delta));
                parts.push((y, None));
                continue;
            }
            let w =
                if supp[*j] == Supp::Free { self.values[*j].unwrap_or(0.0) } else { HIDDEN_COST };
            let w_up = if wants_up[*j] { w - bonus } else { w };
            let up = problem.add_var(w_up, (0.0, hi.max(0.0)));
            let down = problem.add_var(w, (0.0, (-lo).max(0.0)));
            parts.push((up, Some(down)));
        }
        let mut rows: Vec<usize> =
            vars.iter().flat_map(|j| self.rows_of[*j].iter().copied()).collect();
        rows.sort_unstable();
        rows.dedup();
        for r in &rows {
            let row = &self.rows[*r];
            let mut expr = Vec::new();
            for (j, a) in &row.terms {
                if let Some(l) = local.get(j) {
                    let (up, down) = parts[*l];
                    expr.push((up, *a));
                    if let Some(d) = down {
                        expr.push((d, -a));
                    }
                }
            }
            if expr.is_empty() {
                continue;
            }
            let (op, rhs) = match row.sense {
                Sense::Eq => (ComparisonOp::Eq, 0.0),
                Sense::Le => (ComparisonOp::Le, row.room),
            };
            if !rhs.is_finite() {
                return None;
            }
            problem.add_constraint(expr, op, rhs);
        }
        let solution = problem.solve().ok()?.into_solution().ok()?;
        let mut out = Vec::new();
        for (j, (up, down)) in vars.iter().zip(&parts) {
            let y = solution.var_value(*up) - down.map_or(0.0, |d| solution.var_value(d));
            if y.abs() > MOVED {
                out.push((*j, y));
            }
        }
        self.holds(&out, supp).then_some(out)
    }

    /// Whether `v + y` satisfies every relation and every cell stays within what the attacker
    /// knows of it: the check every certificate passes before it is used.
    pub(crate) fn holds(&self, y: &[(usize, f64)], supp: &[Supp]) -> bool {
        let moved: HashMap<usize, f64> = y.iter().copied().collect();
        for (j, d) in y {
            let primary = supp[*j] == Supp::Primary;
            let Some((lo, hi)) = room(self.values[*j], primary, self.threshold) else {
                return false;
            };
            if *d < lo - TOLERANCE || *d > hi + TOLERANCE {
                return false;
            }
        }
        let mut rows: Vec<usize> =
            y.iter().flat_map(|(j, _)| self.rows_of[*j].iter().copied()).collect();
        rows.sort_unstable();
        rows.dedup();
        rows.iter().all(|r| {
            let row = &self.rows[*r];
            let sum: f64 = row
                .terms
                .iter()
                .map(|(j, a)| a * (self.values[*j].unwrap_or(0.0) + moved.get(j).unwrap_or(&0.0)))
                .sum();
            match row.sense {
                Sense::Eq => sum.abs() <= TOLERANCE,
                Sense::Le => sum <= TOLERANCE,
            }
        })
    }
}

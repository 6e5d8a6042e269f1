//! The exact LP attack: for each unknown cell, the least and greatest value the linear system
//! of the attacker allows, solved per independent subsystem (connected component of unknown
//! cells linked by relations) with the pure-Rust simplex solver `microlp`.
//!
//! Each subsystem is solved from scratch once (the costly phase that finds a feasible point);
//! every question after that starts from the solved basis (a dual simplex on an edited copy):
//! - is a primary cell's end of 1 … k − 1 reachable? Fix the cell there and see whether the
//!   system stays feasible (any solution seen on the way that already reaches it answers too);
//! - the exact least or greatest value (for narrowed cells, and for secondary cells in a full
//!   audit): two probe variables `t` and `s` sit in the objective `min t − s`, free within
//!   ±M; the constraint `t = x` turns the optimum into `min x`, and `s = x` into `max x`.

use super::super::aggregate::{HashMap, Key};
use super::super::suppress::{Cell, Supp};
use super::system::{prior_bounds, unknown, CellRef, Relation, Sense};
use microlp::{ComparisonOp, Error as LpError, OptimizationDirection, Problem, Solution};
use std::collections::BTreeMap;

/// Slack for the solver's floating point: a bound within this of an integer is that integer.
const EPS: f64 = 1e-6;

/// What the attacker can derive about one primary-suppressed cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound {
    /// The cell.
    pub(crate) cell: CellRef,
    /// The least value the relations allow.
    pub(crate) lower: f64,
    /// The greatest value.
    pub(crate) upper: Option<f64>,
    /// Whether the interval is the whole 1..k−1.
    pub(crate) protected: bool,
}

/// The outcome of an attack.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attack {
    /// One bound per primary-suppressed cell (secondary cells are unknowns of the system, not
    /// targets: they are published counts hidden to protect others).
    pub(crate) bounds: Vec<Bound>,
    /// Independent subsystems attacked.
    pub(crate) components: usize,
    /// Unknown cells of the largest subsystem.
    pub(crate) largest: usize,
    /// LPs solved.
    pub(crate) lps: usize,
}

struct Lin {
    terms: Vec<(usize, f64)>,
    sense: Sense,
    rhs: f64,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Attacks the unknown cells of `tables` with `relations`.
pub(crate) fn attack(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
) -> Result<Attack, String> {
    let mut vars: Vec<(CellRef, Cell)> = Vec::new();
    let mut index: HashMap<CellRef, usize> = HashMap::default();
    for (t, table) in tables.iter().enumerate() {
        for (k, c) in table {
            if unknown(c) {
                index.insert((t, *k), vars.len());
                vars.push(((t, *k), *c));
            }
        }
    }
    let mut lins = Vec::new();
    let mut parent: Vec<usize> = (0..vars.len()).collect();
    for r in relations {
        let mut terms = Vec::new();
        let mut rhs = 0.0;
        for (cell, coef) in &r.terms {
            match index.get(cell) {
                Some(v) => terms.push((*v, *coef as f64)),
                None => {
                    let value = tables[cell.0].get(&cell.1).and_then(|c| c.value).unwrap_or(0);
                    rhs -= *coef as f64 * value as f64;
                }
            }
        }
        if terms.is_empty() {
            continue;
        }
        for w in terms.windows(2) {
            let (a, b) = (find(&mut parent, w[0].0), find(&mut parent, w[1].0));
            parent[a] = b;
        }
        lins.push(Lin { terms, sense: r.sense, rhs });
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for v in 0..vars.len() {
        let root = find(&mut parent, v);
        members.entry(root).or_default().push(v);
    }
    let mut lins_of: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, l) in lins.iter().enumerate() {
        let root = find(&mut parent, l.terms[0].0);
        lins_of.entry(root).or_default().push(i);
    }
    let mut out = Attack::default();
    for (root, vs) in members {
        let ls: Vec<&Lin> =
            lins_of.get(&root).map_or(Vec::new(), |v| v.iter().map(|i| &lins[*i]).collect());
        out.components += 1;
        out.largest = out.largest.max(vs.len());
        let comp = Component { vars: &vars, members: &vs, lins: &ls, threshold };
        comp.solve(&mut out)?;
    }
    Ok(out)
}

struct Component<'a> {
    vars: &'a [(CellRef, Cell)],
    members: &'a [usize],
    lins: &'a [&'a Lin],
    threshold: u64,
}

impl Component<'_> {
    fn fail(&self, e: &LpError) -> String {
        let (t, k) = self.vars[self.members[0]].0;
        format!("the published values are inconsistent ({e}) around cell {k:?} of table {t}")
    }

    fn solve(&self, out: &mut Attack) -> Result<(), String> {
        let n = self.members.len();
        let local: HashMap<usize, usize> =
            self.members.iter().enumerate().map(|(i, v)| (*v, i)).collect();
        let priors: Vec<(f64, Option<f64>)> =
            self.members.iter().map(|v| prior_bounds(&self.vars[*v].1, self.threshold)).collect();
        let primary: Vec<bool> =
            self.members.iter().map(|v| self.vars[*v].1.supp == Supp::Primary).collect();
        // A bound beyond any value: every cell is at most the sum of what the relations hold.
        let big = 1.0
            + self.lins.iter().map(|l| l.rhs.abs()).sum::<f64>()
            + priors.iter().filter_map(|p| p.1).sum::<f64>();
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let xs: Vec<microlp::Variable> = priors
            .iter()
            .map(|(lo, hi)| problem.add_var(0.0, (*lo, hi.unwrap_or(f64::INFINITY))))
            .collect();
        let t = problem.add_var(1.0, (-big, big));
        let s = problem.add_var(-1.0, (-big, big));
        for l in self.lins {
            let expr: Vec<(microlp::Variable, f64)> =
                l.terms.iter().map(|(v, a)| (xs[local[v]], *a)).collect();
            let op = match l.sense {
                Sense::Eq => ComparisonOp::Eq,
                Sense::Le => ComparisonOp::Le,
            };
            problem.add_constraint(expr, op, l.rhs);
        }
        let mut lps = 1;
        let base = solution(problem.solve()).map_err(|e| self.fail(&e))?;
        let mut lo: Vec<f64> = xs.iter().map(|x| base.var_value(*x)).collect();
        let mut hi = lo.clone();
        let see = |sol: &Solution, lo: &mut Vec<f64>, hi: &mut Vec<f64>| {
            for (i, x) in xs.iter().enumerate() {
                let v = sol.var_value(*x);
                lo[i] = lo[i].min(v);
                hi[i] = hi[i].max(v);
            }
        };
        // Whether cell i can take value v.
        let mut reaches = |i: usize, v: f64, lo: &mut Vec<f64>, hi: &mut Vec<f64>| {
            lps += 1;
            match solution(base.clone().fix_var(xs[i], v)) {
                Ok(sol) => {
                    see(&sol, lo, hi);
                    Ok(true)
                }
                Err(LpError::Infeasible) => Ok(false),
                Err(e) => Err(self.fail(&e)),
            }
        };
        let k1 = self.threshold.saturating_sub(1) as f64;
        let mut lower: Vec<Option<f64>> = vec![None; n];
        let mut upper: Vec<Option<f64>> = vec![None; n];
        let mut exact_low = Vec::new();
        let mut exact_high = Vec::new();
        for i in (0..n).filter(|i| primary[*i]) {
            let (floor, cap) = priors[i];
            if lo[i] <= floor + EPS || reaches(i, floor, &mut lo, &mut hi)? {
                lower[i] = Some(floor);
            } else {
                exact_low.push(i);
            }
            if hi[i] >= k1 - EPS || reaches(i, k1, &mut lo, &mut hi)? {
                upper[i] = cap;
            } else {
                exact_high.push(i);
            }
        }
        for (list, probe, max) in [(exact_low, t, false), (exact_high, s, true)] {
            for i in list {
                lps += 1;
                let expr = [(probe, 1.0), (xs[i], -1.0)];
                let sol = solution(base.clone().add_constraint(expr, ComparisonOp::Eq, 0.0))
                    .map_err(|e| self.fail(&e))?;
                let v = sol.var_value(xs[i]);
                if max {
                    upper[i] = (v < big - 1.0).then_some(v);
                } else {
                    lower[i] = Some(v);
                }
            }
        }
        for i in (0..n).filter(|i| primary[*i]) {
            let low = lower[i].unwrap_or(priors[i].0);
            let protected = low <= 1.0 + EPS && upper[i].is_some_and(|u| u >= k1 - EPS);
            out.bounds.push(Bound {
                cell: self.vars[self.members[i]].0,
                lower: low,
                upper: upper[i],
                protected,
            });
        }
        out.lps += lps;
        Ok(())
    }
}

/// The solution of an outcome (no time limit is set, so an outcome always has one).
fn solution(outcome: Result<microlp::SolveOutcome, LpError>) -> Result<Solution, LpError> {
    outcome?.into_solution().map_err(|_| LpError::InternalError("interrupted".into()))
}

#[cfg(test)]
mod tests {
    use super::super::super::aggregate::{SLOTS, TOT};
    use super::*;

    fn cell(value: u64, supp: Supp) -> Cell {
        Cell { value: (supp == Supp::Free).then_some(value), supp }
    }

    fn key(i: u32) -> Key {
        let mut k = [TOT; SLOTS];
        k[0] = i;
        k
    }

    /// Table 0: a + b = total (7, published); table 1 holds c with b ≤ c.
    fn attack_with(c: u64) -> Bound {
        let mut t0 = BTreeMap::new();
        t0.insert(key(0), cell(3, Supp::Primary));
        t0.insert(key(1), cell(4, Supp::Secondary));
        t0.insert(key(TOT), cell(7, Supp::Free));
        let mut t1 = BTreeMap::new();
        t1.insert(key(1), cell(c, Supp::Free));
        let rels = vec![
            Relation {
                terms: vec![((0, key(0)), 1), ((0, key(1)), 1), ((0, key(TOT)), -1)],
                sense: Sense::Eq,
            },
            Relation { terms: vec![((0, key(1)), 1), ((1, key(1)), -1)], sense: Sense::Le },
        ];
        let a = attack(&[t0, t1], &rels, 5).unwrap();
        assert_eq!(a.components, 1);
        assert_eq!(a.bounds.len(), 1, "only the primary cell is a target");
        a.bounds[0].clone()
    }

    #[test]
    fn a_total_with_two_hidden_cells_keeps_the_interval() {
        // b ≤ 100 says nothing: a ranges over 1..4 (b over 3..6).
        let b = attack_with(100);
        assert!(b.protected);
        assert_eq!((b.lower, b.upper), (1.0, Some(4.0)));
    }

    #[test]
    fn an_inequality_between_indicators_narrows_a_cell() {
        // b ≤ 5 forces a ≥ 2; b ≤ 4 forces a ≥ 3.
        let b = attack_with(5);
        assert!(!b.protected);
        assert!((b.lower - 2.0).abs() < 1e-6 && b.upper == Some(4.0), "{b:?}");
        let b = attack_with(4);
        assert!((b.lower - 3.0).abs() < 1e-6, "{b:?}");
    }
}

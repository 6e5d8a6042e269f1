//! The exact LP attack: for each primary-suppressed cell, whether the attacker's linear system
//! allows the whole 1 … k − 1, and if not, the exact least and greatest value it allows.
//!
//! The system is first reduced ([`super::presolve`]: published cells as constants, single
//! unknowns fixed, equal cells merged — steps that keep the solution set), then split into
//! independent subsystems; a subsystem without a target is not solved at all. Each subsystem is
//! solved once (the costly phase that finds a feasible point); every question after that
//! starts from that solution (a dual simplex on an edited copy, with the pure-Rust `microlp`).
//!
//! Which questions, cheapest first — every answer is exact:
//! 1. every solution seen is a feasible point: a target whose value in one of them is 1 reaches
//!    1 (likewise k − 1);
//! 2. group certificates: minimise the sum of the targets not yet shown to reach 1; the optimum
//!    is a feasible point that settles at once every target at 1 in it; repeat while it settles
//!    some (likewise maximise for k − 1);
//! 3. for each target left: minimise (or maximise) the target alone — the exact bound.

use super::super::aggregate::{HashMap, Key};
use super::super::suppress::{Cell, Supp};
use super::flags::flag_bounds_gapped;
use super::flags_lp::FlagsOnly;
use super::presolve::{presolve, Lin, Place, Reduced, EPS};
use super::system::{CellRef, Relation, Sense};
use microlp::{ComparisonOp, Error as LpError, OptimizationDirection, Problem, Solution};
use std::collections::BTreeMap;

/// What the attacker can derive about one primary-suppressed cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound {
    /// The cell.
    pub(crate) cell: CellRef,
    /// The least value the relations allow.
    pub(crate) lower: f64,
    /// The greatest value.
    pub(crate) upper: Option<f64>,
    /// What the flags alone give away ([`super::flags`]): 1 … k − 1 unless the cell is part
    /// of a small total.
    pub(crate) flags: (f64, f64),
    /// Whether the interval contains `flags`: the published values add nothing.
    pub(crate) protected: bool,
}

/// The outcome of an attack.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attack {
    /// One bound per primary-suppressed cell attacked (secondary cells are unknowns of the
    /// system, not targets: they are published counts hidden to protect others).
    pub(crate) bounds: Vec<Bound>,
    /// Independent subsystems with a target.
    pub(crate) components: usize,
    /// Variables of the largest subsystem (after presolve).
    pub(crate) largest: usize,
    /// LPs solved.
    pub(crate) lps: usize,
    /// Unknown cells before presolve.
    pub(crate) unknowns: usize,
    /// Variables after presolve.
    pub(crate) variables: usize,
    /// Targets in subsystems over the size limit, not attacked.
    pub(crate) skipped: Vec<CellRef>,
}

/// A variable and its exact range (lower, upper if bounded).
type Range = (usize, (f64, Option<f64>));

/// An interval (lower, upper).
type Interval = (f64, f64);

/// What one thread of single-target LPs found: each target's optimum, and the LPs solved.
type Singles = (Vec<(usize, f64)>, usize);

/// A variable of the reduced system and the interval it must keep.
type Goal = (usize, Interval);

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Attacks every primary-suppressed cell of `tables` with `relations`.
#[cfg(test)]
pub(crate) fn attack(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
) -> Result<Attack, String> {
    attack_with(tables, relations, threshold, Some(threshold))
}

/// [`attack`] where a cell not flagged C is known to be 0 or ≥ `gap` (`None`: only ≥ 0; see
/// [`super::flags::flag_bounds_gapped`]).
pub(crate) fn attack_with(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
    gap: Option<u64>,
) -> Result<Attack, String> {
    attack_only(tables, relations, (threshold, gap), &|_| true, true, usize::MAX)
}

/// Attacks the primary-suppressed cells of `tables` for which `target` holds (the others are
/// unknowns like the secondary cells). Without `exact`, when more than a few targets of a
/// subsystem are left after the group certificates, they are reported narrowed with the bounds
/// seen so far instead of solved one by one: `protected` is then still never claimed without
/// a certificate, but a cell reported narrowed may not be. Subsystems of more than `limit`
/// variables are not attacked: their targets are listed in [`Attack::skipped`].
pub(crate) fn attack_only(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    (threshold, gap): (u64, Option<u64>),
    target: &dyn Fn(&CellRef) -> bool,
    exact: bool,
    limit: usize,
) -> Result<Attack, String> {
    let red = presolve(tables, relations, threshold)?;
    let flags = flag_bounds_gapped(tables, relations, threshold, gap);
    let mut out =
        Attack { unknowns: red.unknowns, variables: red.bounds.len(), ..Attack::default() };
    // Targets: cell → variable (or fixed value).
    let mut targets: Vec<(CellRef, Place)> = Vec::new();
    for (cell, c, place) in &red.cells {
        if c.supp == Supp::Primary && target(cell) {
            targets.push((*cell, *place));
        }
    }
    // Exact (lower, upper) of each target variable.
    let mut range: HashMap<usize, (f64, Option<f64>)> = HashMap::default();
    for sub in subsystems(&red, &targets, &flags) {
        if sub.members.len() > limit {
            continue;
        }
        out.components += 1;
        out.largest = out.largest.max(sub.members.len());
        let ls: Vec<&Lin> = sub.lins.iter().map(|l| &red.lins[*l]).collect();
        let comp = Component { bounds: &red.bounds, members: &sub.members, lins: &ls, exact };
        let mut count = Count::default();
        let solved = comp.solve(&sub.goals, &mut count);
        out.lps += count.full;
        for (v, r) in solved? {
            range.insert(v, r);
        }
    }
    let mut flags_lp: Option<FlagsOnly> = None;
    for (cell, place) in targets {
        let (lower, upper) = match place {
            Place::Fixed(x) => (x, Some(x)),
            Place::Var(v) => match range.get(&v) {
                Some(r) => *r,
                None => {
                    out.skipped.push(cell);
                    continue;
                }
            },
        };
        let mut f = flags[&cell];
        let mut protected = lower <= f.0 + EPS && upper.is_some_and(|u| u >= f.1 - EPS);
        if !protected {
            // Where the flags alone pin the cell more than propagation shows.
            let lp =
                flags_lp.get_or_insert_with(|| FlagsOnly::new(tables, relations, threshold, gap));
            f = lp.refine(&cell, f, lower, upper);
            protected = lower <= f.0 + EPS && upper.is_some_and(|u| u >= f.1 - EPS);
        }
        out.bounds.push(Bound { cell, lower, upper, flags: f, protected });
    }
    Ok(out)
}

/// An independent subsystem of the reduced system that holds a target.
pub(crate) struct Subsystem {
    /// The target variables and the interval each must keep.
    pub(crate) goals: Vec<Goal>,
    /// Its variables (indices into the reduced system).
    pub(crate) members: Vec<usize>,
    /// Its relations (indices into [`Reduced::lins`]).
    pub(crate) lins: Vec<usize>,
}

/// Splits the reduced system into independent subsystems (variables linked by relations) and
/// keeps those holding a target, with the interval each target variable must keep (the widest
/// its cells' flags give).
pub(crate) fn subsystems(
    red: &Reduced,
    targets: &[(CellRef, Place)],
    flags: &HashMap<CellRef, Interval>,
) -> Vec<Subsystem> {
    let nv = red.bounds.len();
    let mut parent: Vec<usize> = (0..nv).collect();
    for l in &red.lins {
        for w in l.terms.windows(2) {
            let (a, b) = (find(&mut parent, w[0].0), find(&mut parent, w[1].0));
            parent[a] = b;
        }
    }
    let mut goal: BTreeMap<usize, Interval> = BTreeMap::new();
    for (cell, place) in targets {
        if let Place::Var(v) = place {
            let f = flags[cell];
            let g = goal.entry(*v).or_insert(f);
            *g = (g.0.min(f.0), g.1.max(f.1));
        }
    }
    let mut subs: BTreeMap<usize, Subsystem> = BTreeMap::new();
    for (v, g) in &goal {
        let root = find(&mut parent, *v);
        let sub = subs.entry(root).or_insert_with(|| Subsystem {
            goals: Vec::new(),
            members: Vec::new(),
            lins: Vec::new(),
        });
        sub.goals.push((*v, *g));
    }
    for v in 0..nv {
        if let Some(sub) = subs.get_mut(&find(&mut parent, v)) {
            sub.members.push(v);
        }
    }
    for (i, l) in red.lins.iter().enumerate() {
        if let Some(sub) = subs.get_mut(&find(&mut parent, l.terms[0].0)) {
            sub.lins.push(i);
        }
    }
    subs.into_values().collect()
}

/// One independent subsystem.
struct Component<'a> {
    /// Bounds of every variable of the reduced system.
    bounds: &'a [(f64, Option<f64>)],
    /// The variables of this subsystem.
    members: &'a [usize],
    /// Its relations.
    lins: &'a [&'a Lin],
    /// Solve every target left after the group certificates alone.
    exact: bool,
}

/// LPs solved.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    /// On the whole subsystem.
    full: usize,
}

/// Single-target LPs below which one thread does them all (a thread costs more than a few).
const PER_THREAD: usize = 8;

/// Threads for `lps` independent LPs: every core, no more than one per [`PER_THREAD`] LPs.
fn threads(lps: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(lps / PER_THREAD).max(1)
}

/// Without `exact`, the most targets of a subsystem solved one by one.
const INEXACT_SINGLES: usize = 4;

/// A solved subsystem and the probes that turn any linear objective into a warm-started solve.
struct Solved {
    base: Solution,
    xs: Vec<microlp::Variable>,
    /// `min t − s`: constraining `t = c·x` minimises `c·x`; `s = c·x` maximises it.
    t: microlp::Variable,
    s: microlp::Variable,
    big: f64,
}

impl Component<'_> {
    fn fail(&self, e: &LpError) -> String {
        format!(
            "the published values are inconsistent ({e}) in a subsystem of {} suppressed cells",
            self.members.len()
        )
    }

    fn build(&self, local: &HashMap<usize, usize>) -> Result<Solved, String> {
        // A bound beyond any value: every cell is at most the sum of what the relations hold.
        let big = 1.0
            + self.lins.iter().map(|l| l.rhs.abs()).sum::<f64>()
            + self.members.iter().filter_map(|v| self.bounds[*v].1).sum::<f64>();
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let xs: Vec<microlp::Variable> = self
            .members
            .iter()
            .map(|v| {
                let (lo, hi) = self.bounds[*v];
                problem.add_var(0.0, (lo, hi.unwrap_or(f64::INFINITY)))
            })
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
        let base = solution(problem.solve()).map_err(|e| self.fail(&e))?;
        Ok(Solved { base, xs, t, s, big })
    }

    /// The range of each goal variable: exact, or the goal when it is reached.
    fn solve(&self, goals: &[Goal], count: &mut Count) -> Result<Vec<Range>, String> {
        let local: HashMap<usize, usize> =
            self.members.iter().enumerate().map(|(i, v)| (*v, i)).collect();
        let m = self.build(&local)?;
        count.full += 1;
        let n = self.members.len();
        let mut lo: Vec<f64> = m.xs.iter().map(|x| m.base.var_value(*x)).collect();
        let mut hi = lo.clone();
        let see = |sol: &Solution, lo: &mut [f64], hi: &mut [f64]| {
            for (i, x) in m.xs.iter().enumerate() {
                let v = sol.var_value(*x);
                lo[i] = lo[i].min(v);
                hi[i] = hi[i].max(v);
            }
        };
        // The optimum of Σ list (least, or greatest with `max`).
        let optimise = |list: &[usize], max: bool, count: &mut Count| -> Result<Solution, String> {
            count.full += 1;
            let probe = if max { m.s } else { m.t };
            let mut expr = vec![(probe, 1.0)];
            expr.extend(list.iter().map(|i| (m.xs[*i], -1.0)));
            solution(m.base.clone().add_constraint(expr, ComparisonOp::Eq, 0.0))
                .map_err(|e| self.fail(&e))
        };
        let want: HashMap<usize, (f64, f64)> = goals.iter().map(|(v, g)| (local[v], *g)).collect();
        let goals: Vec<usize> = goals.iter().map(|(v, _)| local[v]).collect();
        let mut lower: Vec<Option<f64>> = vec![None; n];
        let mut upper: Vec<Option<f64>> = vec![None; n];
        for max in [false, true] {
            let open = |i: &usize, lo: &[f64], hi: &[f64]| {
                if max {
                    hi[*i] < want[i].1 - EPS
                } else {
                    lo[*i] > want[i].0 + EPS
                }
            };
            let mut left: Vec<usize> =
                goals.iter().copied().filter(|i| open(i, &lo, &hi)).collect();
            // Group certificates while they settle something.
            while left.len() > 1 {
                let sol = optimise(&left, max, count)?;
                see(&sol, &mut lo, &mut hi);
                let before = left.len();
                left.retain(|i| open(i, &lo, &hi));
                if left.len() == before {
                    break;
                }
            }
            if !self.exact && left.len() > INEXACT_SINGLES {
                for i in left {
                    if max {
                        upper[i] = Some(hi[i]);
                    } else {
                        lower[i] = Some(lo[i]);
                    }
                }
                continue;
            }
            // Each target left alone: its exact bound. These LPs are independent (each starts
            // from the first solution), so they run on every core, each thread on its own share
            // with its own record of the points seen (which only skips LPs, never changes a
            // bound: the bounds do not depend on the order).
            let left: Vec<usize> = left.into_iter().filter(|i| open(i, &lo, &hi)).collect();
            let share = left.len().div_ceil(threads(left.len()));
            let single = |part: &[usize]| -> Result<Singles, String> {
                let (mut lo, mut hi) = (lo.clone(), hi.clone());
                let mut part_count = Count::default();
                let mut found = Vec::new();
                for i in part {
                    if !open(i, &lo, &hi) {
                        continue;
                    }
                    let sol = optimise(&[*i], max, &mut part_count)?;
                    see(&sol, &mut lo, &mut hi);
                    found.push((*i, sol.var_value(m.xs[*i])));
                }
                Ok((found, part_count.full))
            };
            let parts: Vec<Result<Singles, String>> = if share >= left.len() {
                vec![single(&left)]
            } else {
                std::thread::scope(|scope| {
                    let handles: Vec<_> =
                        left.chunks(share.max(1)).map(|p| scope.spawn(move || single(p))).collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().unwrap_or_else(|_| Err("an LP thread failed".into())))
                        .collect()
                })
            };
            for part in parts {
                let (found, lps) = part?;
                count.full += lps;
                for (i, v) in found {
                    if max {
                        upper[i] = Some(v).filter(|v| *v < m.big - 1.0);
                        hi[i] = hi[i].max(v);
                    } else {
                        lower[i] = Some(v);
                        lo[i] = lo[i].min(v);
                    }
                }
            }
        }
        Ok(goals
            .iter()
            .map(|i| {
                // A goal reached is the exact end: the flags' interval holds every solution.
                let (low, up) = (lower[*i].unwrap_or(want[i].0), upper[*i].or(Some(want[i].1)));
                (self.members[*i], (low, up))
            })
            .collect())
    }
}

/// The solution of an outcome (no time limit is set, so an outcome always has one).
fn solution(outcome: Result<microlp::SolveOutcome, LpError>) -> Result<Solution, LpError> {
    outcome?.into_solution().map_err(|_| LpError::InternalError("interrupted".into()))
}

#[cfg(test)]
#[path = "solve_tests.rs"]
mod tests;

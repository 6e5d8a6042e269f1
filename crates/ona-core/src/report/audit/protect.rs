//! Secondary suppression certified against the LP attacker of `ona audit`, cheapest in
//! information lost.
//!
//! For each primary cell, in table and key order, and each end of its target interval (the
//! flags-only interval, [`super::flags`]: 1 … k − 1 for most cells), a certificate is sought: a
//! feasible point of the attacker's system with the cell at that end: first an alternating
//! pattern in the cell's table ([`super::pattern`]), else the cheapest move by LP within a few
//! relation hops of the cell, then in the whole connected part of the tables
//! ([`super::certify`], [`RADII`]); the published cells it moves become secondary. Since
//! suppressing more only enlarges the attacker's feasible set, every certificate found stays
//! valid to the end: when every primary cell has both, the audit finds no narrowed cell. A
//! certificate already found for an earlier cell that puts this one at its target is reused.
//!
//! A cell for which no move exists even in the whole connected part (the structure and the
//! zeros pin it) is *left*: counted in [`Protection::left`], and named by `ona audit`. Before
//! that, [`super::complete`] asks how far the flags alone let the cell go that way.

use super::super::aggregate::{Key, SLOTS};
use super::super::suppress::{Cell, Supp};
use super::certify::Graph;
use super::complete::{complete, Completion};
use super::flags::flag_bounds;
use super::flags_lp::FlagsOnly;
use super::pattern::pattern_move;
use super::system::{attacker_relations, CellRef, Origin, Relation, Sense};
use std::collections::BTreeMap;

/// The neighbourhoods tried, in relation hops (`None`: the whole connected part). After the
/// hypercube pass, an LP within 2 or 3 hops almost never found a move (session 7: 73 of 1,304),
/// but one within 5 hops finds most of them, at a fraction of the cost of the whole part (the
/// simplex's cost per pivot grows with the LP): 300 cases by `country,centre,year`, 22 % less
/// CPU for 0.8 % more information lost (4 hops: 45 % less CPU but 25 % more lost; 6 hops:
/// 15 % less, 3.7 % more; BENCHMARKS.md, issue 13). The whole part only where 5 hops fail.
const RADII: [Option<usize>; 2] = [Some(5), None];

/// What protecting the tables took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Protection {
    /// Cells made secondary.
    pub(crate) added: usize,
    /// LPs solved.
    pub(crate) lps: usize,
    /// Certificates found by an LP.
    pub(crate) certificates: usize,
    /// Certificates found by the hypercube pass ([`super::pattern`]), without an LP.
    pub(crate) patterns: usize,
    /// Targets settled by an earlier certificate.
    pub(crate) reused: usize,
    /// Primary cells without both certificates: no move reaches their target.
    pub(crate) left: usize,
    /// Targets the flags alone keep the cell from (no certificate needed: [`complete`]).
    pub(crate) pinned: usize,
}

/// Adds secondary suppressions to `tables` (cells with their true values) until every primary
/// cell has certificates at both ends of its target interval. An error when a value is not
/// known or the relations do not hold on the true values (a bug).
pub(crate) fn protect(
    tables: &mut [BTreeMap<Key, Cell>],
    masks: &[[bool; SLOTS]],
    threshold: u64,
    origin: Origin,
) -> Result<Protection, String> {
    let mut stats = Protection::default();
    if threshold <= 2 {
        // The flag alone says 1: nothing more to hide.
        return Ok(stats);
    }
    let rels = attacker_relations(tables, masks, origin);
    check_true_values(tables, &rels)?;
    let flags = flag_bounds(tables, &rels, threshold);
    let graph = Graph::new(tables, &rels, threshold);
    let cell = |c: &CellRef, tables: &[BTreeMap<Key, Cell>]| tables[c.0].get(&c.1).copied();
    let mut supp: Vec<Supp> =
        graph.cells.iter().map(|c| cell(c, tables).map_or(Supp::Free, |x| x.supp)).collect();
    // The moves of each cell in the certificates found so far.
    let mut seen: Vec<Vec<f64>> = vec![Vec::new(); graph.cells.len()];
    // Primary cells whose upper certificate is not found yet.
    let mut wants_up = vec![false; graph.cells.len()];
    let primaries: Vec<CellRef> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            table.iter().filter(|(_, c)| c.supp == Supp::Primary).map(move |(k, _)| (t, *k))
        })
        .collect();
    for c in &primaries {
        if let (Some(i), Some(f)) = (graph.index(c), flags.get(c)) {
            wants_up[i] = f.1 > graph.value(i).unwrap_or(0.0) + 1e-9;
        }
    }
    let mut flags_lp: Option<FlagsOnly> = None;
    for c in primaries {
        // A cell in no relation: the attacker has only its flag.
        let Some(i) = graph.index(&c) else { continue };
        let v = graph.value(i).unwrap_or(0.0);
        let Some(&(lower, upper)) = flags.get(&c) else { continue };
        let mut certified = true;
        for target in [upper, lower] {
            let delta = target - v;
            if delta.abs() < 1e-9 {
                continue;
            }
            // A point beyond the target is a certificate too: the attacker's feasible set is
            // convex and holds the true values, so it holds the segment between them.
            let reached =
                |y: &f64| if delta > 0.0 { *y >= delta - 1e-6 } else { *y <= delta + 1e-6 };
            if seen[i].iter().any(reached) {
                stats.reused += 1;
                continue;
            }
            // An alternating pattern in the cell's own table first; the LP only without one.
            let mut found = pattern_move(&graph, i, delta, masks, &supp);
            if found.is_some() {
                stats.patterns += 1;
            }
            let mut size = 0;
            for radius in RADII {
                if found.is_some() {
                    break;
                }
                let vars = graph.near(i, radius, &supp);
                if vars.len() == size {
                    continue;
                }
                size = vars.len();
                stats.lps += 1;
                found = graph.moves(i, delta, &vars, &supp, &wants_up);
                if found.is_some() {
                    stats.certificates += 1;
                }
            }
            if found.is_none() {
                // Maybe the flags alone keep the cell short of the target ([`complete`]).
                let lp = flags_lp.get_or_insert_with(|| {
                    FlagsOnly::new(tables, &rels, threshold, Some(threshold))
                });
                match complete(lp, &graph, (i, &c), delta, masks, &supp, &wants_up) {
                    Completion::Pinned => {
                        stats.pinned += 1;
                        continue;
                    }
                    Completion::Moves(m) => found = Some(m),
                    Completion::Left => {}
                }
            }
            let Some(moves) = found else {
                certified = false;
                continue;
            };
            for (j, y) in moves {
                seen[j].push(y);
                if let Some(f) = flags.get(&graph.cells[j]) {
                    if graph.value(j).is_some_and(|v| v + y >= f.1 - 1e-6) {
                        wants_up[j] = false;
                    }
                }
                if supp[j] == Supp::Free {
                    supp[j] = Supp::Secondary;
                    let (t, k) = graph.cells[j];
                    if let Some(x) = tables[t].get_mut(&k) {
                        x.supp = Supp::Secondary;
                    }
                    stats.added += 1;
                }
            }
        }
        if !certified {
            stats.left += 1;
        }
    }
    Ok(stats)
}

/// Every value is known and every relation holds on the true values (tables as built): the
/// attacker's model is sound.
fn check_true_values(tables: &[BTreeMap<Key, Cell>], rels: &[Relation]) -> Result<(), String> {
    for r in rels {
        let mut sum = 0i128;
        for (c, a) in &r.terms {
            let Some(v) = tables[c.0].get(&c.1).and_then(|c| c.value) else {
                return Err(format!("a cell's value is not known: {c:?}"));
            };
            sum += i128::from(*a) * v as i128;
        }
        let holds = match r.sense {
            Sense::Eq => sum == 0,
            Sense::Le => sum <= 0,
        };
        if !holds {
            return Err(format!(
                "a relation of the attacker's model fails on the true values: {r:?}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::super::suppress::{primary, suppress};
    use super::super::solve::attack;
    use super::*;
    use microlp::{ComparisonOp, OptimizationDirection, Problem};

    const ORIGIN: Origin = Origin { noisy: false, merged: false };

    use super::super::super::cell_key::country_by_period as key;
    use super::super::super::suppress::children_by_country_and_period as two_way;

    /// The audit's attacker (primary cells in 1 … k − 1, other hidden cells ≥ 0): the
    /// intervals of the small counts it narrows.
    fn narrowed(tables: &[BTreeMap<Key, Cell>], masks: &[[bool; SLOTS]]) -> Vec<(f64, f64)> {
        let rels = attacker_relations(tables, masks, ORIGIN);
        let a = attack(tables, &rels, 5).unwrap();
        a.bounds.iter().filter(|b| !b.protected).map(|b| (b.lower, b.upper.unwrap())).collect()
    }

    /// A stronger attacker, written independently of the protection: it also reads the flag of
    /// every hidden cell that is not a small count as "0 or ≥ k" and is told which (the true
    /// branch). Its exact LP interval for each small count of table 1.
    fn branch_attack(tables: &[BTreeMap<Key, Cell>], masks: &[[bool; SLOTS]]) -> Vec<(f64, f64)> {
        let rels = attacker_relations(tables, masks, ORIGIN);
        let t = &tables[1];
        let keys: Vec<Key> =
            t.iter().filter(|(_, c)| c.supp != Supp::Free).map(|(k, _)| *k).collect();
        let mut out = Vec::new();
        for target in keys.iter().filter(|k| t[*k].supp == Supp::Primary) {
            let mut ends = [0.0; 2];
            for (e, dir) in [OptimizationDirection::Minimize, OptimizationDirection::Maximize]
                .iter()
                .enumerate()
            {
                let mut p = Problem::new(*dir);
                let vars: BTreeMap<Key, microlp::Variable> = keys
                    .iter()
                    .map(|k| {
                        let v = t[k].value.unwrap();
                        let bounds = if t[k].supp == Supp::Primary {
                            (1.0, 4.0)
                        } else if v == 0 {
                            (0.0, 0.0)
                        } else {
                            (5.0, f64::INFINITY)
                        };
                        (*k, p.add_var(if k == target { 1.0 } else { 0.0 }, bounds))
                    })
                    .collect();
                for r in &rels {
                    let mut expr = Vec::new();
                    let mut rhs = 0.0;
                    for ((_, k), a) in &r.terms {
                        match vars.get(k) {
                            Some(x) => expr.push((*x, *a as f64)),
                            None => rhs -= *a as f64 * t[k].value.unwrap() as f64,
                        }
                    }
                    if !expr.is_empty() {
                        let op =
                            if r.sense == Sense::Eq { ComparisonOp::Eq } else { ComparisonOp::Le };
                        p.add_constraint(expr, op, rhs);
                    }
                }
                let s = p.solve().unwrap().into_solution().ok().unwrap();
                ends[e] = s.var_value(vars[target]);
            }
            out.push((ends[0], ends[1]));
        }
        out
    }

    fn hidden(tables: &[BTreeMap<Key, Cell>]) -> (usize, u64) {
        let s = tables[1].values().filter(|c| c.supp == Supp::Secondary);
        (s.clone().count(), s.map(|c| c.value.unwrap()).sum())
    }

    #[test]
    fn the_attacker_beats_the_single_relation_rule_but_not_the_certified_pattern() {
        // 1 and 2 on the diagonal. The single-relation rule hides the 10s beside them: a 2×2
        // block whose row and column totals leave one degree of freedom, so 1 ≤ a ≤ 3 and
        // 2 ≤ d ≤ 4 — the attacker learns that the 2 is not a 1, and the 1 is not a 4.
        let vals: [&[u64]; 3] = [&[1, 10, 20], &[10, 2, 30], &[20, 30, 40]];
        let (mut tables, masks) = two_way(&vals);
        suppress(&mut tables[1], &masks[1], 5);
        assert_eq!(hidden(&tables), (2, 20), "the single-relation rule hides a 2×2 block");
        assert_eq!(narrowed(&tables, &masks), [(1.0, 3.0), (2.0, 4.0)], "the LP attacker wins");

        // Certified, from the primary cells alone.
        let (mut tables, masks) = two_way(&vals);
        primary(&mut tables[1], 5);
        let stats = protect(&mut tables, &masks, 5, ORIGIN).unwrap();
        assert_eq!(stats.left, 0, "{stats:?}");
        assert!(narrowed(&tables, &masks).is_empty(), "the audit finds nothing");
        for (lo, hi) in branch_attack(&tables, &masks) {
            assert!(lo <= 1.0 + 1e-6 && hi >= 4.0 - 1e-6, "the branch attacker: {lo} … {hi}");
        }
        for c in tables[1].values() {
            if c.supp == Supp::Free {
                assert!(!(1..5).contains(&c.value.unwrap()), "no small count published");
            }
        }
        // The greedy repair of session 5 (hide the smallest published neighbour of each
        // narrowed cell — the 20 beside the 1, the 30 beside the 2 — rerun the rule,
        // re-attack) ended with 4 secondary cells worth 70 here.
        let (n, total) = hidden(&tables);
        assert!(n <= 4 && total <= 70, "{n} secondary cells worth {total}");
    }

    #[test]
    fn a_hidden_count_of_k_or_more_is_not_moved_below_k() {
        // a = 1 (small) beside b = 5 in a row of total 46 with c = 40 published. The audit's
        // attacker reads a hidden b as ≥ 0, so hiding {a, b} and the two 30s below them
        // satisfies it; but the flag of b says "0 or ≥ 5", so a + b = 6 gives a = 1.
        // The single-relation rule hides exactly that, and the greedy repair, driven by the
        // ≥ 0 attacker, would add nothing.
        let vals: [&[u64]; 2] = [&[1, 5, 40], &[30, 30, 30]];
        let (mut naive, masks) = two_way(&vals);
        suppress(&mut naive[1], &masks[1], 5);
        let hid: Vec<Key> =
            naive[1].iter().filter(|(_, c)| c.supp == Supp::Secondary).map(|(k, _)| *k).collect();
        assert_eq!(hid, [key(0, 1), key(1, 0), key(1, 1)]);
        assert!(narrowed(&naive, &masks).is_empty(), "the ≥ 0 attacker is satisfied");
        assert_eq!(branch_attack(&naive, &masks), [(1.0, 1.0)], "the flag gives a away");

        let (mut tables, masks) = two_way(&vals);
        primary(&mut tables[1], 5);
        let stats = protect(&mut tables, &masks, 5, ORIGIN).unwrap();
        // One certificate (here a 2 × 2 pattern, no LP): a's true value is already the lower end.
        assert_eq!((stats.left, stats.certificates + stats.patterns), (0, 1), "{stats:?}");
        assert!(narrowed(&tables, &masks).is_empty());
        assert_eq!(branch_attack(&tables, &masks), [(1.0, 4.0)]);
    }

    #[test]
    fn a_threshold_of_two_needs_nothing_more() {
        let vals: [&[u64]; 3] = [&[1, 10, 20], &[10, 1, 30], &[20, 30, 40]];
        let (mut tables, masks) = two_way(&vals);
        suppress(&mut tables[1], &masks[1], 2);
        let before = tables.clone();
        let stats = protect(&mut tables, &masks, 2, ORIGIN).unwrap();
        assert_eq!(stats, Protection::default());
        assert_eq!(tables, before);
    }
}

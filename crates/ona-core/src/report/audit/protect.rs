//! Secondary suppression that passes the audit.
//!
//! After the fast single-relation rule ([`super::super::suppress`]), the tables are attacked as
//! the audit does. For each primary cell the attacker narrows, one more published cell is
//! suppressed among those sharing a relation with it — the smallest non-zero count first, so
//! that little is lost (a zero only when nothing else is left; a neighbour's neighbour when no
//! neighbour is published) — the single-relation rule runs again, and the attack repeats on the
//! primary cells not yet shown protected.
//!
//! Suppressing a cell only widens intervals (every solution the attacker had stays a solution,
//! with the cell at its true value), so a cell once shown protected stays protected; each round
//! suppresses at least one more cell, so the loop ends. A cell counts as protected only on an
//! exact certificate (feasible points of the attacker's system at 1 and at k − 1); cells the
//! cheap certificates do not settle are treated as narrowed, which may cost a cell more than
//! needed but never leaves a narrowed cell.

use super::super::aggregate::{HashMap, HashSet, Key, SLOTS};
use super::super::suppress::{secondary, Cell, Supp};
use super::solve::attack_only;
use super::system::{attacker_relations, unknown, CellRef, Origin, Relation, Sense};
use std::collections::BTreeMap;

/// Narrowed cells (by the cheap certificates) below which they are settled exactly before
/// anything more is hidden.
const EXACT_BELOW: usize = 64;

/// Subsystems larger than this (after presolve) are left to the single-relation rule: the
/// pure-Rust simplex takes minutes and can fail numerically on them (see BENCHMARKS.md).
const MAX_VARIABLES: usize = 1500;

/// What protecting the tables took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Protection {
    /// Rounds of attack and repair.
    pub(crate) rounds: usize,
    /// Cells suppressed by the repair (besides the single-relation rule's).
    pub(crate) added: usize,
    /// LPs solved.
    pub(crate) lps: usize,
    /// Primary cells not shown protected: still narrowed with nothing around them left to
    /// suppress, in a subsystem over [`MAX_VARIABLES`], or where the solver failed.
    pub(crate) left: usize,
}

/// Adds secondary suppressions to `tables` (cells with their true values) until the LP attacker
/// narrows no primary cell. An error only when the relations do not hold on the true values (a
/// bug). Best effort where nothing around a narrowed cell is left to suppress, where a
/// subsystem is too large or the solver fails ([`Protection::left`]).
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
    let mut pending: HashSet<CellRef> = HashSet::default();
    for (t, table) in tables.iter().enumerate() {
        for (k, c) in table {
            if c.supp == Supp::Primary {
                pending.insert((t, *k));
            }
        }
    }
    while !pending.is_empty() {
        stats.rounds += 1;
        let rels = attacker_relations(tables, masks, origin);
        if stats.rounds == 1 {
            check_true_values(tables, &rels)?;
        }
        let mut narrowed = Vec::new();
        // Cheap certificates first; the cells they leave are settled exactly before anything
        // more is hidden only when few are left (a cell may look narrowed without being so).
        for exact in [false, true] {
            let only = |c: &CellRef| pending.contains(c);
            let result = match attack_only(tables, &rels, threshold, &only, exact, MAX_VARIABLES) {
                Ok(r) => r,
                Err(_) => {
                    // The true values satisfy every relation (checked above), so the solver
                    // failed numerically: best effort, `ona audit` names what is left.
                    stats.left += pending.len();
                    return Ok(stats);
                }
            };
            stats.lps += result.lps;
            for c in &result.skipped {
                pending.remove(c);
                stats.left += 1;
            }
            narrowed.clear();
            for b in &result.bounds {
                if b.protected {
                    pending.remove(&b.cell);
                } else {
                    narrowed.push(b.cell);
                }
            }
            if narrowed.len() > EXACT_BELOW {
                break;
            }
        }
        if narrowed.is_empty() {
            break;
        }
        let of_cell = relations_of(&rels);
        let mut touched = vec![false; tables.len()];
        for c in narrowed.iter().copied() {
            for p in choose(tables, &rels, &of_cell, c) {
                if let Some(cell) = tables[p.0].get_mut(&p.1) {
                    if cell.supp == Supp::Free {
                        cell.supp = Supp::Secondary;
                        stats.added += 1;
                        touched[p.0] = true;
                    }
                }
            }
        }
        if !touched.iter().any(|t| *t) {
            // Nothing left to hide around them: the narrowing comes from the flags and the
            // structure (an exact LP tighter than the flags' bound propagation), or from
            // published cells further away. Best effort: `ona audit` names them.
            stats.left += narrowed.len();
            break;
        }
        for (t, table) in tables.iter_mut().enumerate() {
            if touched[t] {
                secondary(table, &masks[t]);
            }
        }
    }
    Ok(stats)
}

fn relations_of(rels: &[Relation]) -> HashMap<CellRef, Vec<usize>> {
    let mut m: HashMap<CellRef, Vec<usize>> = HashMap::default();
    for (i, r) in rels.iter().enumerate() {
        for (c, _) in &r.terms {
            m.entry(*c).or_default().push(i);
        }
    }
    m
}

/// The cells to suppress for a narrowed cell: the smallest published non-zero count sharing a
/// relation with it (a zero when there is none), else one sharing a relation with a suppressed
/// neighbour (up to three steps away), else every published cell of its table.
fn choose(
    tables: &[BTreeMap<Key, Cell>],
    rels: &[Relation],
    of_cell: &HashMap<CellRef, Vec<usize>>,
    cell: CellRef,
) -> Vec<CellRef> {
    let mut frontier = vec![cell];
    let mut seen: HashSet<CellRef> = frontier.iter().copied().collect();
    for _step in 0..3 {
        let mut best: Option<((bool, u64, CellRef), CellRef)> = None;
        let mut next = Vec::new();
        for c in &frontier {
            for r in of_cell.get(c).into_iter().flatten() {
                for (n, _) in &rels[*r].terms {
                    if !seen.insert(*n) {
                        continue;
                    }
                    let Some(nc) = tables[n.0].get(&n.1) else { continue };
                    if unknown(nc) {
                        next.push(*n);
                    } else {
                        let v = nc.value.unwrap_or(0);
                        let rank = (v == 0, v, *n);
                        if best.as_ref().is_none_or(|(b, _)| rank < *b) {
                            best = Some((rank, *n));
                        }
                    }
                }
            }
        }
        if let Some((_, n)) = best {
            return vec![n];
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    tables[cell.0].iter().filter(|(_, c)| !unknown(c)).map(|(k, _)| (cell.0, *k)).collect()
}

/// Every relation holds on the true values (tables as built): the attacker's model is sound.
fn check_true_values(tables: &[BTreeMap<Key, Cell>], rels: &[Relation]) -> Result<(), String> {
    for r in rels {
        let mut sum = 0i128;
        for (c, a) in &r.terms {
            let Some(v) = tables[c.0].get(&c.1).and_then(|c| c.value) else { return Ok(()) };
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
    use super::super::super::aggregate::{COUNTS, TOT};
    use super::super::super::suppress::suppress;
    use super::super::solve::attack;
    use super::*;

    /// Children served by country (slot 0) and period (slot 3), with every margin.
    fn two_way(vals: &[[u64; 3]; 3]) -> (Vec<BTreeMap<Key, Cell>>, Vec<[bool; SLOTS]>) {
        let key = |a: u32, b: u32| {
            let mut k = [TOT; SLOTS];
            k[0] = a;
            k[3] = b;
            k
        };
        let free = |v: u64| Cell { value: Some(v), supp: Supp::Free };
        let mut t = BTreeMap::new();
        for (a, row) in vals.iter().enumerate() {
            for (b, v) in row.iter().enumerate() {
                t.insert(key(a as u32, b as u32), free(*v));
            }
            t.insert(key(a as u32, TOT), free(row.iter().sum()));
        }
        for b in 0..3 {
            t.insert(key(TOT, b as u32), free(vals.iter().map(|r| r[b]).sum()));
        }
        t.insert(key(TOT, TOT), free(vals.iter().flatten().sum()));
        let mut mask = [false; SLOTS];
        mask[0] = true;
        mask[3] = true;
        let mut tables = vec![BTreeMap::new(); COUNTS.len()];
        tables[1] = t;
        let mut masks = vec![[false; SLOTS]; COUNTS.len()];
        masks[1] = mask;
        (tables, masks)
    }

    const ORIGIN: Origin = Origin { noisy: false, merged: false };

    fn narrowed(tables: &[BTreeMap<Key, Cell>], masks: &[[bool; SLOTS]]) -> Vec<(f64, f64)> {
        let rels = attacker_relations(tables, masks, ORIGIN);
        let a = attack(tables, &rels, 5).unwrap();
        assert_eq!(a.bounds.len(), 2, "both small counts are targets");
        a.bounds.iter().filter(|b| !b.protected).map(|b| (b.lower, b.upper.unwrap())).collect()
    }

    #[test]
    fn the_attacker_beats_the_single_relation_rule_but_not_the_audited_one() {
        // 1 and 2 on the diagonal. The single-relation rule hides the 10s beside them: a 2×2
        // block whose row and column totals leave one degree of freedom, so 1 ≤ a ≤ 3 and
        // 2 ≤ d ≤ 4 — the attacker learns that the 2 is not a 1, and the 1 is not a 4.
        let vals = [[1, 10, 20], [10, 2, 30], [20, 30, 40]];
        let (mut tables, masks) = two_way(&vals);
        suppress(&mut tables[1], &masks[1], 5);
        let hidden = tables[1].values().filter(|c| c.supp != Supp::Free).count();
        assert_eq!(hidden, 4, "the single-relation rule hides a 2×2 block");
        let old = narrowed(&tables, &masks);
        assert_eq!(old, [(1.0, 3.0), (2.0, 4.0)], "the LP attacker narrows both cells");

        let stats = protect(&mut tables, &masks, 5, ORIGIN).unwrap();
        assert!(stats.added >= 1 && stats.rounds >= 2, "{stats:?}");
        assert!(narrowed(&tables, &masks).is_empty(), "every small count keeps 1..4");
        // What is still published: every small count hidden, and nothing was published
        // that had been hidden.
        for c in tables[1].values() {
            if c.supp == Supp::Free {
                assert!(!(1..5).contains(&c.value.unwrap()));
            }
        }
        let after = tables[1].values().filter(|c| c.supp != Supp::Free).count();
        assert!(after > hidden && after < 16 - 4, "a few more cells, not the table: {after}");
    }

    #[test]
    fn a_threshold_of_two_needs_nothing_more() {
        let vals = [[1, 10, 20], [10, 1, 30], [20, 30, 40]];
        let (mut tables, masks) = two_way(&vals);
        suppress(&mut tables[1], &masks[1], 2);
        let before = tables.clone();
        let stats = protect(&mut tables, &masks, 2, ORIGIN).unwrap();
        assert_eq!((stats.rounds, stats.added), (0, 0));
        assert_eq!(tables, before);
    }
}

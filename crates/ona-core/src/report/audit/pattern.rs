//! The hypercube first pass of certified suppression (as τ-Argus's GHMITER and sdcTable's
//! `HYPERCUBE` method look for it): before the move LP, a move of alternating pattern inside the
//! cell's own table.
//!
//! A table's relations are totals along one slot at a time (`suppress::relations`). A move that
//! is a product `y(key) = δ · Π_s f_s(key[s])` of one small vector per active slot keeps every
//! such total when each `f_s` keeps the totals along its slot: `f_s` = +1 at the cell's value and
//! −1 at a sibling value (a 2 × 2 × … pattern), or +1 at the cell's value and +1 at the total
//! where the cell is its only non-zero member (the hierarchy's `country = _T` rows), or, for a
//! cell that is a total, +1 there and at one member. Each slot offers a few choices, cheapest
//! first; every combination is scored (information lost: the value of each published cell it
//! moves, a small cost for a hidden one) and the cheapest that passes the point check
//! ([`Graph::holds`]: every relation the move touches — hierarchy, other tables, indicators
//! defined by others — and every moved cell within what the attacker knows of it) is the
//! certificate. When none passes in the table alone, the same pattern is tried in the table
//! together with the tables its indicator is defined against; then the caller falls back to the
//! LP.

use super::super::aggregate::{count_index, Key, SLOTS, TOT};
use super::super::dimensions::Dimension;
use super::super::suppress::Supp;
use super::certify::Graph;
use super::system::BY_DEFINITION;

/// Choices kept per slot (the cheapest siblings, plus the total).
const PER_SLOT: usize = 4;

/// Combinations tried at most per cell and direction.
const MAX_COMBINATIONS: usize = 256;

/// The cheapest checked move of alternating pattern that takes cell `c` by `delta` (`masks`:
/// each table's active slots; `supp`: how each cell is published now), or `None`.
pub(crate) fn pattern_move(
    graph: &Graph,
    c: usize,
    delta: f64,
    masks: &[[bool; SLOTS]],
    supp: &[Supp],
) -> Option<Vec<(usize, f64)>> {
    let t = graph.cells[c].0;
    let alone = [t];
    if let Some((_, y)) = in_tables(graph, c, delta, &masks[t], &alone, supp) {
        return Some(y);
    }
    // The same pattern in the tables an indicator is defined against (with the same
    // dimensions): a sub-indicator that moves with its super-indicator keeps the relation.
    let mut best: Option<(f64, Vec<(usize, f64)>)> = None;
    for up in [true, false] {
        let family = family(t, masks, up);
        if family.len() > 1 {
            if let Some((cost, y)) = in_tables(graph, c, delta, &masks[t], &family, supp) {
                if best.as_ref().is_none_or(|(b, _)| cost < *b) {
                    best = Some((cost, y));
                }
            }
        }
    }
    best.map(|(_, y)| y)
}

/// Table `t` and every table it is defined against by [`BY_DEFINITION`], transitively, upwards
/// (the super-indicators) or downwards (the sub-indicators), that has the same dimensions.
fn family(t: usize, masks: &[[bool; SLOTS]], up: bool) -> Vec<usize> {
    let mut out = vec![t];
    let mut n = 0;
    while n < out.len() {
        let u = out[n];
        n += 1;
        for (subs, sup) in BY_DEFINITION {
            let Some(sup) = count_index(*sup) else { continue };
            let subs: Vec<usize> = subs.iter().filter_map(|i| count_index(*i)).collect();
            let next: Vec<usize> = if up && subs.contains(&u) {
                vec![sup]
            } else if !up && sup == u {
                subs
            } else {
                Vec::new()
            };
            for v in next {
                if !out.contains(&v) && masks.get(v) == Some(&masks[t]) {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// The cheapest checked pattern moving the same keys in every table of `tables` (the first is
/// cell `c`'s), with its cost.
fn in_tables(
    graph: &Graph,
    c: usize,
    delta: f64,
    mask: &[bool; SLOTS],
    tables: &[usize],
    supp: &[Supp],
) -> Option<(f64, Vec<(usize, f64)>)> {
    let (t, key) = graph.cells[c];
    let choices: Vec<Vec<Vec<(u32, f64)>>> = (0..SLOTS)
        .filter(|s| mask[*s])
        .map(|s| slot_choices(graph, c, t, &key, s, delta, supp))
        .collect();
    let slots: Vec<usize> = (0..SLOTS).filter(|s| mask[*s]).collect();
    if choices.iter().any(Vec::is_empty) {
        return None;
    }
    let mut best: Option<(f64, Vec<(usize, f64)>)> = None;
    let mut pick = vec![0usize; choices.len()];
    for _ in 0..MAX_COMBINATIONS {
        if let Some(y) = product(graph, tables, &key, &slots, &choices, &pick, delta) {
            let cost = cost(graph, &y, supp);
            if best.as_ref().is_none_or(|(b, _)| cost < *b) && graph.holds(&y, supp) {
                best = Some((cost, y));
            }
        }
        // Next combination (the last slot varies fastest).
        let mut s = pick.len();
        loop {
            if s == 0 {
                return best;
            }
            s -= 1;
            pick[s] += 1;
            if pick[s] < choices[s].len() {
                break;
            }
            pick[s] = 0;
        }
    }
    best
}

/// The choices of `f_s` for slot `s` of cell `c` (key `key` in table `t`): sparse vectors
/// (value at the slot, factor), cheapest first.
fn slot_choices(
    graph: &Graph,
    c: usize,
    t: usize,
    key: &Key,
    s: usize,
    delta: f64,
    supp: &[Supp],
) -> Vec<Vec<(u32, f64)>> {
    if s == Dimension::RiskFactor.slot() {
        // Not additive: no total along it, the factor is 1 at the cell's own value.
        return vec![vec![(key[s], 1.0)]];
    }
    let at = |v: u32| {
        let mut k = *key;
        k[s] = v;
        graph.index(&(t, k))
    };
    let own = key[s];
    // The other values of the slot present in the table next to the cell, each with the cost
    // of moving the neighbour it gives (by −δ for a sibling, +δ for a member of a total).
    let sign = if own == TOT { 1.0 } else { -1.0 };
    let mut others: Vec<(f64, u32)> = graph
        .slot_values(t, s)
        .iter()
        .filter(|v| **v != own && **v != TOT)
        .filter_map(|v| {
            let j = at(*v)?;
            (j != c && graph.can_move(j, sign * delta, supp)).then(|| (graph.weight(j, supp), *v))
        })
        .collect();
    others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<Vec<(u32, f64)>> =
        others.iter().take(PER_SLOT).map(|(_, v)| vec![(own, 1.0), (*v, sign)]).collect();
    // The cell with its total, only where the cell is the total's only non-zero member (a level
    // of the hierarchy, such as a centre's row at `country = _T`): moving a larger published
    // total would hide more than the LP's move, which is then looked for instead.
    if own != TOT && at(TOT).is_some_and(|j| graph.value(j) == graph.value(c)) {
        out.push(vec![(own, 1.0), (TOT, 1.0)]);
    }
    out
}

/// The move of one combination: `None` when a cell of it is not in the tables.
fn product(
    graph: &Graph,
    tables: &[usize],
    key: &Key,
    slots: &[usize],
    choices: &[Vec<Vec<(u32, f64)>>],
    pick: &[usize],
    delta: f64,
) -> Option<Vec<(usize, f64)>> {
    let mut points: Vec<(Key, f64)> = vec![(*key, delta)];
    for (n, s) in slots.iter().enumerate() {
        let f = &choices[n][pick[n]];
        points = points
            .iter()
            .flat_map(|(k, y)| {
                f.iter().map(move |(v, a)| {
                    let mut k2 = *k;
                    k2[*s] = *v;
                    (k2, y * a)
                })
            })
            .collect();
    }
    let mut out = Vec::with_capacity(points.len() * tables.len());
    for t in tables {
        for (k, y) in &points {
            out.push((graph.index(&(*t, *k))?, *y));
        }
    }
    out.sort_by_key(|(j, _)| *j);
    out.dedup_by_key(|(j, _)| *j);
    Some(out)
}

/// Information lost by a move: Σ weight × |y|.
fn cost(graph: &Graph, y: &[(usize, f64)], supp: &[Supp]) -> f64 {
    y.iter().map(|(j, d)| graph.weight(*j, supp) * d.abs()).sum()
}

#[cfg(test)]
mod tests {
    use super::super::super::aggregate::COUNTS;
    use super::super::super::indicators::Indicator;
    use super::super::super::suppress::{primary, Cell};
    use super::super::system::{attacker_relations, Origin};
    use super::*;
    use std::collections::BTreeMap;

    const ORIGIN: Origin = Origin { noisy: false, merged: false };

    use super::super::super::cell_key::country_by_period as key;
    use super::super::super::suppress::country_by_period_table;

    /// A two-way table (slots 0 and 3) with every margin, primary-suppressed at k = 5.
    fn table(vals: &[&[u64]]) -> BTreeMap<Key, Cell> {
        let mut t = country_by_period_table(vals);
        primary(&mut t, 5);
        t
    }

    /// `with_mother_at_exit` and `exit_children` (which bounds it by definition).
    fn tables(
        with_mother: &[&[u64]],
        exit_children: &[&[u64]],
    ) -> (Vec<BTreeMap<Key, Cell>>, Vec<[bool; SLOTS]>) {
        let mut mask = [false; SLOTS];
        mask[0] = true;
        mask[3] = true;
        let mut tables = vec![BTreeMap::new(); COUNTS.len()];
        let mut masks = vec![[false; SLOTS]; COUNTS.len()];
        let w = count_index(Indicator::WithMotherAtExit).unwrap();
        tables[w] = table(with_mother);
        masks[w] = mask;
        let e = count_index(Indicator::ExitChildren).unwrap();
        tables[e] = table(exit_children);
        masks[e] = mask;
        (tables, masks)
    }

    fn setup(tables: &[BTreeMap<Key, Cell>], masks: &[[bool; SLOTS]]) -> (Graph, Vec<Supp>, usize) {
        let rels = attacker_relations(tables, masks, ORIGIN);
        let graph = Graph::new(tables, &rels, 5);
        let w = count_index(Indicator::WithMotherAtExit).unwrap();
        let supp: Vec<Supp> = graph.cells.iter().map(|(t, k)| tables[*t][k].supp).collect();
        let c = graph.index(&(w, key(0, 0))).unwrap();
        (graph, supp, c)
    }

    /// The move of a list of (row, column, y) in `with_mother_at_exit`.
    fn move_of(graph: &Graph, corners: &[(u32, u32, f64)]) -> Vec<(usize, f64)> {
        let w = count_index(Indicator::WithMotherAtExit).unwrap();
        let mut y: Vec<(usize, f64)> =
            corners.iter().map(|(a, b, d)| (graph.index(&(w, key(*a, *b))).unwrap(), *d)).collect();
        y.sort_by_key(|(j, _)| *j);
        y
    }

    #[test]
    fn a_small_cell_is_certified_by_the_cheapest_two_by_two_pattern() {
        // The 1 goes to 4 by +3 at (0,0) and (1,1), −3 at (0,1) and (1,0): the 10s beside
        // it are cheaper than the 30 and 40 of the other pattern or any total.
        let (tables, masks) = tables(&[&[1, 10, 30], &[10, 20, 40]], &[&[50; 3], &[50; 3]]);
        let (graph, supp, c) = setup(&tables, &masks);
        let y = pattern_move(&graph, c, 3.0, &masks, &supp).expect("a pattern");
        assert_eq!(y, move_of(&graph, &[(0, 0, 3.0), (0, 1, -3.0), (1, 0, -3.0), (1, 1, 3.0)]));
        assert!(graph.holds(&y, &supp));
        // Down to its lower end (1 − 1 = 0: no move) and beyond what a 10 can give (10 − 6 < k).
        assert!(pattern_move(&graph, c, -6.0, &masks, &supp).is_none());
    }

    #[test]
    fn a_pattern_that_breaks_a_relation_between_indicators_is_rejected() {
        // Every child at (1,1) left with the mother: with_mother_at_exit = exit_children = 20
        // there. The cheap 2 × 2 pattern keeps every total of with_mother_at_exit but takes
        // (1,1) to 23 > 20 exits: the attacker, knowing with_mother ≤ exit_children, would
        // exclude that point, so it is no certificate.
        let w: [&[u64]; 2] = [&[1, 10, 30], &[10, 20, 40]];
        let e: [&[u64]; 2] = [&[5, 12, 31], &[11, 20, 45]];
        let two_by_two = [(0, 0, 3.0), (0, 1, -3.0), (1, 0, -3.0), (1, 1, 3.0)];
        // With more exits everywhere, the pattern passes the check.
        let (alone, masks) = tables(&w, &[&[50; 3], &[50; 3]]);
        let (graph, supp, _) = setup(&alone, &masks);
        assert!(graph.holds(&move_of(&graph, &two_by_two), &supp));
        // With these, it does not, and the pass finds another one that holds.
        let (both, masks) = tables(&w, &e);
        let (graph, supp, c) = setup(&both, &masks);
        let cheap = move_of(&graph, &two_by_two);
        assert!(!graph.holds(&cheap, &supp), "the check sees the relation between indicators");
        let y = pattern_move(&graph, c, 3.0, &masks, &supp).expect("another pattern");
        assert_ne!(y, cheap);
        assert!(graph.holds(&y, &supp));
        let moved_11 = graph.index(&(count_index(Indicator::WithMotherAtExit).unwrap(), key(1, 1)));
        assert!(y.iter().all(|(j, d)| Some(*j) != moved_11 || *d <= 0.0), "{y:?}");
    }

    #[test]
    fn no_pattern_when_every_neighbour_is_pinned() {
        // The 4 going down to 1: its siblings are zeros, which do not move (a hidden zero is
        // 0 or ≥ k), and the only other pattern, with the totals, takes the grand total 6 to 3,
        // below k for a published cell (its D flag would say ≥ k). No pattern: the caller
        // falls back to the LP.
        let (pinned, masks) = tables(&[&[4, 0, 0], &[0, 0, 2]], &[&[50; 3], &[50; 3]]);
        let (graph, supp, c) = setup(&pinned, &masks);
        assert!(pattern_move(&graph, c, -3.0, &masks, &supp).is_none());
        // With a grand total of 8, the totals can follow the 4 down to 1.
        let (wider, masks) = tables(&[&[4, 0, 0], &[0, 0, 4]], &[&[50; 3], &[50; 3]]);
        let (graph, supp, c) = setup(&wider, &masks);
        let y = pattern_move(&graph, c, -3.0, &masks, &supp).expect("a pattern with the totals");
        assert_eq!(y.len(), 4);
        assert!(graph.holds(&y, &supp));
    }

    #[test]
    fn a_sub_indicator_equal_to_its_super_indicator_moves_with_it() {
        // Every child left with the mother: with_mother_at_exit = exit_children everywhere.
        // No pattern in with_mother_at_exit alone takes the 1 up (it would pass the exits);
        // the same pattern in both tables keeps with_mother ≤ exit_children, and holds.
        let w: [&[u64]; 2] = [&[1, 10, 30], &[10, 20, 40]];
        let (both, masks) = tables(&w, &w);
        let (graph, supp, c) = setup(&both, &masks);
        let wi = count_index(Indicator::WithMotherAtExit).unwrap();
        let ei = count_index(Indicator::ExitChildren).unwrap();
        assert!(in_tables(&graph, c, 3.0, &masks[wi], &[wi], &supp).is_none());
        let y = pattern_move(&graph, c, 3.0, &masks, &supp).expect("a pattern in both tables");
        assert!(graph.holds(&y, &supp));
        let moved = |t: usize| y.iter().filter(|(j, _)| graph.cells[*j].0 == t).count();
        assert_eq!((moved(wi), moved(ei)), (4, 4), "{y:?}");
        // A family is the tables with the same dimensions only.
        let mut other = masks.clone();
        other[ei][5] = true;
        assert_eq!(family(wi, &other, true), [wi]);
        assert!(family(wi, &masks, true).contains(&ei));
    }
}

//! Tests of the completion ([`super::complete`]) and of the flags-only interval with the gap
//! "0 or ≥ k" ([`super::flags`]), played through the protection and the audit (apart from
//! `complete.rs`, which the protection imports).

use super::super::aggregate::{Key, SLOTS};
use super::super::cell_key::country_by_period as key;
use super::super::suppress::Supp;
use super::super::suppress::{children_by_country_and_period, primary, Cell};
use super::certify::Graph;
use super::complete::{complete, Completion};
use super::flags::{flag_bounds, propagate};
use super::flags_lp::FlagsOnly;
use super::protect::protect;
use super::solve::attack;
use super::system::{attacker_relations, CellRef, Origin, Relation, Sense};
use std::collections::BTreeMap;

const ORIGIN: Origin = Origin { noisy: false, merged: false };

/// Children served by country and period, with every margin, primary cells flagged with k = 5.
fn two_way(vals: &[&[u64]]) -> (Vec<BTreeMap<Key, Cell>>, Vec<[bool; SLOTS]>) {
    let (mut tables, masks) = children_by_country_and_period(vals);
    for t in &mut tables {
        primary(t, 5);
    }
    (tables, masks)
}

#[test]
fn a_cell_pinned_by_the_flags_alone_is_not_left() {
    // Referrals at four centres (rows) in two years (columns). Year 1 at every centre is 1,
    // so its total is 4: all five flagged C. From the flags alone each year-1 cell is 1
    // (four cells of at least 1 in a total of at most 4), and centre 0's total — not
    // flagged C and at least 1, so at least 5 — makes centre 0's year 0 at least 4: it
    // is 4, whatever is published or hidden. Session 7's protection read every other cell as
    // "≥ 0", sought a point with that cell at 1, found none (year 1 would be 4 at centre 0,
    // its total 7 > 4) and left it; the audit reported it narrowed (4 … 4).
    let vals: [&[u64]; 4] = [&[4, 1], &[10, 1], &[20, 1], &[30, 1]];
    let (mut tables, masks) = two_way(&vals);
    let rels = attacker_relations(&tables, &masks, ORIGIN);
    let cell = (1, key(0, 0));
    assert_eq!(flag_bounds(&tables, &rels, 5)[&cell], (4.0, 4.0), "pinned by the flags");
    // The old target (1) is out of reach: no move takes the cell there.
    let graph = Graph::new(&tables, &rels, 5);
    let supp: Vec<Supp> =
        graph.cells.iter().map(|(t, k)| tables[*t].get(k).map_or(Supp::Free, |c| c.supp)).collect();
    let i = graph.index(&cell).unwrap();
    let all = graph.near(i, None, &supp);
    assert!(graph.moves(i, -3.0, &all, &supp, &vec![false; supp.len()]).is_none());
    // And publishing nothing more than the flags give is now certified.
    let stats = protect(&mut tables, &masks, 5, ORIGIN).unwrap();
    assert_eq!(stats.left, 0, "{stats:?}");
    let rels = attacker_relations(&tables, &masks, ORIGIN);
    let a = attack(&tables, &rels, 5).unwrap();
    assert!(a.bounds.iter().all(|b| b.protected), "the audit agrees: {:?}", a.bounds);
    let b = a.bounds.iter().find(|b| b.cell == cell).unwrap();
    assert_eq!((b.lower, b.flags), (4.0, (4.0, 4.0)));
}

#[test]
fn a_published_small_value_is_not_read_as_zero_or_large() {
    // A report made otherwise (a published 3 with k = 5): the flags-only bounds do not
    // read that cell as "0 or ≥ k", which would pin its neighbour without cause.
    let free = |v| Cell { value: Some(v), supp: Supp::Free };
    let mut t = BTreeMap::new();
    t.insert(key(0, 0), Cell { value: Some(1), supp: Supp::Primary });
    t.insert(key(1, 0), free(3));
    let rel = Relation { terms: vec![((0, key(0, 0)), 1), ((0, key(1, 0)), -1)], sense: Sense::Le };
    let (index, bounds) = propagate(&[t], std::slice::from_ref(&rel), 5, Some(5));
    assert_eq!(bounds[index[&(0, key(1, 0))]], (1.0, f64::INFINITY));
    // A hidden cell of a merged report (a regional total hidden because a member is): no gap.
    let mut t = BTreeMap::new();
    t.insert(key(0, 0), Cell { value: Some(1), supp: Supp::Primary });
    t.insert(key(1, 0), Cell { value: None, supp: Supp::Secondary });
    let (index, bounds) = propagate(&[t.clone()], std::slice::from_ref(&rel), 5, None);
    assert_eq!(bounds[index[&(0, key(1, 0))]], (1.0, f64::INFINITY));
    let (index, bounds) = propagate(&[t], &[rel], 5, Some(5));
    assert_eq!(bounds[index[&(0, key(1, 0))]], (5.0, f64::INFINITY), "a report's own D");
}

/// Table 0: r1 + r2 = R; table 1: b1 + b2 + b3 = B; r1 ≤ b1, r2 ≤ b2; every cell C (k 5).
fn two_tables() -> (Vec<BTreeMap<Key, Cell>>, Vec<Relation>) {
    let c = |v: u64| Cell { value: Some(v), supp: Supp::Primary };
    let mut t0 = BTreeMap::new();
    let mut t1 = BTreeMap::new();
    for (i, v) in [(0, 1), (1, 1), (9, 2)] {
        t0.insert(key(i, 0), c(v));
    }
    for (i, v) in [(0, 1), (1, 1), (2, 1), (9, 3)] {
        t1.insert(key(i, 0), c(v));
    }
    let total = |t: usize, members: &[u32]| {
        let mut terms: Vec<(CellRef, i64)> = members.iter().map(|m| ((t, key(*m, 0)), 1)).collect();
        terms.push(((t, key(9, 0)), -1));
        Relation { terms, sense: Sense::Eq }
    };
    let le = |a: u32| Relation {
        terms: vec![((0, key(a, 0)), 1), ((1, key(a, 0)), -1)],
        sense: Sense::Le,
    };
    (vec![t0, t1], vec![total(0, &[0, 1]), total(1, &[0, 1, 2]), le(0), le(1)])
}

#[test]
fn a_target_beyond_what_the_flags_allow_is_sought_at_the_flags_end() {
    // R = 2 with flags 2 … 4 by propagation; the flags-only LP gives R ≤ 3 (b1 + b2 ≤ 3).
    // No move takes R to 4; the completion finds the certificate for 3.
    let (tables, rels) = two_tables();
    let graph = Graph::new(&tables, &rels, 5);
    let flags = FlagsOnly::new(&tables, &rels, 5, Some(5));
    let supp = vec![Supp::Primary; graph.cells.len()];
    let wants = vec![false; graph.cells.len()];
    let cell = (0, key(9, 0));
    let i = graph.index(&cell).unwrap();
    let all = graph.near(i, None, &supp);
    assert!(graph.moves(i, 2.0, &all, &supp, &wants).is_none(), "R = 4 is out of reach");
    let masks = vec![[false; SLOTS]; 2];
    match complete(&flags, &graph, (i, &cell), 2.0, &masks, &supp, &wants) {
        Completion::Moves(m) => {
            assert!(graph.holds(&m, &supp));
            assert!(m.iter().any(|(j, y)| *j == i && (*y - 1.0).abs() < 1e-6), "{m:?}");
        }
        _ => panic!("a certificate for R = 3"),
    }
    // Downwards R is pinned at 2 (two cells of at least 1): nothing to seek.
    assert!(matches!(
        complete(&flags, &graph, (i, &cell), -1.0, &masks, &supp, &wants),
        Completion::Pinned
    ));
}

//! Tests of the audit's LP attack (`solve.rs`).

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

/// Runs one subsystem over variables 0..n.
fn solve_alone(lins: &[Lin], bounds: &[(f64, Option<f64>)], goal: Goal) -> (Range, Count) {
    let members: Vec<usize> = (0..bounds.len()).collect();
    let refs: Vec<&Lin> = lins.iter().collect();
    let comp = Component { bounds, members: &members, lins: &refs, exact: true };
    let mut count = Count::default();
    let ranges = comp.solve(&[goal], &mut count).unwrap();
    (ranges[0], count)
}

/// x0 + x1 = 5, x1 + x2 = 5, …, x4 + x5 = 5 (x0 = x2 = x4, the others 5 − x0), x0 a
/// primary cell in 1 … 4, x5 at most `last`.
fn chain(last: f64) -> (Vec<Lin>, Vec<(f64, Option<f64>)>) {
    let lins = (0..5)
        .map(|i| Lin { terms: vec![(i, 1.0), (i + 1, 1.0)], sense: Sense::Eq, rhs: 5.0 })
        .collect();
    let mut bounds = vec![(0.0, None); 6];
    bounds[0] = (1.0, Some(4.0));
    bounds[5] = (0.0, Some(last));
    (lins, bounds)
}

#[test]
fn single_target_lps_on_several_threads_give_each_exact_bound() {
    // x_i + y_i = 5 with y_i ≤ 1 + i mod 3, so x_i ≥ 4 − i mod 3 (x_i in 1 … 4); the y_i
    // are tied in one subsystem by a total T = Σ y_i. The group certificate cannot settle
    // the lower ends (none reaches 1): one LP each, split over the threads.
    let n = 4 * PER_THREAD;
    let (x, y, t) = (|i: usize| i, |i: usize| n + i, 2 * n);
    let mut lins: Vec<Lin> = (0..n)
        .map(|i| Lin { terms: vec![(x(i), 1.0), (y(i), 1.0)], sense: Sense::Eq, rhs: 5.0 })
        .collect();
    let mut total: Vec<(usize, f64)> = (0..n).map(|i| (y(i), 1.0)).collect();
    total.push((t, -1.0));
    lins.push(Lin { terms: total, sense: Sense::Eq, rhs: 0.0 });
    let mut bounds = vec![(1.0, Some(4.0)); n];
    bounds.extend((0..n).map(|i| (0.0, Some(1.0 + (i % 3) as f64))));
    bounds.push((0.0, None));
    let members: Vec<usize> = (0..bounds.len()).collect();
    let refs: Vec<&Lin> = lins.iter().collect();
    let comp = Component { bounds: &bounds, members: &members, lins: &refs, exact: true };
    let goals: Vec<Goal> = (0..n).map(|i| (x(i), (1.0, 4.0))).collect();
    let mut count = Count::default();
    let ranges = comp.solve(&goals, &mut count).unwrap();
    assert_eq!(ranges.len(), n);
    for (v, (lower, upper)) in ranges {
        let want = 4.0 - (v % 3) as f64;
        assert!((lower - want).abs() < 1e-6, "x{v}: {lower}, want {want}");
        assert!(upper.is_some_and(|u| (u - 4.0).abs() < 1e-6), "x{v}: {upper:?}");
    }
    let narrowed = (0..n).filter(|i| i % 3 != 2).count();
    assert!(count.full > narrowed, "one LP per narrowed lower end at least: {count:?}");
}

#[test]
fn a_cell_moved_only_by_the_whole_chain_keeps_its_interval() {
    // The target moves only if every cell of the chain moves with it: the exact attack
    // still reaches both ends.
    let (lins, bounds) = chain(10.0);
    let ((_, (lower, upper)), _) = solve_alone(&lins, &bounds, (0, (1.0, 4.0)));
    assert_eq!((lower, upper), (1.0, Some(4.0)));
}

#[test]
fn a_cell_narrowed_at_the_far_end_of_a_chain_is_narrowed() {
    // x5 ≤ 2 forces x0 = 5 − x5 ≥ 3, five relations away: the exact interval is [3, 4].
    let (lins, bounds) = chain(2.0);
    let ((_, (lower, upper)), _) = solve_alone(&lins, &bounds, (0, (1.0, 4.0)));
    assert!((lower - 3.0).abs() < 1e-6, "{lower}");
    assert!(upper.is_some_and(|u| (u - 4.0).abs() < 1e-6), "{upper:?}");
}

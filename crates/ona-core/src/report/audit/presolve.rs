//! The attacker's linear system made small before any LP, by steps that keep its solution set
//! exactly (so the bounds computed afterwards are the exact bounds of the whole system):
//!
//! - the published cells are constants: each relation keeps only its unknown cells;
//! - an equality with one unknown fixes it (`x = value`), an inequality with one unknown tightens
//!   its bound; the value is substituted everywhere and this repeats;
//! - an equality `x = y` between two unknowns (a centre's row and its region's row, when the
//!   region has only that centre) merges them into one variable, with both bounds;
//! - a relation left with no unknown must hold on the constants, else the report contradicts
//!   itself (an error).
//!
//! What remains is split into independent subsystems (connected components of variables linked
//! by relations) by the caller.

use super::super::aggregate::{HashMap, Key};
use super::super::suppress::Cell;
use super::system::{prior_bounds, unknown, CellRef, Relation, Sense};
use std::collections::BTreeMap;

/// Slack for floating point: values within this of each other are equal.
pub(crate) const EPS: f64 = 1e-6;

/// A relation between variables: `Σ coefficient × x (= or ≤) rhs`.
#[derive(Debug, Clone)]
pub(crate) struct Lin {
    /// Variables and coefficients (no variable twice, no zero coefficient).
    pub(crate) terms: Vec<(usize, f64)>,
    /// Equality or inequality.
    pub(crate) sense: Sense,
    /// Right-hand side.
    pub(crate) rhs: f64,
}

/// Where an unknown cell went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    /// A variable of the reduced system.
    Var(usize),
    /// Fixed by the relations to this value.
    Fixed(f64),
}

/// The reduced system.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reduced {
    /// Each unknown cell, the cell as published, and where it went.
    pub(crate) cells: Vec<(CellRef, Cell, Place)>,
    /// Bounds of each variable (lower, upper if any).
    pub(crate) bounds: Vec<(f64, Option<f64>)>,
    /// The relations left, each with at least two variables.
    pub(crate) lins: Vec<Lin>,
    /// Unknown cells before presolve.
    pub(crate) unknowns: usize,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Reduces the attacker's system over the unknown cells of `tables`. An error names a relation
/// the published values break.
pub(crate) fn presolve(
    tables: &[BTreeMap<Key, Cell>],
    relations: &[Relation],
    threshold: u64,
) -> Result<Reduced, String> {
    let mut cells: Vec<(CellRef, Cell)> = Vec::new();
    let mut index: HashMap<CellRef, usize> = HashMap::default();
    for (t, table) in tables.iter().enumerate() {
        for (k, c) in table {
            if unknown(c) {
                index.insert((t, *k), cells.len());
                cells.push(((t, *k), *c));
            }
        }
    }
    let n = cells.len();
    let mut bounds: Vec<(f64, Option<f64>)> =
        cells.iter().map(|(_, c)| prior_bounds(c, threshold)).collect();
    let mut fixed: Vec<Option<f64>> = vec![None; n];
    let mut parent: Vec<usize> = (0..n).collect();
    let mut lins: Vec<Lin> = Vec::new();
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
        lins.push(Lin { terms, sense: r.sense, rhs });
    }
    let name = |v: usize| {
        let ((t, k), _) = cells[v];
        format!("cell {k:?} of table {t}")
    };
    let mut changed = true;
    while changed {
        changed = false;
        let mut kept = Vec::with_capacity(lins.len());
        for mut l in std::mem::take(&mut lins) {
            // Substitute merged and fixed variables; combine repeated ones.
            let mut acc: BTreeMap<usize, f64> = BTreeMap::new();
            for (v, a) in &l.terms {
                let r = find(&mut parent, *v);
                match fixed[r] {
                    Some(x) => l.rhs -= a * x,
                    None => *acc.entry(r).or_insert(0.0) += a,
                }
            }
            l.terms = acc.into_iter().filter(|(_, a)| a.abs() > EPS).collect();
            match (l.terms.as_slice(), l.sense) {
                ([], Sense::Eq) if l.rhs.abs() > EPS => {
                    return Err(format!("a total does not match its cells (off by {})", l.rhs));
                }
                ([], Sense::Le) if l.rhs < -EPS => {
                    return Err(format!("an inequality between indicators fails (by {})", -l.rhs));
                }
                ([], _) => {}
                (&[(v, a)], sense) => {
                    let x = l.rhs / a;
                    let (lo, hi) = &mut bounds[v];
                    if sense == Sense::Eq {
                        *lo = lo.max(x);
                        *hi = Some(hi.map_or(x, |h| h.min(x)));
                    } else if a > 0.0 {
                        *hi = Some(hi.map_or(x, |h| h.min(x)));
                    } else {
                        *lo = lo.max(x);
                    }
                    let (lo, hi) = bounds[v];
                    if hi.is_some_and(|h| h < lo - EPS) {
                        return Err(format!("the published values leave no value for {}", name(v)));
                    }
                    if hi.is_some_and(|h| h <= lo + EPS) {
                        fixed[v] = Some(lo);
                    }
                    changed = true;
                }
                (&[(x, a), (y, b)], Sense::Eq) if l.rhs.abs() <= EPS && (a + b).abs() <= EPS => {
                    // x = y: y joins x with both bounds.
                    let (ylo, yhi) = bounds[y];
                    let (lo, hi) = &mut bounds[x];
                    *lo = lo.max(ylo);
                    *hi = match (*hi, yhi) {
                        (Some(p), Some(q)) => Some(p.min(q)),
                        (p, q) => p.or(q),
                    };
                    parent[y] = x;
                    let (lo, hi) = bounds[x];
                    if hi.is_some_and(|h| h < lo - EPS) {
                        return Err(format!("the published values leave no value for {}", name(x)));
                    }
                    if hi.is_some_and(|h| h <= lo + EPS) {
                        fixed[x] = Some(lo);
                    }
                    changed = true;
                }
                _ => kept.push(l),
            }
        }
        lins = kept;
    }
    // Number the variables left.
    let mut var_of: HashMap<usize, usize> = HashMap::default();
    let mut out_bounds = Vec::new();
    let mut out_cells = Vec::with_capacity(n);
    for (v, (cell, c)) in cells.iter().enumerate() {
        let r = find(&mut parent, v);
        let place = match fixed[r] {
            Some(x) => Place::Fixed(x),
            None => Place::Var(*var_of.entry(r).or_insert_with(|| {
                out_bounds.push(bounds[r]);
                out_bounds.len() - 1
            })),
        };
        out_cells.push((*cell, *c, place));
    }
    for l in &mut lins {
        for (v, _) in &mut l.terms {
            *v = var_of[&find(&mut parent, *v)];
        }
    }
    Ok(Reduced { cells: out_cells, bounds: out_bounds, lins, unknowns: n })
}

#[cfg(test)]
mod tests {
    use super::super::super::aggregate::{SLOTS, TOT};
    use super::super::super::suppress::Supp;
    use super::*;

    fn key(i: u32) -> Key {
        let mut k = [TOT; SLOTS];
        k[0] = i;
        k
    }

    fn hidden(supp: Supp) -> Cell {
        Cell { value: None, supp }
    }

    #[test]
    fn equal_cells_merge_and_single_unknowns_are_fixed() {
        // t0: a (primary), b (secondary), total 9 published; t1: a' = a (a hierarchy row),
        // c = a' + 2 published as 5 → a' = 3 → a = 3 → b = 6.
        let mut t0 = BTreeMap::new();
        t0.insert(key(0), hidden(Supp::Primary));
        t0.insert(key(1), hidden(Supp::Secondary));
        t0.insert(key(TOT), Cell { value: Some(9), supp: Supp::Free });
        let mut t1 = BTreeMap::new();
        t1.insert(key(0), hidden(Supp::Secondary));
        t1.insert(key(1), Cell { value: Some(2), supp: Supp::Free });
        t1.insert(key(TOT), Cell { value: Some(5), supp: Supp::Free });
        let rels = vec![
            Relation {
                terms: vec![((0, key(0)), 1), ((0, key(1)), 1), ((0, key(TOT)), -1)],
                sense: Sense::Eq,
            },
            Relation { terms: vec![((0, key(0)), 1), ((1, key(0)), -1)], sense: Sense::Eq },
            Relation {
                terms: vec![((1, key(0)), 1), ((1, key(1)), 1), ((1, key(TOT)), -1)],
                sense: Sense::Eq,
            },
        ];
        let r = presolve(&[t0, t1], &rels, 5).unwrap();
        assert!(r.lins.is_empty() && r.bounds.is_empty(), "{r:?}");
        let places: Vec<Place> = r.cells.iter().map(|c| c.2).collect();
        assert_eq!(places, [Place::Fixed(3.0), Place::Fixed(6.0), Place::Fixed(3.0)]);
    }

    #[test]
    fn a_contradiction_is_an_error() {
        let mut t0 = BTreeMap::new();
        t0.insert(key(0), hidden(Supp::Primary));
        t0.insert(key(1), Cell { value: Some(2), supp: Supp::Free });
        t0.insert(key(TOT), Cell { value: Some(9), supp: Supp::Free });
        let rels = vec![Relation {
            terms: vec![((0, key(0)), 1), ((0, key(1)), 1), ((0, key(TOT)), -1)],
            sense: Sense::Eq,
        }];
        // The primary cell would be 7, outside 1..4.
        assert!(presolve(&[t0], &rels, 5).is_err());
    }
}

//! Disclosure control on count tables: primary suppression of small counts and secondary
//! suppression so that no suppressed cell can be recovered from a total and its other cells.
//!
//! A table holds its detail cells and every margin (total over any set of its additive
//! dimensions), so each relation `total = Σ cells` across one dimension, at any level of the
//! others, is checked. Geographic hierarchies (country ⊃ admin1 ⊃ centre) are covered the same
//! way: a centre's row at `country = _T` is a total whose only cell is the centre's row in its
//! country. Secondary suppression repeats until, in every relation holding a suppressed cell, at
//! least two cells are suppressed, choosing each time the smallest non-zero published cell of
//! the relation (a zero only when nothing else is left).

use super::aggregate::{Key, SLOTS, TOT};
use super::dimensions::Dimension;
use std::collections::{BTreeMap, HashMap};

/// How a cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Supp {
    /// Published.
    Free,
    /// Suppressed: small count (or suppressed in an input report).
    Primary,
    /// Suppressed to protect another cell.
    Secondary,
}

/// A cell of a count table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cell {
    /// The count; `None` when not known (suppressed in an input report of a merge).
    pub(crate) value: Option<u64>,
    /// Publication status.
    pub(crate) supp: Supp,
}

/// Every relation `total = Σ members` of a table: (total key, member keys).
pub(crate) fn relations(cells: &BTreeMap<Key, Cell>, mask: &[bool; SLOTS]) -> Vec<(Key, Vec<Key>)> {
    let mut groups: HashMap<(Key, usize), Vec<Key>> = HashMap::new();
    for k in cells.keys() {
        for s in 0..SLOTS {
            if mask[s] && s != Dimension::RiskFactor.slot() && k[s] != TOT {
                let mut parent = *k;
                parent[s] = TOT;
                if cells.contains_key(&parent) {
                    groups.entry((parent, s)).or_default().push(*k);
                }
            }
        }
    }
    let mut out: Vec<(Key, Vec<Key>)> = groups
        .into_iter()
        .map(|((t, _), mut m)| {
            m.sort_unstable();
            (t, m)
        })
        .collect();
    out.sort_unstable();
    out
}

/// Applies primary suppression (1 ≤ count < `threshold`) and secondary suppression.
pub(crate) fn suppress(cells: &mut BTreeMap<Key, Cell>, mask: &[bool; SLOTS], threshold: u64) {
    primary(cells, threshold);
    secondary(cells, mask);
}

/// Primary suppression alone: every published count 1 ≤ count < `threshold`.
pub(crate) fn primary(cells: &mut BTreeMap<Key, Cell>, threshold: u64) {
    for c in cells.values_mut() {
        if let (Some(v), Supp::Free) = (c.value, c.supp) {
            if v >= 1 && v < threshold {
                c.supp = Supp::Primary;
            }
        }
    }
}

/// Secondary suppression until every relation with a suppressed cell has at least two.
pub(crate) fn secondary(cells: &mut BTreeMap<Key, Cell>, mask: &[bool; SLOTS]) {
    if cells.values().all(|c| c.supp == Supp::Free) {
        return;
    }
    let rels = relations(cells, mask);
    loop {
        let mut changed = false;
        for (total, members) in &rels {
            let all = std::iter::once(total).chain(members.iter());
            let hidden = all.clone().filter(|k| cells[*k].supp != Supp::Free).count();
            if hidden != 1 {
                continue;
            }
            // The smallest non-zero published cell; a zero only if nothing else is left.
            let pick = all
                .filter(|k| cells[*k].supp == Supp::Free)
                .min_by_key(|k| {
                    let v = cells[*k].value.unwrap_or(0);
                    (v == 0, v, **k)
                })
                .copied();
            if let Some(k) = pick {
                if let Some(c) = cells.get_mut(&k) {
                    c.supp = Supp::Secondary;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// Cells that a single relation would give away: relations with exactly one suppressed cell.
/// Empty after [`suppress`]; used by tests.
#[cfg(test)]
pub(crate) fn recoverable(cells: &BTreeMap<Key, Cell>, mask: &[bool; SLOTS]) -> Vec<Key> {
    relations(cells, mask)
        .into_iter()
        .filter_map(|(t, m)| {
            let hidden: Vec<Key> =
                std::iter::once(t).chain(m).filter(|k| cells[k].supp != Supp::Free).collect();
            (hidden.len() == 1).then(|| hidden[0])
        })
        .collect()
}

/// A country × period table of free cells with every margin, for the suppression and audit
/// tests: `vals[country][period]`.
#[cfg(test)]
pub(crate) fn country_by_period_table(vals: &[&[u64]]) -> BTreeMap<Key, Cell> {
    use super::cell_key::country_by_period as key;
    let free = |v: u64| Cell { value: Some(v), supp: Supp::Free };
    let mut t = BTreeMap::new();
    for (a, row) in vals.iter().enumerate() {
        for (b, v) in row.iter().enumerate() {
            t.insert(key(a as u32, b as u32), free(*v));
        }
        t.insert(key(a as u32, TOT), free(row.iter().sum()));
    }
    for b in 0..vals[0].len() {
        t.insert(key(TOT, b as u32), free(vals.iter().map(|r| r[b]).sum()));
    }
    t.insert(key(TOT, TOT), free(vals.iter().flat_map(|r| r.iter()).sum()));
    t
}

/// [`country_by_period_table`] as a report's children-served table (every other table empty),
/// with the masks: country and period broken down.
#[cfg(test)]
pub(crate) fn children_by_country_and_period(
    vals: &[&[u64]],
) -> (Vec<BTreeMap<Key, Cell>>, Vec<[bool; SLOTS]>) {
    use super::aggregate::{count_index, COUNTS};
    use super::slots::Slot;
    use super::Indicator;
    let mut mask = [false; SLOTS];
    mask[Slot::Country.index()] = true;
    mask[Slot::Period.index()] = true;
    let children = count_index(Indicator::ChildrenServed).expect("a count table");
    let mut tables = vec![BTreeMap::new(); COUNTS.len()];
    tables[children] = country_by_period_table(vals);
    let mut masks = vec![[false; SLOTS]; COUNTS.len()];
    masks[children] = mask;
    (tables, masks)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::cell_key::country_by_period as key;

    #[test]
    fn two_way_table_protects_every_small_cell() {
        // rows a ∈ {0,1,2}, columns b ∈ {0,1}, with margins.
        let vals = [[2u64, 30], [40, 50], [60, 3]];
        let mut cells = BTreeMap::new();
        let mut mask = [false; SLOTS];
        mask[0] = true;
        mask[3] = true;
        for (a, row) in vals.iter().enumerate() {
            for (b, v) in row.iter().enumerate() {
                cells.insert(key(a as u32, b as u32), Cell { value: Some(*v), supp: Supp::Free });
            }
            cells.insert(
                key(a as u32, TOT),
                Cell { value: Some(row.iter().sum()), supp: Supp::Free },
            );
        }
        for b in 0..2 {
            let s = vals.iter().map(|r| r[b]).sum();
            cells.insert(key(TOT, b as u32), Cell { value: Some(s), supp: Supp::Free });
        }
        cells.insert(key(TOT, TOT), Cell { value: Some(185), supp: Supp::Free });
        suppress(&mut cells, &mask, 5);
        assert_eq!(cells[&key(0, 0)].supp, Supp::Primary);
        assert_eq!(cells[&key(2, 1)].supp, Supp::Primary);
        assert!(recoverable(&cells, &mask).is_empty());
        for c in cells.values() {
            if c.supp == Supp::Free {
                assert!(!(1..5).contains(&c.value.unwrap()));
            }
        }
    }
}

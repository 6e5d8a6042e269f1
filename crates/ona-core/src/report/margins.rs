//! Margins of a count table: every detail cell summed into every total it belongs to (the
//! multi-valued risk-factor slot has no total: a woman may count under several factors).

use super::cell_key::{Key, TOT};
use super::dimensions::Dimension;
use super::hasher::HashMap;
use super::length_of_stay::Los;
use super::slots::SLOTS;
use std::collections::BTreeMap;

/// Every subset of the additive active slots, as lists of slots to total over.
pub(crate) fn margin_sets(mask: &[bool; SLOTS]) -> Vec<Vec<usize>> {
    let slots: Vec<usize> =
        (0..SLOTS).filter(|s| mask[*s] && *s != Dimension::RiskFactor.slot()).collect();
    (0u32..(1 << slots.len()))
        .map(|m| {
            slots.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, s)| *s).collect()
        })
        .collect()
}

/// A table with its margins: every detail cell summed into every total it belongs to.
pub(crate) fn with_margins(detail: &HashMap<Key, u64>, mask: &[bool; SLOTS]) -> BTreeMap<Key, u64> {
    let sets = margin_sets(mask);
    let mut out = BTreeMap::new();
    for (k, v) in detail {
        for set in &sets {
            let mut k2 = *k;
            for s in set {
                k2[*s] = TOT;
            }
            *out.entry(k2).or_default() += v;
        }
    }
    out
}

/// Length of stay with margins.
pub(crate) fn los_margins(detail: &HashMap<Key, Los>, mask: &[bool; SLOTS]) -> BTreeMap<Key, Los> {
    let sets = margin_sets(mask);
    let mut out: BTreeMap<Key, Los> = BTreeMap::new();
    for (k, v) in detail {
        for set in &sets {
            let mut k2 = *k;
            for s in set {
                k2[*s] = TOT;
            }
            out.entry(k2).or_default().add(v);
        }
    }
    out
}

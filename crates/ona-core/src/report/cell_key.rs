//! Cell keys packed into 128 bits for the aggregation's hot loop: a case's key is packed once,
//! a slot is changed with two bit operations, and a table's inactive slots are turned into
//! totals with one AND and one OR — no per-slot loop per count.

use super::dimensions::Dimension;
use super::slots::{SLOTS, TABLE};

/// A cell key: a value code per slot (see [`super::slots::TABLE`]), [`TOT`] for a total or a
/// dimension not in the table.
pub(crate) type Key = [u32; SLOTS];
/// The code of a total.
pub(crate) const TOT: u32 = u32::MAX;

/// A key of the two-way tables the suppression and audit tests build: `country` × `period`,
/// every other slot a total.
#[cfg(test)]
pub(crate) fn country_by_period(country: u32, period: u32) -> Key {
    let mut k = [TOT; SLOTS];
    k[super::slots::Slot::Country.index()] = country;
    k[super::slots::Slot::Period.index()] = period;
    k
}

/// Bits per slot of a packed key, most significant slot first (the table's widths); all ones
/// stands for [`TOT`]. A code too large for its width is clamped to the widest code.
const WIDTHS: [u32; SLOTS] = {
    let mut w = [0u32; SLOTS];
    let mut s = 0;
    while s < SLOTS {
        w[s] = TABLE[s].width;
        s += 1;
    }
    w
};

/// Bit offset of each slot.
const OFFSETS: [u32; SLOTS] = {
    let mut o = [0u32; SLOTS];
    let mut s = SLOTS - 1;
    let mut at = 0;
    loop {
        o[s] = at;
        at += WIDTHS[s];
        if s == 0 {
            break;
        }
        s -= 1;
    }
    o
};

/// The bits of slot `s`.
fn field(s: usize) -> u128 {
    ((1u128 << WIDTHS[s]) - 1) << OFFSETS[s]
}

/// Code `v` of slot `s`, in place.
fn code(s: usize, v: u32) -> u128 {
    let max = (1u32 << WIDTHS[s]) - 1;
    let c = if v == TOT { max } else { v.min(max - 1) };
    u128::from(c) << OFFSETS[s]
}

/// A packed cell key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed(u128);

impl Packed {
    /// The key with every slot a total.
    pub(crate) fn total() -> Packed {
        Packed((0..SLOTS).fold(0, |acc, s| acc | field(s)))
    }

    /// The key with the slot of dimension `d` set to `v`.
    #[inline]
    pub(crate) fn with(self, d: Dimension, v: u32) -> Packed {
        self.with_slot(d.slot(), v)
    }

    /// The key with slot `s` set to `v`.
    #[inline]
    fn with_slot(self, s: usize, v: u32) -> Packed {
        Packed((self.0 & !field(s)) | code(s, v))
    }
}

/// Packs a key.
pub(crate) fn pack(k: &Key) -> u128 {
    (0..SLOTS).fold(Packed::total(), |p, s| p.with_slot(s, k[s])).0
}

/// The key of [`pack`].
pub(crate) fn unpack(p: u128) -> Key {
    let mut k = [TOT; SLOTS];
    for (s, slot) in k.iter_mut().enumerate() {
        let max = (1u32 << WIDTHS[s]) - 1;
        let c = ((p >> OFFSETS[s]) & u128::from(max)) as u32;
        *slot = if c == max { TOT } else { c };
    }
    k
}

/// A table's active slots: applied to a key, the others become totals.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SlotMask {
    keep: u128,
    total: u128,
}

impl SlotMask {
    /// The mask keeping the slots set in `active`.
    pub(crate) fn new(active: &[bool; SLOTS]) -> SlotMask {
        let keep = (0..SLOTS).filter(|s| active[*s]).fold(0, |acc, s| acc | field(s));
        SlotMask { keep, total: Packed::total().0 & !keep }
    }

    /// The packed key of `k` in the table.
    #[inline]
    pub(crate) fn apply(self, k: Packed) -> u128 {
        (k.0 & self.keep) | self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dimension as D;

    /// The key of `codes` (dimension, code), totals elsewhere.
    fn key_of(codes: &[(Dimension, u32)]) -> Key {
        let mut k = [TOT; SLOTS];
        for (d, v) in codes {
            k[d.slot()] = *v;
        }
        k
    }

    #[test]
    fn keys_pack_and_unpack() {
        let k = key_of(&[(D::Country, 5), (D::Month, 202_512), (D::RiskFactor, 19)]);
        assert_eq!(unpack(pack(&k)), k);
        assert_eq!(unpack(Packed::total().0), [TOT; SLOTS]);
    }

    #[test]
    fn a_mask_turns_inactive_slots_into_totals() {
        let mut k = [3u32; SLOTS];
        k[D::Outcome.slot()] = 1;
        let p = Packed(pack(&k));
        let mut active = [false; SLOTS];
        active[D::Country.slot()] = true;
        active[D::Outcome.slot()] = true;
        let want = key_of(&[(D::Country, 3), (D::Outcome, 1)]);
        assert_eq!(unpack(SlotMask::new(&active).apply(p)), want);
        // Setting a slot replaces its code, whatever was there.
        let period = D::Quarter.slot();
        assert_eq!(unpack(p.with(D::Quarter, 7).with(D::Year, TOT).0)[period], TOT);
        assert_eq!(unpack(p.with(D::Month, 202_601).0)[period], 202_601);
    }

    #[test]
    fn every_dimension_packs_in_its_own_bits() {
        // Setting one dimension leaves every other slot a total.
        for d in Dimension::ALL {
            let k = unpack(Packed::total().with(d, 2).0);
            assert_eq!(k, key_of(&[(d, 2)]), "{d}");
        }
    }
}

//! Cell keys packed into 128 bits for the aggregation's hot loop: a case's key is packed once,
//! a slot is changed with two bit operations, and a table's inactive slots are turned into
//! totals with one AND and one OR — no per-slot loop per count.

use super::aggregate::{Key, SLOTS, TOT};

/// Bits per slot of a packed key, most significant slot first; all ones stands for [`TOT`].
/// 124 bits in all. Codes are far below their widths (interned strings < 2^20 − 1, periods
/// YYYYMM < 2^20 − 1, codelists small); a larger one is clamped to the widest code.
const WIDTHS: [u32; SLOTS] = [20, 20, 20, 20, 8, 4, 5, 6, 6, 5];

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

    /// The key with slot `s` set to `v`.
    #[inline]
    pub(crate) fn with(self, s: usize, v: u32) -> Packed {
        Packed((self.0 & !field(s)) | code(s, v))
    }
}

/// Packs a key.
pub(crate) fn pack(k: &Key) -> u128 {
    (0..SLOTS).fold(Packed::total(), |p, s| p.with(s, k[s])).0
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

    #[test]
    fn keys_pack_and_unpack() {
        let mut k = [TOT; SLOTS];
        k[0] = 5;
        k[3] = 202_512;
        k[7] = 19;
        assert_eq!(unpack(pack(&k)), k);
        assert_eq!(unpack(Packed::total().0), [TOT; SLOTS]);
    }

    #[test]
    fn a_mask_turns_inactive_slots_into_totals() {
        let mut k = [3u32; SLOTS];
        k[9] = 1;
        let p = (0..SLOTS).fold(Packed::total(), |p, s| p.with(s, k[s]));
        let mut active = [false; SLOTS];
        active[0] = true;
        active[9] = true;
        let mut want = [TOT; SLOTS];
        want[0] = 3;
        want[9] = 1;
        assert_eq!(unpack(SlotMask::new(&active).apply(p)), want);
        // Setting a slot replaces its code, whatever was there.
        assert_eq!(unpack(p.with(3, 7).with(3, TOT).0)[3], TOT);
        assert_eq!(unpack(p.with(3, 202_601).0)[3], 202_601);
    }
}

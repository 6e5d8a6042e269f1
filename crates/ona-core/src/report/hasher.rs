//! The hashing of the aggregation's hot loop: a fast hasher for its maps, and the 64-bit id of a
//! woman for distinct counting.

use std::hash::{BuildHasherDefault, Hasher};

/// A fast, non-cryptographic hasher for cell keys and small strings (the keys are our own
/// codes, not attacker-chosen: no need for SipHash's flood resistance).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The multiply mixes upwards only; rotate the well-mixed high bits down for bucket index.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.write_u64(u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            self.write_u64(rest.iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b)));
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

/// A hash map with [`FastHasher`].
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A hash set with [`FastHasher`].
pub(crate) type HashSet<T> = std::collections::HashSet<T, BuildHasherDefault<FastHasher>>;

/// A 64-bit id of a woman (her pseudonym) for distinct counting.
pub(crate) fn woman_hash(s: &str) -> u64 {
    // A 64-bit id for distinct counting: the pseudonym's bytes a word at a time, then the
    // MurmurHash3 finaliser so every input bit reaches every output bit (collisions among a
    // million women: about one chance in thirty million).
    let mut h = FastHasher(s.len() as u64);
    h.write(s.as_bytes());
    let mut x = h.0;
    x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    x = (x ^ (x >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

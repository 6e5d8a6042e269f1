//! Pieces shared by the packed encoder and decoder: varints, the string dictionary's rules, the
//! 16-byte form of a pseudonym, and the codec's error type.

use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Strings of at most this many bytes enter the dictionary when first written.
pub(crate) const MAX_INTERNED_LEN: usize = 64;
/// The dictionary holds at most this many strings per block.
pub(crate) const MAX_DICT: usize = 4096;
/// String tag: a literal follows (length, bytes).
pub(crate) const TAG_LITERAL: u64 = 0;
/// String tag: a pseudonym follows as 16 bytes.
pub(crate) const TAG_PSEUDONYM: u64 = 1;
/// String tags from this value on refer to dictionary entry `tag − TAG_DICT`.
pub(crate) const TAG_DICT: u64 = 2;

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Whether a literal of `len` bytes enters a dictionary that holds `size` strings.
pub(crate) fn interned(len: usize, size: usize) -> bool {
    len <= MAX_INTERNED_LEN && size < MAX_DICT
}

/// Appends `v` as an unsigned LEB128 varint.
#[inline]
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads an unsigned LEB128 varint at `*pos`, at most 10 bytes, no redundant trailing zero group.
#[inline]
pub(crate) fn get_varint(input: &[u8], pos: &mut usize) -> Result<u64, CodecError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *input.get(*pos).ok_or_else(|| CodecError::new("unexpected end of data"))?;
        *pos += 1;
        if shift == 63 && b > 1 {
            return Err(CodecError::new("varint overflows 64 bits"));
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            if b == 0 && shift > 0 {
                return Err(CodecError::new("varint is not in its shortest form"));
            }
            return Ok(v);
        }
    }
    Err(CodecError::new("varint longer than 10 bytes"))
}

fn base32_value(b: u8) -> Option<u8> {
    match b {
        b'a'..=b'z' => Some(b - b'a'),
        b'2'..=b'7' => Some(b - b'2' + 26),
        _ => None,
    }
}

/// The 128 bits of a pseudonym-shaped string (26 characters of lowercase base32 whose two
/// padding bits are zero), big-endian; `None` for any other string.
pub(crate) fn pack_pseudonym(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() != 26 {
        return None;
    }
    let mut acc: u128 = 0;
    for &c in &b[..25] {
        acc = (acc << 5) | u128::from(base32_value(c)?);
    }
    let last = base32_value(b[25])?;
    if last & 0b11 != 0 {
        return None;
    }
    Some(((acc << 3) | u128::from(last >> 2)).to_be_bytes())
}

/// The string of [`pack_pseudonym`].
pub(crate) fn unpack_pseudonym(bytes: [u8; 16]) -> [u8; 26] {
    let v = u128::from_be_bytes(bytes);
    let mut out = [0u8; 26];
    let acc = v >> 3;
    for (i, o) in out[..25].iter_mut().enumerate() {
        *o = BASE32[((acc >> (5 * (24 - i))) & 31) as usize];
    }
    out[25] = BASE32[((v & 7) << 2) as usize];
    out
}

/// A fast hasher for the encoder's dictionary (short strings of our own records, not
/// attacker-chosen keys of a long-lived map).
#[derive(Default, Clone, Copy)]
pub(crate) struct DictHasher(u64);

impl Hasher for DictHasher {
    fn finish(&self) -> u64 {
        // The multiply mixes upwards only; bring well-mixed high bits down to the bucket index.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        // Length, first and last eight bytes: enough to tell short codes and dates apart (the
        // map compares whole strings on a match), in constant time.
        let n = bytes.len();
        let word = |b: &[u8]| {
            let mut w = [0u8; 8];
            w[..b.len()].copy_from_slice(b);
            u64::from_le_bytes(w)
        };
        let (head, tail) =
            if n >= 8 { (word(&bytes[..8]), word(&bytes[n - 8..])) } else { (word(bytes), 0) };
        self.write_u64(head ^ tail.rotate_left(29) ^ ((n as u64) << 57));
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64((v as u64) ^ ((v >> 64) as u64).rotate_left(29));
    }
    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Map<K> = std::collections::HashMap<K, u32, BuildHasherDefault<DictHasher>>;

/// The encoder's side of a block's dictionary: string → index. Strings of up to 15 bytes (codes,
/// dates, most of what repeats) are keyed by their bytes packed into one integer, so a lookup
/// neither follows a pointer nor calls `memcmp`.
#[derive(Default)]
pub(crate) struct Dict {
    short: ShortTable,
    long: Map<Box<str>>,
}

/// An open-addressing table from [`short_key`]s to indices: a multiply for the hash and
/// integer compares for the probe (most of a packed record's strings go through it).
#[derive(Default)]
struct ShortTable {
    /// Keys with bit 127 set; 0 is an empty slot. Length a power of two (or 0).
    keys: Vec<u128>,
    values: Vec<u32>,
    len: usize,
}

const OCCUPIED: u128 = 1 << 127;

impl ShortTable {
    fn slot(&self, key: u128) -> usize {
        // Fibonacci hashing: the top bits of the product depend on every bit of the input.
        let h = ((key as u64) ^ ((key >> 64) as u64).rotate_left(23))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> (64 - self.keys.len().trailing_zeros())) as usize
    }

    fn get(&self, key: u128) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let key = key | OCCUPIED;
        let mut i = self.slot(key);
        loop {
            match self.keys[i] {
                0 => return None,
                k if k == key => return Some(self.values[i]),
                _ => i = (i + 1) & (self.keys.len() - 1),
            }
        }
    }

    fn insert(&mut self, key: u128, value: u32) {
        if (self.len + 1) * 2 > self.keys.len() {
            let old: Vec<(u128, u32)> = self.entries().collect();
            let size = (self.keys.len() * 2).max(256);
            self.keys = vec![0; size];
            self.values = vec![0; size];
            self.len = 0;
            for (k, v) in old {
                self.insert(k, v);
            }
        }
        let key = key | OCCUPIED;
        let mut i = self.slot(key);
        while self.keys[i] != 0 {
            i = (i + 1) & (self.keys.len() - 1);
        }
        self.keys[i] = key;
        self.values[i] = value;
        self.len += 1;
    }

    fn entries(&self) -> impl Iterator<Item = (u128, u32)> + '_ {
        self.keys
            .iter()
            .zip(&self.values)
            .filter(|(k, _)| **k != 0)
            .map(|(k, v)| (k & !OCCUPIED, *v))
    }

    fn clear(&mut self) {
        self.keys.fill(0);
        self.len = 0;
    }
}

/// The bytes of a string of at most 15 bytes and its length, as one integer.
fn short_key(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    let n = b.len();
    if n >= 16 {
        return None;
    }
    // The bytes in order, little-endian, from two overlapping loads with the overlap shifted out.
    let lo_hi = if let (Some(h), Some(t)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        // 8 to 15 bytes: the last n − 8 are the top of the last eight.
        let tail = u64::from_le_bytes(*t).checked_shr(8 * (16 - n) as u32).unwrap_or(0);
        (u64::from_le_bytes(*h), tail)
    } else if let (Some(h), Some(t)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        // 4 to 7 bytes: likewise with four.
        let tail = u64::from(u32::from_le_bytes(*t)) >> (8 * (8 - n));
        (u64::from(u32::from_le_bytes(*h)) | tail << 32, 0)
    } else {
        (b.iter().rev().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)), 0)
    };
    let (lo, hi) = lo_hi;
    Some(u128::from(lo) | (u128::from(hi) << 64) | ((n as u128) << 120))
}

impl Dict {
    /// Number of strings.
    pub(crate) fn len(&self) -> usize {
        self.short.len + self.long.len()
    }

    /// The index of `s`, if present.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        match short_key(s) {
            Some(k) => self.short.get(k),
            None => self.long.get(s).copied(),
        }
    }

    /// Adds `s` as the next entry.
    pub(crate) fn insert(&mut self, s: &str) {
        let i = self.len() as u32;
        match short_key(s) {
            Some(k) => self.short.insert(k, i),
            None => {
                self.long.insert(s.into(), i);
            }
        }
    }

    /// Empties the dictionary (keeping its memory).
    pub(crate) fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }

    /// Keeps only the first `n` entries.
    pub(crate) fn truncate(&mut self, n: usize) {
        let keep: Vec<(u128, u32)> =
            self.short.entries().filter(|(_, i)| (*i as usize) < n).collect();
        self.short.clear();
        for (k, i) in keep {
            self.short.insert(k, i);
        }
        self.long.retain(|_, i| (*i as usize) < n);
    }
}

/// What went wrong inside the codec (wrapped into [`super::PackedError`] with its position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodecError(pub(crate) String);

impl CodecError {
    pub(crate) fn new(msg: &str) -> CodecError {
        CodecError(msg.to_string())
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CodecError {}

impl serde::ser::Error for CodecError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CodecError(msg.to_string())
    }
}

impl serde::de::Error for CodecError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CodecError(msg.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overlong_forms() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut pos = 0;
            assert_eq!(get_varint(&out, &mut pos), Ok(v));
            assert_eq!(pos, out.len());
        }
        assert!(get_varint(&[0x80, 0x00], &mut 0).is_err(), "redundant zero group");
        assert!(get_varint(&[0xff; 10], &mut 0).is_err(), "more than 64 bits");
        assert!(get_varint(&[0x80], &mut 0).is_err(), "truncated");
    }

    #[test]
    fn short_keys_tell_every_short_string_apart() {
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "in_house",
            "in_houses",
            "2025-03",
            "2025-03-14",
            "x".repeat(15).leak(),
            "after_discharge",
        ];
        let mut seen = std::collections::HashSet::new();
        for w in words {
            assert!(seen.insert(short_key(w).unwrap()), "{w:?}");
        }
        // Every length: the bytes in order and the length above them.
        let text = "abcdefghijklmno";
        for n in 0..16 {
            let want = text.as_bytes()[..n]
                .iter()
                .enumerate()
                .fold((n as u128) << 120, |acc, (i, b)| acc | (u128::from(*b) << (8 * i)));
            assert_eq!(short_key(&text[..n]), Some(want), "{n} bytes");
        }
        assert_eq!(short_key(&"y".repeat(16)), None);
        let mut d = Dict::default();
        d.insert("in_house");
        d.insert("kz/regional-report-2026");
        assert_eq!(
            (d.get("in_house"), d.get("kz/regional-report-2026"), d.get("in_hous")),
            (Some(0), Some(1), None)
        );
        for i in 0..1000 {
            d.insert(&format!("{i}"));
        }
        assert_eq!((d.get("999"), d.get("1000"), d.len()), (Some(1001), None, 1002));
        d.truncate(1);
        assert_eq!((d.len(), d.get("kz/regional-report-2026")), (1, None));
    }

    #[test]
    fn pseudonyms_pack_into_16_bytes_and_back() {
        for s in [
            "aaaaaaaaaaaaaaaaaaaaaaaaaa",
            "77777777777777777777777774",
            "3ciogihqu3fhphoq5w32cwmcqe",
        ] {
            let packed = pack_pseudonym(s).unwrap();
            assert_eq!(&unpack_pseudonym(packed), s.as_bytes());
        }
        // Not pseudonym-shaped: wrong length, capitals, padding bits set, other alphabet.
        for s in [
            "abc",
            "AAAAAAAAAAAAAAAAAAAAAAAAAA",
            "77777777777777777777777777",
            "0aaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(pack_pseudonym(s), None, "{s}");
        }
    }
}

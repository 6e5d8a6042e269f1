//! A column of identifiers pseudonymised in one call: the loop behind Python's
//! `pseudonymise_many` and Kotlin's `pseudonymiseValues`, so that both front ends give the same
//! pseudonyms at the same speed.
//!
//! With the cargo feature `parallel` the column is cut into one contiguous part per core, each
//! written in place into its own slice of the result (so results stay in input order without a
//! merge); without it, one thread does the whole column. Names repeat in a column (returning
//! women, common names) and their canonical form is the slow step, so each part remembers the
//! pseudonym of every distinct name up to a bound, and forgets remembering when the column turns
//! out to be nearly all distinct.
//!
//! Every value gets exactly what [`Pseudonymiser::pseudonym_of`] gives it (tests compare them on
//! columns with nulls, placeholders and repeats, cut into several parts).

use super::pseudonymiser::{IdentifierKind, Pseudonymiser};
use super::record::PSEUDONYM_LEN;
use std::collections::HashMap;

/// The name cache's hasher: aHash with keys drawn at random for each cache (`runtime-rng`). Column
/// values may come from anyone (a partner's export), so a fixed, known hash function would let
/// a crafted column of colliding names turn every look-up into a scan of one long chain; with
/// unpredictable keys nobody can craft such a column, and aHash is several times faster than
/// std's SipHash on short strings. The hashes never leave the cache.
pub(super) type CacheHasher = ahash::RandomState;

/// A column of optional text values, read in place (a slice of strings, Arrow chunks…).
pub trait ColumnValues: Sync {
    /// The number of values.
    fn len(&self) -> usize;

    /// Whether the column has no values.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `i` (`i < len()`); `None` for a null.
    fn get(&self, i: usize) -> Option<&str>;
}

impl ColumnValues for [Option<&str>] {
    fn len(&self) -> usize {
        <[Option<&str>]>::len(self)
    }

    fn get(&self, i: usize) -> Option<&str> {
        self[i]
    }
}

impl ColumnValues for [&str] {
    fn len(&self) -> usize {
        <[&str]>::len(self)
    }

    fn get(&self, i: usize) -> Option<&str> {
        Some(self[i])
    }
}

impl ColumnValues for [String] {
    fn len(&self) -> usize {
        <[String]>::len(self)
    }

    fn get(&self, i: usize) -> Option<&str> {
        Some(&self[i])
    }
}

impl ColumnValues for [Option<String>] {
    fn len(&self) -> usize {
        <[Option<String>]>::len(self)
    }

    fn get(&self, i: usize) -> Option<&str> {
        self[i].as_deref()
    }
}

/// The pseudonyms of a column, in input order: `PSEUDONYM_LEN` ASCII bytes per value, one after
/// another (zeros where a value has none), which is also the layout of an Arrow string array's
/// data with offsets every `PSEUDONYM_LEN` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PseudonymColumn {
    text: Vec<u8>,
    present: Vec<bool>,
    nulled: usize,
    first_nulled: Option<usize>,
}

impl PseudonymColumn {
    /// The number of values.
    pub fn len(&self) -> usize {
        self.present.len()
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }

    /// The pseudonym of value `i`; `None` for a null value or one with no canonical form.
    pub fn get(&self, i: usize) -> Option<&str> {
        if !self.present[i] {
            return None;
        }
        // Base32 letters and digits: always ASCII.
        std::str::from_utf8(&self.text[i * PSEUDONYM_LEN..(i + 1) * PSEUDONYM_LEN]).ok()
    }

    /// How many values were not null but got no pseudonym (no canonical form: blank,
    /// placeholder, particles only, an invalid national ID).
    pub fn nulled(&self) -> usize {
        self.nulled
    }

    /// The position of the first such value.
    pub fn first_nulled(&self) -> Option<usize> {
        self.first_nulled
    }

    /// Whether value `i` has a pseudonym.
    pub fn is_present(&self, i: usize) -> bool {
        self.present[i]
    }

    /// The pseudonym bytes (`PSEUDONYM_LEN` per value, zeros where none) and which values have
    /// one: what an Arrow string array is built from without copying.
    pub fn into_parts(self) -> (Vec<u8>, Vec<bool>) {
        (self.text, self.present)
    }
}

/// Distinct names whose pseudonyms one part remembers (about 15 MB at most): a network's
/// column of a million names holds a few hundred thousand distinct ones.
const NAME_CACHE: usize = 1 << 18;

/// Below this many values per part, one thread does the whole column: starting a thread costs
/// more than it saves.
#[cfg(feature = "parallel")]
const MIN_PART: usize = 2048;

impl Pseudonymiser {
    /// The pseudonym of every value of `values` as `kind`, in order — each what
    /// [`Pseudonymiser::pseudonym_of`] gives it. With the feature `parallel`, on every core.
    pub fn pseudonymise_column<V: ColumnValues + ?Sized>(
        &self,
        kind: IdentifierKind,
        values: &V,
    ) -> PseudonymColumn {
        #[cfg(feature = "parallel")]
        let parts = {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            cores.min(values.len() / MIN_PART).max(1)
        };
        #[cfg(not(feature = "parallel"))]
        let parts = 1;
        self.column_in_parts(kind, values, parts, NAME_CACHE)
    }

    /// [`Pseudonymiser::pseudonymise_column`] cut into `parts` threads, each remembering at most
    /// `cache` distinct names.
    pub(crate) fn column_in_parts<V: ColumnValues + ?Sized>(
        &self,
        kind: IdentifierKind,
        values: &V,
        parts: usize,
        cache: usize,
    ) -> PseudonymColumn {
        let n = values.len();
        let mut text = vec![0u8; n * PSEUDONYM_LEN];
        let mut present = vec![false; n];
        let per = n.div_ceil(parts.max(1)).max(1);
        let slices = text.chunks_mut(per * PSEUDONYM_LEN).zip(present.chunks_mut(per)).enumerate();
        let counts: Vec<(usize, Option<usize>)> = if parts < 2 {
            slices.map(|(k, (t, p))| self.fill(kind, values, k * per, t, p, cache)).collect()
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = slices
                    .map(|(k, (t, p))| {
                        s.spawn(move || self.fill(kind, values, k * per, t, p, cache))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        let nulled = counts.iter().map(|c| c.0).sum();
        let first_nulled = counts.iter().find_map(|c| c.1);
        PseudonymColumn { text, present, nulled, first_nulled }
    }

    /// Pseudonyms of `values[start..start + present.len()]` into `text` and `present`; returns
    /// how many non-null values got none, and the position of the first.
    fn fill<V: ColumnValues + ?Sized>(
        &self,
        kind: IdentifierKind,
        values: &V,
        start: usize,
        text: &mut [u8],
        present: &mut [bool],
        cache_bound: usize,
    ) -> (usize, Option<usize>) {
        let mut scratch = String::new();
        let mut tag = [0u8; PSEUDONYM_LEN];
        let (mut nulled, mut first) = (0, None);
        // Names are slow to make canonical and repeat: remember each distinct one's pseudonym,
        // borrowed from the column.
        let mut cache_on = kind == IdentifierKind::Name;
        let mut hits = 0usize;
        let mut cache: HashMap<&str, Option<[u8; PSEUDONYM_LEN]>, CacheHasher> =
            HashMap::with_capacity_and_hasher(
                if cache_on { present.len().min(cache_bound) } else { 0 },
                CacheHasher::new(),
            );
        for (i, (out, has)) in text.chunks_exact_mut(PSEUDONYM_LEN).zip(present).enumerate() {
            let Some(v) = values.get(start + i) else {
                continue;
            };
            let made = if cache_on {
                if let Some(hit) = cache.get(v) {
                    hits += 1;
                    *hit
                } else {
                    let made = self.pseudonym_into(kind, v, &mut scratch, &mut tag).then_some(tag);
                    if cache.len() >= cache_bound {
                        // Mostly distinct names: remembering costs more than it saves, stop.
                        // Otherwise start again.
                        cache_on = hits >= cache_bound / 4;
                        cache.clear();
                        hits = 0;
                    }
                    if cache_on {
                        cache.insert(v, made);
                    }
                    made
                }
            } else {
                self.pseudonym_into(kind, v, &mut scratch, &mut tag).then_some(tag)
            };
            match made {
                Some(p) => {
                    out.copy_from_slice(&p);
                    *has = true;
                }
                None => {
                    nulled += 1;
                    first = first.or(Some(start + i));
                }
            }
        }
        (nulled, first)
    }
}

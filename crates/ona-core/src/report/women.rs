//! Distinct women per cell, exactly, in bounded memory.
//!
//! Counting distinct women needs every woman's id until the end. Here each (cell, woman) pair
//! is a 16-byte entry in a buffer of at most [`IN_MEMORY`] entries; when the buffer is full it
//! is sorted and deduplicated, and if it stays more than half full, its entries go to one of
//! [`PARTS`] anonymous temporary files chosen by the woman's hash. Partitions hold disjoint sets
//! of women, so at the end each is counted on its own (split again if it is too large) and the
//! counts add up. A report of any size thus holds at most a few megabytes of ids; ids that
//! reach the disk are 64-bit hashes of pseudonyms, in files that vanish when closed.

use super::cell_key::{pack, unpack, Key, TOT};
use super::hasher::HashMap;
use super::margins::margin_sets;
use super::slots::SLOTS;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Entries held in memory at most (16 bytes each).
pub(crate) const IN_MEMORY: usize = 1 << 18;
/// Partitions of the women once they spill to disk (by the top bits of their hash).
const PARTS: usize = 64;
const PART_BITS: u32 = PARTS.trailing_zeros();

/// A woman's id and the index of her cell.
type Entry = (u64, u32);

/// Distinct women per cell of one table.
#[derive(Debug, Default)]
pub(crate) struct DistinctWomen {
    /// Cell keys by index.
    cells: Vec<u128>,
    index: HashMap<u128, u32>,
    entries: Vec<Entry>,
    /// Partition files once the entries outgrew memory.
    spilled: Option<Vec<BufWriter<File>>>,
}

impl DistinctWomen {
    /// Notes that `woman` is in cell `cell` (a packed key).
    pub(crate) fn insert(&mut self, cell: u128, woman: u64) -> io::Result<()> {
        let c = match self.index.get(&cell) {
            Some(&c) => c,
            None => {
                let c = self.cells.len() as u32;
                self.cells.push(cell);
                self.index.insert(cell, c);
                c
            }
        };
        self.entries.push((woman, c));
        if self.entries.len() >= IN_MEMORY {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        if self.spilled.is_none() {
            let files = (0..PARTS)
                .map(|_| tempfile::tempfile().map(|f| BufWriter::with_capacity(16 << 10, f)))
                .collect::<io::Result<Vec<_>>>()?;
            self.spilled = Some(files);
        }
        let files = self.spilled.as_mut().expect("just made");
        for (woman, cell) in self.entries.drain(..) {
            write_entry(&mut files[part(woman, 0)], (woman, cell))?;
        }
        Ok(())
    }

    /// Distinct women of every cell of the table and of every total over `sets` of its slots
    /// (each a list of slots to total over; `[[]]` for the cells alone).
    pub(crate) fn counts(mut self, sets: &[Vec<usize>]) -> io::Result<BTreeMap<Key, u64>> {
        let cells: Vec<Key> = self.cells.iter().map(|c| unpack(*c)).collect();
        let mut out = BTreeMap::new();
        match self.spilled.take() {
            None => count_into(&mut self.entries, &cells, sets, &mut out),
            Some(mut files) => {
                for (woman, cell) in self.entries.drain(..) {
                    write_entry(&mut files[part(woman, 0)], (woman, cell))?;
                }
                for f in files {
                    count_file(
                        f.into_inner().map_err(|e| e.into_error())?,
                        1,
                        &cells,
                        sets,
                        &mut out,
                    )?;
                }
            }
        }
        Ok(out)
    }
}

/// The partition of `woman` at split `depth` (0 for the first split).
fn part(woman: u64, depth: u32) -> usize {
    ((woman << (depth * PART_BITS)) >> (64 - PART_BITS)) as usize
}

fn write_entry(w: &mut impl Write, (woman, cell): Entry) -> io::Result<()> {
    let mut b = [0u8; 12];
    b[..8].copy_from_slice(&woman.to_le_bytes());
    b[8..].copy_from_slice(&cell.to_le_bytes());
    w.write_all(&b)
}

/// Counts the entries of one partition file, splitting it further while it is too large.
fn count_file(
    mut f: File,
    depth: u32,
    cells: &[Key],
    sets: &[Vec<usize>],
    out: &mut BTreeMap<Key, u64>,
) -> io::Result<()> {
    let len = f.seek(io::SeekFrom::End(0))?;
    f.rewind()?;
    let n = (len / 12) as usize;
    let mut r = BufReader::with_capacity(64 << 10, f);
    let read = |r: &mut BufReader<File>| -> io::Result<Entry> {
        let mut b = [0u8; 12];
        r.read_exact(&mut b)?;
        let (w, c) = b.split_at(8);
        Ok((
            u64::from_le_bytes(w.try_into().unwrap_or_default()),
            u32::from_le_bytes(c.try_into().unwrap_or_default()),
        ))
    };
    // The hash's bits run out after 64 / PART_BITS splits: count what is left in memory.
    if n <= IN_MEMORY || (depth + 1) * PART_BITS >= 64 {
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            entries.push(read(&mut r)?);
        }
        count_into(&mut entries, cells, sets, out);
        return Ok(());
    }
    let mut parts = (0..PARTS)
        .map(|_| tempfile::tempfile().map(|f| BufWriter::with_capacity(16 << 10, f)))
        .collect::<io::Result<Vec<_>>>()?;
    for _ in 0..n {
        let e = read(&mut r)?;
        write_entry(&mut parts[part(e.0, depth)], e)?;
    }
    for p in parts {
        count_file(p.into_inner().map_err(|e| e.into_error())?, depth + 1, cells, sets, out)?;
    }
    Ok(())
}

/// Adds the distinct women of `entries` (a set of women disjoint from any counted before) to
/// `out`, for every cell and every total over `sets`: the entries are sorted by woman, and each
/// woman counts once in each total any of her cells belongs to.
fn count_into(
    entries: &mut [Entry],
    cells: &[Key],
    sets: &[Vec<usize>],
    out: &mut BTreeMap<Key, u64>,
) {
    // For each set, the total each cell belongs to, numbered.
    let mut keys: Vec<Vec<Key>> = Vec::with_capacity(sets.len());
    let mut total_of: Vec<Vec<u32>> = Vec::with_capacity(sets.len());
    for set in sets {
        let mut ids: HashMap<u128, u32> = HashMap::default();
        let mut ks: Vec<Key> = Vec::new();
        let of = cells
            .iter()
            .map(|k| {
                let mut t = *k;
                for s in set {
                    t[*s] = TOT;
                }
                *ids.entry(pack(&t)).or_insert_with(|| {
                    ks.push(t);
                    (ks.len() - 1) as u32
                })
            })
            .collect();
        keys.push(ks);
        total_of.push(of);
    }
    let mut counts: Vec<Vec<u64>> = keys.iter().map(|k| vec![0; k.len()]).collect();
    entries.sort_unstable();
    let mut mine: Vec<u32> = Vec::new();
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        if let [(_, c)] = run {
            // One cell (the usual case): one count in each of its totals.
            for (n, of) in counts.iter_mut().zip(&total_of) {
                n[of[*c as usize] as usize] += 1;
            }
            continue;
        }
        for (n, of) in counts.iter_mut().zip(&total_of) {
            mine.clear();
            mine.extend(run.iter().map(|(_, c)| of[*c as usize]));
            mine.sort_unstable();
            mine.dedup();
            for t in &mine {
                n[*t as usize] += 1;
            }
        }
    }
    for (n, ks) in counts.iter().zip(&keys) {
        for (c, k) in n.iter().zip(ks) {
            if *c > 0 {
                *out.entry(*k).or_default() += c;
            }
        }
    }
}

/// The distinct-women table with its margins, from the women of its detail cells.
pub(crate) fn women_margins(
    women: DistinctWomen,
    mask: &[bool; SLOTS],
) -> io::Result<BTreeMap<Key, u64>> {
    women.counts(&margin_sets(mask))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::slots::Slot;
    use std::collections::{BTreeSet, HashSet};

    /// The key slots of the tests' tables.
    const COUNTRY: usize = Slot::Country.index();
    const PERIOD: usize = Slot::Period.index();

    /// The same counts by brute force: a set of women per total.
    fn brute(pairs: &[(Key, u64)], sets: &[Vec<usize>]) -> BTreeMap<Key, u64> {
        let mut acc: BTreeMap<Key, HashSet<u64>> = BTreeMap::new();
        for (k, w) in pairs {
            for set in sets {
                let mut k2 = *k;
                for s in set {
                    k2[*s] = TOT;
                }
                acc.entry(k2).or_default().insert(*w);
            }
        }
        acc.into_iter().map(|(k, v)| (k, v.len() as u64)).collect()
    }

    fn pairs(n: u64) -> Vec<(Key, u64)> {
        // Women with several cases in several cells, hashes spread like real ones.
        (0..n)
            .map(|i| {
                let woman = (i / 3).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                let mut k = [TOT; SLOTS];
                k[COUNTRY] = (i % 4) as u32;
                k[PERIOD] = 202_400 + (i % 7) as u32;
                (k, woman)
            })
            .collect()
    }

    #[test]
    fn counts_match_brute_force_in_memory_and_spilled() {
        let sets = vec![vec![], vec![COUNTRY], vec![PERIOD], vec![COUNTRY, PERIOD]];
        for n in [1_000, IN_MEMORY as u64 * 3] {
            let ps = pairs(n);
            let mut d = DistinctWomen::default();
            for (k, w) in &ps {
                d.insert(pack(k), *w).unwrap();
            }
            assert_eq!(d.spilled.is_some(), n > IN_MEMORY as u64);
            assert_eq!(d.counts(&sets).unwrap(), brute(&ps, &sets), "{n} entries");
        }
    }

    #[test]
    fn a_large_partition_is_split_again() {
        // All women in one first-level partition (same top bits): the second split runs.
        let ps: Vec<(Key, u64)> = (0..(IN_MEMORY as u64 * 2 + 5))
            .map(|i| {
                let mut k = [TOT; SLOTS];
                k[COUNTRY] = (i % 2) as u32;
                (k, (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> PART_BITS) | (5 << 58))
            })
            .collect();
        let mut d = DistinctWomen::default();
        for (k, w) in &ps {
            d.insert(pack(k), *w).unwrap();
        }
        let sets = vec![vec![], vec![COUNTRY]];
        assert_eq!(d.counts(&sets).unwrap(), brute(&ps, &sets));
        let women: BTreeSet<u64> = ps.iter().map(|p| p.1).collect();
        assert_eq!(brute(&ps, &sets)[&[TOT; SLOTS]], women.len() as u64);
    }
}

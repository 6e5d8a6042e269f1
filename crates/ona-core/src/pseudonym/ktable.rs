//! k-anonymity per woman over a compact table of quasi-identifiers, for every front end.
//!
//! A [`QiTable`] holds, per record, the woman it is about (any id: the mother pseudonym in a
//! record, a column of a DataFrame) and the record's quasi-identifier values, each interned as a
//! `u32`: a million records over eight quasi-identifiers take about 80 MB whatever the values
//! are (two codes per value: as given, and what suppression leaves of it), so a caller can
//! count in one pass over a file and write in a second ([`KPlan`] says
//! what to suppress in each record).
//!
//! **Groups count distinct women, not records.** Five cases of one woman with a unique
//! combination are one woman: her risk is 1, not 1/5. A woman's id is kept as a 64-bit hash;
//! two women whose ids collide (about one chance in 10^7 for a million women) would count as
//! one, which only suppresses more.
//!
//! Algorithm (greedy local suppression, as before but counting women): group records by their
//! values; every record in a group of fewer than k women has its next quasi-identifier
//! suppressed, in the order given (most identifying first), and the groups are formed again. A
//! suppressed value matches only other suppressed or missing values (or, for a value coarsened
//! rather than removed, other values that give the same coarse value). Records still in a group
//! of fewer than k women once every quasi-identifier has had its turn are removed.
//! l-diversity: in every group of the result the sensitive attribute must take at least l
//! distinct values; where it does not, the attribute is suppressed in that group's records.

use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};

/// The interned code of a missing or suppressed value.
const NONE: u32 = u32::MAX;

/// The most quasi-identifiers a table holds (the suppression state is a bit set).
pub const MAX_QUASI_IDENTIFIERS: usize = 32;

/// Quasi-identifier values of many records, interned, with the woman each record is about.
#[derive(Debug, Clone)]
pub struct QiTable {
    names: Vec<String>,
    dicts: Vec<HashMap<String, u32>>,
    cells: Vec<u32>,
    women: Vec<u64>,
    sensitive: Vec<u32>,
    sensitive_dict: HashMap<String, u32>,
}

/// What to do to each record of a [`QiTable`] to make it k-anonymous, and the risk report.
#[derive(Debug, Clone)]
pub struct KPlan {
    masks: Vec<u32>,
    keep: Vec<bool>,
    drop_sensitive: Vec<bool>,
    /// What disclosure control did and what risk remains.
    pub report: RiskReport,
}

/// What disclosure control did and what risk remains, in women and in records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskReport {
    /// Records given.
    pub records_in: usize,
    /// Records released.
    pub records_out: usize,
    /// Distinct women given.
    pub women_in: usize,
    /// Distinct women with at least one record released.
    pub women_out: usize,
    /// The k asked for: the fewest distinct women a group may hold.
    pub k: usize,
    /// The quasi-identifiers considered, in suppression order.
    pub quasi_identifiers: Vec<String>,
    /// Records in a group of fewer than k women before suppression.
    pub at_risk_before: usize,
    /// Women with a record in a group of fewer than k women before suppression.
    pub women_at_risk_before: usize,
    /// Records in a group of fewer than k women after (0 when k is achieved).
    pub at_risk_after: usize,
    /// Quasi-identifier values suppressed.
    pub cells_suppressed: usize,
    /// Records removed because no suppression could hide them.
    pub records_removed: usize,
    /// Smallest number of distinct women in a group among released records.
    pub k_achieved: usize,
    /// Highest re-identification risk of a released woman: 1 / `k_achieved`.
    pub max_risk: f64,
    /// Highest risk before disclosure control: 1 / the fewest women in a group.
    pub max_risk_before: f64,
    /// Groups of equal quasi-identifiers after suppression.
    pub groups: usize,
    /// The l asked for the sensitive attribute, if any.
    pub l: Option<usize>,
    /// Smallest number of distinct sensitive values in a group (before l-suppression).
    pub l_achieved: Option<usize>,
    /// Sensitive values suppressed to reach l.
    pub sensitive_suppressed: usize,
}

impl fmt::Display for RiskReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "disclosure control: k = {} women over {}",
            self.k,
            self.quasi_identifiers.join(", ")
        )?;
        writeln!(f, "  women in / out:            {} / {}", self.women_in, self.women_out)?;
        writeln!(f, "  records in / out:          {} / {}", self.records_in, self.records_out)?;
        writeln!(
            f,
            "  at risk before:            {} women, {} records (highest risk {:.3})",
            self.women_at_risk_before, self.at_risk_before, self.max_risk_before
        )?;
        writeln!(f, "  records at risk after:     {}", self.at_risk_after)?;
        writeln!(f, "  cells suppressed:          {}", self.cells_suppressed)?;
        writeln!(f, "  records removed:           {}", self.records_removed)?;
        writeln!(
            f,
            "  k achieved:                {} women in {} groups",
            self.k_achieved, self.groups
        )?;
        write!(f, "  highest re-identification risk of a woman: {:.3}", self.max_risk)?;
        if let (Some(l), Some(la)) = (self.l, self.l_achieved) {
            write!(
                f,
                "\n  l-diversity: asked {l}, lowest {la}, values suppressed {}",
                self.sensitive_suppressed
            )?;
        }
        Ok(())
    }
}

fn woman_hash(woman: &str) -> u64 {
    // SipHash with fixed keys: the same on every run and platform of one build; a collision
    // merges two women, which only suppresses more.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    woman.hash(&mut h);
    h.finish()
}

fn intern(dict: &mut HashMap<String, u32>, value: Option<&str>) -> u32 {
    match value {
        None => NONE,
        Some(v) => match dict.get(v) {
            Some(code) => *code,
            None => {
                let code = dict.len() as u32;
                dict.insert(v.to_string(), code);
                code
            }
        },
    }
}

impl QiTable {
    /// An empty table over these quasi-identifiers, most identifying (suppressed first) first.
    /// At most [`MAX_QUASI_IDENTIFIERS`].
    pub fn new(names: Vec<String>) -> Result<QiTable, String> {
        if names.len() > MAX_QUASI_IDENTIFIERS {
            return Err(format!(
                "{} quasi-identifiers given; at most {MAX_QUASI_IDENTIFIERS} are supported",
                names.len()
            ));
        }
        let dicts = names.iter().map(|_| HashMap::new()).collect();
        Ok(QiTable {
            names,
            dicts,
            cells: Vec::new(),
            women: Vec::new(),
            sensitive: Vec::new(),
            sensitive_dict: HashMap::new(),
        })
    }

    /// The quasi-identifiers' names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Records held.
    pub fn len(&self) -> usize {
        self.women.len()
    }

    /// Whether the table holds no record.
    pub fn is_empty(&self) -> bool {
        self.women.is_empty()
    }

    /// Adds one record about `woman` with one value (`None`: missing) per quasi-identifier, in
    /// the order of [`QiTable::names`], and its sensitive value for l-diversity. Suppressing a
    /// value removes it.
    ///
    /// # Panics
    /// If `values` does not hold one value per quasi-identifier.
    pub fn push(&mut self, woman: &str, values: &[Option<&str>], sensitive: Option<&str>) {
        let pairs: Vec<(Option<&str>, Option<&str>)> = values.iter().map(|v| (*v, None)).collect();
        self.push_with_fallback(woman, &pairs, sensitive);
    }

    /// As [`QiTable::push`], with for each value what suppression leaves of it (`None`:
    /// nothing): a required date that is coarsened to its year rather than removed gives its
    /// year here, so that groups are formed on exactly what is released.
    ///
    /// # Panics
    /// If `values` does not hold one value per quasi-identifier.
    pub fn push_with_fallback(
        &mut self,
        woman: &str,
        values: &[(Option<&str>, Option<&str>)],
        sensitive: Option<&str>,
    ) {
        assert_eq!(values.len(), self.names.len(), "one value per quasi-identifier");
        for (dict, (v, fallback)) in self.dicts.iter_mut().zip(values) {
            self.cells.push(intern(dict, *v));
            self.cells.push(intern(dict, *fallback));
        }
        self.women.push(woman_hash(woman));
        self.sensitive.push(intern(&mut self.sensitive_dict, sensitive));
    }

    /// Whether record `row` is about `woman` (a check that a second pass over an input reads
    /// the same records as the first).
    pub fn is_woman(&self, row: usize, woman: &str) -> bool {
        self.women.get(row) == Some(&woman_hash(woman))
    }

    fn cell(&self, row: usize, col: usize, mask: u32) -> u32 {
        let suppressed = usize::from(mask & (1 << col) != 0);
        self.cells[(row * self.names.len() + col) * 2 + suppressed]
    }

    fn cmp_rows(&self, a: usize, b: usize, masks: &[u32]) -> Ordering {
        for col in 0..self.names.len() {
            let o = self.cell(a, col, masks[a]).cmp(&self.cell(b, col, masks[b]));
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }

    /// Groups of `rows` under `masks`: for each row, the number of distinct women in its group
    /// and its group's index; and the number of groups.
    fn groups(&self, rows: &[usize], masks: &[u32]) -> (Vec<u32>, Vec<u32>, usize) {
        let mut order: Vec<u32> = rows.iter().map(|&r| r as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.cmp_rows(a, b, masks).then(self.women[a].cmp(&self.women[b]))
        });
        let mut women = vec![0u32; self.len()];
        let mut group = vec![u32::MAX; self.len()];
        let mut groups = 0usize;
        let mut start = 0;
        while start < order.len() {
            let first = order[start] as usize;
            let mut end = start + 1;
            let mut distinct = 1u32;
            while end < order.len() && self.cmp_rows(first, order[end] as usize, masks).is_eq() {
                if self.women[order[end] as usize] != self.women[order[end - 1] as usize] {
                    distinct += 1;
                }
                end += 1;
            }
            for &r in &order[start..end] {
                women[r as usize] = distinct;
                group[r as usize] = groups as u32;
            }
            groups += 1;
            start = end;
        }
        (women, group, groups)
    }

    fn distinct_women(&self, rows: impl Iterator<Item = usize>) -> usize {
        let mut w: Vec<u64> = rows.map(|r| self.women[r]).collect();
        w.sort_unstable();
        w.dedup();
        w.len()
    }

    /// Plans suppression so that every released group holds at least `k` distinct women (and
    /// `l` distinct sensitive values, when given).
    pub fn solve(&self, k: usize, l: Option<usize>) -> KPlan {
        let k = k.max(1);
        let n = self.len();
        let all: Vec<usize> = (0..n).collect();
        let mut masks = vec![0u32; n];
        let (sizes, _, _) = self.groups(&all, &masks);
        let small = |sizes: &[u32], r: usize| (sizes[r] as usize) < k;
        let at_risk_before = all.iter().filter(|&&r| small(&sizes, r)).count();
        let women_at_risk_before =
            self.distinct_women(all.iter().copied().filter(|&r| small(&sizes, r)));
        let min_before = sizes.iter().copied().min().unwrap_or(0);
        let mut cells_suppressed = 0;
        let mut sizes = sizes;
        for col in 0..self.names.len() {
            let mut any = false;
            for (r, mask) in masks.iter_mut().enumerate() {
                if small(&sizes, r) {
                    any = true;
                    let before = self.cell(r, col, *mask);
                    *mask |= 1 << col;
                    if before != self.cell(r, col, *mask) {
                        cells_suppressed += 1;
                    }
                }
            }
            if !any {
                break;
            }
            sizes = self.groups(&all, &masks).0;
        }
        let keep: Vec<bool> = (0..n).map(|r| !small(&sizes, r)).collect();
        let kept: Vec<usize> = (0..n).filter(|&r| keep[r]).collect();
        let (sizes, group, groups) = self.groups(&kept, &masks);
        let k_achieved = kept.iter().map(|&r| sizes[r]).min().unwrap_or(0) as usize;

        let mut drop_sensitive = vec![false; n];
        let (mut l_achieved, mut sensitive_suppressed) = (None, 0);
        if let Some(l) = l {
            let mut values: Vec<Vec<u32>> = vec![Vec::new(); groups];
            for &r in &kept {
                let v = &mut values[group[r] as usize];
                if !v.contains(&self.sensitive[r]) {
                    v.push(self.sensitive[r]);
                }
            }
            l_achieved = values.iter().map(Vec::len).min();
            for &r in &kept {
                if values[group[r] as usize].len() < l && self.sensitive[r] != NONE {
                    drop_sensitive[r] = true;
                    sensitive_suppressed += 1;
                }
            }
        }
        let report = RiskReport {
            records_in: n,
            records_out: kept.len(),
            women_in: self.distinct_women(0..n),
            women_out: self.distinct_women(kept.iter().copied()),
            k,
            quasi_identifiers: self.names.clone(),
            at_risk_before,
            women_at_risk_before,
            at_risk_after: kept.iter().filter(|&&r| (sizes[r] as usize) < k).count(),
            cells_suppressed,
            records_removed: n - kept.len(),
            k_achieved,
            max_risk: if k_achieved == 0 { 0.0 } else { 1.0 / k_achieved as f64 },
            max_risk_before: if min_before == 0 { 0.0 } else { 1.0 / f64::from(min_before) },
            groups: if kept.is_empty() { 0 } else { groups },
            l,
            l_achieved,
            sensitive_suppressed,
        };
        KPlan { masks, keep, drop_sensitive, report }
    }
}

impl KPlan {
    /// Whether record `row` is released.
    pub fn keeps(&self, row: usize) -> bool {
        self.keep[row]
    }

    /// Whether quasi-identifier `col` (index into the table's names) of record `row` is
    /// suppressed.
    pub fn suppressed(&self, row: usize, col: usize) -> bool {
        self.masks[row] & (1 << col) != 0
    }

    /// Whether the sensitive value of record `row` is suppressed for l-diversity.
    pub fn sensitive_suppressed(&self, row: usize) -> bool {
        self.drop_sensitive[row]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, [&str; 2])]) -> QiTable {
        let mut t = QiTable::new(vec!["citizenship".into(), "age_band".into()]).unwrap();
        for (woman, v) in rows {
            t.push(woman, &[Some(v[0]), Some(v[1])], None);
        }
        t
    }

    #[test]
    fn five_cases_of_one_woman_are_one_woman() {
        // The attacker knows one woman is the only Tajik citizen in the export: five records of
        // hers are still one woman, risk 1.
        let mut rows: Vec<(&str, [&str; 2])> = vec![("w0", ["TJ", "25-29"]); 5];
        let names: Vec<String> = (1..=10).map(|i| format!("w{i}")).collect();
        for n in &names {
            rows.push((n, ["KZ", "25-29"]));
        }
        let t = table(&rows);
        let before = t.solve(1, None).report;
        assert_eq!(before.max_risk_before, 1.0);
        assert_eq!(before.women_in, 11);
        let plan = t.solve(5, None);
        let r = &plan.report;
        assert_eq!(r.women_at_risk_before, 1);
        assert_eq!(r.at_risk_before, 5);
        assert!(r.max_risk <= 0.2 + 1e-12, "{r}");
        // Her citizenship is not released: suppressed in all five records or the records gone.
        for row in 0..5 {
            assert!(!plan.keeps(row) || plan.suppressed(row, 0), "row {row}");
        }
        // Alone she cannot hide even with every value suppressed (the others keep theirs):
        // removed rather than released.
        assert_eq!(r.records_removed, 5);
        assert_eq!(r.women_out, 10);
    }

    #[test]
    fn counting_records_would_have_released_her() {
        // Five records, one woman, unique values: a record count says 5, the woman count 1.
        let t = table(&[("w", ["TJ", "40+"]); 5]);
        let r = t.solve(5, None).report;
        assert_eq!(r.records_out, 0);
        assert_eq!(r.k_achieved, 0);
        let many: Vec<String> = (0..5).map(|i| format!("w{i}")).collect();
        let rows: Vec<(&str, [&str; 2])> =
            many.iter().map(|w| (w.as_str(), ["TJ", "40+"])).collect();
        let r = table(&rows).solve(5, None).report;
        assert_eq!((r.records_out, r.k_achieved, r.cells_suppressed), (5, 5, 0));
    }

    #[test]
    fn suppression_lets_small_groups_join_and_the_report_adds_up() {
        let ws: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
        let cits = ["KZ", "UZ", "KG", "TJ"];
        let bands = ["18-24", "25-29", "30-34"];
        let mut t = QiTable::new(vec!["citizenship".into(), "age_band".into()]).unwrap();
        for (i, w) in ws.iter().enumerate() {
            let c = if i < 30 { cits[i % 2] } else { cits[2 + i % 2] };
            t.push(w, &[Some(c), Some(bands[i % 3])], Some(["a", "b"][i % 2]));
            t.push(w, &[Some(c), Some(bands[i % 3])], Some(["a", "b"][i % 2]));
        }
        let plan = t.solve(4, Some(2));
        let r = &plan.report;
        assert_eq!(r.records_in, 80);
        assert_eq!(r.records_in, r.records_out + r.records_removed);
        assert_eq!(r.at_risk_after, 0);
        assert!(r.k_achieved >= 4 && r.cells_suppressed > 0, "{r}");
        assert!((r.max_risk - 1.0 / r.k_achieved as f64).abs() < 1e-12);
        // Every released group really holds k distinct women.
        let mut groups: HashMap<(u32, u32), std::collections::BTreeSet<u64>> = HashMap::new();
        for row in (0..t.len()).filter(|&r| plan.keeps(r)) {
            let m = plan.masks[row];
            groups.entry((t.cell(row, 0, m), t.cell(row, 1, m))).or_default().insert(t.women[row]);
        }
        assert!(groups.values().all(|w| w.len() >= 4), "{groups:?}");
        assert_eq!(groups.len(), r.groups);
    }

    #[test]
    fn too_many_quasi_identifiers_are_refused() {
        let names = (0..33).map(|i| format!("q{i}")).collect();
        assert!(QiTable::new(names).unwrap_err().contains("at most 32"));
    }
}

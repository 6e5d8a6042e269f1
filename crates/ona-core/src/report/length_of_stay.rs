//! Length of stay of one cell: count, sum and histogram (for the mean and the lower median).

use std::collections::BTreeMap;

/// Length-of-stay accumulator of one cell.
#[derive(Debug, Default, Clone)]
pub(crate) struct Los {
    pub(crate) n: u64,
    pub(crate) sum: u64,
    pub(crate) hist: BTreeMap<u32, u64>,
}

impl Los {
    /// Adds another cell's stays to this one.
    pub(crate) fn add(&mut self, other: &Los) {
        self.n += other.n;
        self.sum += other.sum;
        for (k, v) in &other.hist {
            *self.hist.entry(*k).or_default() += v;
        }
    }

    /// The lower median.
    pub(crate) fn median(&self) -> Option<u32> {
        let target = self.n.checked_sub(1)? / 2;
        let mut seen = 0;
        for (k, v) in &self.hist {
            seen += v;
            if seen > target {
                return Some(*k);
            }
        }
        None
    }
}

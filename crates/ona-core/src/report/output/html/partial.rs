//! Which periods at the start or end of a series hold only part of their data.
//!
//! A report knows its periods, not the day its data was extracted, nor when the network started
//! recording. What it does show is the count behind every point: where the data begins or ends
//! inside a period (the first stays of a new network, cases still open, follow-ups not yet due),
//! the count of that period falls far below the rest of the series. So a period is marked
//! partial when it lies in a run at the start or at the end of the series whose counts are all
//! below half of the series' median. Periods in the middle are never marked: a real fall there
//! must read as one. The page says in plain words what the shading means.

/// For each point of a series of counts (`None` when withheld), whether it is partial.
pub(super) fn partial_periods(counts: &[Option<f64>]) -> Vec<bool> {
    let mut known: Vec<f64> = counts.iter().flatten().copied().collect();
    let mut marks = vec![false; counts.len()];
    if known.len() < 3 {
        return marks;
    }
    known.sort_by(f64::total_cmp);
    let median = known[known.len() / 2];
    let low = |v: f64| v < median / 2.0;
    // From each end inwards: small counts are partial; a withheld count between the end and a
    // small one is partial too; the first count at the usual level ends the run.
    let mut mark_run = |order: &mut dyn Iterator<Item = usize>| {
        let mut pending = Vec::new();
        for i in order {
            match counts[i] {
                Some(v) if low(v) => {
                    for p in pending.drain(..) {
                        marks[p] = true;
                    }
                    marks[i] = true;
                }
                Some(_) => break,
                None => pending.push(i),
            }
        }
    };
    mark_run(&mut (0..counts.len()));
    mark_run(&mut (0..counts.len()).rev());
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(v: &[i64]) -> Vec<Option<f64>> {
        v.iter().map(|&x| (x >= 0).then_some(x as f64)).collect()
    }

    #[test]
    fn the_tail_of_an_extract_is_partial_the_middle_never() {
        // The demo's admissions: intakes stop inside the fourth-last quarter.
        let s = series(&[
            4765, 5101, 5197, 5049, 5188, 5285, 5404, 5459, 5285, 5326, 5376, 276, 168, 305,
        ]);
        let p = partial_periods(&s);
        assert_eq!(p.iter().filter(|x| **x).count(), 3);
        assert!(p[11] && p[12] && p[13] && !p[10]);
        // The demo's exits: ramp-up at the start, stays still open at the end.
        let s = series(&[
            427, 2768, 4434, 5098, 5050, 5202, 5256, 5342, 5347, 5281, 5365, 5006, 2294, 830,
        ]);
        let p = partial_periods(&s);
        assert_eq!(
            p,
            [
                true, false, false, false, false, false, false, false, false, false, false, false,
                true, true
            ]
        );
        // A fall in the middle of a series is a fall, not a partial period.
        let p = partial_periods(&series(&[500, 510, 90, 505, 498]));
        assert!(p.iter().all(|x| !x));
    }

    #[test]
    fn withheld_counts_outside_a_small_one_are_partial_others_not() {
        let p = partial_periods(&series(&[-1, 500, 510, 490, -1, 30, -1]));
        assert_eq!(p, [false, false, false, false, false, true, true]);
        // Too short a series to judge: nothing is marked.
        assert!(partial_periods(&series(&[500, 3])).iter().all(|x| !x));
    }
}

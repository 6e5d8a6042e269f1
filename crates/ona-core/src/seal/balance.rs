//! Sharing the work on batches between the caller's thread and the worker thread.
//!
//! The caller's thread does all the reading and writing. The work on each batch — hashing
//! every chunk into its leaf of the signed digest and the ChaCha20-Poly1305, a whole batch at a
//! time — goes to whichever of the two has time for it, so that both cores stay busy (opening a
//! version 1 file, the worker also hashes every plaintext byte in order). A third thread just
//! for the work does worse: with three busy threads on two cores the scheduler leaves two of
//! them sharing one core for long stretches (measured: 1.0 s instead of about 0.8 s per GiB).
//!
//! The split adapts as it goes: each time a batch comes back, the caller compares how long it
//! sat idle since the last batch (waiting for the worker to finish a batch, or to take one) with
//! how long the worker sat idle (the wall time minus the time it spent working), and takes a
//! larger share of the batches once it has waited half a batch's work longer in all, a smaller
//! one once the worker has. Time lost to
//! other processes counts as work, so the split follows the cores actually available. (An
//! earlier version compared working times, counting a blocked hand-over as work: it settled
//! with the caller taking 3/16 of the batches and idle half the time.)

use std::time::{Duration, Instant};

/// Shares are counted in sixteenths of the batches.
const STEPS: u32 = 16;
/// Idle time one side must have accumulated over the other's before the share moves a step.
const STEP_AFTER: i64 = 500_000; // nanoseconds: about half a batch of work

/// Decides, batch by batch, whether the caller's thread does the AEAD itself.
pub(crate) struct Balance {
    /// The caller's share, in sixteenths.
    share: u32,
    /// Error accumulator spreading the caller's batches evenly (as in Bresenham's line).
    acc: u32,
    /// Start of the current measurement window.
    since: Instant,
    /// Caller's idle time minus the worker's, in nanoseconds, since the share last moved.
    lean: i64,
}

impl Balance {
    /// Starts with half the batches each.
    pub fn new() -> Self {
        Balance { share: STEPS / 2, acc: 0, since: Instant::now(), lean: 0 }
    }

    /// Whether the caller's thread does the AEAD of the next batch.
    pub fn caller_takes_next(&mut self) -> bool {
        self.acc += self.share;
        if self.acc >= STEPS {
            self.acc -= STEPS;
            true
        } else {
            false
        }
    }

    /// Records how long the caller sat waiting for the worker since the last call, and how
    /// long the worker worked; moves the share one step towards balance.
    pub fn observe(&mut self, caller_idle: Duration, worker_busy: Duration) {
        let now = Instant::now();
        let window = now - self.since;
        self.since = now;
        self.step(caller_idle, window.saturating_sub(worker_busy));
    }

    /// Weighs idle times rather than counting who idled more often: the caller waits rarely
    /// but long (a whole batch), the worker often but briefly (a hand-over).
    fn step(&mut self, caller_idle: Duration, worker_idle: Duration) {
        let ns = |d: Duration| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
        self.lean = self.lean.saturating_add(ns(caller_idle)).saturating_sub(ns(worker_idle));
        if self.lean >= STEP_AFTER {
            self.share = (self.share + 1).min(STEPS);
            self.lean = 0;
        } else if self.lean <= -STEP_AFTER {
            self.share = self.share.saturating_sub(1);
            self.lean = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_follow_the_waiting() {
        let mut b = Balance::new();
        let taken = (0..160).filter(|_| b.caller_takes_next()).count();
        assert_eq!(taken, 80);
        let ms = Duration::from_millis;
        // The caller waits more than the worker: it takes more, up to every batch.
        for _ in 0..20 {
            b.step(ms(2), ms(1));
        }
        assert!((0..16).all(|_| b.caller_takes_next()));
        for _ in 0..20 {
            b.step(ms(1), ms(2));
        }
        assert!((0..16).all(|_| !b.caller_takes_next()));
        b.step(ms(2), ms(1));
        b.step(ms(1), ms(1));
        assert_eq!((0..160).filter(|_| b.caller_takes_next()).count(), 10);
    }
}

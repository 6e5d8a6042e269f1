//! Sharing the work on batches between the caller's thread and the worker thread.
//!
//! The caller's thread does all the reading and writing. The work on each batch — hashing
//! every chunk into its leaf of the signed digest and the ChaCha20-Poly1305, a whole batch at a
//! time — goes to whichever of the two has time for it, so that both cores stay busy (opening a
//! version 1 file, the worker also hashes every plaintext byte in order). A third thread just
//! for the work does worse: with three busy threads on two cores the scheduler leaves two of
//! them sharing one core for long stretches (measured: 1.0 s instead of about 0.8 s per GiB).
//!
//! The split adapts as it goes: each time a batch comes back, the caller compares the time the
//! worker spent working with its own working time (wall time minus waiting) since the last
//! batch, and takes a larger share of the batches if the worker was the busier, a smaller one
//! otherwise. Time lost to other processes counts as work, so the split follows the cores
//! actually available.

use std::time::{Duration, Instant};

/// Shares are counted in sixteenths of the batches.
const STEPS: u32 = 16;

/// Decides, batch by batch, whether the caller's thread does the AEAD itself.
pub(crate) struct Balance {
    /// The caller's share, in sixteenths.
    share: u32,
    /// Error accumulator spreading the caller's batches evenly (as in Bresenham's line).
    acc: u32,
    /// Start of the current measurement window.
    since: Instant,
}

impl Balance {
    /// Starts with half the batches each.
    pub fn new() -> Self {
        Balance { share: STEPS / 2, acc: 0, since: Instant::now() }
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

    /// Records how long the caller waited for the worker's batch just received, and how long
    /// the worker worked since the last call; moves the share one step towards balance.
    pub fn observe(&mut self, caller_waited: Duration, worker_busy: Duration) {
        let now = Instant::now();
        let window = now - self.since;
        self.since = now;
        self.step(window.saturating_sub(caller_waited), worker_busy);
    }

    fn step(&mut self, caller_busy: Duration, worker_busy: Duration) {
        if worker_busy > caller_busy {
            self.share = (self.share + 1).min(STEPS);
        } else if caller_busy > worker_busy {
            self.share = self.share.saturating_sub(1);
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
        for _ in 0..20 {
            b.step(ms(1), ms(2));
        }
        assert!((0..16).all(|_| b.caller_takes_next()));
        for _ in 0..20 {
            b.step(ms(2), ms(1));
        }
        assert!((0..16).all(|_| !b.caller_takes_next()));
        b.step(ms(1), ms(2));
        b.step(ms(1), ms(1));
        assert_eq!((0..160).filter(|_| b.caller_takes_next()).count(), 10);
    }
}

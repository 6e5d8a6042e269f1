//! Sharing the chunk AEAD between the caller's thread and the worker thread.
//!
//! The worker hashes every plaintext byte (SHA-256 cannot be split: each block depends on the
//! one before) and the caller's thread does all the reading and writing. The ChaCha20-Poly1305
//! work, a whole batch at a time, goes to whichever of the two has time for it, so that both
//! cores stay busy. A third thread just for the AEAD does worse: with three busy threads on two
//! cores the scheduler leaves two of them sharing one core for long stretches (measured: 1.0 s
//! instead of about 0.8 s per GiB).
//!
//! The split adapts as it goes: each time the caller has to wait for the worker, it takes a
//! larger share of the batches; each time a batch is already done when the caller wants it,
//! it takes a smaller share.

/// Shares are counted in sixteenths of the batches.
const STEPS: u32 = 16;

/// Decides, batch by batch, whether the caller's thread does the AEAD itself.
pub(crate) struct Balance {
    /// The caller's share, in sixteenths.
    share: u32,
    /// Error accumulator spreading the caller's batches evenly (as in Bresenham's line).
    acc: u32,
}

impl Balance {
    /// Starts with half the batches each.
    pub fn new() -> Self {
        Balance { share: STEPS / 2, acc: 0 }
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

    /// Records whether the caller had to wait for a batch from the worker.
    pub fn observe(&mut self, waited: bool) {
        self.share =
            if waited { (self.share + 1).min(STEPS) } else { self.share.saturating_sub(1) };
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
        for _ in 0..20 {
            b.observe(true);
        }
        assert!((0..16).all(|_| b.caller_takes_next()));
        for _ in 0..20 {
            b.observe(false);
        }
        assert!((0..16).all(|_| !b.caller_takes_next()));
        b.observe(true);
        assert_eq!((0..160).filter(|_| b.caller_takes_next()).count(), 10);
    }
}

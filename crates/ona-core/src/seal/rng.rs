//! Randomness for sealing: the operating system's, or a deterministic stream for test vectors.

use hpke::rand_core::{TryCryptoRng, TryRng};
#[cfg(any(test, feature = "test-helpers"))]
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::convert::Infallible;

/// Where the random bytes of a seal come from.
pub(crate) enum SealRng {
    /// The operating system's CSPRNG (ring's `SystemRandom`).
    System(SystemRandom),
    /// HMAC-SHA256(seed, counter) blocks: only for reproducible test vectors (absent from
    /// builds without the `test-helpers` feature, so a release cannot seal predictably).
    #[cfg(any(test, feature = "test-helpers"))]
    Deterministic { key: hmac::Key, counter: u64 },
}

impl SealRng {
    pub(crate) fn system() -> Self {
        SealRng::System(SystemRandom::new())
    }

    #[cfg(any(test, feature = "test-helpers"))]
    pub(crate) fn deterministic(seed: &[u8]) -> Self {
        SealRng::Deterministic { key: hmac::Key::new(hmac::HMAC_SHA256, seed), counter: 0 }
    }

    /// Fills `dst`. The OS generator failing is unrecoverable and aborts the seal by panicking.
    pub(crate) fn fill(&mut self, dst: &mut [u8]) {
        match self {
            SealRng::System(r) => r.fill(dst).expect("operating system randomness unavailable"),
            #[cfg(any(test, feature = "test-helpers"))]
            SealRng::Deterministic { key, counter } => {
                for piece in dst.chunks_mut(32) {
                    let tag = hmac::sign(key, &counter.to_be_bytes());
                    *counter += 1;
                    piece.copy_from_slice(&tag.as_ref()[..piece.len()]);
                }
            }
        }
    }
}

impl TryRng for SealRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl TryCryptoRng for SealRng {}

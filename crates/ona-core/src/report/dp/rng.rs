//! Randomness for noise: the operating system's generator, or a seeded one for reproducible
//! tests. Samplers draw only uniform integers from it.

use rand_chacha::rand_core::{RngCore, SeedableRng};

/// A source of uniformly random 64-bit words.
pub trait NoiseSource {
    /// The next uniformly random word.
    fn next_u64(&mut self) -> u64;

    /// A uniform integer in `0..n` (`n > 0`), by rejection: exact, no modulo bias.
    fn below(&mut self, n: u128) -> u128 {
        debug_assert!(n > 0);
        if n <= 1 {
            return 0;
        }
        if let Ok(n64) = u64::try_from(n) {
            // Reject the top partial block of 2^64.
            let zone = u64::MAX - (u64::MAX - n64 + 1) % n64;
            loop {
                let x = self.next_u64();
                if x <= zone {
                    return u128::from(x % n64);
                }
            }
        }
        let zone = u128::MAX - (u128::MAX - n + 1) % n;
        loop {
            let x = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
            if x <= zone {
                return x % n;
            }
        }
    }
}

/// The operating system's generator (`ring::rand::SystemRandom`), read in 4 KiB blocks.
pub struct OsNoise {
    rng: ring::rand::SystemRandom,
    buf: Box<[u8; 4096]>,
    pos: usize,
}

impl OsNoise {
    /// A new reader of OS randomness.
    pub fn new() -> OsNoise {
        OsNoise { rng: ring::rand::SystemRandom::new(), buf: Box::new([0; 4096]), pos: 4096 }
    }
}

impl Default for OsNoise {
    fn default() -> Self {
        OsNoise::new()
    }
}

impl std::fmt::Debug for OsNoise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OsNoise")
    }
}

impl NoiseSource for OsNoise {
    fn next_u64(&mut self) -> u64 {
        use ring::rand::SecureRandom;
        if self.pos + 8 > self.buf.len() {
            // The OS generator failing is unrecoverable: noise must never be skipped.
            self.rng
                .fill(&mut self.buf[..])
                .expect("the operating system's random generator failed");
            self.pos = 0;
        }
        let mut w = [0u8; 8];
        w.copy_from_slice(&self.buf[self.pos..self.pos + 8]);
        self.pos += 8;
        u64::from_le_bytes(w)
    }
}

/// A seeded generator (ChaCha20) for reproducible tests and benchmarks. Never for releases.
#[derive(Debug, Clone)]
pub struct SeededNoise(rand_chacha::ChaCha20Rng);

impl SeededNoise {
    /// The generator for `seed`.
    pub fn new(seed: u64) -> SeededNoise {
        SeededNoise(rand_chacha::ChaCha20Rng::seed_from_u64(seed))
    }
}

impl NoiseSource for SeededNoise {
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

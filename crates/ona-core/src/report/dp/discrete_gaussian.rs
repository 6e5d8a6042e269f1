//! The exact discrete Gaussian sampler (Canonne, Kamath, Steinke 2020, Algorithm 3):
//! P(X = x) ∝ exp(−x²/(2σ²)) with σ² = a/b rational, by rejection from a discrete Laplace.

use super::bernoulli::bernoulli_exp;
use super::discrete_laplace::discrete_laplace;
use super::rng::NoiseSource;

/// Integer square root (floor).
fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    let mut x = (n as f64).sqrt() as u128;
    while x * x > n {
        x -= 1;
    }
    while (x + 1) * (x + 1) <= n {
        x += 1;
    }
    x
}

/// A sample of the discrete Gaussian with variance parameter σ² = `a/b` (`a, b > 0`;
/// `a ≤ 2^40`, `b ≤ 2^20` keep all intermediate values within 128 bits).
pub fn discrete_gaussian<R: NoiseSource + ?Sized>(rng: &mut R, a: u128, b: u128) -> i128 {
    // t = ⌊σ⌋ + 1.
    let t = isqrt(a / b) + 1;
    loop {
        let y = discrete_laplace(rng, 1, t);
        let yabs = y.unsigned_abs();
        // γ = (|y| − σ²/t)² / (2σ²) = (|y|·b·t − a)² / (2·a·b·t²).
        let Some(num) = yabs.checked_mul(b).and_then(|v| v.checked_mul(t)) else { continue };
        let diff = num.abs_diff(a);
        let (Some(n), Some(d)) = (
            diff.checked_mul(diff),
            a.checked_mul(2).and_then(|v| v.checked_mul(b)).and_then(|v| v.checked_mul(t * t)),
        ) else {
            continue;
        };
        if bernoulli_exp(rng, n, d) {
            return y;
        }
    }
}

/// P(X = x) of the discrete Gaussian with σ² = a/b, in floating point (for tests only).
pub fn discrete_gaussian_pmf(a: u128, b: u128, x: i128) -> f64 {
    let s2 = a as f64 / b as f64;
    let norm: f64 = (-2000i128..=2000).map(|y| (-((y * y) as f64) / (2.0 * s2)).exp()).sum();
    (-((x * x) as f64) / (2.0 * s2)).exp() / norm
}

#[cfg(test)]
mod tests {
    use super::super::rng::SeededNoise;
    use super::*;

    /// Kolmogorov–Smirnov distance to the exact cdf, and χ² on the central values.
    #[test]
    fn matches_pmf() {
        let mut rng = SeededNoise::new(5);
        let (a, b) = (9u128, 2u128); // σ² = 4.5
        let n = 100_000usize;
        let mut samples: Vec<i128> = (0..n).map(|_| discrete_gaussian(&mut rng, a, b)).collect();
        samples.sort_unstable();
        let mut ks: f64 = 0.0;
        let mut cdf = 0.0;
        let mut i = 0;
        for x in -30i128..=30 {
            cdf += discrete_gaussian_pmf(a, b, x);
            while i < n && samples[i] <= x {
                i += 1;
            }
            ks = ks.max((i as f64 / n as f64 - cdf).abs());
        }
        // 1.63/√n is the 99 % critical value of the KS statistic (conservative for discrete).
        assert!(ks < 1.63 / (n as f64).sqrt(), "KS = {ks}");
        assert_eq!(isqrt(99), 9);
    }
}

//! Exact Bernoulli trials with rational parameters (Canonne, Kamath, Steinke 2020, §5.1).

use super::rng::NoiseSource;

/// Bernoulli(n/d), `0 ≤ n ≤ d`, `d > 0`.
pub fn bernoulli<R: NoiseSource + ?Sized>(rng: &mut R, n: u128, d: u128) -> bool {
    rng.below(d) < n
}

/// Bernoulli(exp(−n/d)) for `n/d ≥ 0`, by the paper's method: for γ ≤ 1, draw A_k ~
/// Bernoulli(γ/k) for k = 1, 2, … until the first failure and return whether that k is odd; for
/// γ > 1, ⌊γ⌋ trials of exp(−1) and one of exp(−(γ − ⌊γ⌋)).
pub fn bernoulli_exp<R: NoiseSource + ?Sized>(rng: &mut R, n: u128, d: u128) -> bool {
    if n <= d {
        let mut k: u128 = 1;
        loop {
            let dk = d.saturating_mul(k);
            if !bernoulli(rng, n, dk) {
                return k % 2 == 1;
            }
            k += 1;
        }
    }
    let whole = n / d;
    for _ in 0..whole {
        if !bernoulli_exp(rng, 1, 1) {
            return false;
        }
    }
    bernoulli_exp(rng, n - whole * d, d)
}

#[cfg(test)]
mod tests {
    use super::super::rng::SeededNoise;
    use super::*;

    #[test]
    fn exp_trial_frequencies() {
        let mut rng = SeededNoise::new(3);
        for (n, d) in [(1u128, 2u128), (1, 1), (5, 2)] {
            let trials = 200_000;
            let hits = (0..trials).filter(|_| bernoulli_exp(&mut rng, n, d)).count() as f64;
            let p = (-(n as f64) / d as f64).exp();
            let sd = (p * (1.0 - p) / trials as f64).sqrt();
            assert!((hits / trials as f64 - p).abs() < 5.0 * sd, "γ = {n}/{d}");
        }
    }
}

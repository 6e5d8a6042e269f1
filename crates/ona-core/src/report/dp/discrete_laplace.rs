//! The exact discrete Laplace sampler (Canonne, Kamath, Steinke 2020, Algorithm 2):
//! P(X = x) ∝ exp(−|x|·s/t), integers and rationals only.

use super::bernoulli::{bernoulli, bernoulli_exp};
use super::rng::NoiseSource;

/// A sample of the discrete Laplace distribution with scale `t/s` (`s, t > 0`).
pub fn discrete_laplace<R: NoiseSource + ?Sized>(rng: &mut R, s: u128, t: u128) -> i128 {
    loop {
        let u = rng.below(t);
        if !bernoulli_exp(rng, u, t) {
            continue;
        }
        let mut v: u128 = 0;
        while bernoulli_exp(rng, 1, 1) {
            v += 1;
        }
        let x = u + t * v;
        let y = (x / s) as i128;
        let negative = bernoulli(rng, 1, 2);
        if negative && y == 0 {
            continue;
        }
        return if negative { -y } else { y };
    }
}

/// The probability mass P(X = x) of the discrete Laplace distribution with scale `t/s`, in
/// floating point (for tests only).
pub fn discrete_laplace_pmf(s: u128, t: u128, x: i128) -> f64 {
    let a = (-(s as f64) / t as f64).exp();
    (1.0 - a) / (1.0 + a) * a.powi(x.unsigned_abs() as i32)
}

#[cfg(test)]
mod tests {
    use super::super::rng::SeededNoise;
    use super::*;

    /// χ² goodness of fit against the exact pmf, tails pooled.
    #[test]
    fn matches_pmf_chi_squared() {
        let mut rng = SeededNoise::new(11);
        let (s, t) = (2u128, 5u128); // scale 2.5
        let n = 200_000;
        let mut counts = std::collections::BTreeMap::new();
        for _ in 0..n {
            let x = discrete_laplace(&mut rng, s, t).clamp(-12, 12);
            *counts.entry(x).or_insert(0u64) += 1;
        }
        let mut chi2 = 0.0;
        for x in -12i128..=12 {
            let p = if x.abs() == 12 {
                (12..400).map(|y| discrete_laplace_pmf(s, t, y)).sum::<f64>()
            } else {
                discrete_laplace_pmf(s, t, x)
            };
            let e = p * n as f64;
            let o = *counts.get(&x).unwrap_or(&0) as f64;
            chi2 += (o - e).powi(2) / e;
        }
        // 24 degrees of freedom: the 99.9 % quantile is 51.2.
        assert!(chi2 < 51.2, "χ² = {chi2}");
    }
}

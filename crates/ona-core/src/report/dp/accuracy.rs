//! Accuracy of noisy counts: the half-width `h` of the 95 % interval, the smallest integer with
//! P(|N| ≤ h) ≥ 0.95 where N is the noise of a published count — one sample for a detail cell,
//! the sum of `n` independent samples for a total over `n` detail cells.
//!
//! Discrete Laplace: exact. A discrete Laplace sample with P(x) ∝ a^|x| is the difference of two
//! geometric variables, so a sum of `n` is the difference of two negative binomials NB(n, 1 − a);
//! its two-sided tail is summed numerically from their probability masses.
//! Discrete Gaussian: exact for one sample (summed from the mass function); for a sum of `n ≥ 2`,
//! the normal approximation with the exact variance, n·Var(N), which for σ ≥ 1 differs from the
//! true quantile by well under one unit.

/// The confidence of the published intervals.
pub const CONFIDENCE: f64 = 0.95;

/// Half-width of the 95 % interval of the sum of `n` discrete Laplace samples of scale `scale`
/// (P(x) ∝ exp(−|x|/scale)).
pub fn laplace_half_width(scale: f64, n: u64) -> u64 {
    let a = (-1.0 / scale).exp();
    let n_f = n as f64;
    // The negative binomial NB(n, 1 − a): mean n·a/(1 − a), sd √(n·a)/(1 − a).
    let mean = n_f * a / (1.0 - a);
    let sd = (n_f * a).sqrt() / (1.0 - a);
    let lo = (mean - 40.0 * sd).max(0.0) as u64;
    let hi = (mean + 40.0 * sd + 40.0 / (1.0 - a)) as u64 + 1;
    // log P(k) by the recurrence P(k+1)/P(k) = a·(k + n)/(k + 1), from P(0) = (1 − a)^n.
    let (ln_a, mut lp) = (a.ln(), n_f * (1.0 - a).ln());
    let mut logs = Vec::with_capacity((hi - lo + 1) as usize);
    for k in 0..=hi {
        if k >= lo {
            logs.push(lp);
        }
        lp += ln_a + ((k as f64 + n_f) / (k as f64 + 1.0)).ln();
    }
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut p: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    // tail[i] = P(A ≥ lo + i).
    let mut tail = vec![0.0; p.len() + 1];
    for i in (0..p.len()).rev() {
        tail[i] = tail[i + 1] + p[i];
    }
    // P(A − B ≥ d) = Σ_b P(B = b)·P(A ≥ b + d), both over the same window.
    let upper = |d: u64| -> f64 {
        p.iter()
            .enumerate()
            .map(|(i, pb)| pb * tail.get(i + d as usize).copied().unwrap_or(0.0))
            .sum()
    };
    smallest(0, hi - lo, |h| 2.0 * upper(h + 1) <= 1.0 - CONFIDENCE)
}

/// Half-width of the 95 % interval of the sum of `n` discrete Gaussian samples of variance
/// parameter `sigma2`.
pub fn gaussian_half_width(sigma2: f64, n: u64) -> u64 {
    let sigma = sigma2.sqrt();
    let r = (40.0 * sigma + 10.0) as i64;
    let w: Vec<f64> = (0..=r).map(|x| (-((x * x) as f64) / (2.0 * sigma2)).exp()).collect();
    // Symmetric: mass of 0 once, of ±x twice.
    let total: f64 = w[0] + 2.0 * w[1..].iter().sum::<f64>();
    if n <= 1 {
        let mut tail = vec![0.0; w.len() + 1];
        for x in (1..w.len()).rev() {
            tail[x] = tail[x + 1] + 2.0 * w[x] / total;
        }
        return smallest(0, r as u64, |h| tail[h as usize + 1] <= 1.0 - CONFIDENCE);
    }
    let var: f64 = w.iter().enumerate().map(|(x, p)| 2.0 * (x * x) as f64 * p / total).sum();
    // The 97.5 % quantile of the standard normal.
    (1.959_963_985 * (n as f64 * var).sqrt()).ceil() as u64
}

/// The smallest `h` in `lo..=hi` with `ok(h)` (monotone), or `hi`.
fn smallest(mut lo: u64, mut hi: u64, ok: impl Fn(u64) -> bool) -> u64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::super::rng::SeededNoise;
    use super::super::{discrete_gaussian, discrete_laplace};
    use super::*;

    /// Empirical coverage of the intervals, for one cell and for totals of several: at least
    /// 95 %, and not wastefully wide (the interval one unit narrower must fall below 95 % + a
    /// sampling margin).
    #[test]
    fn intervals_cover_95_percent_and_no_more_than_needed() {
        let mut rng = SeededNoise::new(17);
        let trials = 10_000;
        let margin = 4.0 * (0.05f64 * 0.95 / trials as f64).sqrt();
        for (s, t, n) in [(2u128, 5u128, 1u64), (1, 30, 1), (2, 5, 2), (1, 3, 10), (1, 2, 30)] {
            let h = laplace_half_width(t as f64 / s as f64, n);
            let sums: Vec<i128> = (0..trials)
                .map(|_| (0..n).map(|_| discrete_laplace(&mut rng, s, t)).sum())
                .collect();
            let cover = |h: u64| sums.iter().filter(|x| x.unsigned_abs() <= u128::from(h)).count();
            let c = cover(h) as f64 / trials as f64;
            assert!(c >= CONFIDENCE - margin, "Laplace {t}/{s} n={n} h={h}: {c}");
            let below = cover(h - 1) as f64 / trials as f64;
            assert!(below < CONFIDENCE + margin, "Laplace {t}/{s} n={n} h={h}: {below}");
        }
        for (a, b, n) in [(9u128, 2u128, 1u64), (400, 1, 1), (9, 2, 4), (100, 1, 16)] {
            let h = gaussian_half_width(a as f64 / b as f64, n);
            let sums: Vec<i128> = (0..trials)
                .map(|_| (0..n).map(|_| discrete_gaussian(&mut rng, a, b)).sum())
                .collect();
            let cover = |h: u64| sums.iter().filter(|x| x.unsigned_abs() <= u128::from(h)).count();
            let c = cover(h) as f64 / trials as f64;
            assert!(c >= CONFIDENCE - margin, "Gaussian {a}/{b} n={n} h={h}: {c}");
            let below = cover(h.saturating_sub(2)) as f64 / trials as f64;
            assert!(below < CONFIDENCE + margin, "Gaussian {a}/{b} n={n} h={h}: {below}");
        }
        // Known closed form for one Laplace sample: P(|X| > h) = 2a^(h+1)/(1 + a).
        let a = (-1.0f64 / 30.0).exp();
        let h = laplace_half_width(30.0, 1);
        assert!(2.0 * a.powi(h as i32 + 1) / (1.0 + a) <= 0.05);
        assert!(2.0 * a.powi(h as i32) / (1.0 + a) > 0.05);
    }
}

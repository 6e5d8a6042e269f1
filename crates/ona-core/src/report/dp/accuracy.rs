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
//!
//! Shares: a share num/den of two noisy counts gets a conservative 95 % interval from the 97.5 %
//! intervals of its numerator and denominator (see [`share_interval`]).

use crate::report::ratio::ratio;

/// The confidence of the published intervals.
pub const CONFIDENCE: f64 = 0.95;

/// A two-sided confidence level: the probability the interval holds, and the matching quantile
/// of the standard normal, z with P(|Z| ≤ z) = confidence (for the normal approximation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// P(|noise| ≤ half-width) at least this.
    pub confidence: f64,
    /// The standard normal's (1 + confidence)/2 quantile.
    pub z: f64,
}

/// The level of every published interval: 95 %.
pub const LEVEL_95: Level = Level { confidence: CONFIDENCE, z: 1.959_963_985 };

/// The level of each of the two counts behind a share's interval: 97.5 %, so that both hold
/// together with probability at least 95 % (union bound: 1 − 2 × 2.5 %), whatever the
/// dependence between their noises.
pub const LEVEL_97_5: Level = Level { confidence: 0.975, z: 2.241_402_728 };

/// Half-width of the 95 % interval of the sum of `n` discrete Laplace samples of scale `scale`
/// (P(x) ∝ exp(−|x|/scale)).
pub fn laplace_half_width(scale: f64, n: u64) -> u64 {
    laplace_half_width_at(scale, n, LEVEL_95)
}

/// Half-width of the interval at `level` of the sum of `n` discrete Laplace samples of scale
/// `scale`.
pub fn laplace_half_width_at(scale: f64, n: u64, level: Level) -> u64 {
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
    smallest(0, hi - lo, |h| 2.0 * upper(h + 1) <= 1.0 - level.confidence)
}

/// Half-width of the 95 % interval of the sum of `n` discrete Gaussian samples of variance
/// parameter `sigma2`.
pub fn gaussian_half_width(sigma2: f64, n: u64) -> u64 {
    gaussian_half_width_at(sigma2, n, LEVEL_95)
}

/// Half-width of the interval at `level` of the sum of `n` discrete Gaussian samples of variance
/// parameter `sigma2`.
pub fn gaussian_half_width_at(sigma2: f64, n: u64, level: Level) -> u64 {
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
        return smallest(0, r as u64, |h| tail[h as usize + 1] <= 1.0 - level.confidence);
    }
    let var: f64 = w.iter().enumerate().map(|(x, p)| 2.0 * (x * x) as f64 * p / total).sum();
    (level.z * (n as f64 * var).sqrt()).ceil() as u64
}

/// A share's 95 % interval, in tenths of a percent (0 … 1000), from its published noisy
/// numerator `num` and denominator `den` and their half-widths at [`LEVEL_97_5`].
///
/// With probability at least 95 % both true counts lie in their intervals (union bound), and
/// then the true share n/d — with 0 ≤ n ≤ d and d ≥ 1 — lies between (num − h_num)/(den + h_den)
/// and (num + h_num)/(den − h_den), clipped to [0, 100 %]. The bounds are rounded outwards, so
/// the interval always contains the published share (itself rounded to a tenth). Published
/// counts are clamped at 0, which only moves a count towards its true (non-negative) value, so
/// the intervals stay valid for clamped counts.
pub fn share_interval(num: u64, den: u64, h_num: u64, h_den: u64) -> (u64, u64) {
    let (num, den, h_num, h_den) =
        (u128::from(num), u128::from(den), u128::from(h_num), u128::from(h_den));
    let n_low = num.saturating_sub(h_num);
    let d_high = (den + h_den).max(1);
    let n_high = num + h_num;
    let d_low = den.saturating_sub(h_den).max(1);
    let low = (1000 * n_low / d_high).min(1000);
    let high = (1000 * n_high).div_ceil(d_low).min(1000);
    (low as u64, high as u64)
}

/// The half-widths of one noisy count's intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Margins {
    /// At 95 %: published as the count's `margin_95`.
    pub(crate) at_95: u64,
    /// At 97.5 %: used for the 95 % interval of a share of this count (see
    /// [`share_interval`]).
    pub(crate) at_97_5: u64,
}

/// A share's 95 % interval as the report publishes it (percent, one decimal), from its noisy
/// numerator and denominator and their margins.
pub(crate) fn share_bounds(
    n: u64,
    d: u64,
    mn: Option<&Margins>,
    md: Option<&Margins>,
) -> (Option<serde_json::Number>, Option<serde_json::Number>) {
    let (Some(mn), Some(md)) = (mn, md) else { return (None, None) };
    let (low, high) = share_interval(n, d, mn.at_97_5, md.at_97_5);
    // Tenths of a percent as a percent with one decimal: the same form as the value.
    (Some(ratio(low, 10, 1)), Some(ratio(high, 10, 1)))
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

    /// The attacker here is chance, and the reader who trusts the interval: over repeated noisy
    /// releases of the same true counts, the share's interval must hold the TRUE share n/d in at
    /// least 95 % of releases — for Laplace and Gaussian noise, small and large counts, shares
    /// near 0, in the middle and at 100 %. A published share (denominator > 0) always lies in
    /// its own interval. Releases whose noisy denominator is 0 publish no share (missing) and
    /// make no claim, so they are left out of the count.
    #[test]
    fn share_intervals_cover_the_true_share_in_95_percent_of_releases() {
        let mut rng = SeededNoise::new(29);
        let trials = 4_000;
        let margin = 4.0 * (0.05f64 * 0.95 / f64::from(trials)).sqrt();
        let cases: [(u64, u64); 5] = [(0, 12), (3, 10), (40, 50), (90, 90), (700, 1000)];
        // Laplace of scale 4 (q/p), Gaussian of σ² = 25 (p/q).
        for laplace in [true, false] {
            let (p, q) = if laplace { (1u128, 4u128) } else { (25u128, 1u128) };
            let h = if laplace {
                laplace_half_width_at(q as f64 / p as f64, 1, LEVEL_97_5)
            } else {
                gaussian_half_width_at(p as f64 / q as f64, 1, LEVEL_97_5)
            };
            let h_95 =
                if laplace { laplace_half_width(4.0, 1) } else { gaussian_half_width(25.0, 1) };
            assert!(h > h_95, "the 97.5 % half-width {h} must exceed the 95 % one {h_95}");
            for (n, d) in cases {
                let (mut published, mut covered, mut width) = (0u32, 0u32, 0u64);
                for _ in 0..trials {
                    // Clamped at 0, as the report publishes them.
                    let mut noisy = |true_count: u64| -> u64 {
                        let e = if laplace {
                            discrete_laplace(&mut rng, p, q)
                        } else {
                            discrete_gaussian(&mut rng, p, q)
                        };
                        (i128::from(true_count) + e).max(0) as u64
                    };
                    let (num, den) = (noisy(n), noisy(d));
                    if den == 0 {
                        continue;
                    }
                    published += 1;
                    let (low, high) = share_interval(num, den, h, h);
                    let shown = ratio(num.min(den), den, 100).as_f64().unwrap_or(-1.0);
                    let shown = (shown * 10.0).round() as u64;
                    assert!(low <= shown && shown <= high, "{num}/{den}: {low} {shown} {high}");
                    width += high - low;
                    // The true share, in tenths of a percent, against the bounds exactly:
                    // low/1000 ≤ n/d ≤ high/1000.
                    let (n, d) = (u128::from(n), u128::from(d));
                    if u128::from(low) * d <= 1000 * n && 1000 * n <= u128::from(high) * d {
                        covered += 1;
                    }
                }
                let c = f64::from(covered) / f64::from(published);
                assert!(published > trials / 2, "{n}/{d}: only {published} published");
                assert!(c >= CONFIDENCE - margin, "laplace={laplace} {n}/{d}: coverage {c}");
                if d == 1000 {
                    // Not uselessly wide: about ±2.5 points around 70 % of 1,000 at this noise.
                    let mean = width as f64 / f64::from(published);
                    assert!(mean < 60.0, "laplace={laplace}: mean width {mean} tenths");
                }
            }
        }
    }
}

//! Differential privacy with exact integer samplers (Canonne, Kamath, Steinke 2020): discrete
//! Laplace for pure ε-DP, discrete Gaussian for zero-concentrated DP reported as (ε, δ); a public
//! domain declared by the caller ([`PublicDomain`]); a contribution bound per woman enforced in
//! the aggregator; and a privacy-budget ledger per population ([`Ledger`]).
//!
//! Noise is added once, to every public detail cell of each count table the chosen indicators
//! need; totals and shares are post-processing. The ε of a release is split over those tables in
//! proportion to their sensitivities (ρ in proportion to their squares for the Gaussian), which
//! gives every table the noise of one mechanism over all of them together.

pub mod accuracy;
pub mod bernoulli;
pub mod discrete_gaussian;
pub mod discrete_laplace;
pub mod domain;
pub mod ledger;
mod ledger_key;
pub(crate) mod release;
pub mod rng;
pub(crate) mod scope;
#[cfg(test)]
mod sensitivity_tests;

pub use discrete_gaussian::discrete_gaussian;
pub use discrete_laplace::discrete_laplace;
pub use domain::{DomainCentre, PublicDomain};
pub use ledger::Ledger;
pub use ledger_key::LedgerKey;
pub use rng::{NoiseSource, OsNoise, SeededNoise};

/// The noise one table of a differentially private release would get, computed before anything
/// is spent (`ona report --dp-plan`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TablePlan {
    /// Indicator id of the count table.
    pub indicator: String,
    /// Per-woman sensitivity of the table.
    pub sensitivity: u64,
    /// Laplace scale, or the Gaussian's σ.
    pub scale: f64,
    /// Public detail cells of the table.
    pub cells: u64,
    /// Half-width of the 95 % interval of one detail cell.
    pub margin_95: u64,
    /// Half-width of the 95 % interval of the table's grand total (the sum of every cell).
    pub total_margin_95: u64,
}

use super::error::ReportError;

/// Fixed-point scale of privacy parameters: ε and δ are handled in units of 10⁻⁹.
pub const NANO: u128 = 1_000_000_000;

/// Parses a positive decimal (`0.5`, `1`, `.25`) or float notation (`1e-6`, `2.5E-3`) into
/// units of 10⁻⁹, exactly; a value finer than 10⁻⁹ (or zero, negative, not a number) is refused.
pub fn parse_nano(s: &str) -> Result<u128, ReportError> {
    let bad = |why: &str| ReportError::BadDpParameter(format!("{s:?} is not {why}"));
    let not_number = || bad("a positive decimal number (e.g. 0.5 or 1e-6)");
    let t = s.trim();
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => {
            let e = &t[i + 1..];
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(not_number());
            }
            (&t[..i], e.parse::<i32>().map_err(|_| not_number())?)
        }
        None => (t, 0),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(not_number());
    }
    // value = digits × 10^(exp − frac.len()); in nano units, × 10^9.
    let digits = format!("{whole}{frac}");
    let digits = digits.trim_start_matches('0');
    let shift = exp + 9 - frac.len() as i32;
    let mut v: u128 = 0;
    for b in digits.bytes() {
        v = v
            .checked_mul(10)
            .and_then(|x| x.checked_add(u128::from(b - b'0')))
            .ok_or_else(|| bad("within range"))?;
    }
    if v == 0 {
        return Err(not_number());
    }
    if shift >= 0 {
        for _ in 0..shift {
            v = v.checked_mul(10).ok_or_else(|| bad("within range"))?;
        }
    } else {
        for _ in 0..-shift {
            if !v.is_multiple_of(10) {
                return Err(bad("a multiple of 10⁻⁹ (finer values are not supported)"));
            }
            v /= 10;
        }
    }
    Ok(v)
}

/// Writes units of 10⁻⁹ as a decimal.
pub fn format_nano(v: u128) -> String {
    let (w, f) = (v / NANO, v % NANO);
    if f == 0 {
        return w.to_string();
    }
    let frac = format!("{f:09}");
    format!("{w}.{}", frac.trim_end_matches('0'))
}

/// log δ of the (ε, δ)-DP that ρ-zCDP gives at Rényi order α (Canonne, Kamath, Steinke 2020,
/// Corollary 13): δ = exp((α−1)(αρ−ε)) / (α−1) · (1 − 1/α)^α. Every α > 1 gives a valid δ.
fn zcdp_log_delta(rho: f64, eps: f64, alpha: f64) -> f64 {
    (alpha - 1.0) * (alpha * rho - eps) - (alpha - 1.0).ln() + alpha * (1.0 - 1.0 / alpha).ln()
}

/// The smallest δ over a grid of orders α (each one valid, so the grid only costs optimality).
fn zcdp_delta(rho: f64, eps: f64) -> f64 {
    let top = 2.0 * ((eps + 1.0) / (2.0 * rho) + 2.0);
    let steps = 4000;
    (1..=steps)
        .map(|i| 1.0 + (top - 1.0) * (f64::from(i) / f64::from(steps)).powi(3))
        .map(|a| zcdp_log_delta(rho, eps, a))
        .fold(f64::INFINITY, f64::min)
        .exp()
}

/// The largest ρ whose ρ-zCDP gives (ε, δ)-DP by [`zcdp_delta`], never below the simple bound
/// ρ + 2√(ρ ln 1/δ) ≤ ε (Bun and Steinke 2016).
pub(crate) fn zcdp_rho(eps: f64, delta: f64) -> f64 {
    let l = (1.0 / delta).ln();
    let simple = ((eps + l).sqrt() - l.sqrt()).powi(2);
    let (mut lo, mut hi) = (simple, eps.max(simple));
    while zcdp_delta(hi, eps) <= delta {
        hi *= 2.0;
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if zcdp_delta(mid, eps) <= delta {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The noise mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    /// Discrete Laplace: pure ε-DP.
    Laplace,
    /// Discrete Gaussian: ρ-zCDP, reported as (ε, δ)-DP.
    Gaussian,
}

/// Differential privacy for one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpSpec {
    /// The public domain: populations, centres, periods (never read from the data).
    pub domain: PublicDomain,
    /// The mechanism.
    pub mechanism: Mechanism,
    /// ε of the release (decimal, e.g. `"1"` or `"0.5"`).
    pub epsilon: String,
    /// δ of the release, required for the Gaussian mechanism (e.g. `"0.000001"`).
    pub delta: Option<String>,
    /// Cases counted per woman at most (by mother pseudonym); later cases are left out.
    pub max_cases_per_woman: u32,
}

impl DpSpec {
    /// Pure ε-DP with the discrete Laplace mechanism over `domain`, one case per woman.
    pub fn laplace(epsilon: &str, domain: PublicDomain) -> DpSpec {
        DpSpec {
            domain,
            mechanism: Mechanism::Laplace,
            epsilon: epsilon.to_string(),
            delta: None,
            max_cases_per_woman: 1,
        }
    }

    /// The release every front end offers: discrete Laplace for pure ε-DP, or the discrete
    /// Gaussian when a δ is given.
    pub fn with_budget(
        epsilon: &str,
        delta: Option<&str>,
        max_cases_per_woman: u32,
        domain: PublicDomain,
    ) -> DpSpec {
        DpSpec {
            domain,
            mechanism: if delta.is_some() { Mechanism::Gaussian } else { Mechanism::Laplace },
            epsilon: epsilon.to_string(),
            delta: delta.map(str::to_string),
            max_cases_per_woman,
        }
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), ReportError> {
        parse_nano(&self.epsilon)?;
        if self.max_cases_per_woman == 0 {
            return Err(ReportError::BadDpParameter(
                "max cases per woman must be at least 1".into(),
            ));
        }
        match (self.mechanism, &self.delta) {
            (Mechanism::Gaussian, None) => {
                Err(ReportError::BadDpParameter("the Gaussian mechanism needs δ".into()))
            }
            (Mechanism::Gaussian, Some(d)) if parse_nano(d)? >= NANO => {
                Err(ReportError::BadDpParameter("δ must be below 1".into()))
            }
            _ => Ok(()),
        }
    }

    /// The noise parameter shared by every table of a release whose tables' sensitivities sum
    /// to `total` (Laplace: ΣΔ; Gaussian: ΣΔ²): Laplace scale `(s, t)` meaning t/s = ΣΔ/ε, or
    /// Gaussian σ² `(a, b)` meaning a/b = ΣΔ²/(2ρ).
    pub(crate) fn parameter(&self, total: u64) -> Result<(u128, u128), ReportError> {
        let eps = parse_nano(&self.epsilon)?;
        match self.mechanism {
            Mechanism::Laplace => {
                // ε_t = ε·Δ_t/ΣΔ gives every table the scale Δ_t/ε_t = ΣΔ/ε = ΣΔ·10⁹/ε_nano.
                Ok((eps, u128::from(total) * NANO))
            }
            Mechanism::Gaussian => {
                let d = parse_nano(self.delta.as_deref().unwrap_or("0"))? as f64 / NANO as f64;
                let e = eps as f64 / NANO as f64;
                // ρ-zCDP gives (ρ + 2√(ρ ln 1/δ), δ)-DP; the largest ρ within ε, shaved by 10⁻⁹
                // relative so rounding never overspends. Floats only set the parameter; the
                // sampling itself is exact.
                let rho = zcdp_rho(e, d) * (1.0 - 1e-9);
                // ρ_t = ρ·Δ_t²/ΣΔ² gives every table σ² = Δ_t²/(2ρ_t) = ΣΔ²/(2ρ).
                let sigma2 = total as f64 / (2.0 * rho);
                let b: u128 = 1000;
                let a = (sigma2 * b as f64).ceil() as u128 + 1;
                if a > (1u128 << 40) {
                    return Err(ReportError::BadDpParameter(
                        "ε is too small for the Gaussian sampler's range (σ² above 10⁹)".into(),
                    ));
                }
                Ok((a, b))
            }
        }
    }

    /// One noise value with the parameter of [`DpSpec::parameter`].
    pub(crate) fn sample<R: NoiseSource + ?Sized>(&self, rng: &mut R, p: (u128, u128)) -> i128 {
        match self.mechanism {
            Mechanism::Laplace => discrete_laplace(rng, p.0, p.1),
            Mechanism::Gaussian => discrete_gaussian(rng, p.0, p.1),
        }
    }

    /// The mechanism's id.
    pub fn mechanism_id(&self) -> &'static str {
        match self.mechanism {
            Mechanism::Laplace => "discrete_laplace",
            Mechanism::Gaussian => "discrete_gaussian",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tight conversion gives more ρ than the simple bound, and its δ holds (checked on a
    /// far finer grid of α than the one that chose ρ).
    #[test]
    fn zcdp_conversion_is_tight_and_valid() {
        for (eps, delta) in [(1.0, 1e-6), (0.4, 1e-6), (2.0, 1e-5), (0.1, 1e-9)] {
            let rho = zcdp_rho(eps, delta);
            let l = (1.0f64 / delta).ln();
            let simple = ((eps + l).sqrt() - l.sqrt()).powi(2);
            assert!(rho > simple * 1.05, "{eps} {delta}: {rho} vs {simple}");
            let fine = (1..200_000)
                .map(|i| 1.0 + f64::from(i) * 1e-3 * (1.0 + eps / rho))
                .map(|a| zcdp_log_delta(rho, eps, a))
                .fold(f64::INFINITY, f64::min)
                .exp();
            assert!(fine <= delta * 1.000_001, "{eps} {delta}: {fine}");
            assert!(zcdp_delta(rho * 1.01, eps) > delta, "ρ is near the largest");
        }
    }

    #[test]
    fn decimals_round_trip() {
        assert_eq!(parse_nano("0.5").unwrap(), NANO / 2);
        assert_eq!(format_nano(parse_nano("1.25").unwrap()), "1.25");
        assert_eq!(format_nano(parse_nano("3").unwrap()), "3");
        assert_eq!(parse_nano("1e-6").unwrap(), 1000);
        assert_eq!(parse_nano("2.5E-3").unwrap(), 2_500_000);
        assert_eq!(parse_nano("1e2").unwrap(), 100 * NANO);
        assert_eq!(parse_nano(".25").unwrap(), NANO / 4);
        assert_eq!(parse_nano("0.000001").unwrap(), parse_nano("1e-6").unwrap());
        for bad in
            ["", "-1", "0", "0e5", "abc", "0.0000000001", "1e-10", "1e", "e5", "1e+-3", "1.2.3"]
        {
            assert!(parse_nano(bad).is_err(), "{bad}");
        }
        let g = DpSpec {
            domain: PublicDomain::default(),
            mechanism: Mechanism::Gaussian,
            epsilon: "1".into(),
            delta: Some("0.000001".into()),
            max_cases_per_woman: 1,
        };
        g.validate().unwrap();
        let (a, b) = g.parameter(21).unwrap();
        assert!(a > 0 && b == 1000);
    }
}

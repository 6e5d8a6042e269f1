//! Differential privacy with exact integer samplers (Canonne, Kamath, Steinke 2020): discrete
//! Laplace for pure ε-DP, discrete Gaussian for zero-concentrated DP reported as (ε, δ); a
//! contribution bound per woman; and a privacy-budget ledger per dataset.
//!
//! Noise is added once, to the detail cells of every count table; totals, shares and the
//! suppression that follows are post-processing. The ε of a release is split evenly over the
//! count tables (basic composition).

pub mod bernoulli;
pub mod discrete_gaussian;
pub mod discrete_laplace;
pub mod ledger;
pub mod rng;

pub use discrete_gaussian::discrete_gaussian;
pub use discrete_laplace::discrete_laplace;
pub use ledger::{DatasetDigest, Ledger};
pub use rng::{NoiseSource, OsNoise, SeededNoise};

use super::error::ReportError;

/// Fixed-point scale of privacy parameters: ε and δ are handled in units of 10⁻⁹.
pub const NANO: u128 = 1_000_000_000;

/// Parses a decimal (`0.5`, `1`, `1e-6` not accepted) into units of 10⁻⁹, rounding down.
pub fn parse_nano(s: &str) -> Result<u128, ReportError> {
    let bad = || ReportError::BadDpParameter(format!("{s:?} is not a positive decimal number"));
    let t = s.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 9
    {
        return Err(bad());
    }
    let w: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let f: u128 =
        if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().map_err(|_| bad())? };
    let v = w.checked_mul(NANO).and_then(|x| x.checked_add(f)).ok_or_else(bad)?;
    if v == 0 {
        return Err(bad());
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
    /// Pure ε-DP with the discrete Laplace mechanism, one case per woman.
    pub fn laplace(epsilon: &str) -> DpSpec {
        DpSpec {
            mechanism: Mechanism::Laplace,
            epsilon: epsilon.to_string(),
            delta: None,
            max_cases_per_woman: 1,
        }
    }

    /// The release every front end offers: discrete Laplace for pure ε-DP, or the discrete
    /// Gaussian when a δ is given.
    pub fn with_budget(epsilon: &str, delta: Option<&str>, max_cases_per_woman: u32) -> DpSpec {
        DpSpec {
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

    /// The noise parameter for a table of per-woman sensitivity `delta_1` when the release's
    /// budget is split over `tables` tables: Laplace scale `(s, t)` meaning t/s, or Gaussian
    /// σ² `(a, b)` meaning a/b.
    pub(crate) fn parameter(&self, delta_1: u64, tables: u64) -> Result<(u128, u128), ReportError> {
        let eps = parse_nano(&self.epsilon)?;
        match self.mechanism {
            Mechanism::Laplace => {
                // scale = Δ / (ε / T) = Δ·T·10⁹ / ε_nano.
                let t = u128::from(delta_1) * u128::from(tables) * NANO;
                Ok((eps, t))
            }
            Mechanism::Gaussian => {
                let d = parse_nano(self.delta.as_deref().unwrap_or("0"))? as f64 / NANO as f64;
                let e = eps as f64 / NANO as f64;
                // ρ-zCDP gives (ρ + 2√(ρ ln 1/δ), δ)-DP; the largest ρ within ε, shaved by 10⁻⁹
                // relative so rounding never overspends. Floats only set the parameter; the
                // sampling itself is exact.
                let l = (1.0 / d).ln();
                let rho = ((e + l).sqrt() - l.sqrt()).powi(2) * (1.0 - 1e-9);
                let rho_t = rho / tables as f64;
                let sigma2 = (delta_1 as f64).powi(2) / (2.0 * rho_t);
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

    #[test]
    fn decimals_round_trip() {
        assert_eq!(parse_nano("0.5").unwrap(), NANO / 2);
        assert_eq!(format_nano(parse_nano("1.25").unwrap()), "1.25");
        assert_eq!(format_nano(parse_nano("3").unwrap()), "3");
        for bad in ["", "-1", "0", "1e-3", "abc", "0.0000000001"] {
            assert!(parse_nano(bad).is_err(), "{bad}");
        }
        let g = DpSpec {
            mechanism: Mechanism::Gaussian,
            epsilon: "1".into(),
            delta: Some("0.000001".into()),
            max_cases_per_woman: 1,
        };
        g.validate().unwrap();
        let (a, b) = g.parameter(1, 21).unwrap();
        assert!(a > 0 && b == 1000);
    }
}

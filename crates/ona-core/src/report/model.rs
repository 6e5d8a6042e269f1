//! The report: its metadata, provenance and observations, as exchanged between countries and the
//! regional hub (see [`crate::report::output::json`] for the canonical form).

use super::dimensions::Dimension;
use super::indicators::{Indicator, DEFINITIONS};
use crate::schema::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format tag of a report file.
pub const REPORT_FORMAT: &str = "ona-report/1";

/// SDMX `OBS_STATUS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObsStatus {
    /// Normal value.
    A,
    /// Missing value, suppressed: withheld for confidentiality (its `CONF_STATUS` says why).
    Q,
    /// Missing value that cannot exist for this report, e.g. the regional median of a merged
    /// report (a median is not merged from medians). Not a confidentiality matter: `CONF_STATUS`
    /// is F.
    M,
}

/// SDMX `CONF_STATUS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfStatus {
    /// Free.
    F,
    /// Confidential: primary suppression (a count from 1 to threshold − 1, or a share or mean
    /// whose numerator or denominator is suppressed).
    C,
    /// Confidential: secondary suppression (to protect another cell).
    D,
}

/// One published cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Indicator id.
    pub indicator: String,
    /// The cell's code on every dimension of the report (`_T` for a total or a dimension that
    /// does not apply to the indicator), keyed by dimension id.
    pub dims: BTreeMap<String, String>,
    /// The value; absent when suppressed or missing. Counts are integers, shares percentages and
    /// means days, both with one decimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Number>,
    /// Under differential privacy, for a count: the half-width of its 95 % interval (the true
    /// count lies within `value ± margin_95` with probability at least 95 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_95: Option<u64>,
    /// Under differential privacy, for a share: the lower bound of its 95 % interval, in
    /// percent with one decimal (the true share lies in `low_95` … `high_95` with probability
    /// at least 95 %; see [`crate::report::dp::accuracy::share_interval`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_95: Option<serde_json::Number>,
    /// Under differential privacy, for a share: the upper bound of its 95 % interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_95: Option<serde_json::Number>,
    /// For shares and means: the numerator count (sum of days for a mean), when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u64>,
    /// For shares and means: the denominator count, when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u64>,
    /// `NUMBER`, `PERCENT` or `DAYS`.
    pub unit: String,
    /// SDMX observation status.
    pub obs_status: ObsStatus,
    /// SDMX confidentiality status.
    pub conf_status: ConfStatus,
}

impl Observation {
    /// Whether the value is withheld for confidentiality (`OBS_STATUS` Q).
    pub fn is_suppressed(&self) -> bool {
        self.obs_status == ObsStatus::Q
    }

    /// Whether the value does not exist for this report (`OBS_STATUS` M), e.g. a merged median.
    pub fn is_missing(&self) -> bool {
        self.obs_status == ObsStatus::M
    }
}

/// Where a report's data came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Countries covered (ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
    /// Centres covered (ids; `unknown` when the policy removed them).
    pub centres: Vec<String>,
    /// Periods covered by the observations.
    pub periods: Vec<String>,
    /// Cases counted (with consent to aggregate reporting); withheld under differential privacy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases_counted: Option<u64>,
    /// Cases left out, by reason, when at least the threshold (smaller counts are withheld).
    pub excluded: BTreeMap<String, u64>,
    /// For a merged report: one entry per input report (country list and period of each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    /// The populations (pseudonym domain and key id) whose records were counted; for a merged
    /// report, those of every input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub populations: Vec<super::population::Population>,
    /// With the audit-driven suppression (`--lp-protect`): the primary-suppressed cells it could
    /// not show protected against the LP attacker (a subsystem too large for the solver, a
    /// solver failure, or nothing left around the cell to hide); 0 when every small count keeps
    /// what its flags say. Absent when the report was not checked against that attacker (then
    /// only `ona audit` can tell). `ona report` warns when it is not 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unprotected_cells: Option<u64>,
}

/// Noise added to one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiseRecord {
    /// Indicator id of the table.
    pub indicator: String,
    /// Per-woman L1 (and bound on L2) sensitivity of the table.
    pub sensitivity: u64,
    /// Laplace: scale as a fraction `t/s`; Gaussian: σ² as a fraction.
    pub parameter: String,
    /// Half-width of the 95 % interval of one detail cell's noise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_95: Option<u64>,
}

/// Differential privacy applied to a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpRecord {
    /// `discrete_laplace` or `discrete_gaussian`.
    pub mechanism: String,
    /// ε of the release (decimal text).
    pub epsilon: String,
    /// δ of the release (Gaussian only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// Cases counted per woman at most.
    pub max_cases_per_woman: u32,
    /// Noise parameters per table (the noise values themselves are never recorded).
    pub noise: Vec<NoiseRecord>,
    /// Whether the counts were summed from several noisy reports by a merge (no new noise).
    #[serde(default)]
    pub merged: bool,
}

/// An indicator's definition as carried in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInfo {
    /// Id.
    pub id: String,
    /// `NUMBER`, `PERCENT` or `DAYS`.
    pub unit: String,
    /// What is counted (or the numerator).
    pub numerator: String,
    /// Denominator indicator id, for shares and means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// Definition by language code.
    pub definition: BTreeMap<String, String>,
}

impl IndicatorInfo {
    /// The definitions of every indicator of the set.
    pub fn all() -> Vec<IndicatorInfo> {
        DEFINITIONS
            .iter()
            .map(|d| IndicatorInfo {
                id: d.id.to_string(),
                unit: d.unit.code().to_string(),
                numerator: d.numerator.to_string(),
                denominator: d.denominator.map(|i| i.id().to_string()),
                definition: Lang::ALL
                    .iter()
                    .map(|l| (l.code().to_string(), d.indicator.text(*l).to_string()))
                    .collect(),
            })
            .collect()
    }
}

/// A report of indicators: a country report, or a regional report merged from several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// The case schema version of the input.
    pub schema_version: String,
    /// The indicator set ([`super::INDICATOR_SET`]).
    pub indicator_set: String,
    /// The reporting period filter, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Dimension ids of the breakdown (country first, then one period dimension).
    pub by: Vec<String>,
    /// The suppression threshold k: counts 1..k−1 are never published.
    pub threshold: u64,
    /// Differential privacy, if applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp: Option<DpRecord>,
    /// Where the data came from.
    pub provenance: Provenance,
    /// Definitions of the indicators.
    pub indicators: Vec<IndicatorInfo>,
    /// The cells.
    pub observations: Vec<Observation>,
}

impl Report {
    /// The breakdown dimensions.
    pub fn dimensions(&self) -> Vec<Dimension> {
        self.by.iter().filter_map(|d| d.parse().ok()).collect()
    }

    /// Observations of one indicator.
    pub fn of(&self, indicator: Indicator) -> impl Iterator<Item = &Observation> + '_ {
        self.observations.iter().filter(move |o| o.indicator == indicator.id())
    }

    /// The observation of `indicator` whose dimensions are all `_T` except those given.
    pub fn cell(&self, indicator: Indicator, at: &[(Dimension, &str)]) -> Option<&Observation> {
        self.of(indicator).find(|o| {
            o.dims.iter().all(|(d, v)| {
                at.iter()
                    .find(|(ad, _)| ad.id() == d)
                    .map_or(v == super::dimensions::TOTAL, |(_, av)| av == v)
            })
        })
    }
}

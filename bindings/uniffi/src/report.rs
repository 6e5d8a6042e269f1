//! Report building, merging and outputs.

use crate::error::{lang, OnaError};
use ona_core::report::dp::PublicDomain;
use ona_core::report::{
    self as core, parse_dimensions, DpSpec, Indicator, LedgerCharge, LinesReport, ReportSpec,
};
use std::sync::Arc;

/// An aggregate report with disclosure control applied.
#[derive(uniffi::Object)]
pub struct Report(pub(crate) core::Report);

#[uniffi::export]
impl Report {
    /// Reads a report from its JSON form.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, OnaError> {
        Ok(Arc::new(Report(core::Report::from_json(&json)?)))
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The report as SDMX-CSV.
    pub fn to_sdmx_csv(&self) -> String {
        self.0.to_sdmx_csv()
    }

    /// The report as HXL-tagged CSV.
    pub fn to_hxl_csv(&self) -> String {
        self.0.to_hxl_csv()
    }

    /// The report as a self-contained HTML page in `lang_code`.
    pub fn to_html(&self, lang_code: String) -> Result<String, OnaError> {
        Ok(self.0.to_html(lang(&lang_code)?))
    }
}

/// Differential privacy for [`build_report`]: noise on every public cell of the chosen
/// indicators' count tables, the release charged to each declared population's privacy-budget
/// ledger before the report is returned.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DpOptions {
    /// ε of this release (decimal or float text, e.g. `"0.5"` or `"5e-1"`).
    pub epsilon: String,
    /// δ: use the discrete Gaussian mechanism (zCDP) instead of discrete Laplace.
    pub delta: Option<String>,
    /// The public domain as JSON (populations, centres, periods; see docs/reporting.md).
    pub domain_json: String,
    /// Cases counted per woman at most.
    pub max_cases_per_woman: u32,
    /// Directory of the populations' ledgers (each created with the budget below if missing).
    pub ledger_dir: String,
    /// The hub's ledger key file (made, owner-only, if missing).
    pub ledger_key: String,
    /// Total ε a population may spend (used when its ledger is created); null: the core's
    /// default, as the CLI's `--dp-budget` and Python's `dp_budget`.
    pub budget_epsilon: Option<String>,
    /// Total δ a population may spend (used when its ledger is created); null: the core's
    /// default, as the CLI's `--dp-budget-delta` and Python's `dp_budget_delta`.
    pub budget_delta: Option<String>,
    /// Label of the release in the ledger.
    pub label: String,
}

/// One table's noise and accuracy, from [`dp_plan`].
#[derive(Debug, Clone, uniffi::Record)]
pub struct DpTablePlan {
    /// Indicator id of the count table.
    pub indicator: String,
    /// Per-woman sensitivity.
    pub sensitivity: u64,
    /// Laplace scale, or the Gaussian's σ.
    pub scale: f64,
    /// Public detail cells.
    pub cells: u64,
    /// Half-width of one cell's 95 % interval.
    pub margin_95: u64,
    /// Half-width of the grand total's 95 % interval.
    pub total_margin_95: u64,
}

pub(crate) fn spec_of(
    by: &str,
    k: u64,
    period: Option<String>,
    indicators: Vec<String>,
    dp: Option<&DpOptions>,
) -> Result<ReportSpec, OnaError> {
    let dp = match dp {
        None => None,
        Some(d) => Some(DpSpec::with_budget(
            &d.epsilon,
            d.delta.as_deref(),
            d.max_cases_per_woman,
            PublicDomain::from_json(&d.domain_json)?,
        )),
    };
    let mut chosen = Vec::new();
    for i in &indicators {
        chosen.extend(Indicator::parse_list(i)?);
    }
    Ok(ReportSpec {
        period,
        by: parse_dimensions(by)?,
        threshold: k,
        dp,
        indicators: chosen,
        lp_protection: ReportSpec::DEFAULT_LP_PROTECTION,
    })
}

/// Builds a report from pseudonymised cases (one JSON object each), broken down `by`
/// (comma-separated dimensions, e.g. `country,year`), suppressing counts from 1 to `k`−1 (the
/// CLI's `--k` and Python's `k`), publishing `indicators` (ids; empty: all); with `dp`, adds
/// noise and charges the ledgers first (`BudgetExceeded` past a budget). `lp_protect` (the
/// CLI's `--lp-protect`/`--no-lp-protect`, Python's `lp_protect`; null: the core's default)
/// suppresses more cells until every small count is certified against the LP attacker.
#[uniffi::export(default(lp_protect = None))]
pub fn build_report(
    pseudo_cases: Vec<String>,
    by: String,
    k: u64,
    period: Option<String>,
    indicators: Vec<String>,
    dp: Option<DpOptions>,
    lp_protect: Option<bool>,
) -> Result<Arc<Report>, OnaError> {
    let mut spec = spec_of(&by, k, period, indicators, dp.as_ref())?;
    spec.lp_protection = ReportSpec::lp_protection_or_default(lp_protect);
    let mut r = LinesReport::new(&spec)?;
    for text in &pseudo_cases {
        r.add_record(text)?;
    }
    let charge = dp.map(|d| LedgerCharge {
        dir: d.ledger_dir.into(),
        key_file: d.ledger_key.into(),
        budget_epsilon: d
            .budget_epsilon
            .unwrap_or_else(|| LedgerCharge::DEFAULT_BUDGET_EPSILON.to_string()),
        budget_delta: d
            .budget_delta
            .unwrap_or_else(|| LedgerCharge::DEFAULT_BUDGET_DELTA.to_string()),
        label: d.label,
    });
    Ok(Arc::new(Report(r.finish(charge.as_ref())?)))
}

/// Each table's noise and 95 % accuracy for a release with these options, before anything is
/// read or spent (the ledger fields of `dp` are not used).
#[uniffi::export]
pub fn dp_plan(
    by: String,
    period: Option<String>,
    indicators: Vec<String>,
    dp: DpOptions,
) -> Result<Vec<DpTablePlan>, OnaError> {
    let spec = spec_of(&by, 1, period, indicators, Some(&dp))?;
    let plan = LinesReport::new(&spec)?.dp_plan()?;
    Ok(plan
        .into_iter()
        .map(|t| DpTablePlan {
            indicator: t.indicator,
            sensitivity: t.sensitivity,
            scale: t.scale,
            cells: t.cells,
            margin_95: t.margin_95,
            total_margin_95: t.total_margin_95,
        })
        .collect())
}

/// Merges country reports into one regional report.
#[uniffi::export]
pub fn merge_reports(reports: Vec<Arc<Report>>) -> Result<Arc<Report>, OnaError> {
    let owned: Vec<core::Report> = reports.iter().map(|r| r.0.clone()).collect();
    Ok(Arc::new(Report(core::merge(&owned)?)))
}

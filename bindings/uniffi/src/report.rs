//! Report building, merging and outputs.

use crate::error::{lang, OnaError};
use ona_core::report::{
    self as core, parse_dimensions, DpSpec, LedgerCharge, LinesReport, ReportSpec,
};
use std::sync::Arc;

/// An aggregate report with disclosure control applied.
#[derive(uniffi::Object)]
pub struct Report(core::Report);

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

/// Differential privacy for [`build_report`]: noise on every count, the release charged to the
/// dataset's privacy-budget ledger file before the report is returned.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DpOptions {
    /// ε of this release (decimal text, e.g. `"0.5"`).
    pub epsilon: String,
    /// δ: use the discrete Gaussian mechanism (zCDP) instead of discrete Laplace.
    pub delta: Option<String>,
    /// Cases counted per woman at most.
    pub max_cases_per_woman: u32,
    /// Path of the dataset's ledger (created with the budget below if missing).
    pub ledger_path: String,
    /// Total ε the dataset may spend (used when the ledger is created).
    pub budget_epsilon: String,
    /// Total δ the dataset may spend (used when the ledger is created).
    pub budget_delta: String,
    /// Label of the release in the ledger.
    pub label: String,
}

/// Builds a report from pseudonymised cases (one JSON object each), broken down `by`
/// (comma-separated dimensions, e.g. `country,year`), suppressing cells under `threshold`;
/// with `dp`, adds noise and charges the ledger first (`Budget` past the budget).
#[uniffi::export]
pub fn build_report(
    pseudo_cases: Vec<String>,
    by: String,
    threshold: u64,
    period: Option<String>,
    dp: Option<DpOptions>,
) -> Result<Arc<Report>, OnaError> {
    let spec = ReportSpec {
        period,
        by: parse_dimensions(&by)?,
        threshold,
        dp: dp
            .as_ref()
            .map(|d| DpSpec::with_budget(&d.epsilon, d.delta.as_deref(), d.max_cases_per_woman)),
    };
    let mut r = LinesReport::new(&spec)?;
    for text in &pseudo_cases {
        r.add_record(text)?;
    }
    let charge = dp.map(|d| LedgerCharge {
        path: d.ledger_path.into(),
        budget_epsilon: d.budget_epsilon,
        budget_delta: d.budget_delta,
        label: d.label,
    });
    Ok(Arc::new(Report(r.finish(charge.as_ref())?)))
}

/// Merges country reports into one regional report.
#[uniffi::export]
pub fn merge_reports(reports: Vec<Arc<Report>>) -> Result<Arc<Report>, OnaError> {
    let owned: Vec<core::Report> = reports.iter().map(|r| r.0.clone()).collect();
    Ok(Arc::new(Report(core::merge(&owned)?)))
}

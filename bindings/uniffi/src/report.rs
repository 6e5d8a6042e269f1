//! Report building, merging and outputs.

use crate::error::{lang, OnaError};
use ona_core::pseudonym::PseudoCase;
use ona_core::report::{self as core, parse_dimensions, ReportSpec};
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

/// Builds a report from pseudonymised cases (one JSON object each), broken down `by`
/// (comma-separated dimensions, e.g. `country,year`), suppressing cells under `threshold`.
#[uniffi::export]
pub fn build_report(
    pseudo_cases: Vec<String>,
    by: String,
    threshold: u64,
    period: Option<String>,
) -> Result<Arc<Report>, OnaError> {
    let cases = pseudo_cases
        .iter()
        .map(|t| serde_json::from_str::<PseudoCase>(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| OnaError::Report { detail: format!("not a pseudonymised case: {e}") })?;
    let spec = ReportSpec { period, by: parse_dimensions(&by)?, threshold, dp: None };
    Ok(Arc::new(Report(core::build_report(cases, &spec)?)))
}

/// Merges country reports into one regional report.
#[uniffi::export]
pub fn merge_reports(reports: Vec<Arc<Report>>) -> Result<Arc<Report>, OnaError> {
    let owned: Vec<core::Report> = reports.iter().map(|r| r.0.clone()).collect();
    Ok(Arc::new(Report(core::merge(&owned)?)))
}

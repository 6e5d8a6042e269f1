//! Reports: indicators with suppression and optional differential privacy, merging, and the
//! outputs (JSON, SDMX-CSV, HXL CSV, HTML, a pandas DataFrame).

use crate::errors::{bad_value, io_error, report_error};
use crate::seal::to_python;
use crate::standard::lang;
use ona_core::pseudonym::PseudoCase;
use ona_core::report::dp::DatasetDigest;
use ona_core::report::{
    self as core, parse_dimensions, DpSpec, Ledger, Mechanism, ReportBuilder, ReportSpec,
};
use pyo3::prelude::*;
use std::io::BufRead;
use std::path::PathBuf;

/// An aggregate report with disclosure control applied.
#[pyclass(module = "ona._ona", frozen)]
pub struct Report(pub core::Report);

#[pymethods]
impl Report {
    /// Reads a report from its canonical JSON form.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Report> {
        core::Report::from_json(text).map(Report).map_err(report_error)
    }

    /// The canonical JSON form (the exchange form that `ona merge` and `ona seal` carry).
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// SDMX-CSV: one row per observation with OBS_STATUS and CONF_STATUS flags.
    fn to_sdmx_csv(&self) -> String {
        self.0.to_sdmx_csv()
    }

    /// CSV with an HXL hashtag row, for humanitarian tools.
    fn to_hxl_csv(&self) -> String {
        self.0.to_hxl_csv()
    }

    /// A self-contained HTML page with charts, in `lang`.
    #[pyo3(signature = (lang = "en"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_html(self::lang(lang)?))
    }

    /// The observations as a list of dicts (suppressed values are None, with their flags).
    #[getter]
    fn observations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0.observations)
    }

    /// Countries, periods and centres the report covers, and how it was made.
    #[getter]
    fn provenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0.provenance)
    }

    /// The observations as a pandas DataFrame (from the SDMX-CSV form).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = py.import("io")?.call_method1("StringIO", (self.0.to_sdmx_csv(),))?;
        let kw = pyo3::types::PyDict::new(py);
        kw.set_item("keep_default_na", false)?;
        kw.set_item("na_values", vec![""])?;
        py.import("pandas")?.call_method("read_csv", (text,), Some(&kw))
    }

    fn __repr__(&self) -> String {
        let suppressed = self.0.observations.iter().filter(|o| o.value.is_none()).count();
        format!(
            "Report({} observations, {} suppressed, noise={})",
            self.0.observations.len(),
            suppressed,
            self.0.dp.is_some()
        )
    }
}

/// Report settings in the CLI's terms.
struct Settings {
    spec: ReportSpec,
    ledger: Option<PathBuf>,
    budget: (String, String),
    label: String,
}

#[allow(clippy::too_many_arguments)]
fn settings(
    by: &str,
    period: Option<String>,
    k: u64,
    dp_epsilon: Option<String>,
    dp_delta: Option<String>,
    dp_max_cases_per_woman: u32,
    ledger: Option<PathBuf>,
    dp_budget: String,
    dp_budget_delta: String,
    label: Option<String>,
) -> PyResult<Settings> {
    let dp = dp_epsilon.map(|epsilon| DpSpec {
        mechanism: if dp_delta.is_some() { Mechanism::Gaussian } else { Mechanism::Laplace },
        epsilon,
        delta: dp_delta,
        max_cases_per_woman: dp_max_cases_per_woman,
    });
    if dp.is_some() && ledger.is_none() {
        return Err(bad_value(
            "a differentially private report needs `ledger`, the path of the dataset's \
             privacy-budget ledger",
        ));
    }
    let spec =
        ReportSpec { period, by: parse_dimensions(by).map_err(report_error)?, threshold: k, dp };
    Ok(Settings {
        spec,
        ledger,
        budget: (dp_budget, dp_budget_delta),
        label: label.unwrap_or_else(|| "python".into()),
    })
}

/// Counts one line (a pseudonymised case, or blank) into `builder`, feeding the digest with
/// the line as written (so a file gets the same dataset id as with `ona report`).
fn add_line(
    builder: &mut ReportBuilder,
    digest: &mut DatasetDigest,
    source: &str,
    n: usize,
    line: &str,
) -> PyResult<()> {
    digest.update(line.as_bytes());
    if line.trim().is_empty() {
        return Ok(());
    }
    let case: PseudoCase = serde_json::from_str(line).map_err(|e| {
        crate::errors::ReportError::new_err(format!(
            "{source} record {n}: not a pseudonymised case: {e}"
        ))
    })?;
    builder.add(&case);
    Ok(())
}

fn finish(builder: ReportBuilder, digest: DatasetDigest, s: &Settings) -> PyResult<Report> {
    if let (Some(dp), Some(path)) = (&s.spec.dp, &s.ledger) {
        let budget = (s.budget.0.as_str(), s.budget.1.as_str());
        // The budget is spent before anything is released.
        Ledger::spend(path, &digest.finish(), budget, &s.label, dp).map_err(report_error)?;
    }
    builder.finish().map(Report).map_err(report_error)
}

/// Builds a report from pseudonymised cases given as JSON texts and as JSON Lines files, with
/// the options of `ona report`.
#[pyfunction]
#[pyo3(signature = (texts, paths, by = "country,year", period = None, k = 5, dp_epsilon = None,
                    dp_delta = None, dp_max_cases_per_woman = 1, ledger = None,
                    dp_budget = "1", dp_budget_delta = "0.00001",
                    label = None))]
#[allow(clippy::too_many_arguments)]
pub fn build_report(
    py: Python<'_>,
    texts: Vec<String>,
    paths: Vec<PathBuf>,
    by: &str,
    period: Option<String>,
    k: u64,
    dp_epsilon: Option<String>,
    dp_delta: Option<String>,
    dp_max_cases_per_woman: u32,
    ledger: Option<PathBuf>,
    dp_budget: &str,
    dp_budget_delta: &str,
    label: Option<String>,
) -> PyResult<Report> {
    let s = settings(
        by,
        period,
        k,
        dp_epsilon,
        dp_delta,
        dp_max_cases_per_woman,
        ledger,
        dp_budget.to_string(),
        dp_budget_delta.to_string(),
        label,
    )?;
    py.detach(|| {
        let mut builder = ReportBuilder::new(&s.spec).map_err(report_error)?;
        let mut digest = DatasetDigest::new();
        for (n, text) in texts.iter().enumerate() {
            let line = format!("{}\n", text.trim_end_matches('\n'));
            add_line(&mut builder, &mut digest, "records", n + 1, &line)?;
        }
        for path in &paths {
            let f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
            let mut reader = std::io::BufReader::with_capacity(1 << 20, f);
            let name = path.display().to_string();
            let mut line = String::new();
            for n in 1.. {
                line.clear();
                if reader.read_line(&mut line).map_err(|e| io_error(path, e))? == 0 {
                    break;
                }
                add_line(&mut builder, &mut digest, &name, n, &line)?;
            }
        }
        finish(builder, digest, &s)
    })
}

/// Merges country reports into one regional report.
#[pyfunction]
pub fn merge(py: Python<'_>, reports: Vec<PyRef<'_, Report>>) -> PyResult<Report> {
    let owned: Vec<core::Report> = reports.iter().map(|r| r.0.clone()).collect();
    py.detach(|| core::merge(&owned)).map(Report).map_err(report_error)
}

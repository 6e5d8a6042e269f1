//! Reports: indicators with suppression and optional differential privacy, merging, and the
//! outputs (JSON, SDMX-CSV, HXL CSV, HTML, a pandas DataFrame).

use crate::errors::{bad_value, io_error, of_class, report_error};
use crate::seal::to_python;
use crate::standard::lang;
use ona_core::report::dp::PublicDomain;
use ona_core::report::release::{release_with_log, ReleaseLogUse};
use ona_core::report::{
    self as core, parse_dimensions, DpSpec, Indicator, LedgerCharge, LinesReport,
    ReportError as CoreReportError, ReportSpec,
};
use pyo3::prelude::*;
use std::path::PathBuf;

/// An aggregate report with disclosure control applied.
///
/// >>> r = ona.report(p.pseudonymise_cases(cases), by=["country"], k=5)
/// >>> r.provenance["cases_counted"], r.provenance["populations"][0]["domain"]
/// (58, 'kz/2026')
#[pyclass(module = "ona._ona", frozen)]
pub struct Report(pub core::Report);

#[pymethods]
impl Report {
    /// Reads a report from its canonical JSON form.
    ///
    /// >>> ona.Report.from_json(r.to_json()).to_json() == r.to_json()
    /// True
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Report> {
        core::Report::from_json(text).map(Report).map_err(report_error)
    }

    /// The canonical JSON form (the exchange form that `ona merge` and `ona seal` carry).
    ///
    /// >>> json.loads(r.to_json())["format"]
    /// 'ona-report/1'
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// SDMX-CSV: one row per observation with OBS_STATUS and CONF_STATUS flags.
    ///
    /// >>> r.to_sdmx_csv().splitlines()[0].split(",")[-3:]
    /// ['UNIT_MEASURE', 'OBS_STATUS', 'CONF_STATUS']
    fn to_sdmx_csv(&self) -> String {
        self.0.to_sdmx_csv()
    }

    /// CSV with an HXL hashtag row, for humanitarian tools.
    ///
    /// >>> r.to_hxl_csv().splitlines()[1].split(",")[:2]
    /// ['#indicator+code', '#country+code']
    fn to_hxl_csv(&self) -> String {
        self.0.to_hxl_csv()
    }

    /// A self-contained HTML page with charts, in `lang`.
    ///
    /// >>> r.to_html("ru")[:31]
    /// '<!DOCTYPE html><html lang="ru">'
    #[pyo3(signature = (lang = "en"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_html(self::lang(lang)?))
    }

    /// An Excel workbook (XLSX bytes) in `lang`: one sheet per indicator with suppressed cells
    /// marked, the definitions and the provenance.
    ///
    /// >>> r.to_xlsx("en")[:2]   # a ZIP container
    /// b'PK'
    #[pyo3(signature = (lang = "en"))]
    fn to_xlsx(&self, lang: &str) -> PyResult<Vec<u8>> {
        self.0.to_xlsx(self::lang(lang)?).map_err(bad_value)
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

    /// The observations as a pandas DataFrame. Tidy by default: `indicator`, one column per
    /// breakdown dimension, `period` (never a total), `value`, `numerator`, `denominator`,
    /// `unit`, `status` (published, suppressed, suppressed_secondary, missing) and `total`
    /// (a total's dimension is null; see `ona._frames.report_frame`). With `tidy=False` the
    /// SDMX-CSV columns (`TIME_PERIOD` with `_T` totals).
    ///
    /// >>> cells = r.to_pandas().query("indicator == 'admissions' and not total")
    /// >>> sorted(cells["status"].unique())   # 60 cases: every admissions cell is small
    /// ['suppressed']
    #[pyo3(signature = (tidy = true))]
    fn to_pandas<'py>(&self, py: Python<'py>, tidy: bool) -> PyResult<Bound<'py, PyAny>> {
        if tidy {
            return self.frame(py, "pandas");
        }
        let text = py.import("io")?.call_method1("StringIO", (self.0.to_sdmx_csv(),))?;
        let kw = pyo3::types::PyDict::new(py);
        kw.set_item("keep_default_na", false)?;
        kw.set_item("na_values", vec![""])?;
        py.import("pandas")?.call_method("read_csv", (text,), Some(&kw))
    }

    /// The observations as a tidy polars DataFrame (the columns of `to_pandas()`).
    ///
    /// >>> hidden = r.to_polars().filter(pl.col("status") == "suppressed")
    /// >>> hidden["value"].null_count() == hidden.height
    /// True
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.frame(py, "polars")
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

impl Report {
    /// The tidy frame of `backend`, built by the package's conversion code.
    fn frame<'py>(&self, py: Python<'py>, backend: &str) -> PyResult<Bound<'py, PyAny>> {
        let observations = to_python(py, &self.0.observations)?;
        py.import("ona._frames")?.call_method1("report_frame", (observations, backend))
    }
}

/// The ids of every report indicator, in the order of their definitions.
#[pyfunction]
pub fn indicator_ids() -> Vec<&'static str> {
    core::DEFINITIONS.iter().map(|d| d.id).collect()
}

/// The ids of every report dimension (`by=`): country, admin1, centre, month, quarter, year, …
#[pyfunction]
pub fn dimension_ids() -> Vec<&'static str> {
    core::Dimension::ALL.iter().map(|d| d.id()).collect()
}

/// The specification of `ona report` from the Python options.
#[allow(clippy::too_many_arguments)]
pub(crate) fn spec_of(
    by: &str,
    period: Option<String>,
    k: u64,
    indicators: Option<Vec<String>>,
    dp_epsilon: Option<String>,
    dp_delta: Option<String>,
    dp_domain: Option<String>,
    dp_max_cases_per_woman: u32,
) -> PyResult<ReportSpec> {
    let dp = match dp_epsilon {
        None if dp_delta.is_some() || dp_domain.is_some() => {
            return Err(bad_value("differential-privacy options need dp_epsilon"));
        }
        None => None,
        Some(e) => {
            let text = dp_domain.ok_or_else(|| {
                bad_value("a differentially private report needs `dp_domain`, its public domain")
            })?;
            let domain = PublicDomain::from_json(&text).map_err(report_error)?;
            Some(DpSpec::with_budget(&e, dp_delta.as_deref(), dp_max_cases_per_woman, domain))
        }
    };
    let indicators = indicators
        .unwrap_or_default()
        .iter()
        .map(|i| Indicator::parse_list(i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(report_error)?
        .concat();
    Ok(ReportSpec {
        period,
        by: parse_dimensions(by).map_err(report_error)?,
        threshold: k,
        dp,
        indicators,
        lp_protection: ReportSpec::DEFAULT_LP_PROTECTION,
    })
}

/// Builds a report from pseudonymised cases given as JSON texts and as JSON Lines files, with
/// the options of `ona report`; a DP release is charged to each declared population's ledger
/// in `ledger_dir` (authenticated with the key in `ledger_key`) first. With `release_log`, the
/// report is audited with the earlier releases of its populations logged there, suppressed
/// further or refused, and logged (authenticated with `ledger_key`).
#[pyfunction]
#[pyo3(signature = (texts, paths, by = ReportSpec::DEFAULT_BY, period = None,
                    k = ReportSpec::DEFAULT_K, indicators = None,
                    dp_epsilon = None, dp_delta = None, dp_domain = None,
                    dp_max_cases_per_woman = 1, ledger_dir = None, ledger_key = None,
                    dp_budget = LedgerCharge::DEFAULT_BUDGET_EPSILON,
                    dp_budget_delta = LedgerCharge::DEFAULT_BUDGET_DELTA, label = None,
                    release_log = None, lp_protect = None))]
#[allow(clippy::too_many_arguments)]
pub fn build_report(
    py: Python<'_>,
    texts: Vec<String>,
    paths: Vec<PathBuf>,
    by: &str,
    period: Option<String>,
    k: u64,
    indicators: Option<Vec<String>>,
    dp_epsilon: Option<String>,
    dp_delta: Option<String>,
    dp_domain: Option<String>,
    dp_max_cases_per_woman: u32,
    ledger_dir: Option<PathBuf>,
    ledger_key: Option<PathBuf>,
    dp_budget: &str,
    dp_budget_delta: &str,
    label: Option<String>,
    release_log: Option<PathBuf>,
    lp_protect: Option<bool>,
) -> PyResult<Report> {
    let mut spec = spec_of(
        by,
        period,
        k,
        indicators,
        dp_epsilon,
        dp_delta,
        dp_domain,
        dp_max_cases_per_woman,
    )?;
    spec.lp_protection = ReportSpec::lp_protection_or_default(lp_protect);
    let log = match (release_log, &ledger_key, &spec.dp) {
        (None, _, _) => None,
        (Some(_), _, Some(_)) => {
            return Err(bad_value(
                "`release_log` is for suppressed reports: a differentially private release is \
                 accounted by the privacy-budget ledger",
            ))
        }
        (Some(dir), Some(key_file), None) => Some(ReleaseLogUse {
            dir,
            key_file: key_file.clone(),
            label: label.clone().unwrap_or_else(|| "python".into()),
        }),
        (Some(_), None, None) => {
            return Err(bad_value("`release_log` needs `ledger_key` (the hub's ledger key file)"))
        }
    };
    let charge = match (&spec.dp, ledger_dir, ledger_key) {
        (None, _, _) => None,
        (Some(_), Some(dir), Some(key_file)) => Some(LedgerCharge {
            dir,
            key_file,
            budget_epsilon: dp_budget.to_string(),
            budget_delta: dp_budget_delta.to_string(),
            label: label.unwrap_or_else(|| "python".into()),
        }),
        (Some(_), _, _) => {
            return Err(bad_value(
                "a differentially private report needs `ledger_dir` (the populations' \
                 privacy-budget ledgers) and `ledger_key` (the hub's ledger key file)",
            ))
        }
    };
    py.detach(|| {
        let mut r = LinesReport::new(&spec).map_err(report_error)?;
        for text in &texts {
            r.add_record(text).map_err(report_error)?;
        }
        for path in &paths {
            let f = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
            r.add_reader(std::io::BufReader::with_capacity(1 << 20, f)).map_err(|e| match e {
                CoreReportError::Io(io) => io_error(path, io),
                other => {
                    let class = other.class();
                    let msg = format!("{}: {other}", path.display());
                    Python::attach(|py| of_class(py, class, msg, None))
                }
            })?;
        }
        let report = r.finish(charge.as_ref()).map_err(report_error)?;
        match &log {
            Some(l) => release_with_log(report, l).map(|r| Report(r.report)).map_err(report_error),
            None => Ok(Report(report)),
        }
    })
}

/// Each table's noise and 95 % accuracy for a differentially private release with these
/// options, before anything is read or spent: a list of dicts.
#[pyfunction]
#[pyo3(signature = (dp_epsilon, dp_domain, by = ReportSpec::DEFAULT_BY, period = None, indicators = None,
                    dp_delta = None, dp_max_cases_per_woman = 1))]
#[allow(clippy::too_many_arguments)]
pub fn dp_plan<'py>(
    py: Python<'py>,
    dp_epsilon: String,
    dp_domain: String,
    by: &str,
    period: Option<String>,
    indicators: Option<Vec<String>>,
    dp_delta: Option<String>,
    dp_max_cases_per_woman: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let spec = spec_of(
        by,
        period,
        1,
        indicators,
        Some(dp_epsilon),
        dp_delta,
        Some(dp_domain),
        dp_max_cases_per_woman,
    )?;
    let plan = LinesReport::new(&spec).and_then(|r| r.dp_plan()).map_err(report_error)?;
    to_python(py, &plan)
}

/// Merges country reports into one regional report.
///
/// >>> pseudo = p.pseudonymise_cases(cases)
/// >>> kz, uz = (ona.report([c for c in pseudo if c["centre"]["country"] == cc], by=["country"], k=5) for cc in ("KZ", "UZ"))
/// >>> ona.merge([kz, uz]).provenance["countries"]
/// ['KZ', 'UZ']
#[pyfunction]
pub fn merge(py: Python<'_>, reports: Vec<PyRef<'_, Report>>) -> PyResult<Report> {
    let owned: Vec<core::Report> = reports.iter().map(|r| r.0.clone()).collect();
    py.detach(|| core::merge(&owned)).map(Report).map_err(report_error)
}

//! `ona report`: indicators from pseudonymised cases, with suppression and optional differential
//! privacy, as canonical JSON and optionally SDMX-CSV, HXL CSV and HTML.

use super::{check_outputs, same_file_as, write_all_or_none};
use crate::fail::{CmdResult, Fail};
use ona_core::report::{
    parse_dimensions, DpSpec, LedgerCharge, LinesReport, Report, ReportError, ReportSpec,
};
use ona_core::schema::Lang;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output options shared by `ona report` and `ona merge`.
#[derive(clap::Args, Debug)]
pub struct Outputs {
    /// The report as canonical JSON (the exchange form).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write SDMX-CSV 2.0.
    #[arg(long)]
    pub sdmx: Option<PathBuf>,
    /// Also write CSV with an HXL hashtag row.
    #[arg(long)]
    pub hxl: Option<PathBuf>,
    /// Also write a self-contained HTML page with charts.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Language of the HTML page: en, ru, kk, uz, uk, ms, tr.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Overwrite existing outputs.
    #[arg(long)]
    pub force: bool,
}

impl Outputs {
    /// Checks every output (and the ledger, which may exist) before any work is done or any
    /// privacy budget spent: see [`check_outputs`]. Also checks the language.
    pub fn check(&self, inputs: &[&Path], ledger: Option<&Path>) -> Result<(), Fail> {
        self.lang.parse::<Lang>().map_err(Fail::usage)?;
        let mut outs = vec![self.out.as_path()];
        outs.extend(self.sdmx.as_deref());
        outs.extend(self.hxl.as_deref());
        outs.extend(self.html.as_deref());
        check_outputs(inputs, &outs, self.force)?;
        if let Some(l) = ledger {
            // The ledger is read and rewritten: it may exist, but must not be an input or an
            // output, and its folder must be there.
            let mut all = inputs.to_vec();
            all.extend(&outs);
            if l.exists() {
                if let Some(clash) = all.iter().find(|p| same_file_as(l, p)) {
                    return Err(Fail::usage(format!(
                        "the ledger {} is also given as {}",
                        l.display(),
                        clash.display()
                    )));
                }
            } else {
                check_outputs(&all, &[l], false)?;
            }
        }
        Ok(())
    }

    /// Renders every output first, then writes them all or none.
    pub fn write(&self, report: &Report) -> Result<(), Fail> {
        let lang: Lang = self.lang.parse().map_err(Fail::usage)?;
        let mut files = vec![(self.out.clone(), report.to_json())];
        if let Some(p) = &self.sdmx {
            files.push((p.clone(), report.to_sdmx_csv()));
        }
        if let Some(p) = &self.hxl {
            files.push((p.clone(), report.to_hxl_csv()));
        }
        if let Some(p) = &self.html {
            files.push((p.clone(), report.to_html(lang)));
        }
        write_all_or_none(files.into_iter().map(|(p, t)| (p, t.into_bytes())).collect())
    }
}

/// Arguments of `ona report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Pseudonymised cases: JSON Lines of PseudoCase, or packed records (what an opened demo
    /// export holds); repeat for several files; `-` for standard input.
    #[arg(long = "in", required = true)]
    inputs: Vec<PathBuf>,
    /// Count only events in this period: YYYY, YYYY-Qn or YYYY-MM.
    #[arg(long)]
    period: Option<String>,
    /// Breakdown dimensions, comma-separated (country is always included; year if no period
    /// dimension is given).
    #[arg(long, default_value = "country,year")]
    by: String,
    /// Suppression threshold: counts from 1 to k−1 are suppressed (1 turns suppression off).
    #[arg(long, default_value_t = 5)]
    k: u64,
    /// Add differential-privacy noise with this ε for the release.
    #[arg(long)]
    dp_epsilon: Option<String>,
    /// δ: use the discrete Gaussian mechanism (zCDP) instead of discrete Laplace.
    #[arg(long, requires = "dp_epsilon")]
    dp_delta: Option<String>,
    /// Cases counted per woman at most under differential privacy.
    #[arg(long, default_value_t = 1)]
    dp_max_cases_per_woman: u32,
    /// Total ε budget of the dataset, used when its ledger is created.
    #[arg(long, default_value = "1")]
    dp_budget: String,
    /// Total δ budget of the dataset, used when its ledger is created.
    #[arg(long, default_value = "0.00001")]
    dp_budget_delta: String,
    /// Privacy-budget ledger (default: `ona-privacy-ledger-<dataset>.json` next to --out).
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// Print a machine-readable summary (outputs, observations, suppressed, ε charged) on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    outputs: Outputs,
}

fn invalid(e: ReportError) -> Fail {
    match e {
        ReportError::Io(_) => Fail::usage(e),
        ReportError::UnknownDimension(_)
        | ReportError::SeveralPeriodDimensions
        | ReportError::BadPeriod(_)
        | ReportError::BadThreshold
        | ReportError::BadDpParameter(_) => Fail::usage(e),
        _ => Fail::invalid(e),
    }
}

/// Runs `ona report`.
pub fn run(a: Args) -> CmdResult {
    let dp = a
        .dp_epsilon
        .as_ref()
        .map(|e| DpSpec::with_budget(e, a.dp_delta.as_deref(), a.dp_max_cases_per_woman));
    let spec = ReportSpec {
        period: a.period.clone(),
        by: parse_dimensions(&a.by).map_err(invalid)?,
        threshold: a.k,
        dp: dp.clone(),
    };
    let inputs: Vec<&Path> = a.inputs.iter().map(PathBuf::as_path).collect();
    a.outputs.check(&inputs, a.ledger.as_deref())?;
    let mut lines = LinesReport::new(&spec).map_err(invalid)?;
    let total: u64 =
        a.inputs.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = super::progress(total, "report");
    for path in &a.inputs {
        let file = bar.wrap_read(super::open_input(path)?.0);
        lines.add_reader(BufReader::with_capacity(1 << 20, file)).map_err(|e| match e {
            ReportError::Io(io) => Fail::io("read", path, io),
            other => Fail::invalid(format!("{}: {other}", path.display())),
        })?;
    }
    let charge = dp.as_ref().map(|_| {
        let path = a.ledger.clone().unwrap_or_else(|| {
            let dir = a.outputs.out.parent().map(PathBuf::from).unwrap_or_default();
            dir.join(format!("ona-privacy-ledger-{}.json", &lines.dataset_id()[..16]))
        });
        LedgerCharge {
            path,
            budget_epsilon: a.dp_budget.clone(),
            budget_delta: a.dp_budget_delta.clone(),
            label: a.outputs.out.display().to_string(),
        }
    });
    bar.finish_and_clear();
    // A DP release is charged to the ledger before anything is released.
    let report = lines.finish(charge.as_ref()).map_err(invalid)?;
    if let (Some(dp), Some(c), false) = (&dp, &charge, a.json) {
        eprintln!("charged ε = {} to the ledger {}", dp.epsilon, c.path.display());
    }
    a.outputs.write(&report)?;
    let suppressed = report.observations.iter().filter(|o| o.value.is_none()).count();
    if a.json {
        let summary = serde_json::json!({
            "out": a.outputs.out.display().to_string(),
            "sdmx": a.outputs.sdmx.as_ref().map(|p| p.display().to_string()),
            "hxl": a.outputs.hxl.as_ref().map(|p| p.display().to_string()),
            "html": a.outputs.html.as_ref().map(|p| p.display().to_string()),
            "observations": report.observations.len(),
            "suppressed": suppressed,
            "epsilon_charged": dp.as_ref().map(|d| d.epsilon.to_string()),
            "ledger": charge.as_ref().map(|c| c.path.display().to_string()),
        });
        super::print_stdout(&format!("{summary}\n"))?;
    } else if !super::quiet() {
        eprintln!(
            "report: {} observations, {suppressed} suppressed, to {}",
            report.observations.len(),
            a.outputs.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

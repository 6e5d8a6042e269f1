//! `ona report`: indicators from pseudonymised cases, with suppression and optional differential
//! privacy, as canonical JSON and optionally SDMX-CSV, HXL CSV, HTML and an Excel workbook.

use super::{check_outputs, same_file_as, write_all_or_none};
use crate::fail::{CmdResult, Fail};
use ona_core::report::dp::{PublicDomain, TablePlan};
use ona_core::report::release::{release_with_log, ReleaseLogUse};
use ona_core::report::{
    parse_dimensions, DpSpec, Indicator, LedgerCharge, LinesReport, Report, ReportError, ReportSpec,
};
use ona_core::schema::Lang;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output options shared by `ona report` and `ona merge`.
#[derive(clap::Args, Debug)]
pub struct Outputs {
    /// The report as canonical JSON (the exchange form). Required (except with --dp-plan).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write SDMX-CSV 2.0.
    #[arg(long)]
    pub sdmx: Option<PathBuf>,
    /// Also write CSV with an HXL hashtag row.
    #[arg(long)]
    pub hxl: Option<PathBuf>,
    /// Also write a self-contained HTML page with charts.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Also write an Excel workbook: one sheet per indicator (suppressed cells marked), the
    /// definitions and the provenance.
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Language of the HTML page and the workbook: en, ru, kk, uz, uk, ms, tr.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Overwrite existing outputs.
    #[arg(long)]
    pub force: bool,
}

impl Outputs {
    /// The `--out` path, or a usage error.
    pub fn out_path(&self) -> Result<&Path, Fail> {
        self.out.as_deref().ok_or_else(|| Fail::usage("--out is required"))
    }

    /// Checks every output (and the ledger key, which may exist) before any work is done or any
    /// privacy budget spent: see [`check_outputs`]. Also checks the language.
    pub fn check(&self, inputs: &[&Path], ledger: Option<&Path>) -> Result<(), Fail> {
        self.lang.parse::<Lang>().map_err(Fail::usage)?;
        let mut outs = vec![self.out_path()?];
        outs.extend(self.sdmx.as_deref());
        outs.extend(self.hxl.as_deref());
        outs.extend(self.html.as_deref());
        outs.extend(self.xlsx.as_deref());
        check_outputs(inputs, &outs, self.force)?;
        if let Some(l) = ledger {
            // The ledger key is read (or made): it may exist, but must not be an input or an
            // output, and its folder must be there.
            let mut all = inputs.to_vec();
            all.extend(&outs);
            if l.exists() {
                if let Some(clash) = all.iter().find(|p| same_file_as(l, p)) {
                    return Err(Fail::usage(format!(
                        "the ledger key {} is also given as {}",
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
        let mut files = vec![(self.out_path()?.to_path_buf(), report.to_json())];
        if let Some(p) = &self.sdmx {
            files.push((p.clone(), report.to_sdmx_csv()));
        }
        if let Some(p) = &self.hxl {
            files.push((p.clone(), report.to_hxl_csv()));
        }
        if let Some(p) = &self.html {
            files.push((p.clone(), report.to_html(lang)));
        }
        let mut files: Vec<(PathBuf, Vec<u8>)> =
            files.into_iter().map(|(p, t)| (p, t.into_bytes())).collect();
        if let Some(p) = &self.xlsx {
            let bytes = report
                .to_xlsx(lang)
                .map_err(|e| Fail::usage(format!("cannot build the workbook: {e}")))?;
            files.push((p.clone(), bytes));
        }
        write_all_or_none(files)
    }
}

/// Arguments of `ona report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Pseudonymised cases: JSON Lines of PseudoCase, or packed records (what an opened demo
    /// export holds); repeat for several files; `-` for standard input.
    #[arg(long = "in", required_unless_present = "dp_plan")]
    inputs: Vec<PathBuf>,
    /// Count only events in this period: YYYY, YYYY-Qn or YYYY-MM.
    #[arg(long)]
    period: Option<String>,
    /// Breakdown dimensions, comma-separated (country is always included; year if no period
    /// dimension is given).
    #[arg(long, default_value = ReportSpec::DEFAULT_BY)]
    by: String,
    /// Indicators to publish, comma-separated ids (default: all). Under differential privacy
    /// the budget is spent only on the count tables these need.
    #[arg(long)]
    indicators: Option<String>,
    /// Suppression threshold: counts from 1 to k−1 are suppressed (1 turns suppression off).
    /// Not applied under differential privacy, where every count is published with its noise.
    #[arg(long, default_value_t = ReportSpec::DEFAULT_K)]
    k: u64,
    /// Suppress more cells, chosen cheapest in information lost, until every small count is
    /// certified against an attacker who solves linear programs over the published totals
    /// (docs/reporting.md). Without it only the single-relation rule runs (each total with a
    /// suppressed cell has two): fast, but that attacker can narrow small counts — run
    /// `ona audit`. Minutes on centre-level breakdowns.
    #[arg(long, conflicts_with = "no_lp_protect")]
    lp_protect: bool,
    /// The single-relation rule only, without certified protection.
    #[arg(long)]
    no_lp_protect: bool,
    /// Differential privacy: the ε of this release (decimal or float, e.g. 0.5 or 5e-1).
    #[arg(long)]
    dp_epsilon: Option<String>,
    /// δ: use the discrete Gaussian mechanism (zCDP) instead of discrete Laplace (e.g. 1e-6).
    #[arg(long, requires = "dp_epsilon")]
    dp_delta: Option<String>,
    /// The public domain of the release (JSON: populations, centres, periods; see
    /// docs/reporting.md). Required with --dp-epsilon.
    #[arg(long, requires = "dp_epsilon")]
    dp_domain: Option<PathBuf>,
    /// Print each table's noise scale and 95 % accuracy for this release, then stop: nothing is
    /// read, written or spent.
    #[arg(long, requires = "dp_epsilon")]
    dp_plan: bool,
    /// Cases counted per woman at most under differential privacy [default: 1].
    #[arg(long, requires = "dp_epsilon")]
    dp_max_cases_per_woman: Option<u32>,
    /// Total ε budget of a population, used when its ledger is created [default: 1].
    #[arg(long, requires = "dp_epsilon")]
    dp_budget: Option<String>,
    /// Total δ budget of a population, used when its ledger is created [default: 0.00001].
    #[arg(long, requires = "dp_epsilon")]
    dp_budget_delta: Option<String>,
    /// Directory of the privacy-budget ledgers, one per population (default: the directory of
    /// --out).
    #[arg(long, requires = "dp_epsilon")]
    ledger_dir: Option<PathBuf>,
    /// The hub's ledger key file (64 hex digits; made, owner-only, if missing). Required with
    /// --dp-epsilon (except with --dp-plan) and with --release-log.
    #[arg(long)]
    ledger_key: Option<PathBuf>,
    /// Directory of the release logs, one per population (see docs/reporting.md): the report is
    /// audited together with every earlier release of its populations logged there; if that
    /// would narrow a suppressed count, more cells are suppressed or the release is refused,
    /// naming the earlier release. On success it is logged. Needs --ledger-key.
    #[arg(long, conflicts_with = "dp_epsilon", requires = "ledger_key")]
    release_log: Option<PathBuf>,
    /// Print a machine-readable summary (outputs, observations, suppressed, ε charged) on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    outputs: Outputs,
}

/// The failure of a report error, with the exit code the core gives it.
fn invalid(e: ReportError) -> Fail {
    Fail::with_code(e.exit_code(), e)
}

fn print_plan(plan: &[TablePlan], dp: &DpSpec) {
    let what = if dp.delta.is_some() { "gaussian sigma" } else { "laplace scale" };
    println!(
        "{:<28} {:>11} {:>16} {:>9} {:>14} {:>16}",
        "table", "sensitivity", what, "cells", "cell ±95%", "grand total ±95%"
    );
    for t in plan {
        println!(
            "{:<28} {:>11} {:>16.3} {:>9} {:>14} {:>16}",
            t.indicator, t.sensitivity, t.scale, t.cells, t.margin_95, t.total_margin_95
        );
    }
}

/// Runs `ona report`.
pub fn run(a: Args) -> CmdResult {
    let dp = match &a.dp_epsilon {
        None => None,
        Some(e) => {
            ona_core::report::dp::parse_nano(e).map_err(invalid)?;
            let path = a.dp_domain.as_ref().ok_or_else(|| {
                Fail::usage("--dp-epsilon needs --dp-domain FILE (the public domain)")
            })?;
            let domain = PublicDomain::load(path).map_err(invalid)?;
            let bound = a.dp_max_cases_per_woman.unwrap_or(1);
            Some(DpSpec::with_budget(e, a.dp_delta.as_deref(), bound, domain))
        }
    };
    let spec = ReportSpec {
        period: a.period.clone(),
        by: parse_dimensions(&a.by).map_err(invalid)?,
        threshold: a.k,
        dp: dp.clone(),
        indicators: a
            .indicators
            .as_deref()
            .map(Indicator::parse_list)
            .transpose()
            .map_err(invalid)?
            .unwrap_or_default(),
        lp_protection: ReportSpec::lp_protection_or_default(
            match (a.lp_protect, a.no_lp_protect) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
        ),
    };
    let inputs: Vec<&Path> = a.inputs.iter().map(PathBuf::as_path).collect();
    let mut lines = LinesReport::new(&spec).map_err(invalid)?;
    if a.dp_plan {
        let plan = lines.dp_plan().map_err(invalid)?;
        if let Some(dp) = &dp {
            print_plan(&plan, dp);
        }
        eprintln!("plan only: nothing was read, written or spent");
        return Ok(ExitCode::SUCCESS);
    }
    if a.ledger_key.is_some() && a.dp_epsilon.is_none() && a.release_log.is_none() {
        return Err(Fail::usage("--ledger-key needs --dp-epsilon or --release-log"));
    }
    a.outputs.check(&inputs, a.ledger_key.as_deref())?;
    let out = a.outputs.out_path()?.to_path_buf();
    let charge = match &dp {
        None => None,
        Some(_) => {
            let key_file = a
                .ledger_key
                .clone()
                .ok_or_else(|| Fail::usage("--dp-epsilon needs --ledger-key FILE"))?;
            if !key_file.exists() {
                eprintln!("making a new ledger key in {} (keep it safe)", key_file.display());
            }
            let dir = a
                .ledger_dir
                .clone()
                .unwrap_or_else(|| out.parent().map(PathBuf::from).unwrap_or_default());
            Some(LedgerCharge {
                dir,
                key_file,
                budget_epsilon: a
                    .dp_budget
                    .clone()
                    .unwrap_or_else(|| LedgerCharge::DEFAULT_BUDGET_EPSILON.into()),
                budget_delta: a
                    .dp_budget_delta
                    .clone()
                    .unwrap_or_else(|| LedgerCharge::DEFAULT_BUDGET_DELTA.into()),
                label: out.display().to_string(),
            })
        }
    };
    let total: u64 =
        a.inputs.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = super::progress(total, "report");
    for path in &a.inputs {
        let file = bar.wrap_read(super::open_input(path)?.0);
        lines.add_reader(BufReader::with_capacity(1 << 20, file)).map_err(|e| match e {
            ReportError::Io(io) => Fail::io("read", path, io),
            other => Fail::with_code(other.exit_code(), format!("{}: {other}", path.display())),
        })?;
    }
    if dp.is_some() {
        // For the operator only (never in the report): what the domain and bound left out.
        for (why, n) in lines.left_out() {
            eprintln!("left out (not published): {n} {why}");
        }
    }
    bar.finish_and_clear();
    // A DP release is charged to every population's ledger before anything is released.
    let report = lines.finish(charge.as_ref()).map_err(invalid)?;
    // With a release log: audited with the earlier releases, suppressed further or refused, and
    // logged (before the outputs are written: a logged release that fails to be written only
    // makes later audits stricter).
    let (report, released) = match (&a.release_log, &a.ledger_key) {
        (Some(dir), Some(key_file)) => {
            let use_log = ReleaseLogUse {
                dir: dir.clone(),
                key_file: key_file.clone(),
                label: out.display().to_string(),
            };
            let r = release_with_log(report, &use_log).map_err(invalid)?;
            if !a.json && !super::quiet() {
                eprintln!(
                    "release {}: audited with {} earlier release(s) of its population, {} more \
                     cell(s) suppressed, logged in {}",
                    r.release,
                    r.earlier,
                    r.suppressed,
                    dir.display()
                );
            }
            let info = (r.release.clone(), r.earlier, r.suppressed);
            (r.report, Some(info))
        }
        _ => (report, None),
    };
    if let (Some(dp), Some(c), false) = (&dp, &charge, a.json) {
        eprintln!(
            "charged ε = {}{} to the ledgers in {}",
            dp.epsilon,
            dp.delta.as_ref().map(|d| format!(", δ = {d}")).unwrap_or_default(),
            c.dir.display()
        );
    }
    a.outputs.write(&report)?;
    let unprotected = report.provenance.unprotected_cells.unwrap_or(0);
    if unprotected > 0 {
        // Said even with --quiet and --json: the operator must know before publishing.
        eprintln!(
            "warning: {unprotected} small count(s) could not be shown protected against an \
             attacker who combines the published totals (no suppression around them \
             reaches the interval their flags give); run `ona audit {}` to see \
             them, or publish a coarser breakdown",
            out.display()
        );
    }
    let suppressed = report.observations.iter().filter(|o| o.is_suppressed()).count();
    if a.json {
        let summary = serde_json::json!({
            "out": out.display().to_string(),
            "sdmx": a.outputs.sdmx.as_ref().map(|p| p.display().to_string()),
            "hxl": a.outputs.hxl.as_ref().map(|p| p.display().to_string()),
            "html": a.outputs.html.as_ref().map(|p| p.display().to_string()),
            "observations": report.observations.len(),
            "suppressed": suppressed,
            "epsilon_charged": dp.as_ref().map(|d| d.epsilon.to_string()),
            "delta_charged": dp.as_ref().and_then(|d| d.delta.as_ref().map(ToString::to_string)),
            "ledger_dir": charge.as_ref().map(|c| c.dir.display().to_string()),
            "release": released.as_ref().map(|r| r.0.clone()),
            "release_audited_with": released.as_ref().map(|r| r.1),
            "release_suppressed": released.as_ref().map(|r| r.2),
            "unprotected_cells": report.provenance.unprotected_cells,
        });
        super::print_stdout(&format!("{summary}\n"))?;
    } else if !super::quiet() {
        eprintln!(
            "report: {} observations, {suppressed} suppressed, to {}",
            report.observations.len(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

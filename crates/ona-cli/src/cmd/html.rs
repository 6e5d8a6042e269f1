//! `ona html`: the HTML page of a report already made, in a reader's language. Nothing is
//! recomputed, so a differentially private report can be rendered in every language without
//! spending its privacy budget again.

use super::write_output;
use crate::fail::{CmdResult, Fail};
use ona_core::report::Report;
use ona_core::schema::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona html`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The report (canonical JSON from `ona report` or `ona merge`).
    report: PathBuf,
    /// Where to write the page.
    #[arg(long)]
    out: PathBuf,
    /// Language of the page: en, ru, kk, uz, uk, ms, tr.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Runs `ona html`.
pub fn run(a: Args) -> CmdResult {
    let lang: Lang = a.lang.parse().map_err(Fail::usage)?;
    super::check_outputs(&[&a.report], &[&a.out], a.force)?;
    let text = std::fs::read_to_string(&a.report).map_err(|e| Fail::io("read", &a.report, e))?;
    let report = Report::from_json(&text)
        .map_err(|e| Fail::invalid(format!("{}: {e}", a.report.display())))?;
    let page = report.to_html(lang);
    write_output(&a.out, |f| std::io::Write::write_all(f, page.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}

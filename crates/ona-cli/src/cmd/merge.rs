//! `ona merge`: country reports into a regional report.

use super::report::Outputs;
use crate::fail::{CmdResult, Fail};
use ona_core::report::{merge, Report};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona merge`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Country reports (canonical JSON from `ona report`).
    #[arg(required = true)]
    reports: Vec<PathBuf>,
    #[command(flatten)]
    outputs: Outputs,
}

/// Runs `ona merge`.
pub fn run(a: Args) -> CmdResult {
    let inputs: Vec<&std::path::Path> = a.reports.iter().map(PathBuf::as_path).collect();
    a.outputs.check(&inputs, None)?;
    let mut reports = Vec::new();
    for p in &a.reports {
        let text = std::fs::read_to_string(p).map_err(|e| Fail::io("read", p, e))?;
        reports.push(
            Report::from_json(&text).map_err(|e| Fail::invalid(format!("{}: {e}", p.display())))?,
        );
    }
    let merged = merge(&reports).map_err(Fail::invalid)?;
    a.outputs.write(&merged)?;
    eprintln!("merged {} reports into {}", reports.len(), a.outputs.out_path()?.display());
    Ok(ExitCode::SUCCESS)
}

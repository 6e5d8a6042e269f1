//! `ona audit`: the LP attack on published reports — for every suppressed count, the interval
//! an attacker holding the whole report derives; exit 1 if a primary cell is narrowed.

use crate::fail::{CmdResult, Fail};
use ona_core::report::{audit, Audit, CellAudit, Report};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona audit`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Reports to audit (canonical JSON from `ona report` or `ona merge`), each on its own.
    #[arg(required = true)]
    reports: Vec<PathBuf>,
    /// Print the audit as JSON (one object per report, every primary-suppressed cell) on stdout.
    #[arg(long)]
    json: bool,
}

fn interval(c: &CellAudit) -> String {
    let up = c.upper.map_or_else(|| "∞".to_string(), |u| u.to_string());
    format!("[{}, {up}]", c.lower)
}

fn cell_name(c: &CellAudit) -> String {
    let dims: Vec<String> =
        c.dims.iter().filter(|(_, v)| *v != "_T").map(|(d, v)| format!("{d}={v}")).collect();
    format!("{} {}", c.indicator, if dims.is_empty() { "(total)".into() } else { dims.join(" ") })
}

fn summary(path: &std::path::Path, a: &Audit) -> String {
    let narrowed = a.unprotected().count();
    format!(
        "{}: k = {}, {} count cells, {} primary-suppressed; {} unknowns, {} after presolve, \
         {} subsystems with a primary cell (largest {}), {} LPs: {}",
        path.display(),
        a.threshold,
        a.count_cells,
        a.primary(),
        a.unknowns,
        a.variables,
        a.components,
        a.largest_component,
        a.lps,
        if narrowed == 0 {
            "every primary cell keeps 1 … k−1".to_string()
        } else {
            format!("{narrowed} primary cells narrowed by the attacker")
        }
    )
}

/// Runs `ona audit`.
pub fn run(a: Args) -> CmdResult {
    let mut all_pass = true;
    let mut json = Vec::new();
    for p in &a.reports {
        let text = std::fs::read_to_string(p).map_err(|e| Fail::io("read", p, e))?;
        let report =
            Report::from_json(&text).map_err(|e| Fail::invalid(format!("{}: {e}", p.display())))?;
        let result = audit(&report).map_err(|e| Fail::invalid(format!("{}: {e}", p.display())))?;
        all_pass &= result.passes();
        if a.json {
            let v = serde_json::json!({ "report": p.display().to_string(), "audit": result });
            json.push(v);
        } else {
            println!("{}", summary(p, &result));
            for c in result.unprotected() {
                println!(
                    "  narrowed: {} to {} (k = {})",
                    cell_name(c),
                    interval(c),
                    result.threshold
                );
            }
        }
    }
    if a.json {
        let text = serde_json::to_string_pretty(&json).map_err(Fail::invalid)?;
        println!("{text}");
    }
    Ok(if all_pass { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

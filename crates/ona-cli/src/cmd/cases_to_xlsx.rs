//! `ona cases-to-xlsx`: standard cases (JSON Lines) as the "ona workbook", one sheet of cases
//! and one per repeat, which `examples/mappings/ona-workbook.toml` imports back unchanged.

use super::write_data;
use crate::fail::{CmdResult, Fail};
use ona_core::import::cases_to_xlsx;
use ona_core::schema::validate_json;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona cases-to-xlsx`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// JSON Lines file of standard cases.
    #[arg(long = "in")]
    input: PathBuf,
    /// The workbook to write (.xlsx).
    #[arg(long)]
    out: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Runs `ona cases-to-xlsx`: every record must be valid (exit 1 and nothing written otherwise).
pub fn run(a: Args) -> CmdResult {
    super::check_outputs(&[&a.input], &[&a.out], a.force)?;
    let file = std::fs::File::open(&a.input).map_err(|e| Fail::io("open", &a.input, e))?;
    let mut cases = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Fail::io("read", &a.input, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let case = validate_json(&line)
            .map_err(|e| Fail::invalid(format!("{} line {}: {e}", a.input.display(), n + 1)))?;
        cases.push(case);
    }
    let bytes = cases_to_xlsx(&cases)
        .map_err(|e| Fail::usage(format!("cannot build the workbook: {e}")))?;
    write_data(&a.out, |f| f.write_all(&bytes))?;
    eprintln!("wrote {} cases to {}", cases.len(), a.out.display());
    Ok(ExitCode::SUCCESS)
}

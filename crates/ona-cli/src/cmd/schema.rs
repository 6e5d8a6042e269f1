//! `ona schema`: the JSON Schema (2020-12) of the case standard.

use super::write_output;
use crate::fail::{CmdResult, Fail};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona schema`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Runs `ona schema`.
pub fn run(a: Args) -> CmdResult {
    if let Some(path) = a.out.as_ref().filter(|p| !super::is_dash(p)) {
        super::check_outputs(&[], &[path], a.force)?;
    }
    let text =
        serde_json::to_string_pretty(ona_core::schema::json_schema()).map_err(Fail::usage)?;
    match a.out {
        Some(path) => write_output(&path, |f| writeln!(f, "{text}"))?,
        None => super::print_stdout(&(text + "\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}

//! `ona synth`: deterministic synthetic cases as JSON Lines.

use super::{check_outputs, is_dash, progress, quiet, write_output};
use crate::fail::CmdResult;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona synth`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of cases.
    #[arg(long, default_value_t = 1000)]
    cases: u64,
    /// Seed: the same seed gives the same cases.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (JSON Lines, one case per line); `-` for standard output.
    #[arg(long)]
    out: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Runs `ona synth`.
pub fn run(a: Args) -> CmdResult {
    if !is_dash(&a.out) {
        check_outputs(&[], &[&a.out], a.force)?;
    }
    let bar = progress(a.cases, "synth");
    write_output(&a.out, |mut f| {
        ona_synth::write_jsonl(a.seed, a.cases, &mut f, |n| bar.set_position(n))
    })?;
    bar.finish_and_clear();
    if !quiet() && !is_dash(&a.out) {
        eprintln!("wrote {} cases (seed {}) to {}", a.cases, a.seed, a.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

//! `ona synth`: deterministic synthetic cases as JSON Lines.

use super::{progress, write_output};
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
    /// Output file (JSON Lines, one case per line).
    #[arg(long)]
    out: PathBuf,
}

/// Runs `ona synth`.
pub fn run(a: Args) -> CmdResult {
    let bar = progress(a.cases, "synth");
    write_output(&a.out, |f| ona_synth::write_jsonl(a.seed, a.cases, f, |n| bar.set_position(n)))?;
    bar.finish_and_clear();
    eprintln!("wrote {} cases (seed {}) to {}", a.cases, a.seed, a.out.display());
    Ok(ExitCode::SUCCESS)
}

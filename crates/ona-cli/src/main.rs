//! The `ona` command line: a thin shell over `ona-core`.
//!
//! Exit codes: 0 success; 1 the input is invalid or did not verify; 2 bad usage, unreadable input
//! or an I/O failure. Every output is written to a temporary file and renamed into place only when
//! complete, so a failure never leaves a partial file.

mod cmd;
mod fail;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

// JSON-heavy work allocates many small strings and maps; mimalloc is markedly faster at that
// than the system allocator (measured with `scripts/bench-standard`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// ona — case data standard and privacy toolkit of the Mother's Home network.
#[derive(Parser, Debug)]
#[command(name = "ona", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate deterministic synthetic cases as JSON Lines.
    Synth(cmd::synth::Args),
    /// Validate case records (JSON Lines), reporting every problem.
    Validate(cmd::validate::Args),
    /// Print the JSON Schema (2020-12) of the case standard.
    Schema(cmd::schema::Args),
    /// Print codelists with their labels.
    Codes(cmd::codes::Args),
    /// Report indicators from pseudonymised cases (suppressed, optionally with DP noise).
    Report(cmd::report::Args),
    /// Merge country reports into a regional report.
    Merge(cmd::merge::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result: fail::CmdResult = match cli.command {
        Command::Synth(a) => cmd::synth::run(a),
        Command::Validate(a) => cmd::validate::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Codes(a) => cmd::codes::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Merge(a) => cmd::merge::run(a),
    };
    match result {
        Ok(code) => code,
        Err(fail) => fail.report(),
    }
}

//! The `ona` command line: a thin shell over `ona-core`.
//!
//! Exit codes: 0 success; 1 the input is invalid or did not verify; 2 bad usage, unreadable input
//! or an I/O failure. Every output is written to a temporary file and renamed into place only when
//! complete, so a failure never leaves a partial file.

mod cmd;
mod fail;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// ona — case data standard and privacy toolkit of the Mother's Home network.
#[derive(Parser, Debug)]
#[command(name = "ona", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the version of the case schema this build writes.
    SchemaVersion,
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
        Command::SchemaVersion => {
            println!("1.0");
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(fail) => fail.report(),
    }
}

//! The `ona` command line: a thin shell over `ona-core`.
//!
//! Exit codes: 0 success; 1 the input is invalid or did not verify; 2 bad usage, unreadable input
//! or an I/O failure. Every output is written to a temporary file and renamed into place only when
//! complete, so a failure never leaves a partial file.

mod cmd;
mod fail;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    /// Run the whole standard end to end on a synthetic network (the place to start).
    Demo(cmd::demo::Args),
    /// Generate deterministic synthetic cases as JSON Lines.
    Synth(cmd::synth::Args),
    /// Validate case records (JSON Lines), reporting every problem.
    Validate(cmd::validate::Args),
    /// Print the JSON Schema (2020-12) of the case standard.
    Schema(cmd::schema::Args),
    /// Print codelists with their labels.
    Codes(cmd::codes::Args),
    /// Create a pseudonymisation master key file (readable by its owner only).
    PseudonymKey(cmd::pseudonym_key::Args),
    /// Pseudonymise case records in a domain, with optional k-anonymity and a risk report.
    Pseudonymise(cmd::pseudonymise::Args),
    /// Report indicators from pseudonymised cases (suppressed, optionally with DP noise).
    Report(cmd::report::Args),
    /// Merge country reports into a regional report.
    Merge(cmd::merge::Args),
    /// Audit reports against an LP attacker: the interval derivable for every suppressed count.
    Audit(cmd::audit::Args),
    /// Create an organisation key file (encryption + signing); prints the two public keys.
    Keygen {
        /// Where to write the secret key file (mode 0600).
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print the encryption public key, then the signing public key, of a key file.
    Pubkey {
        /// The secret key file.
        key: PathBuf,
    },
    /// Encrypt and sign a file for one or more recipients.
    Seal {
        /// Recipient encryption public key (onaenc1...); repeat for several.
        #[arg(long = "to", required = true)]
        to: Vec<String>,
        /// The sender's secret key file.
        #[arg(long)]
        sign: PathBuf,
        /// The file to seal.
        #[arg(long = "in")]
        input: PathBuf,
        /// The sealed output (.ona).
        #[arg(long)]
        out: PathBuf,
        /// What the file holds: cases (JSON Lines, records counted) or report.
        #[arg(long, default_value = "cases")]
        content: String,
    },
    /// Verify and decrypt a sealed file; writes the output only if everything verifies.
    Open {
        /// The recipient's secret key file.
        #[arg(long)]
        key: PathBuf,
        /// Require this sender (signing public key, onasig1...).
        #[arg(long)]
        from: Option<String>,
        /// The sealed file.
        #[arg(long = "in")]
        input: PathBuf,
        /// Where to write the content.
        #[arg(long)]
        out: PathBuf,
    },
    /// Show what can be told about a sealed file without a key.
    Inspect {
        /// The sealed file.
        file: PathBuf,
    },
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
        Command::Demo(a) => cmd::demo::run(a),
        Command::Synth(a) => cmd::synth::run(a),
        Command::Validate(a) => cmd::validate::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Codes(a) => cmd::codes::run(a),
        Command::PseudonymKey(a) => cmd::pseudonym_key::run(a),
        Command::Pseudonymise(a) => cmd::pseudonymise::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Merge(a) => cmd::merge::run(a),
        Command::Audit(a) => cmd::audit::run(a),
        Command::Keygen { out, force } => cmd::keygen::run(&out, force),
        Command::Pubkey { key } => cmd::pubkey::run(&key),
        Command::Seal { to, sign, input, out, content } => {
            cmd::seal::run(&to, &sign, &input, &out, &content)
        }
        Command::Open { key, from, input, out } => {
            cmd::open::run(&key, from.as_deref(), &input, &out)
        }
        Command::Inspect { file } => cmd::inspect::run(&file),
    };
    match result {
        Ok(code) => code,
        Err(fail) => fail.report(),
    }
}

//! The `ona` command line: a thin shell over `ona-core`.
//!
//! Exit codes: 0 success; 1 the input is invalid or did not verify; 2 bad usage, unreadable input
//! or an I/O failure. Every output is written to a temporary file and renamed into place only when
//! complete, so a failure never leaves a partial file.

mod cmd;
mod fail;

use clap::{CommandFactory, Parser, Subcommand};
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
    /// No progress bars or progress messages (errors and results are still printed).
    #[arg(long, short, global = true)]
    quiet: bool,
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
    /// Import a partner system's export (CSV, XLSX, ZIP) through a mapping into standard cases.
    Import(cmd::import::Args),
    /// Guess a mapping from an export (`init`) or check one against an export (`check`).
    Mapping(cmd::mapping::Args),
    /// Write standard cases as a workbook (one sheet of cases, one per repeat).
    CasesToXlsx(cmd::cases_to_xlsx::Args),
    /// Print the JSON Schema (2020-12) of the case standard.
    Schema(cmd::schema::Args),
    /// Print codelists with their labels.
    Codes(cmd::codes::Args),
    /// Create a pseudonymisation master key file (readable by its owner only).
    PseudonymKey(cmd::pseudonym_key::Args),
    /// Pseudonymise case records in a domain, with optional k-anonymity and a risk report.
    Pseudonymise(cmd::pseudonymise::Args),
    /// Pseudonymise a column of identifiers, one per line (names, documents, national IDs).
    PseudonymiseColumn(cmd::pseudonymise_column::Args),
    /// Report indicators from pseudonymised cases (suppressed, optionally with DP noise).
    Report(Box<cmd::report::Args>),
    /// Merge country reports into a regional report.
    Merge(cmd::merge::Args),
    /// Write the HTML page of a report (JSON) in a language, recomputing nothing.
    Html(cmd::html::Args),
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
    Seal(cmd::seal::Args),
    /// Verify and decrypt a sealed file; writes the output only if everything verifies.
    Open(cmd::open::Args),
    /// The network directory: who may send and receive exports, signed by the hub.
    Directory(cmd::directory::Args),
    /// Show what can be told about a sealed file without a key.
    Inspect {
        /// The sealed file.
        file: PathBuf,
        /// A recipient's key file: also show the manifest (domain, key id, claimed sender).
        #[arg(long)]
        key: Option<PathBuf>,
        /// Print it as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `ona man | man -l -`.
    Man,
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
    cmd::set_quiet(cli.quiet);
    // Ctrl-C, SIGTERM, SIGHUP: remove named temporary files (where the file system has no
    // unnamed ones) before ending, so no partial plaintext stays behind. Exit 130 as a shell
    // does for an interrupted command.
    let _ = ctrlc::set_handler(|| {
        ona_core::atomic_file::remove_pending_temporaries();
        std::process::exit(130);
    });
    let result: fail::CmdResult = match cli.command {
        Command::Demo(a) => cmd::demo::run(a),
        Command::Synth(a) => cmd::synth::run(a),
        Command::Validate(a) => cmd::validate::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::Mapping(a) => cmd::mapping::run(a),
        Command::CasesToXlsx(a) => cmd::cases_to_xlsx::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Codes(a) => cmd::codes::run(a),
        Command::PseudonymKey(a) => cmd::pseudonym_key::run(a),
        Command::Pseudonymise(a) => cmd::pseudonymise::run(a),
        Command::PseudonymiseColumn(a) => cmd::pseudonymise_column::run(a),
        Command::Report(a) => cmd::report::run(*a),
        Command::Merge(a) => cmd::merge::run(a),
        Command::Html(a) => cmd::html::run(a),
        Command::Audit(a) => cmd::audit::run(a),
        Command::Keygen { out, force } => cmd::keygen::run(&out, force),
        Command::Pubkey { key } => cmd::pubkey::run(&key),
        Command::Seal(a) => cmd::seal::run(a),
        Command::Open(a) => cmd::open::run(a),
        Command::Directory(a) => cmd::directory::run(a),
        Command::Inspect { file, key, json } => cmd::inspect::run(&file, key.as_deref(), json),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ona", &mut text);
            cmd::print_stdout(&String::from_utf8_lossy(&text)).map(|_| ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut text = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut text) {
                Ok(()) => {
                    cmd::print_stdout(&String::from_utf8_lossy(&text)).map(|_| ExitCode::SUCCESS)
                }
                Err(e) => Err(fail::Fail::usage(format!("cannot render the manual: {e}"))),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(fail) => fail.report(),
    }
}

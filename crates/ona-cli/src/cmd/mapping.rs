//! `ona mapping init` (a skeleton mapping guessed from an export, every guess marked for
//! review) and `ona mapping check` (what a mapping leaves out of an export).

use super::{print_stdout, write_output};
use crate::fail::{CmdResult, Fail};
use ona_core::import::{
    check, dhis2_labels, guess_source, skeleton_labelled, workbook_mapping, Export, Mapping,
    SourceFormat,
};
use ona_core::schema::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona mapping`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Write a skeleton mapping guessed from an export's headers and values.
    Init {
        /// The export (CSV, XLSX/XLS/ODS, ZIP of CSVs, or DHIS2 Tracker JSON).
        #[arg(long = "in")]
        input: PathBuf,
        /// Where to write the mapping (TOML); standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overwrite an existing mapping.
        #[arg(long)]
        force: bool,
        /// DHIS2 only: the program's metadata (`/api/programs/{uid}/metadata.json`), which
        /// names the data elements and stages the export knows only by UID.
        #[arg(long)]
        metadata: Option<PathBuf>,
    },
    /// List the columns a mapping leaves out and the values it cannot read.
    Check {
        /// The mapping file.
        #[arg(long)]
        mapping: PathBuf,
        /// The export.
        #[arg(long = "in")]
        input: PathBuf,
        /// Language of the messages: en, ru, kk, uz, uk, ms, tr.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Print the mapping of the "ona workbook" written by `ona cases-to-xlsx`.
    Workbook,
}

/// Runs `ona mapping`.
pub fn run(a: Args) -> CmdResult {
    match a.command {
        Command::Init { input, out, force, metadata } => {
            init(&input, out.as_deref(), force, metadata.as_deref())
        }
        Command::Check { mapping, input, lang } => {
            let lang: Lang = lang.parse().map_err(Fail::usage)?;
            run_check(&mapping, &input, lang)
        }
        Command::Workbook => {
            print_stdout(&workbook_mapping())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init(
    input: &std::path::Path,
    out: Option<&std::path::Path>,
    force: bool,
    metadata: Option<&std::path::Path>,
) -> CmdResult {
    if let Some(path) = out {
        let mut inputs = vec![input];
        inputs.extend(metadata);
        super::check_outputs(&inputs, &[path], force)?;
    }
    let bytes = std::fs::read(input).map_err(|e| Fail::io("read", input, e))?;
    let options = guess_source(input, &bytes);
    if metadata.is_some() && options.format != SourceFormat::Dhis2 {
        return Err(Fail::usage("--metadata is for a DHIS2 Tracker export (.json)"));
    }
    let export = Export::read(input, &options).map_err(Fail::usage)?;
    let labels = match (options.format, metadata) {
        (SourceFormat::Dhis2, meta) => {
            let meta = match meta {
                Some(p) => Some(std::fs::read(p).map_err(|e| Fail::io("read", p, e))?),
                None => None,
            };
            dhis2_labels(&bytes, meta.as_deref()).map_err(Fail::usage)?
        }
        _ => Default::default(),
    };
    let name = input.file_name().and_then(|n| n.to_str()).unwrap_or("export");
    let (text, tables) = skeleton_labelled(name, &export, &options, &labels);
    match out {
        Some(path) => {
            write_output(path, |f| f.write_all(text.as_bytes()))?;
            let guessed: usize = tables.iter().map(|t| t.columns.len()).sum();
            let left: usize = tables.iter().map(|t| t.unguessed.len()).sum();
            eprintln!(
                "wrote {}: {} tables, {guessed} columns guessed (each marked for review), {left} without a guess",
                path.display(),
                tables.len()
            );
        }
        None => print_stdout(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn run_check(mapping: &std::path::Path, input: &std::path::Path, lang: Lang) -> CmdResult {
    let mapping = Mapping::from_path(mapping).map_err(Fail::usage)?;
    let export = Export::read(input, &mapping.source).map_err(Fail::usage)?;
    let report = check(&mapping, &export).map_err(Fail::usage)?;
    let mut text = String::new();
    text.push_str(&format!("unmapped columns: {}\n", report.unmapped_columns.len()));
    for c in &report.unmapped_columns {
        text.push_str(&format!("  {} column {:?}: {} rows filled\n", c.sheet, c.column, c.filled));
    }
    text.push_str(&format!("unmapped values: {}\n", report.unmapped_values.len()));
    for v in &report.unmapped_values {
        text.push_str(&format!("  {}\n", v.describe(lang)));
    }
    print_stdout(&text)?;
    Ok(if report.unmapped_values.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

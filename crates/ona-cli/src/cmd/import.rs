//! `ona import`: a partner system's export (CSV, XLSX, ZIP of CSVs, DHIS2 JSON) through a mapping file into
//! standard cases (JSON Lines), and every row that did not make it into a rejects file.

use super::write_data;
use crate::fail::{CmdResult, Fail};
use ona_core::import::{import_export_each, Export, ImportOutcome, Mapping};
use ona_core::schema::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona import`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The mapping file (TOML, see docs/import.md).
    #[arg(long)]
    mapping: PathBuf,
    /// The export to import (CSV, XLSX/XLS/ODS, ZIP of CSVs, or DHIS2 Tracker JSON, as the
    /// mapping says).
    #[arg(long = "in")]
    input: PathBuf,
    /// Where to write the valid cases (JSON Lines).
    #[arg(long)]
    out: PathBuf,
    /// Where to write the rejected rows with every problem (JSON Lines); without it the
    /// problems are printed on stderr.
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Language of the messages: en, ru, kk, uz, uk, ms, tr.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Runs `ona import`: exit 0 when every row became a case, 1 when any was rejected, 2 when the
/// mapping or the export cannot be used at all.
pub fn run(a: Args) -> CmdResult {
    let lang: Lang = a.lang.parse().map_err(Fail::usage)?;
    let mut outs = vec![a.out.as_path()];
    outs.extend(a.rejects.as_deref());
    super::check_outputs(&[&a.input, &a.mapping], &outs, a.force)?;
    let mapping = Mapping::from_path(&a.mapping).map_err(Fail::usage)?;
    let export = Export::read(&a.input, &mapping.source).map_err(Fail::usage)?;
    // Cases are written as they are made (memory holds one batch of them); rejects, usually
    // few, are kept to be written after. A mapping that does not fit the export stops the
    // import before any row, and the unfinished output is not kept.
    let mut outcome = ImportOutcome::default();
    let mut cases = 0usize;
    let mut unusable = None;
    let written = write_data(&a.out, |f| {
        let result = import_export_each(&mapping, &export, |r| match r {
            Ok((_, case)) => {
                cases += 1;
                serde_json::to_writer(&mut *f, &case)?;
                f.write_all(b"\n")
            }
            Err(reject) => {
                outcome.rejects.push(reject);
                Ok(())
            }
        });
        match result {
            Ok(done) => done,
            Err(e) => {
                unusable = Some(e);
                Err(std::io::Error::other("the mapping does not fit the export"))
            }
        }
    });
    if let Some(e) = unusable {
        return Err(Fail::usage(e));
    }
    written?;
    drop(export);
    match &a.rejects {
        Some(path) => write_data(path, |f| {
            for r in &outcome.rejects {
                serde_json::to_writer(&mut *f, &r.to_json(lang))?;
                f.write_all(b"\n")?;
            }
            Ok(())
        })?,
        None => print_rejects(&outcome, lang),
    }
    let problems: usize = outcome.rejects.iter().map(|r| r.problems.len()).sum();
    eprintln!(
        "{} rows: {cases} cases written to {}, {} rejected ({problems} problems)",
        cases + outcome.rejects.len(),
        a.out.display(),
        outcome.rejects.len(),
    );
    Ok(if outcome.rejects.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_rejects(outcome: &ImportOutcome, lang: Lang) {
    for r in &outcome.rejects {
        for p in &r.problems {
            let column = p.column.as_deref().map(|c| format!(", column {c:?}")).unwrap_or_default();
            let at = if p.pointer.is_empty() { "/" } else { &p.pointer };
            eprintln!("{} row {}{column}: {at}: {}: {}", p.sheet, p.row, p.code(), p.message(lang));
        }
    }
}

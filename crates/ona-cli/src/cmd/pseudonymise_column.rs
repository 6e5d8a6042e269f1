//! `ona pseudonymise-column`: one identifier per line in, its pseudonym per line out — the
//! core's `Pseudonymiser::pseudonymise_column`, as Python's `pseudonymise_many` and Kotlin's
//! `pseudonymiseMany` call it, for a column cut out of a spreadsheet or a partner's list.

use super::pseudonymiser_args::PseudonymiserArgs;
use crate::fail::{CmdResult, Fail};
use ona_core::pseudonym::IdentifierKind;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona pseudonymise-column`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pseudonymiser: PseudonymiserArgs,
    /// What the values are: name, document, text or national_id:TYPE (e.g. national_id:KZ_IIN).
    #[arg(long)]
    kind: String,
    /// The values, one per line (UTF-8; `\r\n` endings accepted); `-` for standard input.
    #[arg(long = "in")]
    input: PathBuf,
    /// The pseudonyms, one per line in the same order; an empty line where a value has no
    /// canonical form (blank, placeholder, an invalid ID). Written owner-only.
    #[arg(long)]
    out: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Runs `ona pseudonymise-column`.
pub fn run(a: Args) -> CmdResult {
    let mut inputs = vec![a.input.as_path()];
    inputs.extend(a.pseudonymiser.inputs());
    super::check_outputs(&inputs, &[&a.out], a.force)?;
    let kind: IdentifierKind = a.kind.parse().map_err(|e| Fail::usage(format!("--kind: {e}")))?;
    let p = a.pseudonymiser.pseudonymiser()?;
    let (mut input, _) = super::open_input(&a.input)?;
    let mut text = String::new();
    input.read_to_string(&mut text).map_err(|e| Fail::io("read", &a.input, e))?;
    let values: Vec<Option<&str>> =
        text.lines().map(|l| Some(l.strip_suffix('\r').unwrap_or(l))).collect();
    let column = p.pseudonymise_column(kind, values.as_slice());
    if column.nulled() > 0 {
        eprintln!(
            "ona: {} of {} values have no canonical form (blank, placeholder, particles only or an invalid ID), the first on line {}: an empty line in the output",
            column.nulled(),
            values.len(),
            column.first_nulled().map_or(0, |i| i + 1)
        );
    }
    super::write_data(&a.out, |w| {
        for i in 0..values.len() {
            w.write_all(column.get(i).unwrap_or("").as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

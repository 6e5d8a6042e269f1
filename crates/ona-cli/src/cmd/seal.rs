//! `ona seal`: encrypt and sign a file for one or more recipients.

use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::seal::{count_records, seal_file, ContentType, EncryptionPublicKey, Manifest};
use std::io::BufReader;
use std::path::Path;
use std::process::ExitCode;

/// Seals `input` into `out` for `to`, signed by the key file `sign`.
pub fn run(to: &[String], sign: &Path, input: &Path, out: &Path, content: &str) -> CmdResult {
    let content_type: ContentType = content.parse().map_err(Fail::usage)?;
    let recipients = to
        .iter()
        .map(|t| {
            t.parse::<EncryptionPublicKey>().map_err(|e| Fail::usage(format!("--to {t}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sender = load(sign)?;
    let file = std::fs::File::open(input).map_err(|e| Fail::io("read", input, e))?;
    let records = count_records(content_type, BufReader::new(file))
        .map_err(|e| Fail::io("read", input, e))?;
    let manifest = Manifest::new(content_type, records);
    seal_file(input, out, &manifest, &recipients, &sender)
        .map_err(|e| Fail::usage(format!("cannot seal: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

//! `ona seal`: encrypt and sign a file for one or more recipients.

use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::pseudonym::packed::{is_packed, PackedReader};
use ona_core::seal::{seal_file, ContentType, EncryptionPublicKey, Manifest};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::ExitCode;

/// Seals `input` into `out` for `to`, signed by the key file `sign`.
pub fn run(to: &[String], sign: &Path, input: &Path, out: &Path, content: &str) -> CmdResult {
    let content_type = match content {
        "cases" => ContentType::Cases,
        "report" => ContentType::Report,
        other => {
            return Err(Fail::usage(format!("--content must be cases or report, not {other}")))
        }
    };
    let recipients = to
        .iter()
        .map(|t| {
            t.parse::<EncryptionPublicKey>().map_err(|e| Fail::usage(format!("--to {t}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sender = load(sign)?;
    let records = match content_type {
        ContentType::Cases => count_records(input)?,
        ContentType::Report => 1,
    };
    let manifest = Manifest::new(content_type, records);
    seal_file(input, out, &manifest, &recipients, &sender)
        .map_err(|e| Fail::usage(format!("cannot seal: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

/// Counts the records of a file of cases: the non-blank lines of JSON Lines, or the records of
/// packed cases.
fn count_records(path: &Path) -> Result<u64, Fail> {
    let f = std::fs::File::open(path).map_err(|e| Fail::io("read", path, e))?;
    let mut n = 0;
    let mut r = BufReader::new(f);
    if is_packed(r.fill_buf().map_err(|e| Fail::io("read", path, e))?) {
        let records =
            PackedReader::new(r).map_err(|e| Fail::invalid(format!("{}: {e}", path.display())))?;
        for case in records {
            case.map_err(|e| Fail::invalid(format!("{}: {e}", path.display())))?;
            n += 1;
        }
        return Ok(n);
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        let k = r.read_until(b'\n', &mut line).map_err(|e| Fail::io("read", path, e))?;
        if k == 0 {
            return Ok(n);
        }
        if line.iter().any(|b| !b.is_ascii_whitespace()) {
            n += 1;
        }
    }
}

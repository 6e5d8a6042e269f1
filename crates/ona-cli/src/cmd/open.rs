//! `ona open`: verify and decrypt a sealed file; the output appears only if all verifies.

use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::seal::{open_file, OpenError, SigningPublicKey};
use std::path::Path;
use std::process::ExitCode;

/// Opens `input` into `out` with the key file `key`, optionally requiring sender `from`.
pub fn run(key: &Path, from: Option<&str>, input: &Path, out: &Path, json: bool) -> CmdResult {
    let from = from
        .map(|f| f.parse::<SigningPublicKey>().map_err(|e| Fail::usage(format!("--from {f}: {e}"))))
        .transpose()?;
    let id = load(key)?;
    match open_file(input, out, &id, from.as_ref()) {
        Ok(m) if json => {
            super::print_stdout(&format!("{}\n", json_output(&m, out)))?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(m) => {
            eprintln!(
                "verified: {} export {} from {} ({} records)",
                serde_json::to_string(&m.content_type).unwrap_or_default().trim_matches('"'),
                m.export_id,
                m.sender,
                m.record_count
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(OpenError::Io(e)) => Err(Fail::usage(format!("cannot open {}: {e}", input.display()))),
        Err(e) => Err(Fail::invalid(format!(
            "{} does not verify: {e}; nothing was written",
            input.display()
        ))),
    }
}

/// `ona open --json`: the verified manifest and where the content went.
fn json_output(m: &ona_core::seal::Manifest, out: &Path) -> serde_json::Value {
    serde_json::json!({ "verified": true, "out": out.display().to_string(), "manifest": m })
}

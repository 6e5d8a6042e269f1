//! `ona keygen`: create an organisation identity (secret key file, mode 0600).

use crate::fail::{CmdResult, Fail};
use ona_core::seal::Identity;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Writes a new secret key file to `out` and prints the two public keys.
pub fn run(out: &Path, force: bool) -> CmdResult {
    super::check_outputs(&[], &[out], force)?;
    let id = Identity::generate();
    super::write_secret(out, id.to_secret_text().as_bytes())?;
    // One write; a closed pipe (e.g. `| head -1`) is not an error of ours.
    let _ =
        writeln!(std::io::stdout().lock(), "{}\n{}", id.encryption_public(), id.signing_public());
    Ok(ExitCode::SUCCESS)
}

/// Reads a secret key file.
pub fn load(path: &Path) -> Result<Identity, Fail> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| Fail::io("read", path, e))?,
    );
    Identity::from_secret_text(&text).map_err(|e| Fail::usage(format!("{}: {e}", path.display())))
}

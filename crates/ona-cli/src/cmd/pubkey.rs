//! `ona pubkey`: print the public keys of a secret key file.

use crate::cmd::keygen::load;
use crate::fail::CmdResult;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Prints the encryption public key, then the signing public key.
pub fn run(key: &Path) -> CmdResult {
    let id = load(key)?;
    // One write; a closed pipe (e.g. `| head -1`) is not an error of ours.
    let _ =
        writeln!(std::io::stdout().lock(), "{}\n{}", id.encryption_public(), id.signing_public());
    Ok(ExitCode::SUCCESS)
}

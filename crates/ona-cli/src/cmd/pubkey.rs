//! `ona pubkey`: print the public keys of a secret key file.

use crate::cmd::keygen::load;
use crate::fail::CmdResult;
use std::path::Path;
use std::process::ExitCode;

/// Prints the encryption public key, then the signing public key.
pub fn run(key: &Path) -> CmdResult {
    let id = load(key)?;
    println!("{}", id.encryption_public());
    println!("{}", id.signing_public());
    Ok(ExitCode::SUCCESS)
}

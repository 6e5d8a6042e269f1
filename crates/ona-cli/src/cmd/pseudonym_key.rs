//! `ona pseudonym-key`: a new pseudonymisation master key file, readable by its owner only.

use crate::fail::CmdResult;
use ona_core::pseudonym::MasterKey;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona pseudonym-key`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to write the key file (mode 0600).
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

/// Runs `ona pseudonym-key`.
pub fn run(a: Args) -> CmdResult {
    super::check_outputs(&[], &[&a.out], a.force)?;
    let key = MasterKey::generate();
    let text = zeroize::Zeroizing::new(format!(
        "# ona pseudonymisation master key: keep it secret, keep a backup.\n{}",
        key.to_key_file().as_str()
    ));
    super::write_secret(&a.out, text.as_bytes())?;
    eprintln!(
        "wrote pseudonymisation master key (generation {}) to {}",
        key.generation(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

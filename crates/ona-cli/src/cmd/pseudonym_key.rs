//! `ona pseudonym-key`: a new pseudonymisation master key file, readable by its owner only.

use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::pseudonym::MasterKey;
use std::io::Write;
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
    if a.out.exists() && !a.force {
        return Err(Fail::usage(format!("{} exists; use --force to replace it", a.out.display())));
    }
    let key = MasterKey::generate();
    let mut f = AtomicFile::create(&a.out).map_err(|e| Fail::io("create", &a.out, e))?;
    f.owner_only().map_err(|e| Fail::io("protect", &a.out, e))?;
    f.write_all(b"# ona pseudonymisation master key: keep it secret, keep a backup.\n")
        .and_then(|_| f.write_all(key.to_key_file().as_bytes()))
        .map_err(|e| Fail::io("write", &a.out, e))?;
    f.commit().map_err(|e| Fail::io("write", &a.out, e))?;
    eprintln!(
        "wrote pseudonymisation master key (generation {}) to {}",
        key.generation(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

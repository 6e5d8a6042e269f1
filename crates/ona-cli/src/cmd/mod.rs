//! One module per subcommand.

pub mod audit;
pub mod codes;
pub mod demo;
pub mod inspect;
pub mod keygen;
pub mod merge;
pub mod open;
pub mod pseudonym_key;
pub mod pseudonymise;
pub mod pubkey;
pub mod report;
pub mod schema;
pub mod seal;
pub mod synth;
pub mod validate;

use crate::fail::Fail;
use ona_core::atomic_file::AtomicFile;
use std::io::Write;
use std::path::Path;

/// Writes an output file whole or not at all, readable by others (not a secret).
pub fn write_output(
    path: &Path,
    write: impl FnOnce(&mut AtomicFile) -> std::io::Result<()>,
) -> Result<(), Fail> {
    let mut f = AtomicFile::create(path).map_err(|e| Fail::io("create", path, e))?;
    f.shareable().map_err(|e| Fail::io("set permissions of", path, e))?;
    write(&mut f).and_then(|_| f.flush()).map_err(|e| Fail::io("write", path, e))?;
    f.commit().map_err(|e| Fail::io("write", path, e))
}

/// Writes a secret file whole or not at all, readable by its owner only (mode 0600).
pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let mut f = AtomicFile::create(path).map_err(|e| Fail::io("create", path, e))?;
    f.owner_only().map_err(|e| Fail::io("protect", path, e))?;
    f.write_all(bytes).map_err(|e| Fail::io("write", path, e))?;
    f.commit().map_err(|e| Fail::io("write", path, e))
}

/// Prints `text` on standard output. A closed pipe (`ona codes | head`) is not an error: the
/// reader has what it wanted.
pub fn print_stdout(text: &str) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fail::usage(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

/// A progress bar on stderr for long steps, hidden when stderr is not a terminal.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

//! One module per subcommand.

pub mod audit;
pub mod cases_to_xlsx;
pub mod codes;
pub mod demo;
pub mod directory;
pub mod html;
pub mod import;
pub mod inspect;
pub mod keygen;
pub mod mapping;
pub mod merge;
pub mod open;
pub mod pseudonym_key;
pub mod pseudonymise;
pub mod pseudonymise_column;
pub mod pseudonymiser_args;
pub mod pubkey;
pub mod report;
pub mod schema;
pub mod seal;
pub mod synth;
pub mod validate;

use crate::fail::Fail;
use ona_core::atomic_file::{parent_dir, AtomicFile};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether `path` is `-`, standard input or output.
pub fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Opens an input file, or standard input for `-`; returns it with its size (0 when unknown).
pub fn open_input(path: &Path) -> Result<(Box<dyn std::io::Read>, u64), Fail> {
    if is_dash(path) {
        return Ok((Box::new(std::io::stdin()), 0));
    }
    let f = std::fs::File::open(path).map_err(|e| Fail::io("open", path, e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    Ok((Box::new(f), size))
}

/// Refuses `-` where a command needs a file it can read twice or check before reading.
pub fn refuse_dash_input(path: &Path, why: &str) -> Result<(), Fail> {
    if is_dash(path) {
        return Err(Fail::usage(format!("--in -: {why}; give a file name")));
    }
    Ok(())
}

/// Whether two paths name the same file: the same (device, inode) on Unix, which sees through
/// hard and symbolic links, else the same canonical path.
pub fn same_file_as(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return (x.dev(), x.ino()) == (y.dev(), y.ino());
        }
    }
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The path an output will have, with its folder made canonical (two spellings of one output
/// compare equal even before it exists).
fn canonical_output(path: &Path) -> Option<PathBuf> {
    let dir = parent_dir(path).canonicalize().ok()?;
    Some(dir.join(path.file_name()?))
}

/// Checks every output of a command before any work is done or any budget spent: its folder
/// exists and is writable, it is not a folder, not one of the `inputs` (also through links),
/// not named twice, and it does not exist yet unless `force` is given. The attacker in view is
/// the user's own slip: `--out` naming the only copy of a case file.
///
/// `-` among the outputs is refused (commands that can write to standard output leave it out).
pub fn check_outputs(inputs: &[&Path], outputs: &[&Path], force: bool) -> Result<(), Fail> {
    let mut seen: Vec<PathBuf> = Vec::new();
    for out in outputs {
        let shown = out.display();
        if is_dash(out) {
            return Err(Fail::usage(
                "this command cannot write to standard output (`-`); give a file name",
            ));
        }
        let dir = parent_dir(out);
        match std::fs::metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Fail::usage(format!(
                    "cannot write {shown}: {} is not a folder",
                    dir.display()
                )))
            }
            Err(_) => {
                return Err(Fail::usage(format!(
                    "cannot write {shown}: the folder {} does not exist",
                    dir.display()
                )))
            }
        }
        if out.file_name().is_none() || out.is_dir() {
            return Err(Fail::usage(format!("cannot write {shown}: it is a folder")));
        }
        for input in inputs.iter().filter(|i| !is_dash(i)) {
            if same_file_as(out, input) {
                return Err(Fail::usage(format!(
                    "refusing to write {shown}: it is the input {} (nothing was changed)",
                    input.display()
                )));
            }
        }
        if let Some(c) = canonical_output(out) {
            if seen.contains(&c) {
                return Err(Fail::usage(format!("{shown} is named as two outputs")));
            }
            seen.push(c);
        }
        if std::fs::symlink_metadata(out).is_ok() && !force {
            return Err(Fail::usage(format!(
                "{shown} exists; use --force to overwrite it (nothing was changed)"
            )));
        }
        // Writable: make (and drop) the temporary file the real run will make.
        AtomicFile::create(out).map_err(|e| {
            Fail::usage(format!("cannot write {shown}: folder {}: {e}", dir.display()))
        })?;
    }
    Ok(())
}

/// Writes an output file whole or not at all, readable by others (not a secret); `-` writes
/// to standard output.
pub fn write_output(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Fail> {
    write_file(path, true, write)
}

/// Writes a file of case data (identified or pseudonymised records, rejects quoting their
/// values) whole or not at all, readable by its owner only (mode 0600); `-` writes to
/// standard output.
pub fn write_data(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Fail> {
    write_file(path, false, write)
}

fn write_file(
    path: &Path,
    shareable: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Fail> {
    if is_dash(path) {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        return write(&mut out)
            .and_then(|_| out.flush())
            .map_err(|e| Fail::usage(format!("cannot write output: {e}")));
    }
    let mut f = AtomicFile::create(path).map_err(|e| Fail::io("create", path, e))?;
    if shareable {
        f.shareable().map_err(|e| Fail::io("set permissions of", path, e))?;
    }
    write(&mut f).and_then(|_| f.flush()).map_err(|e| Fail::io("write", path, e))?;
    f.commit().map_err(|e| Fail::io("write", path, e))
}

/// Several output files written together: each is rendered into its temporary file, and all are
/// moved into place only once every one is written, so a failure leaves none of them.
pub fn write_all_or_none(files: Vec<(PathBuf, Vec<u8>)>) -> Result<(), Fail> {
    let mut ready = Vec::new();
    for (path, bytes) in &files {
        let mut f = AtomicFile::create(path).map_err(|e| Fail::io("create", path, e))?;
        f.shareable().map_err(|e| Fail::io("set permissions of", path, e))?;
        f.write_all(bytes).and_then(|_| f.flush()).map_err(|e| Fail::io("write", path, e))?;
        ready.push(f);
    }
    for f in ready {
        let path = f.destination().to_path_buf();
        f.commit().map_err(|e| Fail::io("write", &path, e))?;
    }
    Ok(())
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

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns progress bars and progress messages off (`--quiet`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// A progress bar on stderr for long steps, hidden when stderr is not a terminal or with
/// `--quiet`.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let target = if quiet() {
        indicatif::ProgressDrawTarget::hidden()
    } else {
        indicatif::ProgressDrawTarget::stderr()
    };
    let bar = indicatif::ProgressBar::with_draw_target(Some(len), target);
    let style = indicatif::ProgressStyle::with_template(
        "{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

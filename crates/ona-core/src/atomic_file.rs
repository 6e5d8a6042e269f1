//! Outputs that appear whole or not at all, and leave nothing behind when a run is cut short.
//!
//! Every file ona writes goes to a temporary file in the destination's directory first, and
//! gets a name only when the caller calls [`AtomicFile::commit`] after everything has been
//! written and verified. The attacker in view is someone who later reads the output folder
//! (a shared drive, a backup, the next user of the laptop) after a run was interrupted:
//!
//! - On Linux the temporary file is created *unnamed* (`O_TMPFILE`): until commit it has no
//!   directory entry at all, so Ctrl-C, SIGTERM, SIGKILL or a power cut leave nothing behind —
//!   the kernel frees it with the last descriptor. On commit it is linked under a fresh hidden
//!   name and renamed over the destination, then the directory is fsynced.
//! - Where the OS or file system cannot do that, the temporary file is a hidden
//!   `.ona-tmp-<pid>-<random>` file, deleted when dropped. A program's signal handler removes
//!   the ones still open with [`remove_pending_temporaries`] (the CLI does, on Ctrl-C, SIGTERM
//!   and SIGHUP); one left by SIGKILL is removed by [`sweep_stale`], which every
//!   [`AtomicFile::create`] calls on its directory.
//!
//! Files are created owner-only (mode 0600): pseudonymised and decrypted data stay private
//! unless the caller asks otherwise with [`AtomicFile::shareable`].

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Named temporary files not yet committed, for [`remove_pending_temporaries`].
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every named temporary file this process has open and not committed: for a signal
/// handler that is about to end the process (unnamed temporary files need nothing).
pub fn remove_pending_temporaries() {
    for path in pending().drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// The prefix of every named temporary file, followed by the writer's process id and `-`.
pub const TEMP_PREFIX: &str = ".ona-tmp-";

/// A file being written that becomes visible at its destination only on [`commit`](Self::commit).
#[derive(Debug)]
pub struct AtomicFile {
    dest: PathBuf,
    dir: PathBuf,
    tmp: BufWriter<Temp>,
}

/// Where the bytes go until commit.
#[derive(Debug)]
enum Temp {
    /// An unnamed file (Linux `O_TMPFILE`): nothing to clean up, ever.
    #[cfg(target_os = "linux")]
    Unnamed(File),
    /// A hidden named file, deleted on drop.
    Named(tempfile::NamedTempFile),
}

impl Temp {
    fn file(&self) -> &File {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f,
            Temp::Named(t) => t.as_file(),
        }
    }
}

impl Write for Temp {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f.write(buf),
            Temp::Named(t) => t.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f.flush(),
            Temp::Named(t) => t.flush(),
        }
    }
}

/// The directory a destination path lives in (`.` for a bare file name).
pub fn parent_dir(dest: &Path) -> PathBuf {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A builder of hidden temporary names carrying this process's id, for [`sweep_stale`].
fn temp_builder<'a>(prefix: &'a str) -> tempfile::Builder<'a, 'a> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    b
}

fn own_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

impl AtomicFile {
    /// Starts writing a file that will replace `dest` on commit.
    ///
    /// The temporary file is created in `dest`'s directory (so the final rename is atomic) and
    /// is readable and writable by its owner only. Stale temporary files of killed runs in that
    /// directory are removed first ([`sweep_stale`]).
    pub fn create(dest: impl AsRef<Path>) -> io::Result<Self> {
        let dest = dest.as_ref().to_path_buf();
        let dir = parent_dir(&dest);
        sweep_stale(&dir);
        #[cfg(target_os = "linux")]
        if let Some(f) = unnamed_in(&dir)? {
            return Ok(Self {
                dest,
                dir,
                tmp: BufWriter::with_capacity(64 * 1024, Temp::Unnamed(f)),
            });
        }
        Self::create_named(dest)
    }

    /// As [`create`](Self::create), always with a hidden named temporary file (what systems
    /// without unnamed files get).
    pub fn create_named(dest: impl AsRef<Path>) -> io::Result<Self> {
        let dest = dest.as_ref().to_path_buf();
        let dir = parent_dir(&dest);
        let prefix = own_prefix();
        let tmp = temp_builder(&prefix).tempfile_in(&dir)?;
        set_mode(tmp.as_file(), 0o600)?;
        pending().push(tmp.path().to_path_buf());
        Ok(Self { dest, dir, tmp: BufWriter::with_capacity(64 * 1024, Temp::Named(tmp)) })
    }

    /// The final path this file will have after commit.
    pub fn destination(&self) -> &Path {
        &self.dest
    }

    /// Whether the temporary file has no name (nothing can be left behind, even by SIGKILL).
    pub fn is_unnamed(&self) -> bool {
        match self.tmp.get_ref() {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(_) => true,
            Temp::Named(_) => false,
        }
    }

    /// Makes the file owner-only (mode 0600 on Unix), which is how it is created.
    pub fn owner_only(&self) -> io::Result<()> {
        set_mode(self.tmp.get_ref().file(), 0o600)
    }

    /// Makes the file readable by others too (mode 0644 on Unix), for non-secret outputs.
    pub fn shareable(&self) -> io::Result<()> {
        set_mode(self.tmp.get_ref().file(), 0o644)
    }

    /// Flushes, syncs and moves the file into place, replacing any existing file, then syncs
    /// the directory so the new name survives a crash.
    pub fn commit(self) -> io::Result<()> {
        let tmp = self.tmp.into_inner().map_err(|e| e.into_error())?;
        tmp.file().sync_all()?;
        match tmp {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => {
                let named = link_unnamed(&f, &self.dir)?;
                named.persist(&self.dest).map_err(|e| e.error)?;
            }
            Temp::Named(t) => {
                let path = t.path().to_path_buf();
                pending().retain(|p| *p != path);
                t.persist(&self.dest).map_err(|e| e.error)?;
            }
        }
        sync_dir(&self.dir)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(unix)]
fn set_mode(f: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &File, _: u32) -> io::Result<()> {
    Ok(())
}

/// Syncs a directory's entries to disk (a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    let _ = dir;
    Ok(())
}

/// An unnamed owner-only file in `dir`, or `None` where the file system cannot make one (the
/// caller then uses a named one). A missing or unwritable `dir` is an error.
#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path) -> io::Result<Option<File>> {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    // Linking an unnamed file into place goes through /proc; without it, use a named file.
    if !Path::new("/proc/self/fd").is_dir() {
        return Ok(None);
    }
    let flags = OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC;
    match openat(CWD, dir, flags, Mode::from_raw_mode(0o600)) {
        Ok(fd) => Ok(Some(File::from(fd))),
        Err(e) if e == rustix::io::Errno::OPNOTSUPP || e == rustix::io::Errno::ISDIR => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Gives an unnamed file a fresh hidden name in `dir` (removed again if the caller fails
/// before renaming it).
#[cfg(target_os = "linux")]
fn link_unnamed(f: &File, dir: &Path) -> io::Result<tempfile::TempPath> {
    use rustix::fs::{linkat, AtFlags, CWD};
    use std::os::fd::AsRawFd;
    let proc_path = format!("/proc/self/fd/{}", f.as_raw_fd());
    let prefix = own_prefix();
    let named = temp_builder(&prefix).make_in(dir, |path| {
        linkat(CWD, proc_path.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW).map_err(io::Error::from)
    })?;
    Ok(named.into_temp_path())
}

/// Removes the hidden temporary files that killed runs left in `dir`: those whose writer's
/// process no longer exists. Files of running processes are left alone. Errors are ignored
/// (this is housekeeping; the run goes on). Linux only, where process ids can be checked.
pub fn sweep_stale(dir: &Path) {
    #[cfg(target_os = "linux")]
    {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
                continue;
            };
            let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
                continue;
            };
            let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
            if is_file && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"partial").unwrap();
            f.flush().unwrap();
        }
        assert!(!dest.exists());
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_unfinished_file_has_no_name_while_written() {
        // The attacker lists the folder while (or after) a run writes decrypted data.
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(dir.path().join("out.txt")).unwrap();
        f.write_all(&[b'x'; 200_000]).unwrap();
        f.flush().unwrap();
        assert!(f.is_unnamed(), "tmpfs and ext4 support O_TMPFILE");
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn committed_file_appears_whole_and_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        std::fs::write(&dest, b"old").unwrap();
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new content").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"old");
        f.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new content");
        assert_eq!(names(dir.path()), vec!["out.txt".to_string()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn shareable_files_are_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("report.json");
        let f = AtomicFile::create(&dest).unwrap();
        f.shareable().unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o644);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_nothing_internal() {
        let dir = tempfile::tempdir().unwrap();
        let err = AtomicFile::create(dir.path().join("nope/out.txt")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_signal_handler_removes_named_temporaries() {
        // As on a file system without unnamed files (NFS, SMB): Ctrl-C mid-write.
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create_named(dir.path().join("opened.jsonl")).unwrap();
        f.write_all(b"decrypted case data").unwrap();
        f.flush().unwrap();
        assert_eq!(names(dir.path()).len(), 1);
        remove_pending_temporaries();
        assert_eq!(names(dir.path()), Vec::<String>::new());
        std::mem::forget(f); // the process would end here
                             // A committed named file is not touched by a later handler.
        let dest = dir.path().join("kept.jsonl");
        let mut f = AtomicFile::create_named(&dest).unwrap();
        f.write_all(b"whole").unwrap();
        f.commit().unwrap();
        remove_pending_temporaries();
        assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn sweep_removes_temporaries_of_dead_processes_only() {
        let dir = tempfile::tempdir().unwrap();
        // A process id above the kernel's maximum (4194304) never runs.
        let dead = dir.path().join(format!("{TEMP_PREFIX}999999999-abc"));
        let alive = dir.path().join(format!("{TEMP_PREFIX}{}-abc", std::process::id()));
        let other = dir.path().join("cases.jsonl");
        for p in [&dead, &alive, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        sweep_stale(dir.path());
        assert!(!dead.exists());
        assert!(alive.exists());
        assert!(other.exists());
    }
}

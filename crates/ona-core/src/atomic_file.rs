//! Outputs that appear whole or not at all.
//!
//! Every file ona writes goes to a temporary file in the destination's directory first, and is
//! renamed into place only when the caller calls [`AtomicFile::commit`] after everything has been
//! written and verified. Dropping an uncommitted [`AtomicFile`] deletes the temporary file, so a
//! failure part-way leaves neither a partial output nor a stale temporary behind.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written that becomes visible at its destination only on [`commit`](Self::commit).
#[derive(Debug)]
pub struct AtomicFile {
    dest: PathBuf,
    tmp: BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing a file that will replace `dest` on commit.
    ///
    /// The temporary file is created next to `dest` (same directory, so the rename is atomic)
    /// and is readable and writable by its owner only.
    pub fn create(dest: impl AsRef<Path>) -> io::Result<Self> {
        let dest = dest.as_ref().to_path_buf();
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new().prefix(".ona-tmp-").tempfile_in(dir)?;
        Ok(Self { dest, tmp: BufWriter::with_capacity(64 * 1024, tmp) })
    }

    /// The final path this file will have after commit.
    pub fn destination(&self) -> &Path {
        &self.dest
    }

    /// Makes the file owner-only (mode 0600 on Unix) before it is committed.
    ///
    /// Temporary files are already created owner-only; this is a no-op kept for clarity at call
    /// sites that write secrets.
    pub fn owner_only(&self) -> io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let f: &File = self.tmp.get_ref().as_file();
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }

    /// Flushes, syncs and renames the file into place, replacing any existing file.
    pub fn commit(self) -> io::Result<()> {
        let tmp = self.tmp.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.dest).map_err(|e| e.error)?;
        Ok(())
    }

    /// Makes the file readable by others too (mode 0644 on Unix), for non-secret outputs.
    pub fn shareable(&self) -> io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let f: &File = self.tmp.get_ref().as_file();
            f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"partial").unwrap();
        }
        assert!(!dest.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn committed_file_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        std::fs::write(&dest, b"old").unwrap();
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new content").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"old");
        f.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new content");
    }
}

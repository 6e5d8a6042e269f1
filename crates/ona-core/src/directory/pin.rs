//! The reader's trust in a directory: the hub signing key it pins, and the highest serial it
//! has accepted (so an older directory cannot replace a newer one).
//!
//! A pin is a small JSON file kept next to the organisation's secret key file
//! ([`pin_path_for_key`]), owner-only like the key. Its limit: a reader that never saw the newer
//! directory (a fresh install, a deleted pin) accepts any directory signed by the hub, however
//! old; the hub should therefore revoke by issuing a new directory *and* telling members.

use super::{Directory, DirectoryError};
use crate::atomic_file::AtomicFile;
use crate::seal::SigningPublicKey;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The hub key a reader trusts and the highest directory serial it has accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The hub's signing public key (`onasig1…`), obtained from the hub in person.
    pub hub: String,
    /// Highest directory serial accepted so far (0: none yet).
    pub serial: u64,
}

/// Where the pin of the key file `key` lives: the same path with `.pin` appended.
pub fn pin_path_for_key(key: &Path) -> PathBuf {
    let mut s = key.as_os_str().to_owned();
    s.push(".pin");
    PathBuf::from(s)
}

impl Pin {
    /// A new pin of `hub` that has accepted nothing yet.
    pub fn new(hub: &SigningPublicKey) -> Pin {
        Pin { hub: hub.to_string(), serial: 0 }
    }

    /// The pinned hub key.
    pub fn hub_key(&self) -> Result<SigningPublicKey, DirectoryError> {
        self.hub.parse().map_err(|e| DirectoryError::Malformed(format!("pin: hub key: {e}")))
    }

    /// Reads a pin file; `Ok(None)` if there is none.
    pub fn load(path: &Path) -> Result<Option<Pin>, String> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| format!("{}: not a directory pin: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Writes the pin (owner-only, atomically).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut f = AtomicFile::create(path)?;
        f.owner_only()?;
        serde_json::to_writer(&mut f, self)?;
        f.write_all(b"\n")?;
        f.commit()
    }

    /// Verifies `bytes` against the pinned hub key and refuses a serial lower than the highest
    /// accepted; on success raises the remembered serial (save the pin afterwards). The same
    /// serial is accepted again (the same directory is read many times).
    pub fn accept(&mut self, bytes: &[u8]) -> Result<Directory, DirectoryError> {
        let d = Directory::verify(bytes, &self.hub_key()?)?;
        if d.serial < self.serial {
            return Err(DirectoryError::Rollback { found: d.serial, seen: self.serial });
        }
        self.serial = d.serial;
        Ok(d)
    }
}

//! The key that authenticates the lines of the privacy-budget ledger and of the release log
//! (HMAC-SHA256 chains): 32 random bytes the hub keeps in an owner-only key file.
//!
//! Below `signed_log`, which signs with it, and the ledger, which opens with it: this file
//! imports neither.

use crate::report::error::ReportError;
use ring::hmac;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// Lower-case hex of `b` (the form of key files and key ids).
fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The key that authenticates ledger lines: 32 random bytes, kept by the hub in a key file of
/// 64 hex digits (owner-only). Zeroized when dropped.
pub struct LedgerKey {
    bytes: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LedgerKey({})", self.id())
    }
}

impl LedgerKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> LedgerKey {
        LedgerKey { bytes: Zeroizing::new(bytes) }
    }

    /// A fresh random key.
    pub fn generate() -> Result<LedgerKey, ReportError> {
        use ring::rand::SecureRandom;
        let mut k = Zeroizing::new([0u8; 32]);
        ring::rand::SystemRandom::new()
            .fill(&mut k[..])
            .map_err(|_| std::io::Error::other("the operating system's random generator failed"))?;
        Ok(LedgerKey { bytes: k })
    }

    /// Reads the key file at `path` (64 hex digits, surrounding whitespace allowed).
    pub fn load(path: &Path) -> Result<LedgerKey, ReportError> {
        let bad = |reason: &str| ReportError::Ledger {
            path: path.display().to_string(),
            reason: format!("ledger key file: {reason}"),
        };
        let mut text = Zeroizing::new(String::new());
        File::open(path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| bad(&e.to_string()))?;
        let hex = text.trim().as_bytes();
        if hex.len() != 64 {
            return Err(bad("expected 64 hex digits"));
        }
        let mut k = Zeroizing::new([0u8; 32]);
        for (i, pair) in hex.chunks(2).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
            match (digit(pair[0]), digit(pair[1])) {
                (Some(h), Some(l)) => k[i] = h << 4 | l,
                _ => return Err(bad("expected 64 hex digits")),
            }
        }
        Ok(LedgerKey { bytes: k })
    }

    /// Reads the key file at `path`, or makes a fresh key and writes it there (owner-only, never
    /// over an existing file). Returns the key and whether it was created.
    pub fn load_or_create(path: &Path) -> Result<(LedgerKey, bool), ReportError> {
        if path.exists() {
            return Ok((LedgerKey::load(path)?, false));
        }
        let key = LedgerKey::generate()?;
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let io = |e: std::io::Error| ReportError::Ledger {
            path: path.display().to_string(),
            reason: format!("cannot create the ledger key file: {e}"),
        };
        let mut f = opts.open(path).map_err(io)?;
        let mut hex = Zeroizing::new(to_hex(&key.bytes[..]));
        hex.push('\n');
        f.write_all(hex.as_bytes()).and_then(|()| f.sync_all()).map_err(io)?;
        Ok((key, true))
    }

    /// A short public id of the key (16 hex digits), written in the ledger's header so that a
    /// wrong key is named as such.
    pub fn id(&self) -> String {
        let mut c = ring::digest::Context::new(&ring::digest::SHA256);
        c.update(b"ona ledger key id\0");
        c.update(&self.bytes[..]);
        to_hex(&c.finish().as_ref()[..8])
    }

    /// The HMAC key of the chain.
    pub(crate) fn hmac(&self) -> hmac::Key {
        hmac::Key::new(hmac::HMAC_SHA256, &self.bytes[..])
    }
}

//! The binary header: layout, limits, canonical parsing and what can be told without a key.
//!
//! ```text
//! offset        size  field
//! 0             8     magic "ona-seal"
//! 8             1     version = 2 (1 is still read)
//! 9             2     suite id, big-endian = 0x0001
//! 11            1     n = recipient count, 1..=64
//! 12            32    salt (random)
//! 44            80·n  stanzas: HPKE enc (32) ‖ wrapped file key (32 + 16-byte tag)
//! 44+80n        32    key commitment
//! 76+80n        32    header MAC (HMAC-SHA256)
//! ```

use super::error::OpenError;
use std::io::Read;

/// Magic bytes that open every sealed file.
pub const MAGIC: &[u8; 8] = b"ona-seal";
/// The format version this build writes. Version 2 differs from version 1 only in the digest
/// the sender signs (see `content_digest`); this build still opens version 1 files.
pub const VERSION: u8 = 2;
/// The oldest format version this build opens.
pub const OLDEST_READABLE_VERSION: u8 = 1;
/// Suite 1: HPKE base DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/ChaCha20-Poly1305, HKDF-SHA256,
/// HMAC-SHA256, STREAM ChaCha20-Poly1305 with 64 KiB chunks, Ed25519, SHA-256.
pub const SUITE: u16 = 0x0001;
/// Most recipients one file may have.
pub const MAX_RECIPIENTS: usize = 64;
/// Size of the fixed prefix before the stanzas.
pub const PREFIX_LEN: usize = 44;
/// Size of one recipient stanza.
pub const STANZA_LEN: usize = 80;
/// Largest possible header (64 recipients).
pub const MAX_HEADER_LEN: usize = header_len(MAX_RECIPIENTS);

/// Length of a header with `n` recipients.
pub const fn header_len(n: usize) -> usize {
    PREFIX_LEN + STANZA_LEN * n + 64
}

/// A parsed, canonical (but not yet authenticated) header.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    /// The exact header bytes, MAC included.
    pub bytes: Vec<u8>,
}

impl Header {
    pub fn prefix(&self) -> &[u8] {
        &self.bytes[..PREFIX_LEN]
    }
    pub fn salt(&self) -> &[u8] {
        &self.bytes[12..PREFIX_LEN]
    }
    pub fn count(&self) -> usize {
        self.bytes[11] as usize
    }
    pub fn version(&self) -> u8 {
        self.bytes[8]
    }
    pub fn stanza(&self, i: usize) -> (&[u8], &[u8]) {
        let s = &self.bytes[PREFIX_LEN + STANZA_LEN * i..PREFIX_LEN + STANZA_LEN * (i + 1)];
        (&s[..32], &s[32..])
    }
    pub fn commitment(&self) -> &[u8] {
        let n = self.bytes.len();
        &self.bytes[n - 64..n - 32]
    }
    /// Everything the MAC covers.
    pub fn mac_input(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 32]
    }
    pub fn mac(&self) -> &[u8] {
        &self.bytes[self.bytes.len() - 32..]
    }

    /// Reads exactly one header from `r`, checking structure and canonical form.
    pub fn read_from(r: &mut impl Read) -> Result<Header, OpenError> {
        let mut bytes = vec![0u8; 12];
        read_exact_or(r, &mut bytes, "shorter than the fixed header")?;
        let n = check_fixed(&bytes)?;
        bytes.resize(header_len(n), 0);
        read_exact_or(r, &mut bytes[12..], "header ends early")?;
        let h = Header { bytes };
        h.check_stanzas()?;
        Ok(h)
    }

    /// Parses a header at the start of `data`.
    pub fn parse(data: &[u8]) -> Result<Header, OpenError> {
        Self::read_from(&mut &data[..])
    }

    fn check_stanzas(&self) -> Result<(), OpenError> {
        for i in 0..self.count() {
            for j in 0..i {
                if self.stanza(i).0 == self.stanza(j).0 {
                    return Err(OpenError::HeaderMalformed(
                        "two stanzas share an encapsulated key",
                    ));
                }
            }
        }
        Ok(())
    }
}

fn read_exact_or(r: &mut impl Read, buf: &mut [u8], what: &'static str) -> Result<(), OpenError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => OpenError::HeaderMalformed(what),
        _ => OpenError::Io(e),
    })
}

/// Checks the 12 fixed bytes and returns the recipient count.
fn check_fixed(b: &[u8]) -> Result<usize, OpenError> {
    if &b[..8] != MAGIC {
        return Err(OpenError::HeaderMalformed("not an ona sealed file (bad magic)"));
    }
    if !(OLDEST_READABLE_VERSION..=VERSION).contains(&b[8]) {
        return Err(OpenError::UnsupportedVersion(b[8]));
    }
    let suite = u16::from_be_bytes([b[9], b[10]]);
    if suite != SUITE {
        return Err(OpenError::UnsupportedSuite(suite));
    }
    let n = b[11] as usize;
    if n == 0 {
        return Err(OpenError::HeaderMalformed("no recipient stanza"));
    }
    if n > MAX_RECIPIENTS {
        return Err(OpenError::LimitExceeded("more than 64 recipients"));
    }
    Ok(n)
}

/// What can be told about a sealed file without a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderInfo {
    /// Format version.
    pub version: u8,
    /// Cipher suite id.
    pub suite: u16,
    /// Number of recipient stanzas (recipients are not identified).
    pub recipients: usize,
    /// Header size in bytes; the encrypted payload follows it.
    pub header_len: usize,
}

/// Tells what can be told about a sealed file from its first bytes, without any key.
///
/// `data` needs to hold at least the header (at most [`MAX_HEADER_LEN`] bytes); the header is
/// checked for structure and canonical form but not authenticated.
pub fn inspect(data: &[u8]) -> Result<HeaderInfo, OpenError> {
    let h = Header::parse(data)?;
    Ok(HeaderInfo {
        version: h.version(),
        suite: SUITE,
        recipients: h.count(),
        header_len: h.bytes.len(),
    })
}

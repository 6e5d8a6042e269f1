//! The network directory: who belongs to the network, with which keys, since when and until
//! when (issue 15). Specified in `docs/directory.md`.
//!
//! One file, signed by the hub's Ed25519 signing key, lists every organisation (centre, hub,
//! analyst) with its encryption and signing public keys, its validity and its revocation. A
//! recipient checks the sender of every export against it ([`SenderPolicy`]); a sender looks up
//! recipients by name. The directory carries a serial number that only grows: a reader that
//! remembers the highest serial it accepted ([`Pin`]) refuses an older directory, so an attacker
//! cannot bring back an organisation that was revoked by replaying an old file.
//!
//! The attacker this stops: anyone holding the hub's public encryption key (it is public) who
//! seals fabricated cases with a key of their own making. Without a directory, `open` proves
//! only that *someone* signed the file; with it, that a listed, unrevoked member did, with a key
//! valid when the export says it was made.

mod edit;
mod entry;
mod pin;
mod sender;
#[cfg(test)]
mod tests;
mod time;

pub use entry::{Entry, Role, Status};
pub use pin::{pin_path_for_key, Pin};
pub use sender::{open_checked, open_file_checked, open_reader_checked, SenderPolicy};
pub use time::{format_time, now, parse_time};

use crate::seal::{Identity, SigningPublicKey};
use serde::{Deserialize, Serialize};

/// The `format` member of a directory file.
pub const FORMAT: &str = "ona-directory/1";
/// The signature label: the hub signs `LABEL ‖ 0x00 ‖ canonical body`.
const LABEL: &[u8] = b"ona/directory/v1";
/// Largest directory file accepted (about 4 000 organisations).
pub const MAX_DIRECTORY_LEN: usize = 4 << 20;

/// A directory could not be read, verified, edited or used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DirectoryError {
    /// The file is not a directory in canonical form.
    #[error("not a valid ona directory: {0}")]
    Malformed(String),
    /// The directory is signed by another key than the pinned hub key.
    #[error("the directory is signed by {found}, not by the pinned hub key {pinned}")]
    WrongSigner {
        /// The key the directory names as its signer.
        found: String,
        /// The key the reader trusts.
        pinned: String,
    },
    /// The signature does not verify: the directory was changed after signing.
    #[error("the directory's signature does not verify: it was changed after the hub signed it")]
    BadSignature,
    /// An older directory than one already accepted.
    #[error("directory serial {found} is older than serial {seen} already accepted: refusing a rollback")]
    Rollback {
        /// Serial of the offered directory.
        found: u64,
        /// Highest serial accepted before.
        seen: u64,
    },
    /// The sender's signing key is not listed.
    #[error("sender {0} is not in the network directory")]
    NotListed(String),
    /// The sender is listed under another id than the one required.
    #[error("sender is `{found}` in the directory, not `{expected}`")]
    OtherOrganisation {
        /// The id required by the caller.
        expected: String,
        /// The id the key belongs to.
        found: String,
    },
    /// The sender's key was revoked.
    #[error("the key of `{id}` was revoked at {at}")]
    Revoked {
        /// The organisation id.
        id: String,
        /// When (RFC 3339).
        at: String,
    },
    /// The export was made outside the key's validity.
    #[error("the key of `{id}` was not valid at the export's creation time {at} (valid {from} to {until})")]
    OutsideValidity {
        /// The organisation id.
        id: String,
        /// Creation time of the export (RFC 3339).
        at: String,
        /// Start of validity (RFC 3339).
        from: String,
        /// End of validity (RFC 3339) or `open`.
        until: String,
    },
    /// No organisation with this id has a usable key now.
    #[error("no organisation `{0}` with a valid, unrevoked key in the directory")]
    UnknownName(String),
    /// An edit is not allowed.
    #[error("{0}")]
    Edit(String),
}

/// The signed content of a directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// Name of the network.
    pub network: String,
    /// Serial number: each signed edition has a higher one than the last.
    pub serial: u64,
    /// When this edition was signed (seconds since the Unix epoch).
    pub issued_at: u64,
    /// The hub signing key that signs the directory (`onasig1…`).
    pub signer: String,
    /// The organisations, each key once; an organisation that rotated keys has one entry per key.
    pub organisations: Vec<Entry>,
}

/// The file: the body, and the hub's signature over it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedFile {
    format: String,
    directory: Directory,
    /// Ed25519 signature, 128 lowercase hex digits.
    signature: String,
}

impl Directory {
    /// The canonical body: compact JSON, members in declaration order.
    fn canonical_body(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a directory always serialises")
    }

    fn transcript(&self) -> Vec<u8> {
        let mut t = LABEL.to_vec();
        t.push(0);
        t.extend_from_slice(&self.canonical_body());
        t
    }

    /// Checks every rule of `docs/directory.md` that does not need the signature.
    pub fn check(&self) -> Result<(), DirectoryError> {
        let bad = |m: String| Err(DirectoryError::Malformed(m));
        if self.network.trim().is_empty() || self.network.chars().any(char::is_control) {
            return bad("the network name is empty or holds control characters".into());
        }
        self.signer
            .parse::<SigningPublicKey>()
            .map_err(|e| DirectoryError::Malformed(format!("signer: {e}")))?;
        for (i, e) in self.organisations.iter().enumerate() {
            e.check().map_err(|m| DirectoryError::Malformed(format!("organisation {i}: {m}")))?;
            for other in &self.organisations[..i] {
                if other.signing_key == e.signing_key || other.encryption_key == e.encryption_key {
                    return bad(format!(
                        "organisation {i} (`{}`) reuses a key of `{}`",
                        e.id, other.id
                    ));
                }
                if other.id == e.id && other.overlaps(e) {
                    return bad(format!("two entries of `{}` are valid at the same time", e.id));
                }
            }
        }
        Ok(())
    }

    /// The signed file: canonical, one line, ending in a newline.
    pub fn sign(&self, hub: &Identity) -> Result<Vec<u8>, DirectoryError> {
        if hub.signing_public().to_string() != self.signer {
            return Err(DirectoryError::Edit(format!(
                "this key ({}) is not the directory's signer {}",
                hub.signing_public(),
                self.signer
            )));
        }
        self.check()?;
        let sig = hub.sign(&self.transcript());
        let file = SignedFile {
            format: FORMAT.into(),
            directory: self.clone(),
            signature: sig.iter().map(|b| format!("{b:02x}")).collect(),
        };
        let mut out =
            serde_json::to_vec(&file).map_err(|e| DirectoryError::Malformed(e.to_string()))?;
        out.push(b'\n');
        Ok(out)
    }

    /// Reads a signed directory and verifies it against the hub key the reader trusts.
    ///
    /// Refused: anything but the canonical encoding (so one directory has one byte string), a
    /// signer other than `trusted`, a signature that does not verify, and content that breaks
    /// the rules of [`check`](Self::check). The serial is checked by [`Pin::accept`].
    pub fn verify(bytes: &[u8], trusted: &SigningPublicKey) -> Result<Directory, DirectoryError> {
        let d = Self::parse_unverified(bytes)?;
        if d.directory.signer != trusted.to_string() {
            return Err(DirectoryError::WrongSigner {
                found: d.directory.signer.clone(),
                pinned: trusted.to_string(),
            });
        }
        let sig = hex_decode(&d.signature).ok_or(DirectoryError::BadSignature)?;
        if !trusted.verify(&d.directory.transcript(), &sig) {
            return Err(DirectoryError::BadSignature);
        }
        d.directory.check()?;
        Ok(d.directory)
    }

    /// The signer named inside a directory file, without verifying anything: only to tell a
    /// user which key to pin, never to trust it.
    pub fn claimed_signer(bytes: &[u8]) -> Result<String, DirectoryError> {
        Ok(Self::parse_unverified(bytes)?.directory.signer)
    }

    fn parse_unverified(bytes: &[u8]) -> Result<SignedFile, DirectoryError> {
        let bad = |m: &str| DirectoryError::Malformed(m.to_string());
        if bytes.len() > MAX_DIRECTORY_LEN {
            return Err(bad("larger than 4 MiB"));
        }
        let body = bytes.strip_suffix(b"\n").ok_or_else(|| bad("must end with one newline"))?;
        let d: SignedFile =
            serde_json::from_slice(body).map_err(|e| DirectoryError::Malformed(e.to_string()))?;
        if d.format != FORMAT {
            return Err(bad("unknown format (expected ona-directory/1)"));
        }
        if serde_json::to_vec(&d).ok().as_deref() != Some(body) {
            return Err(bad("not in canonical form (edited by hand?)"));
        }
        Ok(d)
    }

    /// The entries of organisation `id`, oldest first.
    pub fn entries_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.organisations.iter().filter(move |e| e.id == id)
    }
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() != 128 || !text.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return None;
    }
    (0..64).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()).collect()
}

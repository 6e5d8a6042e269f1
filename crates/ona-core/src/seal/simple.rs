//! One-shot helpers over [`Sealer`] and [`Opener`], in memory and between files.

use super::error::{OpenError, SealError};
use super::keys::{EncryptionPublicKey, Identity, SigningPublicKey};
use super::manifest::Manifest;
use super::reader::Opener;
use super::rng::SealRng;
use super::writer::Sealer;
use crate::atomic_file::AtomicFile;
use std::fs::File;
use std::io::{BufRead, Read, Write};
use std::path::Path;

/// An opened and fully verified export.
#[derive(Clone, Debug)]
pub struct Opened {
    /// The manifest (authenticated by the sender's signature).
    pub manifest: Manifest,
    /// The content.
    pub plaintext: Vec<u8>,
}

/// Seals `plaintext` in memory to `recipients`, signed by `sender`.
pub fn seal(
    plaintext: &[u8],
    manifest: &Manifest,
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
) -> Result<Vec<u8>, SealError> {
    let mut s = Sealer::new(Vec::new(), manifest, recipients, sender)?;
    s.write_all(plaintext)?;
    s.finish()
}

/// Seals deterministically from `seed`: only for reproducible test vectors. Never use it for
/// real data: the same seed gives the same file key.
#[doc(hidden)]
pub fn seal_deterministic_for_tests(
    plaintext: &[u8],
    manifest: &Manifest,
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
    seed: &[u8],
) -> Result<Vec<u8>, SealError> {
    let rng = SealRng::deterministic(seed);
    let mut s = Sealer::with_rng(Vec::new(), manifest, recipients, sender, rng)?;
    s.write_all(plaintext)?;
    s.finish()
}

/// Opens and verifies a sealed export held in memory.
pub fn open(
    sealed: &[u8],
    identity: &Identity,
    expected_sender: Option<&SigningPublicKey>,
) -> Result<Opened, OpenError> {
    let mut o = Opener::new(sealed, identity, expected_sender)?;
    let mut plaintext = Vec::new();
    o.read_to_end(&mut plaintext).map_err(OpenError::from_io)?;
    Ok(Opened { manifest: o.manifest().clone(), plaintext })
}

/// Seals the file at `in_path` into `out_path` (written atomically, readable by others).
pub fn seal_file(
    in_path: &Path,
    out_path: &Path,
    manifest: &Manifest,
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
) -> Result<(), SealError> {
    let mut input = File::open(in_path)?;
    let out = AtomicFile::create(out_path)?;
    out.shareable()?;
    let mut s = Sealer::new(out, manifest, recipients, sender)?;
    s.write_from(&mut input)?;
    s.finish()?.commit()?;
    Ok(())
}

/// Opens `in_path` into `out_path`, returning the manifest. The output (owner-only) is renamed
/// into place only after the last chunk and the signature verify; on any failure no output
/// file exists.
pub fn open_file(
    in_path: &Path,
    out_path: &Path,
    identity: &Identity,
    expected_sender: Option<&SigningPublicKey>,
) -> Result<Manifest, OpenError> {
    // The opener reads the input in batches of about 1 MiB itself: no buffering needed.
    let mut o = Opener::new(File::open(in_path)?, identity, expected_sender)?;
    let mut out = AtomicFile::create(out_path)?;
    out.owner_only()?;
    // Written straight from the opener's buffers as each batch authenticates.
    loop {
        let plain = o.fill_buf().map_err(OpenError::from_io)?;
        if plain.is_empty() {
            break;
        }
        let n = plain.len();
        out.write_all(plain)?;
        o.consume(n);
    }
    if !o.is_verified() {
        return Err(OpenError::Truncated);
    }
    out.commit()?;
    Ok(o.manifest().clone())
}

//! One-shot helpers over [`Sealer`] and [`Opener`], in memory and between files.

use super::error::{OpenError, SealError};
use super::header::MAX_HEADER_LEN;
use super::keys::{EncryptionPublicKey, Identity, SigningPublicKey};
use super::manifest::{Manifest, MAX_MANIFEST_LEN};
use super::reader::Opener;
#[cfg(any(test, feature = "test-helpers"))]
use super::rng::SealRng;
use super::stream::{CHUNK_LEN, SIGNATURE_LEN, TAG_LEN};
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
    let mut s = Sealer::new(
        Vec::with_capacity(sealed_len_bound(plaintext.len())),
        manifest,
        recipients,
        sender,
    )?;
    s.write_all(plaintext)?;
    s.finish()
}

/// At least the size of a sealed file with this much content (header, manifest, tags and
/// signature included), so the output is allocated once.
fn sealed_len_bound(content: usize) -> usize {
    let slack = MAX_HEADER_LEN + 4 + MAX_MANIFEST_LEN + SIGNATURE_LEN + 2 * TAG_LEN;
    content.saturating_add(content / CHUNK_LEN * TAG_LEN).saturating_add(slack)
}

/// Seals deterministically from `seed`: only for reproducible test vectors. Never use it for
/// real data: the same seed gives the same file key.
#[cfg(any(test, feature = "test-helpers"))]
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
    open_with(sealed, identity, expected_sender, &|_| Ok(()))
}

/// [`open`], with `accept` deciding on the manifest before any content is read.
pub(crate) fn open_with(
    sealed: &[u8],
    identity: &Identity,
    expected_sender: Option<&SigningPublicKey>,
    accept: &dyn Fn(&Manifest) -> Result<(), OpenError>,
) -> Result<Opened, OpenError> {
    let mut o = Opener::new(sealed, identity, expected_sender)?;
    accept(o.manifest())?;
    // The content is shorter than the sealed file: one allocation, one copy.
    let mut plaintext = Vec::with_capacity(sealed.len());
    loop {
        let part = o.fill_buf().map_err(OpenError::from_io)?;
        if part.is_empty() {
            break;
        }
        plaintext.extend_from_slice(part);
        let n = part.len();
        o.consume(n);
    }
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
    seal_to_file(&mut File::open(in_path)?, out_path, manifest, recipients, sender)
}

/// Seals everything `input` yields into `out_path` (written atomically, readable by others):
/// [`seal_file`] for a reader the caller has wrapped, e.g. to show progress.
pub fn seal_to_file(
    input: &mut dyn Read,
    out_path: &Path,
    manifest: &Manifest,
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
) -> Result<(), SealError> {
    let out = AtomicFile::create(out_path)?;
    out.shareable()?;
    let mut s = Sealer::new(out, manifest, recipients, sender)?;
    s.write_from(input)?;
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
    open_file_with(in_path, out_path, identity, expected_sender, &|_| Ok(()))
}

/// [`open_file`], with `accept` deciding on the manifest before any output is created. The
/// manifest is authenticated by the chunk AEAD when `accept` sees it; the sender's signature
/// over it is checked at the end, before the output is committed.
pub(crate) fn open_file_with(
    in_path: &Path,
    out_path: &Path,
    identity: &Identity,
    expected_sender: Option<&SigningPublicKey>,
    accept: &dyn Fn(&Manifest) -> Result<(), OpenError>,
) -> Result<Manifest, OpenError> {
    open_to_file_with(File::open(in_path)?, out_path, identity, expected_sender, accept)
}

/// [`open_file_with`] for a reader the caller has wrapped, e.g. to show progress.
pub(crate) fn open_to_file_with(
    input: impl Read,
    out_path: &Path,
    identity: &Identity,
    expected_sender: Option<&SigningPublicKey>,
    accept: &dyn Fn(&Manifest) -> Result<(), OpenError>,
) -> Result<Manifest, OpenError> {
    // The opener reads the input in batches of about 1 MiB itself: no buffering needed.
    let mut o = Opener::new(input, identity, expected_sender)?;
    accept(o.manifest())?;
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

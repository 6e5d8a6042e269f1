//! [`Sealer`]: the streaming writer.

use super::digest_worker::PlainDigest;
use super::error::SealError;
use super::header::{header_len, MAGIC, MAX_RECIPIENTS, PREFIX_LEN, SUITE, VERSION};
use super::keys::{EncryptionPublicKey, Identity};
use super::manifest::Manifest;
use super::recipients::wrap;
use super::rng::SealRng;
use super::schedule::{Schedule, TRANSCRIPT_LABEL};
use super::stream::{CHUNK_LEN, TAG_LEN};
use ring::{aead, hmac};
use std::io::{self, Write};
use zeroize::Zeroizing;

/// Seals a stream: write the content, then call [`finish`](Self::finish).
///
/// Dropping a `Sealer` without `finish` leaves a file without its final chunk and signature,
/// which every reader rejects as truncated.
pub struct Sealer<W: Write> {
    inner: Option<W>,
    schedule: Schedule,
    sender: Identity,
    header: Vec<u8>,
    hasher: Option<PlainDigest>,
    buf: Vec<u8>,
    counter: u64,
    broken: bool,
}

impl<W: Write> Sealer<W> {
    /// Writes the header and the manifest to `writer`, sealed to `recipients`, signed by `sender`.
    ///
    /// The manifest's `sender` field is set to `sender`'s signing public key.
    pub fn new(
        writer: W,
        manifest: &Manifest,
        recipients: &[EncryptionPublicKey],
        sender: &Identity,
    ) -> Result<Self, SealError> {
        Self::with_rng(writer, manifest, recipients, sender, SealRng::system())
    }

    pub(crate) fn with_rng(
        writer: W,
        manifest: &Manifest,
        recipients: &[EncryptionPublicKey],
        sender: &Identity,
        mut rng: SealRng,
    ) -> Result<Self, SealError> {
        if recipients.is_empty() {
            return Err(SealError::NoRecipients);
        }
        if recipients.len() > MAX_RECIPIENTS {
            return Err(SealError::TooManyRecipients(recipients.len()));
        }
        for (i, r) in recipients.iter().enumerate() {
            if recipients[..i].contains(r) {
                return Err(SealError::DuplicateRecipient);
            }
        }
        let mut manifest = manifest.clone();
        manifest.sender = sender.signing_public().to_string();
        let manifest_bytes = manifest.encode().map_err(SealError::Manifest)?;

        let mut file_key = Zeroizing::new([0u8; 32]);
        rng.fill(&mut file_key[..]);
        let mut header = Vec::with_capacity(header_len(recipients.len()));
        header.extend_from_slice(MAGIC);
        header.push(VERSION);
        header.extend_from_slice(&SUITE.to_be_bytes());
        header.push(recipients.len() as u8);
        let mut salt = [0u8; 32];
        rng.fill(&mut salt);
        header.extend_from_slice(&salt);
        debug_assert_eq!(header.len(), PREFIX_LEN);
        let prefix = header.clone();
        for r in recipients {
            let stanza = wrap(&file_key, r, &prefix, &mut rng).ok_or(SealError::Wrap)?;
            header.extend_from_slice(&stanza);
        }
        let schedule = Schedule::derive(&file_key, &salt);
        header.extend_from_slice(&schedule.commitment);
        let mac = hmac::sign(&schedule.mac_key, &header);
        header.extend_from_slice(mac.as_ref());

        let sealer = Self::start(writer, header, schedule, sender)?;
        let mut sealer = sealer;
        sealer.push(&manifest_bytes, true)?;
        Ok(sealer)
    }

    fn start(
        mut writer: W,
        header: Vec<u8>,
        schedule: Schedule,
        sender: &Identity,
    ) -> Result<Self, SealError> {
        writer.write_all(&header)?;
        Ok(Sealer {
            inner: Some(writer),
            schedule,
            sender: sender.clone(),
            header,
            hasher: Some(PlainDigest::new()),
            buf: Vec::with_capacity(CHUNK_LEN + TAG_LEN),
            counter: 0,
            broken: false,
        })
    }

    /// Appends payload bytes, sealing each chunk once it is full and more data follows.
    fn push(&mut self, mut data: &[u8], hash: bool) -> io::Result<()> {
        if self.broken {
            return Err(io::Error::other("an earlier write failed; the sealed output is unusable"));
        }
        if hash {
            if let Some(h) = self.hasher.as_mut() {
                h.update(data);
            }
        }
        while !data.is_empty() {
            if self.buf.len() == CHUNK_LEN {
                self.seal_chunk(false)?;
            }
            let take = (CHUNK_LEN - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(())
    }

    fn seal_chunk(&mut self, last: bool) -> io::Result<()> {
        let nonce = self.schedule.nonce(self.counter, last);
        let tag = self
            .schedule
            .payload_key
            .seal_in_place_separate_tag(nonce, aead::Aad::empty(), &mut self.buf)
            .map_err(|_| io::Error::other("chunk encryption failed"))?;
        self.buf.extend_from_slice(tag.as_ref());
        let res = self.inner.as_mut().expect("present until finish").write_all(&self.buf);
        self.buf.clear();
        if res.is_err() {
            self.broken = true;
        }
        self.counter =
            self.counter.checked_add(1).ok_or_else(|| io::Error::other("too many chunks"))?;
        res
    }

    /// Signs the transcript, seals the final chunk and returns the inner writer (flushed).
    pub fn finish(mut self) -> Result<W, SealError> {
        let digest = self.hasher.take().map(PlainDigest::finish).unwrap_or_default();
        let mut transcript = TRANSCRIPT_LABEL.to_vec();
        transcript.extend_from_slice(&self.header);
        transcript.extend_from_slice(&digest);
        let sig = self.sender.sign(&transcript);
        self.push(&sig, false)?;
        if self.buf.len() == CHUNK_LEN {
            self.seal_chunk(false)?;
        }
        self.seal_chunk(true)?;
        let mut inner = self.inner.take().expect("present until finish");
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write> Write for Sealer<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.push(data, true)?;
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// Builds a valid header (deterministic from `seed`) and encrypts `stream(header)` as the whole
/// payload stream, adding no manifest and no signature: for crafting malformed test vectors only.
#[doc(hidden)]
pub fn seal_raw_stream_for_tests(
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
    seed: &[u8],
    stream: impl FnOnce(&[u8]) -> Vec<u8>,
) -> Result<Vec<u8>, SealError> {
    // Same header as a normal seal: build one with an empty manifest and keep its keys.
    let mut manifest = Manifest::new(super::manifest::ContentType::Cases, 0);
    manifest.export_id = "0".repeat(32);
    let mut s =
        Sealer::with_rng(Vec::new(), &manifest, recipients, sender, SealRng::deterministic(seed))?;
    let header = s.header.clone();
    s.buf.clear();
    s.hasher = None;
    let data = stream(&header);
    s.push(&data, false)?;
    if s.buf.len() == CHUNK_LEN {
        s.seal_chunk(false)?;
    }
    s.seal_chunk(true)?;
    Ok(s.inner.take().expect("present"))
}

//! [`Sealer`]: the streaming writer.
//!
//! The caller's thread copies (or reads) plaintext into 1 MiB batches laid out as on the wire
//! (room left for each chunk's tag) and writes sealed batches out. The work on each batch —
//! hashing every chunk into its leaf of the signed digest (see `content_digest`) and encrypting
//! it — is done by whichever of the caller's thread and one worker thread has time (see
//! `balance`); the caller takes the leaves in order. A stream shorter than one batch never
//! starts a thread.

use super::balance::Balance;
use super::content_digest::{leaf, transcript, Root};
use super::error::SealError;
use super::header::{header_len, MAGIC, MAX_RECIPIENTS, PREFIX_LEN, SUITE, VERSION};
use super::keys::{EncryptionPublicKey, Identity};
use super::manifest::Manifest;
use super::pipeline::{Pipeline, Stage};
use super::recipients::wrap;
use super::rng::SealRng;
use super::schedule::Schedule;
use super::stream::{
    BatchBuf, PayloadKey, BATCH_CHUNKS, BATCH_WIRE_LEN, CHUNK_LEN, IN_FLIGHT, TAG_LEN,
    WIRE_CHUNK_LEN,
};
use ring::hmac;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// One batch on its way through the workers.
struct Batch {
    /// Plaintext in wire layout: full chunks, each followed by room for its tag, then (in the
    /// tail only) at most one partial chunk.
    buf: BatchBuf,
    /// Counter of the first chunk.
    first: u64,
    /// The end of the content: neither hashed nor encrypted by the workers, because the
    /// signature still has to be appended.
    tail: bool,
    /// The worker hashes and encrypts this batch (otherwise the caller's thread does, before
    /// writing it).
    worker_seals: bool,
    sealed: bool,
    /// The leaf of each chunk, in order, once sealed.
    leaves: Vec<[u8; 32]>,
    failed: bool,
}

impl Batch {
    fn new(buf: BatchBuf, first: u64, tail: bool, worker_seals: bool) -> Self {
        let leaves = Vec::with_capacity(BATCH_CHUNKS);
        Batch { buf, first, tail, worker_seals, sealed: false, leaves, failed: false }
    }

    /// Hashes every (full) chunk into its leaf and encrypts it in place, once, chunk by chunk
    /// so that each is still in the cache for the second pass.
    fn seal(&mut self, key: &PayloadKey) {
        if self.sealed || self.tail {
            return;
        }
        self.sealed = true;
        for (i, piece) in self.buf.as_mut_slice().chunks_mut(WIRE_CHUNK_LEN).enumerate() {
            let counter = self.first + i as u64;
            self.leaves.push(leaf(counter, &piece[..CHUNK_LEN]));
            if !key.seal_chunks(piece, counter, false) {
                self.failed = true;
                return;
            }
        }
    }
}

fn stages(key: Arc<PayloadKey>) -> Vec<(&'static str, Stage<Batch>)> {
    let work = move |b: &mut Batch| {
        if b.worker_seals {
            b.seal(&key);
        }
    };
    vec![("ona-seal-worker", Box::new(work))]
}

/// Seals a stream: write the content, then call [`finish`](Self::finish).
///
/// Dropping a `Sealer` without `finish` leaves a file without its final chunk and signature,
/// which every reader rejects as truncated.
///
/// Output is produced a batch (16 chunks, 1 MiB) at a time, a few batches behind the input
/// while the worker threads hash and encrypt; [`flush`](Write::flush) waits for them.
pub struct Sealer<W: Write> {
    inner: Option<W>,
    payload: Arc<PayloadKey>,
    sender: Identity,
    header: Vec<u8>,
    /// The signed digest, taking the leaves of the batches as they are written.
    root: Root,
    pipeline: Pipeline<Batch>,
    /// The batch being filled.
    fill: BatchBuf,
    /// Counter of the first chunk in `fill`.
    counter: u64,
    spare: Vec<BatchBuf>,
    buffers: usize,
    balance: Balance,
    /// Time the caller spent blocked handing batches over, since the last balance step.
    blocked: Duration,
    in_flight: usize,
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

    /// A sealer whose file key and salt come from `seed`: for reproducible test vectors only.
    /// Never use it for real data: the same seed gives the same file key.
    #[cfg(any(test, feature = "test-helpers"))]
    #[doc(hidden)]
    pub fn deterministic_for_tests(
        writer: W,
        manifest: &Manifest,
        recipients: &[EncryptionPublicKey],
        sender: &Identity,
        seed: &[u8],
    ) -> Result<Self, SealError> {
        Self::with_rng(writer, manifest, recipients, sender, SealRng::deterministic(seed))
    }

    pub(crate) fn with_rng(
        writer: W,
        manifest: &Manifest,
        recipients: &[EncryptionPublicKey],
        sender: &Identity,
        rng: SealRng,
    ) -> Result<Self, SealError> {
        Self::with_rng_and_version(writer, manifest, recipients, sender, rng, VERSION)
    }

    /// `version` goes into the header only: the payload is always version 2's (test vectors of
    /// older versions are crafted through [`seal_raw_stream_for_tests`]).
    fn with_rng_and_version(
        mut writer: W,
        manifest: &Manifest,
        recipients: &[EncryptionPublicKey],
        sender: &Identity,
        mut rng: SealRng,
        version: u8,
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
        header.push(version);
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

        writer.write_all(&header)?;
        let mut sealer = Sealer {
            inner: Some(writer),
            pipeline: Pipeline::new(stages(schedule.payload.clone())),
            payload: schedule.payload,
            sender: sender.clone(),
            header,
            root: Root::new(),
            fill: BatchBuf::new(),
            counter: 0,
            spare: Vec::new(),
            buffers: 1,
            balance: Balance::new(),
            blocked: Duration::ZERO,
            in_flight: 0,
            broken: false,
        };
        sealer.push(&manifest_bytes)?;
        Ok(sealer)
    }

    fn check(&self) -> io::Result<()> {
        if self.broken {
            return Err(io::Error::other("an earlier write failed; the sealed output is unusable"));
        }
        Ok(())
    }

    /// Appends payload bytes; every full batch goes to the workers.
    fn push(&mut self, mut data: &[u8]) -> io::Result<()> {
        self.check()?;
        while !data.is_empty() {
            let at = self.fill.len() % WIRE_CHUNK_LEN;
            let take = (CHUNK_LEN - at).min(data.len());
            self.fill.extend(&data[..take]);
            data = &data[take..];
            self.chunk_filled(at + take)?;
        }
        Ok(())
    }

    /// After `at` bytes of the current chunk are in place: leaves room for the tag of a full
    /// chunk, and sends a full batch on. A full chunk is never the final one (the signature
    /// always follows), so it can be sealed at once.
    fn chunk_filled(&mut self, at: usize) -> io::Result<()> {
        if at == CHUNK_LEN {
            self.fill.spare(TAG_LEN);
            self.fill.commit(TAG_LEN);
            if self.fill.len() == BATCH_WIRE_LEN {
                self.send_fill()?;
            }
        }
        Ok(())
    }

    /// Reads `reader` to its end straight into the chunk buffers (no intermediate copy) and
    /// seals it as content: the same as `io::copy(reader, sealer)`, with one copy less.
    pub fn write_from<R: Read + ?Sized>(&mut self, reader: &mut R) -> io::Result<u64> {
        self.check()?;
        let mut total = 0u64;
        loop {
            let at = self.fill.len() % WIRE_CHUNK_LEN;
            match reader.read(self.fill.spare(CHUNK_LEN - at)) {
                Ok(0) => return Ok(total),
                Ok(k) => {
                    self.fill.commit(k);
                    total += k as u64;
                    self.chunk_filled(at + k)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends the filled batch to the workers and writes whatever they have finished.
    fn send_fill(&mut self) -> io::Result<()> {
        let next = self.take_buffer()?;
        let buf = std::mem::replace(&mut self.fill, next);
        let chunks = (buf.len() / WIRE_CHUNK_LEN) as u64;
        let caller = self.balance.caller_takes_next();
        let mut batch = Batch::new(buf, self.counter, false, !caller);
        if caller {
            // Done now, while the worker works through the batches before it.
            batch.seal(&self.payload);
        }
        self.counter =
            self.counter.checked_add(chunks).ok_or_else(|| io::Error::other("too many chunks"))?;
        self.pipeline.go_parallel(IN_FLIGHT);
        // A full hand-over queue blocks here: time the caller waits for the worker.
        let t = Instant::now();
        self.pipeline.submit(batch)?;
        self.blocked += t.elapsed();
        self.in_flight += 1;
        while let Some(done) = self.pipeline.try_next()? {
            self.in_flight -= 1;
            self.observe(Duration::ZERO);
            self.write_out(done)?;
        }
        Ok(())
    }

    /// An empty buffer for the next batch: a spare one, a new one while fewer than
    /// `IN_FLIGHT + 1` exist, or else the buffer of the oldest batch once it is written.
    fn take_buffer(&mut self) -> io::Result<BatchBuf> {
        if let Some(b) = self.spare.pop() {
            return Ok(b);
        }
        if self.buffers <= IN_FLIGHT {
            self.buffers += 1;
            return Ok(BatchBuf::with_capacity(BATCH_WIRE_LEN + WIRE_CHUNK_LEN));
        }
        let (done, waited) = self.pipeline.next_timed()?;
        self.in_flight -= 1;
        self.observe(waited);
        self.write_out(done)?;
        self.spare.pop().ok_or_else(|| io::Error::other("no batch buffer came back"))
    }

    /// Tells the balance how long the caller waited for the worker since the last batch.
    fn observe(&mut self, waited: Duration) {
        let worker_busy = self.pipeline.take_worker_busy();
        let idle = waited + std::mem::take(&mut self.blocked);
        self.balance.observe(idle, worker_busy);
    }

    /// Writes a batch (hashing and encrypting it first if the worker left that to this thread),
    /// takes its leaves into the digest and keeps its buffer for reuse.
    fn write_out(&mut self, mut b: Batch) -> io::Result<()> {
        b.seal(&self.payload);
        if b.failed {
            self.broken = true;
            return Err(io::Error::other("chunk encryption failed"));
        }
        for l in b.leaves.drain(..) {
            self.root.push(&l, CHUNK_LEN);
        }
        let res = self.inner.as_mut().expect("present until finish").write_all(b.buf.as_slice());
        b.buf.clear();
        self.spare.push(b.buf);
        if res.is_err() {
            self.broken = true;
        }
        res
    }

    /// Waits for every batch before the rest of the content to be written, and returns that
    /// rest (the tail, not yet hashed).
    fn drain_with_tail(&mut self) -> io::Result<Batch> {
        self.check()?;
        while self.in_flight > 0 {
            let b = self.pipeline.next()?;
            self.in_flight -= 1;
            self.write_out(b)?;
        }
        let buf = std::mem::replace(&mut self.fill, BatchBuf::new());
        Ok(Batch::new(buf, self.counter, true, false))
    }

    /// Appends `extra` to the tail (not hashed), seals all its chunks, the last one as the
    /// final chunk, and writes them.
    fn seal_tail(&mut self, mut tail: Batch, extra: &[u8]) -> io::Result<()> {
        let mut rest = extra;
        while !rest.is_empty() {
            let at = tail.buf.len() % WIRE_CHUNK_LEN;
            let take = (CHUNK_LEN - at).min(rest.len());
            tail.buf.extend(&rest[..take]);
            rest = &rest[take..];
            if at + take == CHUNK_LEN {
                tail.buf.spare(TAG_LEN);
                tail.buf.commit(TAG_LEN);
            }
        }
        // The final chunk: whatever follows the last full chunk (possibly nothing), plus its tag.
        tail.buf.spare(TAG_LEN);
        tail.buf.commit(TAG_LEN);
        tail.failed = !self.payload.seal_chunks(tail.buf.as_mut_slice(), tail.first, true);
        tail.sealed = true;
        self.write_out(tail)
    }

    /// Signs the transcript, seals the final chunk and returns the inner writer (flushed).
    pub fn finish(mut self) -> Result<W, SealError> {
        let tail = self.drain_with_tail()?;
        let mut root = std::mem::replace(&mut self.root, Root::new());
        for (i, piece) in tail.buf.as_slice().chunks(WIRE_CHUNK_LEN).enumerate() {
            let content = &piece[..piece.len().min(CHUNK_LEN)];
            if !content.is_empty() {
                root.push(&leaf(tail.first + i as u64, content), content.len());
            }
        }
        let sig = self.sender.sign(&transcript(VERSION, &self.header, &root.finish()));
        self.seal_tail(tail, &sig)?;
        let mut inner = self.inner.take().expect("present until finish");
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write> Write for Sealer<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.push(data)?;
        Ok(data.len())
    }

    /// Waits for the batches in flight, writes them and flushes the inner writer. Content of a
    /// chunk that is not full yet stays buffered: a chunk is sealed only once it is complete.
    fn flush(&mut self) -> io::Result<()> {
        self.check()?;
        while self.in_flight > 0 {
            let b = self.pipeline.next()?;
            self.in_flight -= 1;
            self.write_out(b)?;
        }
        self.inner.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// Builds a valid header (deterministic from `seed`) and encrypts `stream(header)` as the whole
/// payload stream, adding no manifest and no signature: for crafting malformed test vectors only.
#[cfg(any(test, feature = "test-helpers"))]
#[doc(hidden)]
pub fn seal_raw_stream_for_tests(
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
    seed: &[u8],
    stream: impl FnOnce(&[u8]) -> Vec<u8>,
) -> Result<Vec<u8>, SealError> {
    seal_raw_stream_of_version_for_tests(VERSION, recipients, sender, seed, stream)
}

/// As [`seal_raw_stream_for_tests`], with `version` in the header (the key schedule and payload
/// encryption are the same in versions 1 and 2): for crafting files of older versions.
#[cfg(any(test, feature = "test-helpers"))]
#[doc(hidden)]
pub fn seal_raw_stream_of_version_for_tests(
    version: u8,
    recipients: &[EncryptionPublicKey],
    sender: &Identity,
    seed: &[u8],
    stream: impl FnOnce(&[u8]) -> Vec<u8>,
) -> Result<Vec<u8>, SealError> {
    // Same header as a normal seal: build one with an empty manifest and keep its keys.
    let mut manifest = Manifest::new(super::manifest::ContentType::Cases, 0);
    manifest.export_id = "0".repeat(32);
    let rng = SealRng::deterministic(seed);
    let mut s =
        Sealer::with_rng_and_version(Vec::new(), &manifest, recipients, sender, rng, version)?;
    debug_assert_eq!(s.in_flight, 0);
    s.fill.clear();
    let header = s.header.clone();
    let data = stream(&header);
    let tail = s.drain_with_tail()?;
    s.seal_tail(tail, &data)?;
    Ok(s.inner.take().expect("present"))
}

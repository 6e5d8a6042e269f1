//! [`Opener`]: the streaming reader that verifies everything.
//!
//! The caller's thread reads the payload in batches of 16 wire chunks (with one byte of
//! lookahead, so the final chunk is known by the end of input) and releases plaintext. The
//! decryption of each batch — and, from format version 2 on, the hashing of each chunk into its
//! leaf of the signed digest (see `content_digest`) — is done by whichever of the caller's
//! thread and one worker thread has time (see `balance`); the worker then takes the leaves in
//! order. A version 1 file is hashed in order, byte after byte, by the worker. A file of one
//! batch or less never starts a thread.

use super::balance::Balance;
use super::content_digest::{finish_sha256, leaf, leaf_context, transcript, Leaf, Root};
use super::error::OpenError;
use super::header::Header;
use super::keys::{Identity, SigningPublicKey};
use super::manifest::{Manifest, MAX_MANIFEST_LEN};
use super::pipeline::{Pipeline, Stage};
use super::recipients::unwrap;
use super::schedule::{ct_eq, Schedule};
use super::stream::{
    BatchBuf, PayloadKey, BATCH_CHUNKS, BATCH_WIRE_LEN, CHUNK_LEN, IN_FLIGHT, SIGNATURE_LEN,
    TAG_LEN, WIRE_CHUNK_LEN,
};
use ring::{digest, hmac};
use std::io::{self, BufRead, Read};
use std::sync::Arc;
use zeroize::Zeroizing;

/// Room before the wire bytes of a batch, where the plaintext held back from the batch before
/// (at most the 64 bytes that may be the signature) is put, so that what a batch releases is
/// one contiguous slice.
const HEADROOM: usize = SIGNATURE_LEN;

/// One batch on its way through the workers.
struct Batch {
    /// `HEADROOM` bytes, then the wire bytes; after decryption, the plaintext, compacted, from
    /// `HEADROOM` on.
    buf: BatchBuf,
    /// Counter of the first chunk.
    first: u64,
    /// The input ended in this batch: its last chunk is the final one.
    has_final: bool,
    /// The chunks are decrypted (by the caller's thread, or else by the worker).
    decrypted: bool,
    /// Version 2: the leaf of each chunk holding content, in order, and for the last chunk of a
    /// batch that is not the final one, the leaf's hash state before the chunk's last 64 bytes
    /// (which are the start of the signature if the final chunk holds fewer than 64 bytes).
    leaves: Vec<Leaf>,
    last_leaf_before_64: Option<digest::Context>,
    /// Chunks that authenticated.
    chunks: usize,
    /// Plaintext bytes (from `HEADROOM`) that authenticated, in order.
    plain_len: usize,
    /// What this batch releases: `buf[start..end]`.
    start: usize,
    end: usize,
    /// The first failure in this batch; reported once the plaintext before it is consumed.
    error: Option<OpenError>,
    /// The final batch: signature and the SHA-256 of everything before it.
    signature: Option<[u8; SIGNATURE_LEN]>,
    digest: Option<[u8; 32]>,
}

/// Decrypts the chunks of a batch in place, in order, compacting the plaintext, and stops at
/// the first chunk that is cut or does not authenticate. With `leaves` (version 2), also hashes
/// the content in each chunk into its leaf.
fn decrypt(key: &PayloadKey, b: &mut Batch, leaves: bool) {
    if std::mem::replace(&mut b.decrypted, true) {
        return;
    }
    let buf = b.buf.as_mut_slice();
    let wire_end = buf.len();
    let mut pos = HEADROOM;
    let mut out = HEADROOM;
    let mut counter = b.first;
    loop {
        let remaining = wire_end - pos;
        let last = b.has_final && remaining <= WIRE_CHUNK_LEN;
        if last && (remaining == WIRE_CHUNK_LEN || remaining < TAG_LEN) {
            // A final chunk is always shorter than a full one and holds at least its tag.
            b.error = Some(OpenError::Truncated);
            break;
        }
        let n = if last { remaining } else { WIRE_CHUNK_LEN };
        if !key.open_chunk(&mut buf[pos..pos + n], counter, last) {
            b.error = Some(OpenError::ChunkAuthentication(counter));
            break;
        }
        b.chunks += 1;
        if leaves {
            let plain = &buf[pos..pos + n - TAG_LEN];
            let leaves = (&mut b.leaves, &mut b.last_leaf_before_64);
            hash_chunk(leaves, b.has_final, plain, counter, remaining);
        }
        buf.copy_within(pos..pos + n - TAG_LEN, out);
        out += n - TAG_LEN;
        pos += n;
        if last || pos == wire_end {
            break;
        }
        counter = counter.saturating_add(1);
    }
    b.plain_len = out - HEADROOM;
}

/// Version 2: the leaf of one decrypted chunk (`plain`, chunk `counter`, with `remaining` wire
/// bytes of the batch from its start). Only the last two chunks of the stream can hold part of
/// the signature: the final chunk, and the one before it when the final chunk holds fewer than
/// 64 bytes. When that one ends a batch, the next batch decides (see `Tree`).
fn hash_chunk(
    (leaves, last_leaf_before_64): (&mut Vec<Leaf>, &mut Option<digest::Context>),
    has_final: bool,
    plain: &[u8],
    counter: u64,
    remaining: usize,
) {
    let content = if !has_final {
        plain.len()
    } else if remaining <= WIRE_CHUNK_LEN {
        plain.len().saturating_sub(SIGNATURE_LEN) // the final chunk
    } else if remaining <= 2 * WIRE_CHUNK_LEN {
        let final_len = (remaining - WIRE_CHUNK_LEN).saturating_sub(TAG_LEN);
        plain.len() - SIGNATURE_LEN.saturating_sub(final_len) // the one before it
    } else {
        plain.len()
    };
    if content == 0 {
        return;
    }
    if !has_final && remaining == WIRE_CHUNK_LEN {
        let split = CHUNK_LEN - SIGNATURE_LEN;
        let mut ctx = leaf_context(counter);
        ctx.update(&plain[..split]);
        let mut whole = ctx.clone();
        whole.update(&plain[split..]);
        leaves.push((finish_sha256(whole), content));
        *last_leaf_before_64 = Some(ctx);
    } else {
        leaves.push((leaf(counter, &plain[..content]), content));
    }
}

/// How the signed digest is computed, by format version.
enum Digest {
    /// Version 1: SHA-256 of the content, in order.
    Sequential(Box<digest::Context>),
    /// Version 2: the leaves in order.
    Tree(Box<Tree>),
}

/// Version 2: the second level of the digest, holding back the leaf of the last chunk of each
/// batch until the next batch shows whether that chunk ends with part of the signature.
struct Tree {
    root: Root,
    held_leaf: Option<(Leaf, digest::Context)>,
}

impl Tree {
    /// Takes the leaves of a batch (`held` = the last 64 plaintext bytes before it).
    fn take(&mut self, b: &mut Batch, held: &[u8]) {
        if let Some(((l, n), before_64)) = self.held_leaf.take() {
            // A final batch of one chunk: its plaintext is the final chunk's.
            let final_len = b.plain_len;
            if b.has_final && b.chunks == 1 && final_len < SIGNATURE_LEN {
                // The held chunk ends with the first 64 - final_len bytes of the signature.
                let mut ctx = before_64;
                ctx.update(&held[..final_len]);
                self.root.push(&finish_sha256(ctx), CHUNK_LEN - (SIGNATURE_LEN - final_len));
            } else {
                self.root.push(&l, n);
            }
        }
        let mut leaves = std::mem::take(&mut b.leaves);
        if !b.has_final {
            if let (Some(last), Some(ctx)) = (leaves.pop(), b.last_leaf_before_64.take()) {
                self.held_leaf = Some((last, ctx));
            }
        }
        for (l, n) in &leaves {
            self.root.push(l, *n);
        }
        leaves.clear();
        b.leaves = leaves;
    }

    fn finish(&mut self) -> [u8; 32] {
        std::mem::replace(&mut self.root, Root::new()).finish()
    }
}

/// Finds the signature (the last 64 plaintext bytes) and computes the digest of everything
/// before it, holding back the last 64 bytes seen so far from each batch until the next one
/// shows they are content.
struct Hasher {
    digest: Digest,
    held: Zeroizing<Vec<u8>>,
    stopped: bool,
}

impl Hasher {
    fn new(version: u8) -> Self {
        let digest = if version == 1 {
            Digest::Sequential(Box::new(digest::Context::new(&digest::SHA256)))
        } else {
            Digest::Tree(Box::new(Tree { root: Root::new(), held_leaf: None }))
        };
        Hasher { digest, held: Zeroizing::new(Vec::with_capacity(SIGNATURE_LEN)), stopped: false }
    }

    /// Hashes content (version 1 only; version 2 hashed it chunk by chunk already).
    fn update(&mut self, data: &[u8]) {
        if let Digest::Sequential(ctx) = &mut self.digest {
            ctx.update(data);
        }
    }

    fn finish(&mut self) -> [u8; 32] {
        match &mut self.digest {
            Digest::Sequential(ctx) => {
                let done = std::mem::replace(&mut **ctx, digest::Context::new(&digest::SHA256));
                finish_sha256(done)
            }
            Digest::Tree(t) => t.finish(),
        }
    }

    fn run(&mut self, b: &mut Batch) {
        if self.stopped {
            return;
        }
        if b.error.is_none() {
            if let Digest::Tree(t) = &mut self.digest {
                t.take(b, &self.held);
            }
        }
        let held = self.held.len();
        let start = HEADROOM - held;
        let end = HEADROOM + b.plain_len;
        b.buf.as_mut_slice()[start..HEADROOM].copy_from_slice(&self.held);
        let data = &b.buf.as_slice()[start..end];
        b.start = start;
        if b.has_final && b.error.is_none() {
            self.stopped = true;
            if data.len() < SIGNATURE_LEN {
                b.error = Some(OpenError::BadSignature);
                b.end = start;
                return;
            }
            let split = data.len() - SIGNATURE_LEN;
            let mut sig = [0u8; SIGNATURE_LEN];
            sig.copy_from_slice(&data[split..]);
            self.update(&data[..split]);
            b.signature = Some(sig);
            b.digest = Some(self.finish());
            b.end = start + split;
        } else {
            // Release all but the last 64 bytes, which may yet turn out to be the signature.
            let split = data.len().saturating_sub(SIGNATURE_LEN);
            self.update(&data[..split]);
            self.held.clear();
            self.held.extend_from_slice(&data[split..]);
            b.end = start + split;
            self.stopped = b.error.is_some();
        }
    }
}

fn stages(key: Arc<PayloadKey>, version: u8) -> Vec<(&'static str, Stage<Batch>)> {
    let mut hasher = Hasher::new(version);
    let leaves = version >= 2;
    let work = move |b: &mut Batch| {
        decrypt(&key, b, leaves);
        hasher.run(b);
    };
    vec![("ona-open-worker", Box::new(work))]
}

/// Opens a sealed stream. The manifest is available at once; the content is read through
/// [`Read`] or [`BufRead`]. End of file is reported only after the final chunk and the sender's
/// signature verify; any failure is returned as an error (see [`OpenError::from_io`]) instead.
///
/// Plaintext is released only once its chunk has authenticated, in batches of up to 16 chunks,
/// and the final batch only once the signature verifies. The input is read a few batches
/// (about 1 MiB each) ahead.
pub struct Opener<R: Read> {
    inner: R,
    header: Header,
    manifest: Manifest,
    sender: Option<SigningPublicKey>,
    signature: Option<[u8; SIGNATURE_LEN]>,
    digest: Option<[u8; 32]>,
    pipeline: Pipeline<Batch>,
    payload: Arc<PayloadKey>,
    balance: Balance,
    /// The batch being released.
    current: Option<Batch>,
    spare: Vec<BatchBuf>,
    in_flight: usize,
    /// Counter of the first chunk of the next batch read.
    next_counter: u64,
    /// The byte read past a full batch to learn that more follows.
    lookahead: Option<u8>,
    /// End of input reached (the batch holding it is read).
    input_done: bool,
    read_error: Option<io::Error>,
    /// A failure to report once the plaintext before it has been consumed.
    pending: Option<OpenError>,
    finished: bool,
    verified: bool,
    failed: Option<String>,
}

impl<R: Read> Opener<R> {
    /// Reads and authenticates the header, finds this identity's stanza, checks the key
    /// commitment and header MAC, and reads the manifest.
    ///
    /// With `expected_sender`, a file signed by anyone else is refused.
    pub fn new(
        mut reader: R,
        identity: &Identity,
        expected_sender: Option<&SigningPublicKey>,
    ) -> Result<Self, OpenError> {
        let header = Header::read_from(&mut reader)?;
        let version = header.version();
        let file_key = unwrap(&header, identity).ok_or(OpenError::NoMatchingRecipient)?;
        let schedule = Schedule::derive(&file_key, header.salt());
        if !ct_eq(&schedule.commitment, header.commitment()) {
            return Err(OpenError::KeyCommitment);
        }
        hmac::verify(&schedule.mac_key, header.mac_input(), header.mac())
            .map_err(|_| OpenError::HeaderMac)?;
        let mut opener = Opener {
            inner: reader,
            header,
            manifest: placeholder_manifest(),
            sender: None,
            signature: None,
            digest: None,
            pipeline: Pipeline::new(stages(schedule.payload.clone(), version)),
            payload: schedule.payload,
            balance: Balance::new(),
            current: None,
            spare: Vec::new(),
            in_flight: 0,
            next_counter: 0,
            lookahead: None,
            input_done: false,
            read_error: None,
            pending: None,
            finished: false,
            verified: false,
            failed: None,
        };
        let len_bytes = opener.take_exact(4)?;
        let len = u32::from_be_bytes(len_bytes.try_into().expect("4 bytes")) as usize;
        if len > MAX_MANIFEST_LEN {
            return Err(OpenError::LimitExceeded("manifest larger than 16 KiB"));
        }
        let json = opener.take_exact(len)?;
        let manifest = Manifest::decode(&json)?;
        let sender: SigningPublicKey = manifest.sender.parse().map_err(|_| {
            OpenError::ManifestMalformed("sender is not a signing public key".into())
        })?;
        if let Some(expected) = expected_sender {
            if *expected != sender {
                return Err(OpenError::UnexpectedSender { found: sender.to_string() });
            }
        }
        opener.manifest = manifest;
        opener.sender = Some(sender);
        opener.check_signature()?;
        Ok(opener)
    }

    /// The manifest. It is authenticated by the signature only when reading reaches the end.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Whether the final chunk and the signature have been verified.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// Consumes exactly `n` released bytes (for the manifest).
    fn take_exact(&mut self, n: usize) -> Result<Vec<u8>, OpenError> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            self.ensure()?;
            let avail = self.available();
            if avail.is_empty() {
                return Err(OpenError::ManifestMalformed(
                    "payload ends inside the manifest".into(),
                ));
            }
            let k = avail.len().min(n - out.len());
            out.extend_from_slice(&avail[..k]);
            self.advance(k);
        }
        Ok(out)
    }

    /// Released plaintext not consumed yet (empty at the verified end).
    fn available(&self) -> &[u8] {
        match &self.current {
            Some(b) => &b.buf.as_slice()[b.start..b.end],
            None => &[],
        }
    }

    fn advance(&mut self, n: usize) {
        if let Some(b) = self.current.as_mut() {
            b.start = (b.start + n).min(b.end);
        }
    }

    /// Makes released plaintext available, or reaches the verified end, or fails.
    fn ensure(&mut self) -> Result<(), OpenError> {
        loop {
            if self.current.as_ref().is_some_and(|b| b.start < b.end) {
                return Ok(());
            }
            if let Some(b) = self.current.take() {
                self.spare.push(b.buf);
            }
            if let Some(e) = self.pending.take() {
                self.finished = true;
                return Err(e);
            }
            if self.finished {
                return Ok(());
            }
            let mut b = self.next_batch()?;
            if let Some(e) = b.error.take() {
                self.pending = Some(e);
            } else if b.has_final {
                self.finished = true;
                self.signature = b.signature;
                self.digest = b.digest;
                self.current = Some(b);
                if let Err(e) = self.check_signature() {
                    self.current = None;
                    return Err(e);
                }
                continue;
            }
            self.current = Some(b);
        }
    }

    /// The next batch through the workers, reading (and handing on) batches of input first
    /// while fewer than `IN_FLIGHT` are under way.
    fn next_batch(&mut self) -> Result<Batch, OpenError> {
        while !self.input_done && self.in_flight < IN_FLIGHT {
            let Some(mut b) = self.read_batch() else { break };
            if !b.has_final {
                self.pipeline.go_parallel(IN_FLIGHT);
            }
            if self.balance.caller_takes_next() {
                decrypt(&self.payload, &mut b, self.header.version() >= 2);
            }
            self.pipeline.submit(b)?;
            self.in_flight += 1;
        }
        if self.in_flight == 0 {
            let e = self.read_error.take().unwrap_or_else(|| io::Error::other("nothing to read"));
            return Err(OpenError::Io(e));
        }
        let (b, waited) = self.pipeline.next_timed()?;
        self.in_flight -= 1;
        let worker_busy = self.pipeline.take_worker_busy();
        self.balance.observe(waited, worker_busy);
        Ok(b)
    }

    /// Reads one batch of wire chunks and one byte past it, or up to the end of input.
    /// `None` if reading failed (the error is reported after the batches before it).
    fn read_batch(&mut self) -> Option<Batch> {
        let mut buf = self.spare.pop().unwrap_or_else(|| {
            if self.next_counter == 0 {
                // The first batch may be all there is: grow as the input comes.
                BatchBuf::new()
            } else {
                BatchBuf::with_capacity(HEADROOM + BATCH_WIRE_LEN + 1)
            }
        });
        buf.clear();
        buf.spare(HEADROOM);
        buf.commit(HEADROOM);
        if let Some(byte) = self.lookahead.take() {
            buf.extend(&[byte]);
        }
        let want = HEADROOM + BATCH_WIRE_LEN + 1;
        let mut eof = false;
        while buf.len() < want {
            // A new buffer grows by doubling from one chunk, so a small file needs little.
            let step = (want - buf.len()).min(buf.len().max(WIRE_CHUNK_LEN));
            match self.inner.read(buf.spare(step)) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(k) => buf.commit(k),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.read_error = Some(e);
                    self.input_done = true;
                    self.spare.push(buf);
                    return None;
                }
            }
        }
        if !eof {
            self.lookahead = Some(buf.as_slice()[want - 1]);
            buf.truncate(want - 1);
        }
        self.input_done = eof;
        let first = self.next_counter;
        self.next_counter = self.next_counter.saturating_add(BATCH_CHUNKS as u64);
        Some(Batch {
            buf,
            first,
            has_final: eof,
            decrypted: false,
            leaves: Vec::with_capacity(BATCH_CHUNKS),
            last_leaf_before_64: None,
            chunks: 0,
            plain_len: 0,
            start: 0,
            end: 0,
            error: None,
            signature: None,
            digest: None,
        })
    }

    /// Verifies the signature once both the final chunk and the sender are known.
    fn check_signature(&mut self) -> Result<(), OpenError> {
        let (Some(sig), Some(digest), Some(sender)) =
            (self.signature, self.digest, self.sender.as_ref())
        else {
            return Ok(());
        };
        if self.verified {
            return Ok(());
        }
        let transcript = transcript(self.header.version(), &self.header.bytes, &digest);
        if !sender.verify(&transcript, &sig) {
            return Err(OpenError::BadSignature);
        }
        self.verified = true;
        Ok(())
    }

    fn fail(&mut self, e: OpenError) -> io::Error {
        self.failed = Some(e.to_string());
        self.current = None;
        e.into_io()
    }

    fn failed_error(&self) -> Option<io::Error> {
        self.failed.as_ref().map(|msg| io::Error::new(io::ErrorKind::InvalidData, msg.clone()))
    }
}

impl<R: Read> Read for Opener<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let k = out.len().min(avail.len());
        out[..k].copy_from_slice(&avail[..k]);
        self.consume(k);
        Ok(k)
    }
}

impl<R: Read> BufRead for Opener<R> {
    /// Released plaintext, straight from the opener's buffers (no copy); empty only at the
    /// verified end.
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(e) = self.failed_error() {
            return Err(e);
        }
        if let Err(e) = self.ensure() {
            return Err(self.fail(e));
        }
        Ok(self.available())
    }

    fn consume(&mut self, amt: usize) {
        self.advance(amt);
    }
}

fn placeholder_manifest() -> Manifest {
    Manifest {
        schema_version: String::new(),
        content_type: super::manifest::ContentType::Cases,
        record_count: 0,
        pseudonym_domain: None,
        pseudonym_key_id: None,
        export_id: String::new(),
        created_at: 0,
        sender: String::new(),
    }
}

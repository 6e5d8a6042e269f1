//! The framing of a sealed payload on the way in: the wire bytes cut into batches of 16 chunks,
//! read a batch ahead with one byte of lookahead (so the final chunk is known by the end of
//! input), and each batch's chunks decrypted in place and compacted.
//!
//! What the plaintext means (where the signature starts, which bytes are hashed) is decided in
//! `holdback`; the order of it all in `reader`.

use super::error::OpenError;
use super::holdback::hash_chunk;
use super::stream::{
    BatchBuf, PayloadKey, BATCH_CHUNKS, BATCH_WIRE_LEN, SIGNATURE_LEN, TAG_LEN, WIRE_CHUNK_LEN,
};
use ring::digest;
use std::io::{self, Read};

/// Room before the wire bytes of a batch, where the plaintext held back from the batch before
/// (at most the 64 bytes that may be the signature) is put, so that what a batch releases is
/// one contiguous slice.
pub(super) const HEADROOM: usize = SIGNATURE_LEN;

/// One batch on its way through the workers.
pub(super) struct Batch {
    /// `HEADROOM` bytes, then the wire bytes; after decryption, the plaintext, compacted, from
    /// `HEADROOM` on.
    pub buf: BatchBuf,
    /// Counter of the first chunk.
    pub first: u64,
    /// The input ended in this batch: its last chunk is the final one.
    pub has_final: bool,
    /// The chunks are decrypted (by the caller's thread, or else by the worker).
    pub decrypted: bool,
    /// Version 2: the leaf of each chunk holding content, in order, and for the last chunk of a
    /// batch that is not the final one, the leaf's hash state before the chunk's last 64 bytes
    /// (which are the start of the signature if the final chunk holds fewer than 64 bytes).
    pub leaves: Vec<super::content_digest::Leaf>,
    pub last_leaf_before_64: Option<digest::Context>,
    /// Chunks that authenticated.
    pub chunks: usize,
    /// Plaintext bytes (from `HEADROOM`) that authenticated, in order.
    pub plain_len: usize,
    /// What this batch releases: `buf[start..end]`.
    pub start: usize,
    pub end: usize,
    /// The first failure in this batch; reported once the plaintext before it is consumed.
    pub error: Option<OpenError>,
    /// The final batch: signature and the SHA-256 of everything before it.
    pub signature: Option<[u8; SIGNATURE_LEN]>,
    pub digest: Option<[u8; 32]>,
}

impl Batch {
    /// Released plaintext not consumed yet.
    pub fn released(&self) -> &[u8] {
        &self.buf.as_slice()[self.start..self.end]
    }
}

/// Decrypts the chunks of a batch in place, in order, compacting the plaintext, and stops at
/// the first chunk that is cut or does not authenticate. With `leaves` (version 2), also hashes
/// the content in each chunk into its leaf.
pub(super) fn decrypt(key: &PayloadKey, b: &mut Batch, leaves: bool) {
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

/// The input side: reads the wire bytes a batch at a time, one byte past each full batch to
/// learn whether more follows, reusing the buffers of consumed batches.
pub(super) struct Framing<R: Read> {
    inner: R,
    /// Counter of the first chunk of the next batch read.
    next_counter: u64,
    /// The byte read past a full batch to learn that more follows.
    lookahead: Option<u8>,
    /// End of input reached (the batch holding it is read), or reading failed.
    done: bool,
    /// The failure that ended reading; reported after the batches read before it.
    error: Option<io::Error>,
    /// Buffers of consumed batches.
    spare: Vec<BatchBuf>,
}

impl<R: Read> Framing<R> {
    pub fn new(inner: R) -> Self {
        Framing { inner, next_counter: 0, lookahead: None, done: false, error: None, spare: vec![] }
    }

    /// Whether the input is used up (every batch read, or reading failed).
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The read failure that ended the input, taken once.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    /// Gives back the buffer of a consumed batch, for the next one.
    pub fn recycle(&mut self, buf: BatchBuf) {
        self.spare.push(buf);
    }

    /// Reads one batch of wire chunks and one byte past it, or up to the end of input.
    /// `None` if reading failed (the error is reported after the batches before it).
    pub fn read_batch(&mut self) -> Option<Batch> {
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
                    self.error = Some(e);
                    self.done = true;
                    self.spare.push(buf);
                    return None;
                }
            }
        }
        if !eof {
            self.lookahead = Some(buf.as_slice()[want - 1]);
            buf.truncate(want - 1);
        }
        self.done = eof;
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
}

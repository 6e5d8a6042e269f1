//! STREAM: chunk sizes, batches, and the per-chunk AEAD shared by the writer and the reader.
//!
//! In memory, chunks are laid out as on the wire (`chunk ‖ tag`, `chunk ‖ tag`, …) so that a
//! batch is encrypted and decrypted in place and written or read with one call.

use ring::aead;
use zeroize::Zeroizing;

/// Plaintext bytes in every non-final chunk; the final chunk holds fewer (possibly none).
pub const CHUNK_LEN: usize = 64 * 1024;
/// Poly1305 tag appended to every chunk.
pub const TAG_LEN: usize = 16;
/// Bytes of a full (non-final) chunk on the wire.
pub const WIRE_CHUNK_LEN: usize = CHUNK_LEN + TAG_LEN;
/// Ed25519 signature length: the last bytes of the payload stream.
pub const SIGNATURE_LEN: usize = 64;

/// Chunks handed to the worker threads at a time: 1 MiB of plaintext, so the hand-over costs
/// (channel, wake-up, cache misses) are paid once per 16 chunks.
pub(crate) const BATCH_CHUNKS: usize = 16;
/// Wire bytes of a full batch.
pub(crate) const BATCH_WIRE_LEN: usize = BATCH_CHUNKS * WIRE_CHUNK_LEN;
/// Batches in flight between the caller's thread and the workers. With the one the caller
/// fills (sealing) or drains (opening), at most `IN_FLIGHT + 1` batch buffers exist: about
/// 6 MiB, whatever the file size. Measured on 1 GiB in memory (`examples/seal_api_loop`): 3 in
/// flight left both threads waiting on each other (seal 1650, open 1750 MB/s); 4 to 8 all give
/// about 1750–1850 and 1850–1950 MB/s; 5 is in the middle of that plateau.
pub(crate) const IN_FLIGHT: usize = 5;

/// The payload key and base nonce of one file (shared with the worker threads).
pub(crate) struct PayloadKey {
    key: aead::LessSafeKey,
    base_nonce: [u8; 12],
}

impl PayloadKey {
    /// A payload key from its 32 bytes (copied into ring's key) and the base nonce.
    pub fn new(key: &[u8; 32], base_nonce: [u8; 12]) -> Self {
        let key = aead::UnboundKey::new(&aead::CHACHA20_POLY1305, key).expect("32-byte key");
        PayloadKey { key: aead::LessSafeKey::new(key), base_nonce }
    }

    /// Nonce of chunk `counter`: base nonce XOR (11-byte big-endian counter ‖ last flag).
    fn nonce(&self, counter: u64, last: bool) -> aead::Nonce {
        let mut n = [0u8; 12];
        n[3..11].copy_from_slice(&counter.to_be_bytes());
        n[11] = u8::from(last);
        for (a, b) in n.iter_mut().zip(self.base_nonce) {
            *a ^= b;
        }
        aead::Nonce::assume_unique_for_key(n)
    }

    /// Seals, in place, every chunk of `wire`, which is laid out as on the wire with room left
    /// for each tag: full chunks (`WIRE_CHUNK_LEN` bytes each), then, if `final_last`, a shorter
    /// final one (at least `TAG_LEN` bytes). Chunk counters start at `first`.
    ///
    /// Returns false only if a counter would overflow or ring refuses (neither happens for
    /// inputs of this size).
    pub fn seal_chunks(&self, wire: &mut [u8], first: u64, final_last: bool) -> bool {
        let pieces = wire.len().div_ceil(WIRE_CHUNK_LEN);
        for (i, piece) in wire.chunks_mut(WIRE_CHUNK_LEN).enumerate() {
            let last = final_last && i + 1 == pieces;
            debug_assert!(last == (piece.len() < WIRE_CHUNK_LEN) && piece.len() >= TAG_LEN);
            let Some(counter) = first.checked_add(i as u64) else { return false };
            let (plain, tag_out) = piece.split_at_mut(piece.len() - TAG_LEN);
            let nonce = self.nonce(counter, last);
            match self.key.seal_in_place_separate_tag(nonce, aead::Aad::empty(), plain) {
                Ok(tag) => tag_out.copy_from_slice(tag.as_ref()),
                Err(_) => return false,
            }
        }
        true
    }

    /// Opens one chunk (`ciphertext ‖ tag`) in place; the plaintext is `wire[..len - TAG_LEN]`.
    pub fn open_chunk(&self, wire: &mut [u8], counter: u64, last: bool) -> bool {
        let nonce = self.nonce(counter, last);
        self.key.open_in_place(nonce, aead::Aad::empty(), wire).is_ok()
    }
}

/// A reusable batch buffer holding `len` bytes. The vector's own length is a high-water mark,
/// so memory is zeroed once, when first needed, and not again as the buffer is reused. Every
/// byte it ever held is wiped when it grows or is dropped.
pub(crate) struct BatchBuf {
    bytes: Zeroizing<Vec<u8>>,
    len: usize,
}

impl BatchBuf {
    /// An empty buffer that allocates on first use.
    pub fn new() -> Self {
        BatchBuf { bytes: Zeroizing::new(Vec::new()), len: 0 }
    }

    /// An empty buffer with room for `cap` bytes reserved (not yet touched).
    pub fn with_capacity(cap: usize) -> Self {
        BatchBuf { bytes: Zeroizing::new(Vec::with_capacity(cap)), len: 0 }
    }

    /// Bytes in use.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Forgets the content (it is overwritten by later use and wiped on drop).
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Shortens the content to `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// The bytes in use.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The bytes in use, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.bytes[..self.len]
    }

    /// The `n` bytes after the content, to be filled and then [`commit`](Self::commit)ted.
    pub fn spare(&mut self, n: usize) -> &mut [u8] {
        let need = self.len + n;
        if self.bytes.len() < need {
            if self.bytes.capacity() < need {
                // Grow by hand, so the old allocation is wiped rather than left behind.
                let cap = need.max(2 * self.bytes.len());
                let mut grown = Vec::with_capacity(cap);
                grown.extend_from_slice(&self.bytes);
                self.bytes = Zeroizing::new(grown);
            }
            self.bytes.resize(need, 0);
        }
        &mut self.bytes[self.len..need]
    }

    /// Takes `n` bytes of the spare area into the content.
    pub fn commit(&mut self, n: usize) {
        debug_assert!(self.len + n <= self.bytes.len());
        self.len += n;
    }

    /// Appends `data`.
    pub fn extend(&mut self, data: &[u8]) {
        self.spare(data.len()).copy_from_slice(data);
        self.len += data.len();
    }
}

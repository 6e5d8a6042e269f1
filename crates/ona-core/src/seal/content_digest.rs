//! The digest of the content that the sender signs, and the signed transcript.
//!
//! The content is the payload stream without its last 64 bytes (the signature): the manifest
//! frame and what follows it.
//!
//! **Version 2** hashes in two levels so that both cores can share the work. The content is cut
//! at the payload's chunk boundaries into pieces of 65 536 bytes (the last piece shorter, never
//! empty); piece `i` lies in chunk `i`, and whichever thread encrypts or decrypts that chunk
//! hashes it:
//!
//! ```text
//! leaf_i = SHA-256("ona/seal/v2/piece" ‖ 0x00 ‖ i as 8 bytes big-endian ‖ piece_i)
//! digest = SHA-256("ona/seal/v2/content" ‖ 0x00 ‖ leaf_0 ‖ … ‖ leaf_{m-1} ‖ content length as 8 bytes big-endian)
//! ```
//!
//! Only the second level (32 bytes a chunk) runs in order. **Version 1** signed
//! `SHA-256(content)`, one hash in order over every byte, which one core had to do alone.

use ring::digest::{Context, SHA256};

/// Prefix of every leaf hash (version 2).
const LEAF_LABEL: &[u8] = b"ona/seal/v2/piece\0";
/// Prefix of the digest over the leaves (version 2).
const ROOT_LABEL: &[u8] = b"ona/seal/v2/content\0";
/// Prefix of the signed transcript, version 1.
const TRANSCRIPT_V1: &[u8] = b"ona/seal/v1/transcript\0";
/// Prefix of the signed transcript, version 2.
const TRANSCRIPT_V2: &[u8] = b"ona/seal/v2/transcript\0";

/// A SHA-256 context for leaf `index` with the label and index already absorbed: the piece
/// follows.
pub(crate) fn leaf_context(index: u64) -> Context {
    let mut ctx = Context::new(&SHA256);
    ctx.update(LEAF_LABEL);
    ctx.update(&index.to_be_bytes());
    ctx
}

/// Finishes a SHA-256 context into its 32 bytes (leaves, the digest, version 1's hash).
pub(crate) fn finish_sha256(ctx: Context) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// The leaf of piece `index`.
pub(crate) fn leaf(index: u64, piece: &[u8]) -> [u8; 32] {
    let mut ctx = leaf_context(index);
    ctx.update(piece);
    finish_sha256(ctx)
}

/// One leaf and the length of the piece it covers.
pub(crate) type Leaf = ([u8; 32], usize);

/// The second level (version 2): takes the leaves in order.
pub(crate) struct Root {
    ctx: Context,
    len: u64,
}

impl Root {
    /// No leaves yet.
    pub fn new() -> Self {
        let mut ctx = Context::new(&SHA256);
        ctx.update(ROOT_LABEL);
        Root { ctx, len: 0 }
    }

    /// Takes the next leaf, covering `piece_len` bytes of content.
    pub fn push(&mut self, leaf: &[u8; 32], piece_len: usize) {
        self.ctx.update(leaf);
        self.len = self.len.saturating_add(piece_len as u64);
    }

    /// The digest of the content whose leaves were pushed.
    pub fn finish(mut self) -> [u8; 32] {
        self.ctx.update(&self.len.to_be_bytes());
        finish_sha256(self.ctx)
    }
}

/// The bytes the sender signs: a label naming the version ‖ the whole header ‖ the digest.
pub(crate) fn transcript(version: u8, header: &[u8], digest: &[u8]) -> Vec<u8> {
    let label = if version == 1 { TRANSCRIPT_V1 } else { TRANSCRIPT_V2 };
    let mut t = Vec::with_capacity(label.len() + header.len() + digest.len());
    t.extend_from_slice(label);
    t.extend_from_slice(header);
    t.extend_from_slice(digest);
    t
}

/// The digest of a whole content held in memory, as format `version` defines it (1 or 2;
/// any other value is treated as 2). The streaming writer and reader compute the same value a
/// chunk at a time.
#[cfg(any(test, feature = "test-helpers"))]
pub fn content_digest(version: u8, content: &[u8]) -> [u8; 32] {
    if version == 1 {
        let mut ctx = Context::new(&SHA256);
        ctx.update(content);
        return finish_sha256(ctx);
    }
    let mut root = Root::new();
    for (i, piece) in content.chunks(super::stream::CHUNK_LEN).enumerate() {
        root.push(&leaf(i as u64, piece), piece.len());
    }
    root.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::CHUNK_LEN;

    fn sha(parts: &[&[u8]]) -> [u8; 32] {
        let mut c = Context::new(&SHA256);
        for p in parts {
            c.update(p);
        }
        finish_sha256(c)
    }

    #[test]
    fn version_2_is_the_documented_two_level_hash() {
        let content: Vec<u8> = (0..CHUNK_LEN + 5).map(|i| (i % 7) as u8).collect();
        let l0 = sha(&[b"ona/seal/v2/piece\0", &0u64.to_be_bytes(), &content[..CHUNK_LEN]]);
        let l1 = sha(&[b"ona/seal/v2/piece\0", &1u64.to_be_bytes(), &content[CHUNK_LEN..]]);
        let len = (content.len() as u64).to_be_bytes();
        let want = sha(&[b"ona/seal/v2/content\0", &l0, &l1, &len]);
        assert_eq!(content_digest(2, &content), want);
        assert_eq!(content_digest(1, &content), sha(&[&content]));
    }

    #[test]
    fn pieces_are_bound_to_their_place_and_the_length() {
        let a = vec![1u8; CHUNK_LEN];
        let b = vec![2u8; CHUNK_LEN];
        let ab = [a.clone(), b.clone()].concat();
        let ba = [b, a].concat();
        assert_ne!(content_digest(2, &ab), content_digest(2, &ba));
        assert_ne!(content_digest(2, &ab[..CHUNK_LEN]), content_digest(2, &ab));
        assert_ne!(content_digest(2, b"x"), content_digest(1, b"x"));
        assert_ne!(transcript(1, b"h", b"d"), transcript(2, b"h", b"d"));
    }
}

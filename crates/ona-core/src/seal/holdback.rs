//! The signature hold-back: the sender's signature is the last 64 plaintext bytes of the
//! stream, so the last 64 bytes seen so far are held back from each batch until the next one
//! shows they are content; the digest the signature covers is computed over everything before
//! them, sequentially (format version 1) or as a tree of chunk leaves (version 2, see
//! `content_digest`), where the leaf of a batch's last chunk is likewise held back.

use super::content_digest::{finish_sha256, leaf, leaf_context, Leaf, Root};
use super::error::OpenError;
use super::framing::{Batch, HEADROOM};
use super::stream::{CHUNK_LEN, SIGNATURE_LEN, TAG_LEN, WIRE_CHUNK_LEN};
use ring::digest;
use zeroize::Zeroizing;

/// Version 2: the leaf of one decrypted chunk (`plain`, chunk `counter`, with `remaining` wire
/// bytes of the batch from its start). Only the last two chunks of the stream can hold part of
/// the signature: the final chunk, and the one before it when the final chunk holds fewer than
/// 64 bytes. When that one ends a batch, the next batch decides (see `Tree`).
pub(super) fn hash_chunk(
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
pub(super) struct Hasher {
    digest: Digest,
    held: Zeroizing<Vec<u8>>,
    stopped: bool,
}

impl Hasher {
    /// A hasher for format `version`.
    pub fn new(version: u8) -> Self {
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

    /// Takes a decrypted batch in order: puts the bytes held back from the batch before in its
    /// headroom, sets what it releases (`start..end`), and for the final batch, its signature
    /// and digest. Does nothing once the final batch or a failure was seen.
    pub fn run(&mut self, b: &mut Batch) {
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

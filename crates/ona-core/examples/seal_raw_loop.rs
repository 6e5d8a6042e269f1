//! The baseline for `scripts/bench-seal`: ring's ChaCha20-Poly1305 sealing and opening the same
//! 64 KiB chunks a sealed file of that size has, one core, with nothing else (no I/O, no hashing,
//! no signature).
//!
//! The data is held in memory laid out as on the wire (chunk ‖ tag, chunk ‖ tag, …), so, like
//! `ona`, the loop walks through the whole payload once instead of re-encrypting one chunk that
//! stays in the CPU cache. The one-chunk figures (the earlier version of this loop) are printed
//! too, for comparison.
//!
//! Usage: `seal_raw_loop [MiB]` (default 1024). Prints, in MB/s:
//! `seal open sha256 seal_one_chunk open_one_chunk sha256_one_chunk`.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use ring::digest::{Context, SHA256};
use std::hint::black_box;
use std::time::Instant;

const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const WIRE: usize = CHUNK + TAG;

fn nonce(i: usize) -> Nonce {
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
    Nonce::assume_unique_for_key(n)
}

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1024);
    let chunks = mib * 16;
    let mb = (mib * 1024 * 1024) as f64 / 1e6;
    let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &[7u8; 32]).unwrap());

    // The whole payload in memory, every page touched before timing starts.
    let mut wire: Vec<u8> = (0..chunks * WIRE).map(|i| (i % 251) as u8).collect();
    let t = Instant::now();
    for (i, c) in wire.chunks_exact_mut(WIRE).enumerate() {
        let (pt, tag_out) = c.split_at_mut(CHUNK);
        let tag = key.seal_in_place_separate_tag(nonce(i), Aad::empty(), pt).unwrap();
        tag_out.copy_from_slice(tag.as_ref());
    }
    let seal = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for (i, c) in wire.chunks_exact_mut(WIRE).enumerate() {
        key.open_in_place(nonce(i), Aad::empty(), c).unwrap();
    }
    let open = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut h = Context::new(&SHA256);
    for c in wire.chunks_exact(WIRE) {
        h.update(&c[..CHUNK]);
    }
    black_box(h.finish());
    let sha = t.elapsed().as_secs_f64();
    drop(wire);

    // One chunk, sealed over and over (stays in cache); opened from a copy each time.
    let mut buf: Vec<u8> = (0..CHUNK).map(|i| (i % 251) as u8).collect();
    let t = Instant::now();
    for i in 0..chunks {
        let tag = key.seal_in_place_separate_tag(nonce(i), Aad::empty(), &mut buf).unwrap();
        let _ = black_box(tag);
    }
    let seal_one = t.elapsed().as_secs_f64();
    let mut ct = buf.clone();
    let tag = key.seal_in_place_separate_tag(nonce(0), Aad::empty(), &mut ct).unwrap();
    ct.extend_from_slice(tag.as_ref());
    let mut work = ct.clone();
    let t = Instant::now();
    for _ in 0..chunks {
        work.copy_from_slice(&ct);
        key.open_in_place(nonce(0), Aad::empty(), &mut work).unwrap();
    }
    let open_one = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut h = Context::new(&SHA256);
    for _ in 0..chunks {
        h.update(&ct[..CHUNK]);
    }
    black_box(h.finish());
    let sha_one = t.elapsed().as_secs_f64();

    println!(
        "{:.0} {:.0} {:.0} {:.0} {:.0} {:.0}",
        mb / seal,
        mb / open,
        mb / sha,
        mb / seal_one,
        mb / open_one,
        mb / sha_one
    );
}

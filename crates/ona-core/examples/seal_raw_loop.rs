//! The baseline for `scripts/bench-seal`: ring's ChaCha20-Poly1305 sealing and opening the same
//! 64 KiB chunks a sealed file has, with nothing else (no I/O, no hashing, no signature).
//!
//! Usage: `seal_raw_loop [MiB]` (default 1024). Prints `seal_mbs open_mbs sha256_mbs`.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use std::time::Instant;

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1024);
    let chunks = mib * 16;
    let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &[7u8; 32]).unwrap());
    let mut buf: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let nonce = |i: usize| {
        let mut n = [0u8; 12];
        n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
        Nonce::assume_unique_for_key(n)
    };
    let mut tags = Vec::with_capacity(chunks);
    let t = Instant::now();
    for i in 0..chunks {
        let tag = key.seal_in_place_separate_tag(nonce(i), Aad::empty(), &mut buf).unwrap();
        tags.push(tag);
    }
    let seal = t.elapsed().as_secs_f64();
    // Open: the same chunk opened each time (the copy restores the ciphertext; memcpy of
    // 64 KiB is small next to the AEAD).
    let mut ct = buf.clone();
    let tag = key.seal_in_place_separate_tag(nonce(0), Aad::empty(), &mut ct).unwrap();
    ct.extend_from_slice(tag.as_ref());
    let mut work = ct.clone();
    let t = Instant::now();
    for _ in 0..chunks {
        work.copy_from_slice(&ct);
        key.open_in_place(nonce(0), Aad::empty(), &mut work).unwrap();
    }
    let open = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut h = ring::digest::Context::new(&ring::digest::SHA256);
    for _ in 0..chunks {
        h.update(&ct[..64 * 1024]);
    }
    let _ = h.finish();
    let sha = t.elapsed().as_secs_f64();
    let mb = (mib * 1024 * 1024) as f64 / 1e6;
    println!("{:.0} {:.0} {:.0}", mb / seal, mb / open, mb / sha);
}

//! Sealing then opening gives the content back, whatever its length and however it is written
//! and read, and any single changed byte of the sealed file makes opening fail.
//!
//! Random bytes never authenticate, so `seal_open` cannot reach the signed digest; this target
//! makes genuine files instead: lengths up to 3 MiB (so the 16-chunk batches, the worker
//! thread and a signature split across batches are reached), written and read in pieces of
//! sizes drawn from the input. Input: length (4 bytes), write step, read step, flip position
//! (4 bytes), then the bytes repeated to make the content.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ona_core::seal::{ContentType, Identity, Manifest, Opener, Sealer};
use std::io::{Read, Write};
use std::sync::OnceLock;

fn ids() -> &'static (Identity, Identity) {
    static F: OnceLock<(Identity, Identity)> = OnceLock::new();
    F.get_or_init(|| (Identity::from_seed_for_tests(b"fuzz centre"), Identity::from_seed_for_tests(b"fuzz hub")))
}

fn u32_at(d: &[u8], i: usize) -> u32 {
    let mut b = [0u8; 4];
    for (k, x) in b.iter_mut().enumerate() {
        *x = d.get(i + k).copied().unwrap_or(0);
    }
    u32::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let (centre, hub) = ids();
    let len = u32_at(data, 0) as usize % (3 << 20);
    // Short inputs write and read a chunk at a time (one byte at a time would be the default
    // otherwise, and 3 MiB of one-byte writes is slow to fuzz).
    let step = |at: usize| match data.len() >= at + 4 {
        true => 1 + (u32_at(data, at) as usize % (1 << 18)),
        false => 65_536,
    };
    let (wstep, rstep) = (step(4), step(8));
    let flip = u32_at(data, 12) as usize;
    let seed = data.get(16..).filter(|s| !s.is_empty()).unwrap_or(b"\0");
    let content: Vec<u8> = seed.iter().copied().cycle().take(len).collect();
    let mut m = Manifest::new(ContentType::Report, 1);
    m.export_id = "0".repeat(32);
    let mut w = Sealer::deterministic_for_tests(Vec::new(), &m, &[hub.encryption_public()], centre, data)
        .unwrap();
    for piece in content.chunks(wstep) {
        w.write_all(piece).unwrap();
    }
    let sealed = w.finish().unwrap();

    let mut o = Opener::new(&sealed[..], hub, Some(&centre.signing_public())).unwrap();
    let mut got = Vec::with_capacity(len);
    let mut buf = vec![0u8; rstep];
    loop {
        let n = o.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert!(o.is_verified());
    assert!(got == content, "round trip differs");

    let mut bad = sealed;
    let at = flip % bad.len();
    bad[at] ^= 1 | (flip >> 24) as u8;
    let opened = Opener::new(&bad[..], hub, None).and_then(|mut o| {
        let mut sink = Vec::new();
        o.read_to_end(&mut sink).map_err(ona_core::seal::OpenError::from_io)
    });
    assert!(opened.is_err(), "a changed byte at {at} went unnoticed");
});

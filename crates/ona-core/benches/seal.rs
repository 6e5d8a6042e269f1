//! Criterion benchmark: seal and open 16 MiB in memory, next to the raw ring ChaCha20-Poly1305
//! loop over the same 64 KiB chunks. The 1 GiB comparison with rage is `scripts/bench-seal`.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ona_core::seal::{open, seal, ContentType, Identity, Manifest, CHUNK_LEN};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use std::hint::black_box;

const SIZE: usize = 16 << 20;

fn bench(c: &mut Criterion) {
    let centre = Identity::from_seed_for_tests(b"bench centre");
    let hub = Identity::from_seed_for_tests(b"bench hub");
    let data = vec![0x61u8; SIZE];
    let m = Manifest::new(ContentType::Cases, 0);
    let sealed = seal(&data, &m, &[hub.encryption_public()], &centre).unwrap();
    let mut g = c.benchmark_group("seal_16MiB");
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.sample_size(10);
    g.bench_function("raw_ring_chacha20poly1305", |b| {
        let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &[7u8; 32]).unwrap());
        let mut buf = vec![0u8; CHUNK_LEN];
        b.iter(|| {
            for i in 0..SIZE / CHUNK_LEN {
                let mut n = [0u8; 12];
                n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
                let tag = key
                    .seal_in_place_separate_tag(
                        Nonce::assume_unique_for_key(n),
                        Aad::empty(),
                        &mut buf,
                    )
                    .unwrap();
                let _ = black_box(tag);
            }
        })
    });
    g.bench_function("seal", |b| {
        b.iter(|| seal(black_box(&data), &m, &[hub.encryption_public()], &centre).unwrap())
    });
    g.bench_function("open", |b| {
        b.iter(|| open(black_box(&sealed), &hub, Some(&centre.signing_public())).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

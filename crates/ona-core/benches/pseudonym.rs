//! Pseudonymisation throughput: the keyed hash alone (identifiers/s, one core, key prepared once),
//! canonical name + hash, and the whole default policy (cases/s, one core).
//! Run: `cargo bench -p ona-core --bench pseudonym`.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ona_core::pseudonym::{IdentifierKind, MasterKey, Policy, Pseudonymiser};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let master = MasterKey::from_bytes(&[9; 32], 1).unwrap();
    let p = Pseudonymiser::new(&master, "kz/bench", Policy::default()).unwrap();
    let key = master.domain_key("kz/bench").unwrap();
    let ids: Vec<String> = (0..100_000u64).map(|i| format!("{:012}", i * 7919)).collect();
    let names: Vec<String> = ona_synth::cases(3, 20_000)
        .map(|c| c.mother.name.given + " " + &c.mother.name.family.unwrap_or_default())
        .collect();
    let cases: Vec<_> = ona_synth::cases(3, 20_000).collect();

    let mut g = c.benchmark_group("pseudonym");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ids.len() as u64));
    g.bench_function("keyed_hash_only", |b| {
        b.iter(|| ids.iter().map(|v| key.mac("text", v.as_bytes()).as_ref()[0] as u64).sum::<u64>())
    });
    g.bench_function("text_canonical_and_hash", |b| {
        b.iter(|| ids.iter().filter_map(|v| p.pseudonym_of(IdentifierKind::Text, v)).count())
    });
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("name_canonical_and_hash", |b| {
        b.iter(|| names.iter().filter_map(|v| p.pseudonym_of(IdentifierKind::Name, v)).count())
    });
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("whole_default_policy", |b| {
        b.iter(|| cases.iter().map(|c| black_box(p.pseudonymise(c).unwrap())).count())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Throughput of the case standard's hot paths: drawing synthetic cases, writing them as JSON
//! Lines, and validating JSON Lines records. Run: `cargo bench -p ona-synth --bench standard`.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ona_core::schema::validate_json;

const N: u64 = 10_000;

fn synth(c: &mut Criterion) {
    let mut g = c.benchmark_group("standard");
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("synth_cases", N), |b| {
        b.iter(|| ona_synth::cases(7, N).map(|c| c.children.len()).sum::<usize>())
    });
    g.bench_function(BenchmarkId::new("synth_jsonl_all_cores", N), |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(32 << 20);
            ona_synth::write_jsonl(7, N, &mut out, |_| {}).map(|_| out.len())
        })
    });
    let lines: Vec<String> =
        ona_synth::cases(7, N).map(|c| serde_json::to_string(&c).unwrap()).collect();
    g.bench_function(BenchmarkId::new("validate_one_core", N), |b| {
        b.iter(|| lines.iter().filter(|l| validate_json(l).is_ok()).count())
    });
    g.finish();
}

criterion_group!(benches, synth);
criterion_main!(benches);

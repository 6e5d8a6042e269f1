//! Benchmarks: aggregation throughput of a full report (cases/s) and the exact DP samplers
//! (samples/s). `scripts/bench-dp` runs the samplers beside OpenDP.
#![allow(missing_docs, reason = "criterion_group! generates an undocumented function")]

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ona_core::report::dp::{discrete_gaussian, discrete_laplace, OsNoise, SeededNoise};
use ona_core::report::{Dimension, ReportBuilder, ReportSpec};
use std::hint::black_box;

/// Distinct synthetic cases held in memory; the full report feeds them `PASSES` times, so one
/// iteration counts 1,000,000 cases without holding a million records.
const DISTINCT: u64 = 200_000;
const PASSES: u64 = 5;

/// On-CPU time of this thread (Linux schedstat), so a figure is per core even when other jobs
/// share the machine; falls back to wall time elsewhere.
fn cpu_now() -> Option<std::time::Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(std::time::Duration::from_nanos)
}

/// A stopwatch of this thread's CPU time.
struct Clock(Option<std::time::Duration>, std::time::Instant);

impl Clock {
    fn start() -> Clock {
        Clock(cpu_now(), std::time::Instant::now())
    }
    fn elapsed(&self) -> std::time::Duration {
        match (self.0, cpu_now()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => self.1.elapsed(),
        }
    }
}

fn aggregation(c: &mut Criterion) {
    let cases = common::pseudo_cases(42, DISTINCT);
    let spec =
        ReportSpec { by: vec![Dimension::Country, Dimension::Quarter], ..ReportSpec::default() };
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.throughput(Throughput::Elements(DISTINCT * PASSES));
    // CPU time of the one thread that aggregates: "cases per second on one core", whatever
    // else runs on the machine.
    g.bench_function("full_report_1m_cases_country_quarter_cpu_time", |b| {
        b.iter_custom(|iters| {
            let t = Clock::start();
            for _ in 0..iters {
                let mut r = ReportBuilder::new(&spec).unwrap();
                for _ in 0..PASSES {
                    for case in &cases {
                        r.add(case);
                    }
                }
                black_box(r.finish().unwrap());
            }
            t.elapsed()
        })
    });
    // Streaming, as from a parser: each case is freshly built (untimed) just before it is
    // added, 1,000,000 distinct cases with 1,000,000 distinct women; only add() and finish()
    // are timed.
    let women: Vec<ona_core::pseudonym::Pseudonym> = (0..DISTINCT * PASSES)
        .map(|i| {
            let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
            let s: String = (0..26)
                .map(|j| alphabet[((i >> ((j % 12) * 5)) as usize + j as usize) % 32] as char)
                .collect();
            serde_json::from_value(serde_json::Value::String(s)).unwrap()
        })
        .collect();
    g.bench_function("full_report_1m_distinct_cases_streamed_cpu_time", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let mut r = ReportBuilder::new(&spec).unwrap();
                let mut next = 0usize;
                for _ in 0..PASSES {
                    for chunk in cases.chunks(1000) {
                        let batch: Vec<_> = chunk
                            .iter()
                            .map(|c| {
                                let mut c = c.clone();
                                c.mother.pseudonym = Some(women[next % women.len()].clone());
                                next += 1;
                                c
                            })
                            .collect();
                        let t = Clock::start();
                        for case in &batch {
                            r.add(case);
                        }
                        total += t.elapsed();
                    }
                }
                let t = Clock::start();
                black_box(r.finish().unwrap());
                total += t.elapsed();
            }
            total
        })
    });
    g.finish();
}

fn samplers(c: &mut Criterion) {
    let mut g = c.benchmark_group("dp");
    const N: u64 = 100_000;
    g.throughput(Throughput::Elements(N));
    g.bench_function("discrete_laplace_scale_2_os_rng", |b| {
        let mut rng = OsNoise::new();
        b.iter(|| (0..N).map(|_| discrete_laplace(&mut rng, 1, 2)).sum::<i128>())
    });
    g.bench_function("discrete_laplace_scale_2_seeded", |b| {
        let mut rng = SeededNoise::new(1);
        b.iter(|| (0..N).map(|_| discrete_laplace(&mut rng, 1, 2)).sum::<i128>())
    });
    g.bench_function("discrete_gaussian_sigma2_4_os_rng", |b| {
        let mut rng = OsNoise::new();
        b.iter(|| (0..N).map(|_| discrete_gaussian(&mut rng, 4, 1)).sum::<i128>())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = aggregation, samplers
}
criterion_main!(benches);

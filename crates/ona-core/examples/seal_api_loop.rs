//! The library API of `scripts/bench-seal`, in memory, like for like with `seal_raw_loop`:
//! `ona_core::seal::Sealer` sealing `MiB` of content from a `&[u8]` into a `Vec<u8>`, and
//! `ona_core::seal::Opener` opening it from a `&[u8]`, read through `BufRead::fill_buf` and
//! `consume` (no copy out). One recipient, a fresh sender identity, a report manifest: the whole
//! format (header, manifest, chunks, SHA-256 of the content, signature), with no file system.
//!
//! Both the input and the output buffer are allocated and every page of them touched before
//! timing, so page faults (slow and erratic on a VM) are not timed; what is timed is the
//! library, including its own batch buffers and worker thread. Each direction is run 3 times
//! and the fastest run is reported, to damp noise from other processes. The round trip is
//! checked in full once, outside the timed runs; the timed opens check the length, that the
//! signature verified, and the first and last byte of every released slice against the input.
//!
//! Usage: `seal_api_loop [MiB]` (default 1024), e.g.
//! `cargo run --release -p ona-core --example seal_api_loop -- 1024`.
//! Prints one line: `seal_MBps open_MBps seal_cores open_cores`, where cores is the process's
//! CPU time (user + system, from `/proc/self/stat`, 10 ms ticks) over the wall time of the
//! fastest run: near 2 when the worker thread and the caller's thread both had a core.
//! The cores are `-` where `/proc/self/stat` cannot be read.

use ona_core::seal::{
    ContentType, Identity, Manifest, Opener, Sealer, CHUNK_LEN, MAX_HEADER_LEN, MAX_MANIFEST_LEN,
    SIGNATURE_LEN, TAG_LEN,
};
use std::hint::black_box;
use std::io::BufRead;
use std::time::Instant;

const RUNS: usize = 3;

/// CPU time of this process (all threads, exited ones included) in seconds, if readable.
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3 (state);
    // utime and stime are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Wall seconds and CPU seconds (if known) of `f`.
fn timed(f: impl FnOnce()) -> (f64, Option<f64>) {
    let c = cpu_secs();
    let t = Instant::now();
    f();
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_secs().zip(c).map(|(after, before)| after - before);
    (wall, cpu)
}

/// The fastest of `RUNS` runs: (wall seconds, cores used).
fn best(mut run: impl FnMut() -> (f64, Option<f64>)) -> (f64, Option<f64>) {
    (0..RUNS)
        .map(|_| run())
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(wall, cpu)| (wall, cpu.map(|c| c / wall.max(1e-9))))
        .expect("at least one run")
}

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1024);
    let len = mib * 1024 * 1024;
    let mb = len as f64 / 1e6;
    let sender = Identity::generate();
    let recipient = Identity::generate();
    let to = [recipient.encryption_public()];
    let from = sender.signing_public();
    let manifest = Manifest::new(ContentType::Report, 0);

    // The content, every page touched before timing starts (as in `seal_raw_loop`).
    let input: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    // Room for the sealed file (header, manifest, every tag, signature): allocated once and
    // touched once, so that sealing into it neither reallocates nor faults pages in.
    let bound = len
        + (len / CHUNK_LEN + 2) * TAG_LEN
        + MAX_HEADER_LEN
        + 4
        + MAX_MANIFEST_LEN
        + SIGNATURE_LEN;
    // (Not `vec![0; bound]`: zeroed memory comes fresh from the kernel, its pages untouched.)
    let mut sealed: Vec<u8> = Vec::with_capacity(bound);
    sealed.resize(bound, 1);
    sealed.clear();
    let at = sealed.as_ptr();

    let (seal_s, seal_cores) = best(|| {
        sealed.clear();
        timed(|| {
            let mut s = Sealer::new(&mut sealed, &manifest, &to, &sender).expect("sealer");
            let n = s.write_from(&mut input.as_slice()).expect("seal");
            assert_eq!(n, len as u64);
            s.finish().expect("finish");
        })
    });
    assert!(sealed.as_ptr() == at && sealed.capacity() >= bound, "the output was reallocated");

    // The round trip, in full, untimed.
    {
        let mut o = Opener::new(sealed.as_slice(), &recipient, Some(&from)).expect("opener");
        let mut off = 0;
        loop {
            let part = o.fill_buf().expect("open");
            if part.is_empty() {
                break;
            }
            assert!(part == &input[off..off + part.len()], "opened content differs at {off}");
            let n = part.len();
            off += n;
            o.consume(n);
        }
        assert_eq!(off, len, "opened content has the wrong length");
        assert!(o.is_verified(), "signature not verified");
    }

    let (open_s, open_cores) = best(|| {
        let mut off = 0;
        let mut verified = false;
        let r = timed(|| {
            let mut o = Opener::new(sealed.as_slice(), &recipient, Some(&from)).expect("opener");
            loop {
                let part = black_box(o.fill_buf().expect("open"));
                let Some((&first, &last)) = part.first().zip(part.last()) else { break };
                let n = part.len();
                // A cheap check (two bytes per slice) that the work was done and is right.
                assert!(first == input[off] && last == input[off + n - 1], "differs at {off}");
                off += n;
                o.consume(n);
            }
            verified = o.is_verified();
        });
        assert!(off == len && verified, "open: {off} of {len} bytes, verified: {verified}");
        r
    });

    let cores = |c: Option<f64>| c.map_or_else(|| "-".to_string(), |c| format!("{c:.2}"));
    println!("{:.0} {:.0} {} {}", mb / seal_s, mb / open_s, cores(seal_cores), cores(open_cores));
}

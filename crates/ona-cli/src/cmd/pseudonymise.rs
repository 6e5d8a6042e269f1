//! `ona pseudonymise`: validated cases in, pseudonymised cases out, with optional k-anonymity.
//!
//! Records are read in batches and validated and pseudonymised on every core; output keeps the
//! input order. Without `--k` memory is one batch whatever the input size. With `--k` the input
//! is read twice: the first pass keeps only each record's quasi-identifiers, interned, and the
//! woman it is about (a few dozen bytes a record); the plan is made; the second pass
//! pseudonymises again (the result is deterministic), applies the plan and writes.

use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::pseudonym::{
    apply_plan, push_record, woman_of, KPlan, MasterKey, Policy, PseudoCase, Pseudonymiser,
    QiTable, QuasiIdentifier,
};
use ona_core::schema::{validate_json, Lang};
use ona_core::text_lines::{LineError, TextLines};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::SyncSender;
use std::time::{Duration, Instant};

/// Arguments of `ona pseudonymise`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Pseudonymisation master key file (from `ona pseudonym-key`).
    #[arg(long)]
    key: PathBuf,
    /// Pseudonymisation domain: scope and purpose, e.g. `kz/case-management`.
    #[arg(long)]
    domain: String,
    /// Policy file (TOML or JSON); the built-in default follows the disclosure classes.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Make the output k-anonymous: every group of equal quasi-identifiers holds at least k
    /// distinct women (local suppression). Reads the input file twice.
    #[arg(long)]
    k: Option<usize>,
    /// Quasi-identifiers for --k, comma-separated, most identifying first.
    #[arg(long, value_delimiter = ',', default_value = QuasiIdentifier::DEFAULT_TEXT)]
    qi: Vec<String>,
    /// With --k, also require l distinct relinquishment intents in every group.
    #[arg(long)]
    l: Option<usize>,
    /// Case records (JSON Lines); `-` for standard input.
    #[arg(long = "in")]
    input: PathBuf,
    /// Pseudonymised records (JSON Lines), written owner-only (mode 0600).
    #[arg(long)]
    out: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
    /// Print a machine-readable summary (domain, key id, records, risk report) on stdout.
    #[arg(long)]
    json: bool,
}

/// Records validated and pseudonymised together.
const BATCH: usize = 4096;

/// One batch of input lines: (line number, text), blank lines left out.
type Batch = Vec<(usize, String)>;

/// What the reading thread hands over: the input's size (first), then batches with the number
/// of bytes read so far.
enum Input {
    Size(u64),
    Batch(Batch, u64),
}

/// How long a run goes before its progress bar shows (on a terminal only): two seconds, or
/// `ONA_PROGRESS_AFTER_MS` milliseconds.
fn progress_after() -> Duration {
    std::env::var("ONA_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(Duration::from_secs(2), Duration::from_millis)
}

/// Reads `path` in batches on a thread of its own, validates and pseudonymises each batch on
/// every core while the next is read, and hands the records to `each` in input order. Shows a
/// progress bar on a terminal once a run has lasted two seconds (never when stderr is not a
/// terminal, nor with `--quiet`).
/// `make` runs on the worker threads with each record's number (blank lines not counted), so
/// that applying a plan and serialising are shared between the cores too; `each` gets the
/// results in order. Returns the number of records. At most two batches are in memory: the
/// one being read (handed over only when the last one is done) and the one being worked on.
fn for_each_record<T: Send>(
    path: &Path,
    ps: &Pseudonymiser,
    pass: &str,
    make: impl Fn(usize, PseudoCase) -> Result<T, Fail> + Sync,
    mut each: impl FnMut(T) -> Result<(), Fail>,
) -> Result<usize, Fail> {
    let bar = indicatif::ProgressBar::hidden();
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:>14} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(pass.to_string());
    let (started, after) = (Instant::now(), progress_after());
    let mut shown = false;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Input, Fail>>(0);
        s.spawn(move || {
            // A send fails only when the other side has stopped (an invalid record): stop too.
            if let Err(e) = read_batches(path, &tx) {
                let _ = tx.send(Err(e));
            }
        });
        let mut rows = 0usize;
        for msg in rx {
            let (batch, read) = match msg? {
                Input::Size(size) => {
                    bar.set_length(size);
                    continue;
                }
                Input::Batch(batch, read) => (batch, read),
            };
            for r in pseudonymise_batch(&batch, ps, path, rows, &make)? {
                each(r)?;
            }
            rows += batch.len();
            bar.set_position(read);
            if !shown && !super::quiet() && started.elapsed() >= after {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown = true;
            }
        }
        bar.finish_and_clear();
        Ok(rows)
    })
}

/// Reads `path` (BOM, CRLF, other encodings named with their line, CSV and over-long lines
/// refused: `TextLines`) and sends its size, then batches of non-blank lines, to `tx`.
fn read_batches(path: &Path, tx: &SyncSender<Result<Input, Fail>>) -> Result<(), Fail> {
    let (file, size) = super::open_input(path)?;
    if tx.send(Ok(Input::Size(size))).is_err() {
        return Ok(());
    }
    let counted = CountingReader { inner: file, read: 0 };
    let mut lines = TextLines::new(BufReader::with_capacity(1 << 20, counted));
    loop {
        let mut batch: Batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            let next = lines.next_line().map_err(|e| match e {
                LineError::Io(io) => Fail::io("read", path, io),
                other => Fail::invalid(format!("{}: {other}; nothing written", path.display())),
            })?;
            let Some((n, line)) = next else { break };
            if !line.trim().is_empty() {
                batch.push((n as usize, line.to_string()));
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        let read = lines.get_ref().get_ref().read;
        if tx.send(Ok(Input::Batch(batch, read))).is_err() {
            return Ok(());
        }
    }
}

/// A reader that counts the bytes read through it (for the progress bar).
struct CountingReader<R> {
    inner: R,
    read: u64,
}

impl<R: std::io::Read> std::io::Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Validates and pseudonymises one batch on every core, in order; the first invalid record (by
/// line) fails the whole run.
fn pseudonymise_batch<T: Send>(
    batch: &Batch,
    ps: &Pseudonymiser,
    path: &Path,
    first_row: usize,
    make: &(impl Fn(usize, PseudoCase) -> Result<T, Fail> + Sync),
) -> Result<Vec<T>, Fail> {
    let one = |row: usize, (n, line): &(usize, String)| -> Result<T, Fail> {
        let case = validate_json(line).map_err(|e| {
            Fail::invalid(format!(
                "{} line {n}: invalid record, nothing written:\n  {}",
                path.display(),
                e.render(Lang::En).join("\n  ")
            ))
        })?;
        make(row, ps.pseudonymise(&case).map_err(Fail::usage)?)
    };
    let workers = std::thread::available_parallelism().map_or(1, |w| w.get());
    if workers < 2 || batch.len() < 64 {
        return batch.iter().enumerate().map(|(i, b)| one(first_row + i, b)).collect();
    }
    let part = batch.len().div_ceil(workers);
    let one = &one;
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(part)
            .enumerate()
            .map(|(c, chunk)| {
                s.spawn(move || {
                    let start = first_row + c * part;
                    chunk.iter().enumerate().map(|(i, b)| one(start + i, b)).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(batch.len());
        for h in handles {
            for r in h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                out.push(r?);
            }
        }
        Ok(out)
    })
}

/// Runs `ona pseudonymise`.
pub fn run(a: Args) -> CmdResult {
    let mut inputs = vec![a.input.as_path(), a.key.as_path()];
    inputs.extend(a.policy.as_deref());
    super::check_outputs(&inputs, &[&a.out], a.force)?;
    let key_text =
        std::fs::read_to_string(&a.key).map_err(|e| Fail::io("read key file", &a.key, e))?;
    let master = MasterKey::from_key_file(&key_text)
        .map_err(|e| Fail::usage(format!("{}: {e}", a.key.display())))?;
    let policy = match &a.policy {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Fail::io("read policy", p, e))?;
            Policy::from_text(&text).map_err(|e| Fail::usage(format!("{}: {e}", p.display())))?
        }
        None => Policy::default(),
    };
    let qis: Vec<QuasiIdentifier> =
        a.qi.iter().map(|q| q.trim().parse()).collect::<Result<_, _>>().map_err(Fail::usage)?;
    let ps = Pseudonymiser::new(&master, &a.domain, policy).map_err(Fail::usage)?;
    if a.k.is_some() && !std::fs::metadata(&a.input).is_ok_and(|m| m.is_file()) {
        return Err(Fail::usage(format!(
            "{}: --k reads the input twice; give a file, not a pipe",
            a.input.display()
        )));
    }
    // First pass with --k: the plan. Everything is checked before the output file is created.
    let mut plan: Option<(QiTable, KPlan)> = None;
    let mut unidentified = 0usize;
    if let Some(k) = a.k {
        let mut table =
            QiTable::new(qis.iter().map(ToString::to_string).collect()).map_err(Fail::usage)?;
        for_each_record(
            &a.input,
            &ps,
            "counting",
            |_, r| Ok(r),
            |r| {
                unidentified += usize::from(r.mother.pseudonym.is_none());
                push_record(&mut table, &r, &qis);
                Ok(())
            },
        )?;
        let p = table.solve(k, a.l);
        plan = Some((table, p));
    }
    let changed = || {
        Fail::usage(format!(
            "{} changed while it was being read; nothing written",
            a.input.display()
        ))
    };
    // Owner-only (AtomicFile's default): pseudonymised records are still personal data.
    let mut out = AtomicFile::create(&a.out).map_err(|e| Fail::io("create", &a.out, e))?;
    let rows = for_each_record(
        &a.input,
        &ps,
        "pseudonymising",
        |row, mut r| {
            if let Some((table, p)) = &plan {
                if row >= table.len() || !table.is_woman(row, woman_of(&r)) {
                    return Err(changed());
                }
                if !apply_plan(p, row, &mut r, &qis) {
                    return Ok(None);
                }
            }
            let mut line =
                serde_json::to_vec(&r).map_err(|e| Fail::io("write", &a.out, e.into()))?;
            line.push(b'\n');
            Ok(Some(line))
        },
        |line| match line {
            Some(line) => out.write_all(&line).map_err(|e| Fail::io("write", &a.out, e)),
            None => Ok(()),
        },
    )?;
    if let Some((table, p)) = &plan {
        if rows != table.len() {
            return Err(changed());
        }
        if !a.json {
            eprintln!("{}", p.report);
        }
        if unidentified > 0 && !a.json {
            eprintln!(
                "  records without a mother pseudonym (no valid ID or name): {unidentified}, \
                 each counted as a woman of her own"
            );
        }
    }
    let count = rows as u64;
    let risk = plan.as_ref().map(|(_, p)| &p.report);
    out.flush().and_then(|_| out.commit()).map_err(|e| Fail::io("write", &a.out, e))?;
    if a.json {
        let summary = serde_json::json!({
            "domain": ps.domain(),
            "key_id": ps.key_id().to_string(),
            "records_in": count,
            "records_out": risk.as_ref().map(|r| r.records_out as u64).unwrap_or(count),
            "out": a.out.display().to_string(),
            "risk": risk,
        });
        super::print_stdout(&format!("{summary}\n"))?;
    } else if !super::quiet() {
        eprintln!(
            "pseudonymised in domain {} (key id {}), wrote {}",
            ps.domain(),
            ps.key_id(),
            a.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

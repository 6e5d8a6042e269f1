//! `ona pseudonymise`: validated cases in, pseudonymised cases out, with optional k-anonymity.
//!
//! Records are read in batches and validated and pseudonymised on every core; output keeps the
//! input order. Without `--k` memory is a fixed number of batches whatever the input size. With `--k` the input
//! is read twice: the first pass keeps only each record's quasi-identifiers, interned, and the
//! woman it is about (a few dozen bytes a record); the plan is made; the second pass
//! pseudonymises again (the result is deterministic), applies the plan and writes.

use super::pseudonymiser_args::PseudonymiserArgs;
use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::pseudonym::{
    apply_plan, push_record, woman_of, KPlan, PseudoCase, Pseudonymiser, QiTable, QuasiIdentifier,
};
use ona_core::schema::{validate_json, Lang};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Arguments of `ona pseudonymise`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pseudonymiser: PseudonymiserArgs,
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

mod pipeline;

/// How long a run goes before its progress bar shows (on a terminal only): two seconds, or
/// `ONA_PROGRESS_AFTER_MS` milliseconds.
fn progress_after() -> Duration {
    std::env::var("ONA_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(Duration::from_secs(2), Duration::from_millis)
}

/// Reads `path` in batches on a thread of its own, validates and pseudonymises each batch on
/// a core of its own (every core busy), and hands each batch's result to `each` in input order
/// (see [`pipeline`]: memory is a fixed number of batches). Shows a progress bar on a terminal
/// once a run has lasted two seconds (never when stderr is not a terminal, nor with `--quiet`).
/// `add` runs on the worker threads with each record's number (blank lines not counted) and
/// the batch's result so far (emptied first: its buffer is used again), so that applying a
/// plan and serialising are shared between the cores too. The first invalid record
/// (by line) fails the whole run. Returns the number of records.
fn for_each_record<T: Send>(
    path: &Path,
    ps: &Pseudonymiser,
    pass: &str,
    add: impl Fn(&mut Vec<T>, usize, PseudoCase) -> Result<(), Fail> + Sync,
    mut each: impl FnMut(&mut Vec<T>) -> Result<(), Fail>,
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
    let work = |batch: &pipeline::Batch, out: &mut Vec<T>| -> Result<(), Fail> {
        out.clear();
        for (i, (n, line)) in batch.records().enumerate() {
            let case = validate_json(line).map_err(|e| {
                Fail::invalid(format!(
                    "{} line {n}: invalid record, nothing written:\n  {}",
                    path.display(),
                    e.render(Lang::En).join("\n  ")
                ))
            })?;
            add(out, batch.first_row + i, ps.pseudonymise(&case).map_err(Fail::usage)?)?;
        }
        Ok(())
    };
    let rows = pipeline::for_each_batch(
        path,
        work,
        |size| bar.set_length(size),
        |out, read| {
            each(out)?;
            bar.set_position(read);
            if !shown && !super::quiet() && started.elapsed() >= after {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown = true;
            }
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    Ok(rows)
}

/// Runs `ona pseudonymise`.
pub fn run(a: Args) -> CmdResult {
    let mut inputs = vec![a.input.as_path()];
    inputs.extend(a.pseudonymiser.inputs());
    super::check_outputs(&inputs, &[&a.out], a.force)?;
    let ps = a.pseudonymiser.pseudonymiser()?;
    let qis: Vec<QuasiIdentifier> =
        a.qi.iter().map(|q| q.trim().parse()).collect::<Result<_, _>>().map_err(Fail::usage)?;
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
            |records, _, r| {
                records.push(r);
                Ok(())
            },
            |records| {
                for r in records.drain(..) {
                    unidentified += usize::from(r.mother.pseudonym.is_none());
                    push_record(&mut table, &r, &qis);
                }
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
        |lines: &mut Vec<u8>, row, mut r| {
            if let Some((table, p)) = &plan {
                if row >= table.len() || !table.is_woman(row, woman_of(&r)) {
                    return Err(changed());
                }
                if !apply_plan(p, row, &mut r, &qis) {
                    return Ok(());
                }
            }
            serde_json::to_writer(&mut *lines, &r)
                .map_err(|e| Fail::io("write", &a.out, e.into()))?;
            lines.push(b'\n');
            Ok(())
        },
        |lines| out.write_all(lines).map_err(|e| Fail::io("write", &a.out, e)),
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

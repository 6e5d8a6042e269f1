//! `ona validate`: every problem of every record of a JSON Lines file, and with `--xlsx` the
//! same problems as a workbook for people who do not read JSON.
//!
//! With `--json` the output is JSON Lines: one object per invalid record,
//! `{"line": N, "problems": [{"pointer", "code", "message"}]}`, then one summary object
//! `{"records", "invalid", "problems"}` (shape kept in [`json_record`] and [`json_summary`]).

use super::{check_outputs, is_dash, progress, quiet, write_data};
use crate::fail::{CmdResult, Fail};
use ona_core::schema::validate::ProblemWorkbook;
use ona_core::schema::{validate_json, Lang, Problem};
use ona_core::text_lines::{LineError, TextLines};
use std::io::{self, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona validate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// JSON Lines file of case records (`-` for standard input).
    file: PathBuf,
    /// Language of the messages: en, ru, kk, uz, uk, ms, tr.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Machine-readable output: JSON Lines of invalid records, then a summary object.
    #[arg(long)]
    json: bool,
    /// Also write the problems as an Excel workbook: one row per problem (line, pointer, code,
    /// message in --lang). Readable by its owner only: messages quote the records' values.
    #[arg(long)]
    xlsx: Option<PathBuf>,
    /// Overwrite an existing --xlsx file.
    #[arg(long, requires = "xlsx")]
    force: bool,
}

/// Lines validated together (one batch is spread over the cores).
const BATCH: usize = 8192;
/// Bytes of lines held at once at most, whatever their number.
const BATCH_BYTES: usize = 16 << 20;

/// Counts the bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// Runs `ona validate`: exit 0 when every record is valid, 1 when any is not or the input is
/// not JSON Lines text, 2 when it cannot be read.
pub fn run(a: Args) -> CmdResult {
    let lang: Lang = a.lang.parse().map_err(Fail::usage)?;
    if let Some(x) = &a.xlsx {
        check_outputs(&[&a.file], &[x], a.force)?;
    }
    let mut book =
        a.xlsx.as_ref().map(|_| ProblemWorkbook::new(lang)).transpose().map_err(book_err)?;
    let (input, size): (Box<dyn Read>, u64) = if is_dash(&a.file) {
        (Box::new(io::stdin()), 0)
    } else {
        let f = std::fs::File::open(&a.file).map_err(|e| Fail::io("open", &a.file, e))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        (Box::new(f), size)
    };
    let bar = progress(size, "validate");
    let counting = Counting { inner: input, bar: bar.clone() };
    let mut lines = TextLines::new(BufReader::with_capacity(1 << 20, counting));
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let write_err = |e: io::Error| Fail::usage(format!("cannot write output: {e}"));
    let (mut records, mut invalid, mut problems) = (0u64, 0u64, 0u64);
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        let mut bytes = 0;
        while batch.len() < BATCH && bytes < BATCH_BYTES {
            let Some((n, line)) = lines.next_line().map_err(|e| bad_input(&a.file, e))? else {
                break;
            };
            if !line.trim().is_empty() {
                bytes += line.len();
                batch.push((n, line.to_string()));
            }
        }
        if batch.is_empty() {
            break;
        }
        records += batch.len() as u64;
        for (n, errs) in check_batch(&batch) {
            invalid += 1;
            problems += errs.len() as u64;
            if let Some(b) = &mut book {
                b.add(n, &errs).map_err(book_err)?;
            }
            if a.json {
                writeln!(out, "{}", json_record(n, &errs, lang)).map_err(write_err)?;
            } else {
                for e in &errs {
                    let at = if e.pointer.is_empty() { "/" } else { e.pointer.as_str() };
                    writeln!(out, "line {n}: {at}: {}: {}", e.code, e.message(lang))
                        .map_err(write_err)?;
                }
            }
        }
    }
    bar.finish_and_clear();
    if a.json {
        writeln!(out, "{}", json_summary(records, invalid, problems)).map_err(write_err)?;
    }
    out.flush().map_err(write_err)?;
    if let (Some(path), Some(b)) = (&a.xlsx, book) {
        let bytes = b.finish().map_err(book_err)?;
        write_data(path, |f| f.write_all(&bytes))?;
    }
    if !quiet() || invalid > 0 {
        eprintln!("{records} records, {invalid} invalid, {problems} problems");
    }
    Ok(if invalid == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The failure of building the problems workbook (memory or Excel's limits).
fn book_err(e: impl std::fmt::Display) -> Fail {
    Fail::usage(format!("cannot build the workbook: {e}"))
}

/// The failure for input that is not JSON Lines text: named with its file and line.
fn bad_input(file: &std::path::Path, e: LineError) -> Fail {
    match e {
        LineError::Io(io) => Fail::io("read", file, io),
        other => Fail::invalid(format!("{}: {other}; nothing validated past it", file.display())),
    }
}

/// One invalid record in `--json` output.
fn json_record(line: u64, problems: &[Problem], lang: Lang) -> serde_json::Value {
    let problems: Vec<_> = problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "pointer": p.pointer,
                "code": p.code.to_string(),
                "message": p.message(lang),
            })
        })
        .collect();
    serde_json::json!({ "line": line, "problems": problems })
}

/// The last object of `--json` output.
fn json_summary(records: u64, invalid: u64, problems: u64) -> serde_json::Value {
    serde_json::json!({ "records": records, "invalid": invalid, "problems": problems })
}

/// Validates a batch on every core; returns the problems of invalid lines, in line order.
fn check_batch(batch: &[(u64, String)]) -> Vec<(u64, Vec<Problem>)> {
    let workers = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1).max(1);
    let chunk = batch.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .filter_map(|(n, line)| validate_json(line).err().map(|e| (*n, e.problems)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

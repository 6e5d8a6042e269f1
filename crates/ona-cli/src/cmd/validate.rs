//! `ona validate`: every problem of every record of a JSON Lines file.

use crate::fail::{CmdResult, Fail};
use ona_core::schema::{validate_json, Lang};
use std::io::{self, BufRead, BufReader, Read, Write};
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
}

const BATCH: usize = 8192;

/// Runs `ona validate`: exit 0 when every record is valid, 1 when any is not.
pub fn run(a: Args) -> CmdResult {
    let lang: Lang = a.lang.parse().map_err(Fail::usage)?;
    let input: Box<dyn Read> = if a.file.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(std::fs::File::open(&a.file).map_err(|e| Fail::io("open", &a.file, e))?)
    };
    let mut lines = BufReader::with_capacity(1 << 20, input).lines();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let (mut records, mut invalid, mut problems, mut line_no) = (0u64, 0u64, 0u64, 0u64);
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for line in lines.by_ref().take(BATCH) {
            line_no += 1;
            let line = line.map_err(|e| Fail::io("read", &a.file, e))?;
            if !line.trim().is_empty() {
                batch.push((line_no, line));
            }
        }
        if batch.is_empty() {
            break;
        }
        records += batch.len() as u64;
        for (n, errs) in check_batch(&batch, lang) {
            invalid += 1;
            problems += errs.len() as u64;
            for e in errs {
                writeln!(out, "line {n}: {e}")
                    .map_err(|e| Fail::usage(format!("cannot write output: {e}")))?;
            }
        }
    }
    out.flush().map_err(|e| Fail::usage(format!("cannot write output: {e}")))?;
    eprintln!("{records} records, {invalid} invalid, {problems} problems");
    Ok(if invalid == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Validates a batch on every core; returns the problems of invalid lines, in line order.
fn check_batch(batch: &[(u64, String)], lang: Lang) -> Vec<(u64, Vec<String>)> {
    let workers = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1).max(1);
    let chunk = batch.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .filter_map(|(n, line)| {
                            validate_json(line).err().map(|e| (*n, e.render(lang)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

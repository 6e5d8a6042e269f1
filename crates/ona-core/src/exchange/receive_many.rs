//! Receiving from many: a hub opens every sealed export it was sent, each checked against the
//! sender it must come from, builds each one's report as its records are decrypted and the
//! merged report — on every core, one export per thread at a time.
//!
//! Named files in, reports out: what the hub of a network runs at the end of a period. A copy of
//! the opened records (JSON Lines, owner-only) is kept only when asked, and appears only when
//! every export verified; on any error no copy is left.

use super::error::ExchangeError;
use super::receive::receive;
use super::report::{report_received, Arrival, Reports};
use crate::atomic_file::AtomicFile;
use crate::directory::SenderPolicy;
use crate::pseudonym::PseudoCase;
use crate::report::{merge, ReportSpec};
use crate::seal::Identity;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// An export opened and reported, with its copy of the records (not yet visible).
type Opened = (Arrival, Option<AtomicFile>);

/// One sealed export to open at the hub.
pub struct Incoming<'a> {
    /// The sealed file.
    pub path: PathBuf,
    /// Who must have signed it (checked before any record is read).
    pub sender: SenderPolicy<'a>,
    /// Where to keep its opened records as JSON Lines, if at all.
    pub keep: Option<PathBuf>,
}

/// Opens every export of `incoming` with `identity`, checks its sender, builds its report of
/// `spec` and merges the reports (in the order given), on every core. An export that does not
/// verify, or whose records are damaged, fails the whole call with
/// [`ExchangeError::InExport`] naming the file; then no kept copy is written.
pub fn report_from_files(
    incoming: &[Incoming<'_>],
    identity: &Identity,
    spec: &ReportSpec,
) -> Result<Reports, ExchangeError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(incoming.len()).max(1);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Opened>>> = Mutex::new(incoming.iter().map(|_| None).collect());
    let failed: Mutex<Option<(usize, ExchangeError)>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let stop = failed.lock().map_or(true, |f| f.is_some());
                if i >= incoming.len() || stop {
                    return;
                }
                // A poisoned lock leaves the export's slot empty: the call then fails.
                match open_and_report(&incoming[i], identity, spec) {
                    Ok(a) => {
                        if let Ok(mut done) = done.lock() {
                            done[i] = Some(a);
                        }
                    }
                    Err(e) => {
                        if let Ok(mut f) = failed.lock() {
                            // The first export in the order given that failed is the one named.
                            if f.as_ref().is_none_or(|(j, _)| i < *j) {
                                *f = Some((i, e));
                            }
                        }
                    }
                }
            });
        }
    });
    let poisoned = || ExchangeError::Records("a hub thread failed; nothing was kept".into());
    if let Some((i, e)) = failed.into_inner().map_err(|_| poisoned())? {
        return Err(in_export(&incoming[i].path, e));
    }
    let done = done.into_inner().map_err(|_| poisoned())?;
    let mut arrivals = Vec::new();
    let mut kept = Vec::new();
    for (i, d) in done.into_iter().enumerate() {
        let (arrival, file) = d.ok_or_else(poisoned)?;
        arrivals.push(arrival);
        if let (Some(f), Some(p)) = (file, incoming[i].keep.as_ref()) {
            kept.push((f, p));
        }
    }
    let reports: Vec<_> = arrivals.iter().map(|a| a.report.clone()).collect();
    let merged = merge(&reports)?;
    for (f, p) in kept {
        f.commit().map_err(io_error("write", p))?;
    }
    Ok(Reports { arrivals, merged })
}

fn in_export(path: &Path, source: ExchangeError) -> ExchangeError {
    ExchangeError::InExport { path: path.display().to_string(), source: Box::new(source) }
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> ExchangeError {
    let path = path.display().to_string();
    move |source| ExchangeError::Io { action, path, source }
}

/// One export opened, its report built, its records written to its copy (not yet visible).
fn open_and_report(
    e: &Incoming<'_>,
    identity: &Identity,
    spec: &ReportSpec,
) -> Result<Opened, ExchangeError> {
    let file = std::fs::File::open(&e.path).map_err(io_error("open", &e.path))?;
    let received = receive(file, identity, &e.sender)?;
    let mut keep = match &e.keep {
        None => None,
        Some(p) => {
            let f = AtomicFile::create(p).map_err(io_error("create", p))?;
            f.owner_only().map_err(io_error("protect", p))?;
            Some((f, p))
        }
    };
    let arrival = report_received(received, spec, |case| match keep.as_mut() {
        None => Ok(()),
        Some((f, p)) => write_json(f, case).map_err(|source| ExchangeError::Io {
            action: "write",
            path: p.display().to_string(),
            source,
        }),
    })?;
    Ok((arrival, keep.map(|(f, _)| f)))
}

fn write_json(f: &mut AtomicFile, case: &PseudoCase) -> std::io::Result<()> {
    serde_json::to_writer(&mut *f, case)?;
    f.write_all(b"\n")
}

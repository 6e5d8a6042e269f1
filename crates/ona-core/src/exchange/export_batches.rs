//! The batch engine under [`super::export_many`]: workers take batches of cases from a source,
//! validate, route, pseudonymise and pack them; the caller's thread writes the batches in order.
//!
//! Worker `w` of `n` takes batches `w`, `w + n`, … and sends each on its own bounded channel,
//! so the writer takes them in order and no worker runs more than [`AHEAD`] batches ahead
//! (memory stays a few batches whatever the number of cases). The batch buffers go back to
//! their worker once written, so memory is reused rather than allocated afresh.

use super::error::ExchangeError;
use super::export_many::Route;
use super::packed::BlockEncoder;
use crate::pseudonym::Pseudonymiser;
use crate::schema::{validate_case, Case};
use std::ops::Range;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};
use std::sync::{Condvar, Mutex};

/// Cases per batch handed to a worker.
pub(super) const BATCH: u64 = 4096;
/// Batches a worker may finish ahead of the writer.
const AHEAD: usize = 2;

/// Where the cases come from. `fill` is called by the worker of batch `b` (from several threads
/// at once); it appends the cases of positions `b * size ..` (at most `size`), none at the end.
pub(super) trait CaseSource: Sync {
    /// Appends the cases of batch `b` (of `size` cases) to `out`.
    fn fill(&self, b: u64, size: u64, out: &mut Vec<Case>) -> Result<(), ExchangeError>;
    /// A worker leaves early: nobody may wait for it.
    fn stop(&self) {}
}

/// Cases made by position, on every core.
pub(super) struct IndexedSource<F> {
    pub count: u64,
    pub case: F,
}

impl<F: Fn(u64) -> Case + Sync> CaseSource for IndexedSource<F> {
    fn fill(&self, b: u64, size: u64, out: &mut Vec<Case>) -> Result<(), ExchangeError> {
        let range: Range<u64> = (b * size).min(self.count)..((b + 1) * size).min(self.count);
        out.extend(range.map(&self.case));
        Ok(())
    }
}

/// Cases from one iterator, taken batch after batch in order by whichever worker's turn it is.
pub(super) struct IterSource<I> {
    state: Mutex<IterState<I>>,
    turn: Condvar,
}

struct IterState<I> {
    next: u64,
    cases: I,
    stopped: bool,
}

impl<I> IterSource<I> {
    pub fn new(cases: I) -> IterSource<I> {
        IterSource {
            state: Mutex::new(IterState { next: 0, cases, stopped: false }),
            turn: Condvar::new(),
        }
    }
}

impl<I: Iterator<Item = Case> + Send> CaseSource for IterSource<I> {
    fn fill(&self, b: u64, size: u64, out: &mut Vec<Case>) -> Result<(), ExchangeError> {
        let failed = || ExchangeError::Records("the source of cases failed".into());
        let mut s = self.state.lock().map_err(|_| failed())?;
        while s.next != b && !s.stopped {
            s = self.turn.wait(s).map_err(|_| failed())?;
        }
        if !s.stopped {
            out.extend(s.cases.by_ref().take(size as usize));
            s.next += 1;
        }
        self.turn.notify_all();
        Ok(())
    }

    fn stop(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.stopped = true;
        }
        self.turn.notify_all();
    }
}

/// One destination as the workers see it.
pub(super) struct Side<'a> {
    pub key: &'a str,
    pub pseudonymiser: &'a Pseudonymiser,
    /// Whether JSON Lines copies are kept.
    pub copies: bool,
}

/// What one batch produced for one destination.
#[derive(Default)]
pub(super) struct Part {
    /// Packed blocks of its pseudonymised records.
    pub packed: Vec<u8>,
    /// Its records in the batch.
    pub records: u64,
    /// The case records as JSON Lines (only with copies).
    pub cases: Vec<u8>,
    /// The pseudonymised records as JSON Lines (only with copies).
    pub pseudo: Vec<u8>,
}

/// One batch, for every destination.
pub(super) struct Batch {
    /// One part per destination, in their order.
    pub parts: Vec<Part>,
    /// The cases of the source done with this batch.
    pub done: u64,
    cases: Vec<Case>,
}

/// A worker's finished batches (`None` at the end of the source), and the way its buffers go
/// back to it.
type WorkerLink = (Receiver<Result<Option<Batch>, ExchangeError>>, Sender<Batch>);

/// Runs every batch (of `size` cases) of `source` through `workers` threads; `write` gets them in
/// order on the caller's thread. The first error (a worker's or `write`'s) stops everything and is returned.
pub(super) fn run_batches(
    source: &dyn CaseSource,
    route: Route,
    sides: &[Side<'_>],
    workers: usize,
    size: u64,
    mut write: impl FnMut(&Batch) -> Result<(), ExchangeError>,
) -> Result<(), ExchangeError> {
    let workers = workers.max(1) as u64;
    std::thread::scope(|s| {
        let channels: Vec<WorkerLink> = (0..workers)
            .map(|w| {
                let (tx, rx) = sync_channel(AHEAD);
                let (back_tx, back_rx) = channel::<Batch>();
                s.spawn(move || {
                    // Whatever way the worker leaves, nobody waits for its turn any more.
                    struct Leave<'s>(&'s dyn CaseSource);
                    impl Drop for Leave<'_> {
                        fn drop(&mut self) {
                            self.0.stop();
                        }
                    }
                    let _leave = Leave(source);
                    let mut packers: Vec<BlockEncoder> =
                        sides.iter().map(|_| BlockEncoder::new()).collect();
                    for b in (w..).step_by(workers as usize) {
                        let mut batch = back_rx.try_recv().unwrap_or_else(|_| Batch {
                            parts: sides.iter().map(|_| Part::default()).collect(),
                            done: 0,
                            cases: Vec::new(),
                        });
                        let done =
                            fill_batch(source, (b, size), route, sides, &mut packers, &mut batch);
                        let end = matches!(done, Ok(false) | Err(_));
                        let message = done.map(|more| more.then_some(batch));
                        if tx.send(message).is_err() || end {
                            return; // the end, an error, or the writer stopped
                        }
                    }
                });
                (rx, back_tx)
            })
            .collect();
        for b in 0.. {
            let (rx, back) = &channels[(b % workers) as usize];
            let message = rx.recv().map_err(|_| {
                ExchangeError::Records("a worker thread failed; nothing was written".into())
            })?;
            let Some(batch) = message? else { return Ok(()) };
            write(&batch)?;
            let _ = back.send(batch);
        }
        Ok(())
    })
}

/// Fills batch `b`: its cases each validated, routed, pseudonymised in its destination's domain
/// and packed. `Ok(false)` when the source has no cases left.
fn fill_batch(
    source: &dyn CaseSource,
    (b, size): (u64, u64),
    route: Route,
    sides: &[Side<'_>],
    packers: &mut [BlockEncoder],
    batch: &mut Batch,
) -> Result<bool, ExchangeError> {
    batch.cases.clear();
    for part in &mut batch.parts {
        part.packed.clear();
        part.cases.clear();
        part.pseudo.clear();
        part.records = 0;
    }
    source.fill(b, size, &mut batch.cases)?;
    if batch.cases.is_empty() {
        return Ok(false);
    }
    let first = b * size + 1;
    batch.done = first - 1 + batch.cases.len() as u64;
    for (case, record) in batch.cases.iter().zip(first..) {
        let key = route(case);
        let Some(k) = sides.iter().position(|s| s.key == key) else {
            return Err(ExchangeError::Unrouted { record, key: key.to_string() });
        };
        let part = &mut batch.parts[k];
        let json = |e: serde_json::Error| ExchangeError::Records(e.to_string());
        if sides[k].copies {
            serde_json::to_writer(&mut part.cases, case).map_err(json)?;
            part.cases.push(b'\n');
        }
        validate_case(case)
            .map_err(|e| ExchangeError::InvalidCase { record, detail: e.to_string() })?;
        let pseudo = sides[k]
            .pseudonymiser
            .pseudonymise(case)
            .map_err(|e| ExchangeError::Pseudonymise { record, detail: e.to_string() })?;
        packers[k].push(&pseudo).map_err(|e| ExchangeError::Records(e.to_string()))?;
        part.records += 1;
        if sides[k].copies {
            serde_json::to_writer(&mut part.pseudo, &pseudo).map_err(json)?;
            part.pseudo.push(b'\n');
        }
    }
    for (part, packer) in batch.parts.iter_mut().zip(packers) {
        packer.take_into(&mut part.packed);
    }
    Ok(true)
}

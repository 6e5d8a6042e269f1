//! The pipeline under `ona pseudonymise`: one thread reads the input in batches of lines, every
//! core works on a batch of its own (validate, pseudonymise, serialise), and the calling thread
//! takes the results in input order (writes them, or counts them for `--k`).
//!
//! Memory is bounded by a fixed number of batches whatever the input size: a batch may be read
//! only with one of [`IN_FLIGHT_PER_WORKER`]` × workers + 1` tickets, and a ticket comes back
//! only when the calling thread has used that batch's result. A worker that runs ahead (or one
//! that is slow) cannot make the others hold more.

use crate::fail::Fail;
use ona_core::text_lines::{LineError, TextLines};
use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

/// Records read together: large enough that handing a batch over costs nothing per record,
/// small enough (a few MB of text) that the batches in flight stay a small, fixed memory.
pub const BATCH: usize = 1024;

/// Batches in flight per worker (being read, worked on, or waiting to be used in order).
const IN_FLIGHT_PER_WORKER: usize = 2;

/// Non-blank input lines read together, their text in one buffer (one allocation a batch, not
/// one a line).
pub struct Batch {
    text: String,
    lines: Vec<(usize, Range<usize>)>,
    /// The number of the batch's first record (blank lines not counted), from 0.
    pub first_row: usize,
    /// Bytes of the input read once this batch was (for the progress bar).
    pub read: u64,
}

impl Batch {
    /// The batch's records in input order: line number (from 1) and text.
    pub fn records(&self) -> impl Iterator<Item = (usize, &str)> {
        self.lines.iter().map(|(n, r)| (*n, &self.text[r.clone()]))
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.lines.len()
    }
}

/// A batch to work on, or why the input could not be read (in its place in the order).
type Job = (usize, Result<Batch, Fail>);
/// A batch's result, its number of records and the bytes read, in the batch's place.
type Done<B> = (usize, Result<(B, usize, u64), Fail>);

/// Buffers used again rather than freed and allocated anew for every batch (a batch's text is a
/// few megabytes: allocating it afresh costs page faults and zeroing in the kernel each time).
struct Spares<B> {
    batches: Mutex<Vec<Batch>>,
    outs: Mutex<Vec<B>>,
}

impl<B> Spares<B> {
    fn take_out(&self) -> Option<B> {
        self.outs.lock().ok()?.pop()
    }
    fn give_out(&self, out: B) {
        if let Ok(mut outs) = self.outs.lock() {
            outs.push(out);
        }
    }
    fn take_batch(&self) -> Option<Batch> {
        self.batches.lock().ok()?.pop()
    }
    fn give_batch(&self, mut batch: Batch) {
        batch.text.clear();
        batch.lines.clear();
        if let Ok(mut batches) = self.batches.lock() {
            batches.push(batch);
        }
    }
}

/// Reads `path` on a thread of its own, runs `work` on each batch on every core, and hands the
/// results to `each` in input order, with the bytes read so far. `work` fills a result that
/// `each` has used before (or a new one): `work` empties it first, or `each` leaves it empty.
/// `size` gets the input's size once known. The first error in input order (a record `work`
/// refuses, an unreadable line) stops the run and is returned; the threads stop with it.
/// Returns the number of records.
pub fn for_each_batch<B: Send + Default>(
    path: &Path,
    work: impl Fn(&Batch, &mut B) -> Result<(), Fail> + Sync,
    mut size: impl FnMut(u64),
    mut each: impl FnMut(&mut B, u64) -> Result<(), Fail>,
) -> Result<usize, Fail> {
    let workers = std::thread::available_parallelism().map_or(1, |w| w.get());
    let in_flight = IN_FLIGHT_PER_WORKER * workers + 1;
    let (ticket_tx, ticket_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // Cannot fail: the channel has room for every ticket and its receiver is alive.
        let _ = ticket_tx.send(());
    }
    let (size_tx, size_rx) = sync_channel::<u64>(1);
    let (job_tx, job_rx) = sync_channel::<Job>(0);
    // Shared by the workers only: when the last one stops, the reader's next send fails and it
    // stops too.
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (done_tx, done_rx) = sync_channel::<Done<B>>(in_flight);
    let spares = Spares { batches: Mutex::new(Vec::new()), outs: Mutex::new(Vec::new()) };
    let (work, spares) = (&work, &spares);
    // `move`: the calling thread's ends of the channels (tickets, results) are dropped when it
    // stops, early on an error too, so that the reader and the workers see it and stop rather
    // than wait for ever at the join.
    std::thread::scope(move |s| {
        s.spawn(move || read_batches(path, &ticket_rx, &job_tx, &size_tx, spares));
        for _ in 0..workers {
            let (jobs, done) = (Arc::clone(&job_rx), done_tx.clone());
            s.spawn(move || run_worker(&jobs, &done, work, spares));
        }
        drop((job_rx, done_tx));
        let mut waiting: BTreeMap<usize, Result<(B, usize, u64), Fail>> = BTreeMap::new();
        let (mut next, mut rows) = (0usize, 0usize);
        for (seq, result) in &done_rx {
            if let Ok(n) = size_rx.try_recv() {
                size(n);
            }
            waiting.insert(seq, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                let (mut out, records, read) = result?;
                each(&mut out, read)?;
                spares.give_out(out);
                rows += records;
                // The reader may have stopped (end of input): nothing to hand back then.
                let _ = ticket_tx.send(());
            }
        }
        // Every result is in: any one still waiting follows a gap, which cannot happen (each
        // job gives one result) unless a worker died, and a panic is passed on at the join.
        Ok(rows)
    })
}

/// Takes batches from `jobs` until there are none (or nobody wants results), runs `work` on
/// each and sends the result to `done`.
fn run_worker<B: Default>(
    jobs: &Mutex<Receiver<Job>>,
    done: &SyncSender<Done<B>>,
    work: &(impl Fn(&Batch, &mut B) -> Result<(), Fail> + Sync),
    spares: &Spares<B>,
) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((seq, batch)) = job else { return };
        let run = || {
            let b = batch?;
            let mut out = spares.take_out().unwrap_or_default();
            work(&b, &mut out)?;
            let (records, read) = (b.len(), b.read);
            spares.give_batch(b);
            Ok((out, records, read))
        };
        let result = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
            Ok(result) => result,
            Err(panic) => {
                // The batch's place must be filled, or the calling thread would wait for it
                // for ever; the panic itself goes on to the join.
                let _ = done.send((seq, Err(Fail::invalid("internal error; nothing written"))));
                std::panic::resume_unwind(panic)
            }
        };
        if done.send((seq, result)).is_err() {
            return;
        }
    }
}

/// Reads `path` (BOM, CRLF, other encodings named with their line, CSV and over-long lines
/// refused: `TextLines`), sends its size to `size`, then batches of non-blank lines to `jobs`,
/// each once a ticket is free. An unreadable line is sent as an error in its batch's place.
fn read_batches<B>(
    path: &Path,
    tickets: &Receiver<()>,
    jobs: &SyncSender<Job>,
    size: &SyncSender<u64>,
    spares: &Spares<B>,
) {
    let mut seq = 0usize;
    let mut send = |job: Result<Batch, Fail>| {
        let sent = jobs.send((seq, job)).is_ok();
        seq += 1;
        sent
    };
    let (file, bytes) = match super::super::open_input(path) {
        Ok(opened) => opened,
        Err(e) => {
            send(Err(e));
            return;
        }
    };
    let _ = size.try_send(bytes);
    let counted = CountingReader { inner: file, read: 0 };
    let mut lines = TextLines::new(BufReader::with_capacity(1 << 20, counted));
    let mut first_row = 0usize;
    // A ticket for each batch: none left means the calling thread is behind (or has stopped).
    while tickets.recv().is_ok() {
        let batch = read_batch(&mut lines, path, first_row, spares.take_batch());
        let more = match &batch {
            Ok(b) if b.lines.is_empty() => return,
            Ok(b) => {
                first_row += b.len();
                b.len() == BATCH
            }
            Err(_) => false,
        };
        if !send(batch) || !more {
            return;
        }
    }
}

/// Reads up to [`BATCH`] non-blank lines, into `spare` if there is one.
fn read_batch<R: Read>(
    lines: &mut TextLines<BufReader<CountingReader<R>>>,
    path: &Path,
    first_row: usize,
    spare: Option<Batch>,
) -> Result<Batch, Fail> {
    let mut batch = spare.unwrap_or_else(|| Batch {
        text: String::new(),
        lines: Vec::with_capacity(BATCH),
        first_row,
        read: 0,
    });
    batch.first_row = first_row;
    while batch.lines.len() < BATCH {
        let next = lines.next_line().map_err(|e| match e {
            LineError::Io(io) => Fail::io("read", path, io),
            other => Fail::invalid(format!("{}: {other}; nothing written", path.display())),
        })?;
        let Some((n, line)) = next else { break };
        if !line.trim().is_empty() {
            if batch.text.capacity() == 0 {
                // Room for the whole batch at this line's size, so that it seldom grows.
                batch.text.reserve(((line.len() + 64) * BATCH).min(16 << 20));
            }
            let start = batch.text.len();
            batch.text.push_str(line);
            batch.lines.push((n as usize, start..batch.text.len()));
        }
    }
    batch.read = lines.get_ref().get_ref().read;
    Ok(batch)
}

/// A reader that counts the bytes read through it (for the progress bar).
struct CountingReader<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::{for_each_batch, Batch, BATCH, IN_FLIGHT_PER_WORKER};
    use crate::fail::Fail;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// A JSON Lines file of `n` records `{"n":i}` (i from 0), with a blank line after every
    /// 100th, removed when dropped.
    struct Lines(PathBuf);
    impl Lines {
        fn new(name: &str, n: usize) -> Lines {
            let path = std::env::temp_dir()
                .join(format!("ona-pipeline-{name}-{}.jsonl", std::process::id()));
            let mut text = String::new();
            for i in 0..n {
                text.push_str(&format!("{{\"n\":{i}}}\n"));
                if i % 100 == 99 {
                    text.push_str("  \n");
                }
            }
            std::fs::write(&path, text).unwrap();
            Lines(path)
        }
    }
    impl Drop for Lines {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// The record number written in a line, checked against the batch's own numbering.
    fn numbers(batch: &Batch, out: &mut Vec<(usize, usize)>) {
        out.clear();
        for (i, (line, text)) in batch.records().enumerate() {
            let n: usize = text[5..text.len() - 1].parse().unwrap();
            assert_eq!(n, batch.first_row + i, "record number of line {line}");
            out.push((line, n));
        }
    }

    #[test]
    fn every_record_comes_out_once_in_input_order_with_its_line_number() {
        let n = 5 * BATCH + 17;
        let input = Lines::new("order", n);
        let mut seen = Vec::new();
        let rows = for_each_batch(
            &input.0,
            |b, out: &mut Vec<(usize, usize)>| {
                // Uneven work, so that batches finish out of order.
                std::thread::sleep(Duration::from_millis((b.first_row / BATCH % 3) as u64 * 5));
                numbers(b, out);
                Ok(())
            },
            |_| {},
            |out, _| {
                seen.append(out);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(rows, n);
        assert_eq!(seen.len(), n);
        for (i, &(line, record)) in seen.iter().enumerate() {
            assert_eq!(record, i);
            // One blank line after every 100 records shifts the line numbers.
            assert_eq!(line, i + 1 + i / 100);
        }
    }

    #[test]
    fn the_first_bad_record_in_input_order_is_the_error_even_when_a_later_one_fails_first() {
        let input = Lines::new("first-error", 8 * BATCH);
        let mut used = 0usize;
        let err = for_each_batch(
            &input.0,
            |b, out: &mut Vec<(usize, usize)>| {
                numbers(b, out);
                match b.first_row / BATCH {
                    // The earlier bad batch is slow: the later one fails first in time.
                    2 => {
                        std::thread::sleep(Duration::from_millis(50));
                        Err(Fail::invalid("batch 2"))
                    }
                    5 => Err(Fail::invalid("batch 5")),
                    _ => Ok(()),
                }
            },
            |_| {},
            |_, _| {
                used += 1;
                Ok(())
            },
        )
        .map(|_| ())
        .unwrap_err();
        assert!(format!("{err:?}").contains("batch 2"), "{err:?}");
        assert_eq!(used, 2, "the batches before the bad one are used, none after");
    }

    #[test]
    fn a_slow_consumer_holds_a_fixed_number_of_batches_whatever_the_input_size() {
        let input = Lines::new("bounded", 40 * BATCH);
        let workers = std::thread::available_parallelism().map_or(1, |w| w.get());
        let (held, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        for_each_batch(
            &input.0,
            |b, out: &mut Vec<(usize, usize)>| {
                let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                numbers(b, out);
                Ok(())
            },
            |_| {},
            |_, _| {
                std::thread::sleep(Duration::from_millis(2));
                held.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        let most = most.load(Ordering::SeqCst);
        assert!(most <= IN_FLIGHT_PER_WORKER * workers + 1, "{most} batches held at once");
    }

    #[test]
    fn an_input_that_cannot_be_opened_is_an_error_not_a_hang() {
        let missing = std::env::temp_dir().join("ona-pipeline-no-such-file.jsonl");
        let result = for_each_batch(&missing, |_, _: &mut Vec<u8>| Ok(()), |_| {}, |_, _| Ok(()));
        assert!(result.is_err());
    }
}

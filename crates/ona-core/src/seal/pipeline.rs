//! A chain of stages run on every batch in order: inline on the caller's thread for small
//! streams, one worker thread per stage once a stream is large enough to be worth it.
//!
//! Sealing and opening use one stage (see `balance` for how the work is split). Batches are
//! owned values passed from stage to stage through bounded channels, in order: no shared
//! mutable memory, no locks. The caller bounds memory by keeping at most a fixed number of
//! batches in flight. If a thread cannot be started, everything stays inline.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender, TryRecvError};
use std::sync::Arc;
use std::thread::{Builder, JoinHandle};
use std::time::{Duration, Instant};

/// Work done on every batch, in order.
pub(crate) type Stage<T> = Box<dyn FnMut(&mut T) + Send>;

/// Batches go in with [`submit`](Self::submit) and come out, in the same order, with
/// [`next`](Self::next) once every stage has run on them.
pub(crate) struct Pipeline<T: Send + 'static> {
    mode: Mode<T>,
}

enum Mode<T: Send + 'static> {
    Inline {
        stages: Vec<(&'static str, Stage<T>)>,
        done: VecDeque<T>,
    },
    Threaded {
        input: Option<SyncSender<T>>,
        output: Option<Receiver<T>>,
        workers: Vec<JoinHandle<()>>,
        /// Nanoseconds the workers spent running stages, not yet taken.
        busy: Arc<AtomicU64>,
    },
}

fn stopped() -> io::Error {
    io::Error::other("a sealed-stream worker thread stopped unexpectedly")
}

impl<T: Send + 'static> Pipeline<T> {
    /// A pipeline running `stages` (named, for the threads) inline until [`go_parallel`](Self::go_parallel).
    pub fn new(stages: Vec<(&'static str, Stage<T>)>) -> Self {
        Pipeline { mode: Mode::Inline { stages, done: VecDeque::new() } }
    }

    /// Moves every stage onto a thread of its own, with room for `depth` batches between
    /// stages. Does nothing if already parallel, if batches are waiting, or if a thread cannot
    /// be started (the stages then keep running inline).
    pub fn go_parallel(&mut self, depth: usize) {
        let Mode::Inline { stages, done } = &mut self.mode else { return };
        if !done.is_empty() || stages.is_empty() {
            return;
        }
        let (input, first_rx) = sync_channel::<T>(depth);
        let mut rx = first_rx;
        let mut workers = Vec::with_capacity(stages.len());
        let mut handover = Vec::with_capacity(stages.len());
        let busy = Arc::new(AtomicU64::new(0));
        for (name, _) in stages.iter() {
            let (tx, next_rx) = sync_channel::<T>(depth);
            // The thread receives its stage only once every thread has started, so a failed
            // start loses nothing: the stages are still here to run inline.
            let (stage_tx, stage_rx) = channel::<Stage<T>>();
            let prev = std::mem::replace(&mut rx, next_rx);
            let busy_ns = busy.clone();
            let spawned = Builder::new().name((*name).into()).spawn(move || {
                let Ok(mut stage) = stage_rx.recv() else { return };
                for mut batch in prev {
                    let t = Instant::now();
                    stage(&mut batch);
                    let ns = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    busy_ns.fetch_add(ns, Ordering::Relaxed);
                    if tx.send(batch).is_err() {
                        return;
                    }
                }
            });
            match spawned {
                Ok(w) => {
                    workers.push(w);
                    handover.push(stage_tx);
                }
                Err(_) => return, // dropping `handover` ends the threads already started
            }
        }
        for ((_, stage), to) in std::mem::take(stages).into_iter().zip(handover) {
            // A thread that is running is waiting for its stage; it cannot be gone.
            let _ = to.send(stage);
        }
        self.mode = Mode::Threaded { input: Some(input), output: Some(rx), workers, busy };
    }

    /// Whether the stages run on worker threads.
    #[cfg(test)]
    pub fn is_parallel(&self) -> bool {
        matches!(self.mode, Mode::Threaded { .. })
    }

    /// Hands a batch to the first stage (inline: runs every stage on it now).
    pub fn submit(&mut self, mut batch: T) -> io::Result<()> {
        match &mut self.mode {
            Mode::Inline { stages, done } => {
                for (_, stage) in stages.iter_mut() {
                    stage(&mut batch);
                }
                done.push_back(batch);
                Ok(())
            }
            Mode::Threaded { input, .. } => {
                input.as_ref().ok_or_else(stopped)?.send(batch).map_err(|_| stopped())
            }
        }
    }

    /// The oldest batch that went through every stage, waiting for it if needed.
    pub fn next(&mut self) -> io::Result<T> {
        match &mut self.mode {
            Mode::Inline { done, .. } => {
                done.pop_front().ok_or_else(|| io::Error::other("no batch in flight"))
            }
            Mode::Threaded { output, .. } => {
                output.as_ref().ok_or_else(stopped)?.recv().map_err(|_| stopped())
            }
        }
    }

    /// Time the workers spent on batches since the last call (zero inline).
    pub fn take_worker_busy(&mut self) -> Duration {
        match &self.mode {
            Mode::Inline { .. } => Duration::ZERO,
            Mode::Threaded { busy, .. } => Duration::from_nanos(busy.swap(0, Ordering::Relaxed)),
        }
    }

    /// The oldest finished batch, and how long it had to be waited for.
    pub fn next_timed(&mut self) -> io::Result<(T, Duration)> {
        if let Some(b) = self.try_next()? {
            return Ok((b, Duration::ZERO));
        }
        let t = Instant::now();
        let b = self.next()?;
        Ok((b, t.elapsed()))
    }

    /// The oldest finished batch, if one is ready now.
    pub fn try_next(&mut self) -> io::Result<Option<T>> {
        match &mut self.mode {
            Mode::Inline { done, .. } => Ok(done.pop_front()),
            Mode::Threaded { output, .. } => {
                match output.as_ref().ok_or_else(stopped)?.try_recv() {
                    Ok(b) => Ok(Some(b)),
                    Err(TryRecvError::Empty) => Ok(None),
                    Err(TryRecvError::Disconnected) => Err(stopped()),
                }
            }
        }
    }
}

impl<T: Send + 'static> Drop for Pipeline<T> {
    /// Stops the workers (each finishes at most the batch it holds) and waits for them, so
    /// their buffers are wiped and freed before the sealer or opener is gone.
    fn drop(&mut self) {
        if let Mode::Threaded { input, output, workers, .. } = &mut self.mode {
            input.take();
            output.take();
            for w in workers.drain(..) {
                let _ = w.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Vec<(&'static str, Stage<Vec<u32>>)> {
        let mut seen = 0u32;
        vec![
            ("t-add", Box::new(|b: &mut Vec<u32>| b.push(1))),
            (
                "t-count",
                Box::new(move |b: &mut Vec<u32>| {
                    seen += 1;
                    b.push(seen)
                }),
            ),
        ]
    }

    #[test]
    fn inline_and_threaded_give_the_same_results_in_order() {
        for parallel in [false, true] {
            let mut p = Pipeline::new(stages());
            if parallel {
                p.go_parallel(2);
                assert!(p.is_parallel());
            }
            let mut out = Vec::new();
            for i in 0..100u32 {
                p.submit(vec![i]).unwrap();
                if i % 3 == 2 {
                    while let Some(b) = p.try_next().unwrap() {
                        out.push(b);
                    }
                    while out.len() + 1 < i as usize {
                        out.push(p.next().unwrap());
                    }
                }
            }
            while out.len() < 100 {
                out.push(p.next().unwrap());
            }
            for (i, b) in out.iter().enumerate() {
                assert_eq!(b, &vec![i as u32, 1, i as u32 + 1]);
            }
            assert!(p.try_next().unwrap().is_none());
        }
    }

    #[test]
    fn going_parallel_with_batches_waiting_stays_inline() {
        let mut p = Pipeline::new(stages());
        p.submit(vec![0]).unwrap();
        p.go_parallel(2);
        assert!(!p.is_parallel());
        assert_eq!(p.next().unwrap(), vec![0, 1, 1]);
    }
}

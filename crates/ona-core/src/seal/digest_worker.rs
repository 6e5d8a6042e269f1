//! SHA-256 of the plaintext on a second thread, so hashing runs beside the chunk AEAD.
//!
//! Data is batched into 256 KiB buffers sent over a bounded channel (at most 4 in flight, about
//! 1 MiB) and recycled. If no thread can be started, hashing happens inline.

use ring::digest;
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

const BATCH: usize = 256 * 1024;

pub(crate) enum PlainDigest {
    Inline(digest::Context),
    Threaded {
        tx: SyncSender<Vec<u8>>,
        recycled: Receiver<Vec<u8>>,
        worker: JoinHandle<digest::Digest>,
        pending: Vec<u8>,
    },
}

impl PlainDigest {
    pub fn new() -> Self {
        let (tx, rx) = sync_channel::<Vec<u8>>(4);
        let (back_tx, back_rx) = channel::<Vec<u8>>();
        let spawned = std::thread::Builder::new().name("ona-seal-sha256".into()).spawn(move || {
            let mut ctx = digest::Context::new(&digest::SHA256);
            for mut buf in rx {
                ctx.update(&buf);
                buf.clear();
                let _ = back_tx.send(buf);
            }
            ctx.finish()
        });
        match spawned {
            Ok(worker) => PlainDigest::Threaded {
                tx,
                recycled: back_rx,
                worker,
                pending: Vec::with_capacity(BATCH),
            },
            Err(_) => PlainDigest::Inline(digest::Context::new(&digest::SHA256)),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            PlainDigest::Inline(ctx) => ctx.update(data),
            PlainDigest::Threaded { tx, recycled, pending, .. } => {
                pending.extend_from_slice(data);
                if pending.len() >= BATCH {
                    let next = recycled.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    let full = std::mem::replace(pending, next);
                    if let Err(e) = tx.send(full) {
                        // The worker is gone (it panicked): finish() reports it.
                        drop(e);
                    }
                }
            }
        }
    }

    /// The SHA-256 of everything passed to `update`.
    pub fn finish(self) -> [u8; 32] {
        let d = match self {
            PlainDigest::Inline(ctx) => ctx.finish(),
            PlainDigest::Threaded { tx, worker, pending, recycled } => {
                let _ = tx.send(pending);
                drop(tx);
                drop(recycled);
                worker.join().expect("the hashing thread does not panic")
            }
        };
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        out
    }
}

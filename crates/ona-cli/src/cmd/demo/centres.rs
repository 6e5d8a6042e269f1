//! The centres' side of the demo: every case is generated, validated and pseudonymised in its
//! country's domain on every core, packed, and sealed straight into the country's export to the
//! hub through the core's [`CasesExport`]. Nothing is written in the clear unless the case files
//! are kept.

use crate::fail::Fail;
use ona_core::atomic_file::AtomicFile;
use ona_core::exchange::packed::BlockEncoder;
use ona_core::exchange::{CasesExport, SealTo};
use ona_core::pseudonym::{PseudoCase, Pseudonymiser};
use ona_core::schema::{validate_case, Case};
use ona_core::seal::{EncryptionPublicKey, Identity};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};

/// Cases per batch handed to a worker.
const BATCH: u64 = 4096;
/// Batches a worker may finish ahead of the writer.
const AHEAD: usize = 2;

/// One country's centres.
pub(super) struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: &'static str,
    /// The country's organisation key (signs its export).
    pub identity: Identity,
    /// Pseudonymisation in the country's domain.
    pub pseudonymiser: Pseudonymiser,
    /// Cases of the network in this country (known before they are processed, as a centre
    /// knows how many records its file holds).
    pub expected: u64,
    /// Cases processed.
    pub count: u64,
    /// Cases that failed validation (left out of the export).
    pub invalid: u64,
    /// The sealed export being written.
    export: Option<(CasesExport<AtomicFile>, PathBuf)>,
    /// The centres' case and pseudonymised files, when kept.
    files: Option<(AtomicFile, AtomicFile)>,
}

impl Country {
    /// Starts the country's export to `hub` (and its case files, if `files_dir` is given).
    pub fn start(
        code: &'static str,
        identity: Identity,
        pseudonymiser: Pseudonymiser,
        expected: u64,
        hub: &EncryptionPublicKey,
        export: &Path,
        files_dir: Option<&Path>,
    ) -> Result<Country, Fail> {
        let out = AtomicFile::create(export).map_err(|e| Fail::io("create", export, e))?;
        out.shareable().map_err(|e| Fail::io("set permissions of", export, e))?;
        let to = SealTo { recipients: std::slice::from_ref(hub), sender: &identity };
        let sealer = CasesExport::new(out, &pseudonymiser, expected, to)
            .map_err(|e| Fail::usage(format!("{}: {e}", export.display())))?;
        let files = match files_dir {
            None => None,
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| Fail::io("create", dir, e))?;
                let open = |name: &str| {
                    let p = dir.join(name);
                    AtomicFile::create(&p).map_err(|e| Fail::io("create", &p, e))
                };
                Some((open("cases.jsonl")?, open("pseudo.jsonl")?))
            }
        };
        Ok(Country {
            code,
            identity,
            pseudonymiser,
            expected,
            count: 0,
            invalid: 0,
            export: Some((sealer, export.to_path_buf())),
            files,
        })
    }

    fn take(&mut self, part: &Part) -> Result<(), Fail> {
        self.count += part.count;
        self.invalid += part.invalid;
        if let Some((sealer, path)) = self.export.as_mut() {
            sealer
                .write_blocks(&part.packed, part.count - part.invalid)
                .map_err(|e| Fail::usage(format!("{}: {e}", path.display())))?;
        }
        if let Some((cases, pseudo)) = self.files.as_mut() {
            cases.write_all(&part.cases).map_err(|e| Fail::usage(format!("cannot write: {e}")))?;
            pseudo
                .write_all(&part.pseudo)
                .map_err(|e| Fail::usage(format!("cannot write: {e}")))?;
        }
        Ok(())
    }

    /// Signs and closes the export (and the case files); the export appears only now.
    pub fn finish(&mut self, centres_dir: &Path) -> Result<PathBuf, Fail> {
        let (sealer, path) =
            self.export.take().ok_or_else(|| Fail::usage("the export was already finished"))?;
        // The manifest promised `expected` records: a synthetic case that fails validation is
        // a bug of the generator, and the export is not written.
        if self.invalid > 0 || self.count != self.expected {
            return Err(Fail::usage(format!(
                "{}: {} of {} synthetic cases processed, {} invalid; {} not written",
                self.code,
                self.count,
                self.expected,
                self.invalid,
                path.display()
            )));
        }
        let (out, _) =
            sealer.finish().map_err(|e| Fail::usage(format!("{}: {e}", path.display())))?;
        out.commit().map_err(|e| Fail::io("write", &path, e))?;
        if let Some((cases, pseudo)) = self.files.take() {
            let dir = centres_dir.join(self.code.to_lowercase());
            cases.commit().map_err(|e| Fail::io("write", &dir.join("cases.jsonl"), e))?;
            pseudo.commit().map_err(|e| Fail::io("write", &dir.join("pseudo.jsonl"), e))?;
        }
        Ok(path)
    }
}

/// Counts the network's cases per country (in the order of `codes`), on every core.
pub(super) fn count_cases(seed: u64, cases: u64, codes: &[&str]) -> Vec<u64> {
    let workers = workers();
    let per = cases.div_ceil(workers);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let mut n = vec![0u64; codes.len()];
                    for i in (w * per)..((w + 1) * per).min(cases) {
                        let c = ona_synth::country_of(seed, i).code;
                        if let Some(k) = codes.iter().position(|x| *x == c) {
                            n[k] += 1;
                        }
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().fold(vec![0u64; codes.len()], |mut acc, h| {
            for (a, b) in acc.iter_mut().zip(h.join().unwrap_or_default()) {
                *a += b;
            }
            acc
        })
    })
}

fn workers() -> u64 {
    std::thread::available_parallelism().map(|n| n.get() as u64).unwrap_or(1)
}

/// What one batch produced for each country. The buffers go back to the worker once written,
/// so memory is reused rather than allocated (and page-faulted) afresh for every batch.
#[derive(Default)]
struct Part {
    cases: Vec<u8>,
    pseudo: Vec<u8>,
    packed: Vec<u8>,
    count: u64,
    invalid: u64,
}

impl Part {
    fn clear(&mut self) {
        self.cases.clear();
        self.pseudo.clear();
        self.packed.clear();
        self.count = 0;
        self.invalid = 0;
    }
}

/// A batch's parts for each country.
type Parts = Vec<Part>;
/// A worker's finished batches, and the way its buffers go back to it.
type WorkerLink = (Receiver<Result<Parts, Fail>>, Sender<Parts>);

/// Generates, validates, pseudonymises and packs every case on every core, and seals each
/// country's records into its export in case order. `progress` gets the cases done so far.
pub(super) fn run(
    seed: u64,
    cases: u64,
    countries: &mut [Country],
    keep_files: bool,
    progress: impl Fn(u64),
) -> Result<(), Fail> {
    let batches = cases.div_ceil(BATCH);
    let workers = workers().min(batches.max(1));
    // The workers' own copies of each country's pseudonymiser; the writer keeps the countries.
    let sides: Vec<(&'static str, Pseudonymiser)> =
        countries.iter().map(|c| (c.code, c.pseudonymiser.clone())).collect();
    std::thread::scope(|s| {
        // Worker w takes batches w, w + workers, …; each sends on its own bounded channel, so
        // the writer takes batches in order and no worker runs more than AHEAD batches ahead.
        let channels: Vec<WorkerLink> = (0..workers)
            .map(|w| {
                let (tx, rx) = sync_channel(AHEAD);
                let (back_tx, back_rx) = channel::<Parts>();
                let sides = &sides;
                s.spawn(move || {
                    let mut packers: Vec<BlockEncoder> =
                        sides.iter().map(|_| BlockEncoder::new()).collect();
                    for b in (w..batches).step_by(workers as usize) {
                        let range = b * BATCH..((b + 1) * BATCH).min(cases);
                        let mut parts = back_rx
                            .try_recv()
                            .unwrap_or_else(|_| sides.iter().map(|_| Part::default()).collect());
                        parts.iter_mut().for_each(Part::clear);
                        let done = batch(seed, range, sides, keep_files, &mut packers, &mut parts);
                        if tx.send(done.map(|()| parts)).is_err() {
                            return; // the writer stopped
                        }
                    }
                });
                (rx, back_tx)
            })
            .collect();
        for b in 0..batches {
            let (rx, back) = &channels[(b % workers) as usize];
            let parts = rx.recv().map_err(|_| Fail::usage("a worker thread failed"))??;
            for (country, part) in countries.iter_mut().zip(&parts) {
                country.take(part)?;
            }
            let _ = back.send(parts);
            progress(((b + 1) * BATCH).min(cases));
        }
        Ok(())
    })
}

/// Cases `range`, each validated, pseudonymised in its country's domain and packed.
fn batch(
    seed: u64,
    range: std::ops::Range<u64>,
    sides: &[(&'static str, Pseudonymiser)],
    keep_files: bool,
    packers: &mut [BlockEncoder],
    parts: &mut [Part],
) -> Result<(), Fail> {
    for i in range {
        let case: Case = ona_synth::case(seed, i);
        let Some(k) = sides.iter().position(|(code, _)| *code == case.centre.country) else {
            continue;
        };
        let part = &mut parts[k];
        part.count += 1;
        if keep_files {
            serde_json::to_writer(&mut part.cases, &case).map_err(Fail::usage)?;
            part.cases.push(b'\n');
        }
        if validate_case(&case).is_err() {
            part.invalid += 1;
            continue;
        }
        let pseudo: PseudoCase = sides[k].1.pseudonymise(&case).map_err(Fail::usage)?;
        packers[k].push(&pseudo).map_err(Fail::usage)?;
        if keep_files {
            serde_json::to_writer(&mut part.pseudo, &pseudo).map_err(Fail::usage)?;
            part.pseudo.push(b'\n');
        }
    }
    for (part, packer) in parts.iter_mut().zip(packers) {
        packer.take_into(&mut part.packed);
    }
    Ok(())
}

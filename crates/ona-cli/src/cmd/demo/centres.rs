//! The centres' side of the demo: the synthetic network's cases, generated on every core, go
//! through the core's [`export_many_indexed`]: each validated, routed to its country, pseudonymised
//! in the country's domain and sealed into the country's export to the hub. Nothing is written in
//! the clear unless the case files are kept, and no file appears unless every export is complete.

use crate::fail::Fail;
use ona_core::exchange::{by_country, export_many_indexed, Copies, Destination, SealTo};
use ona_core::pseudonym::Pseudonymiser;
use ona_core::seal::{EncryptionPublicKey, Identity};
use std::path::Path;

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
}

/// Generates the network's `cases` and seals each country's into `out/exports/<cc>.ona` for
/// `hub` (keeping `out/centres/<cc>/{cases,pseudo}.jsonl` if `keep_files`). Returns the records
/// sealed per country. `progress` gets the cases done so far.
pub(super) fn run(
    seed: u64,
    cases: u64,
    countries: &[Country],
    hub: &[EncryptionPublicKey],
    out: &Path,
    keep_files: bool,
    progress: impl FnMut(u64),
) -> Result<Vec<u64>, Fail> {
    let mut destinations = Vec::new();
    for c in countries {
        let cc = c.code.to_lowercase();
        let copies = if keep_files {
            let dir = out.join("centres").join(&cc);
            std::fs::create_dir_all(&dir).map_err(|e| Fail::io("create", &dir, e))?;
            Some(Copies { cases: dir.join("cases.jsonl"), pseudonymised: dir.join("pseudo.jsonl") })
        } else {
            None
        };
        destinations.push(Destination {
            key: c.code.to_string(),
            pseudonymiser: &c.pseudonymiser,
            record_count: c.expected,
            to: SealTo { recipients: hub, sender: &c.identity },
            out: out.join(format!("exports/{cc}.ona")),
            copies,
        });
    }
    // A failure here is a bug of the generator or of the disk: no export is written.
    let summaries = export_many_indexed(
        cases,
        |i| ona_synth::case(seed, i),
        by_country,
        &destinations,
        progress,
    )
    .map_err(|e| Fail::of_class(e.class(), format!("synthetic network: {e}")))?;
    Ok(summaries.iter().map(|s| s.records).collect())
}

/// Counts the network's cases per country (in the order of `codes`), on every core.
pub(super) fn count_cases(seed: u64, cases: u64, codes: &[&str]) -> Vec<u64> {
    let workers = std::thread::available_parallelism().map(|n| n.get() as u64).unwrap_or(1);
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

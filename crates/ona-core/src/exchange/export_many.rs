//! Sending to many: one stream of case records routed by a key (the country) to one sealed
//! export per destination, each pseudonymised in its own domain and sealed to its own
//! recipients, with validation, pseudonymisation and packing on every core.
//!
//! This is what a network's data office runs when one file or system holds the cases of several
//! countries: every country's records leave only pseudonymised in that country's domain and
//! sealed with that country's key. The exports (and the optional JSON Lines copies) appear only
//! when every one of them is complete and signed; on any error none is written, so nothing in
//! the clear and no partial export is left behind.

use super::error::ExchangeError;
use super::export::{CasesExport, ExportSummary, SealTo};
use super::export_batches::{
    run_batches, Batch, CaseSource, IndexedSource, IterSource, Side, BATCH,
};
use crate::atomic_file::AtomicFile;
use crate::pseudonym::Pseudonymiser;
use crate::schema::Case;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which destination a record goes to: the key it names (e.g. [`by_country`]).
pub type Route = fn(&Case) -> &str;

/// Routes a case by the country of its centre (ISO 3166-1 alpha-2, as the schema holds it).
pub fn by_country(case: &Case) -> &str {
    &case.centre.country
}

/// Copies kept in the clear next to an export, as JSON Lines: the destination's case records
/// as they came, and its pseudonymised records. Both are created owner-only and appear, like the
/// export, only when every export is complete.
#[derive(Clone, Debug)]
pub struct Copies {
    /// The case records routed to this destination.
    pub cases: PathBuf,
    /// The pseudonymised records sealed into the export.
    pub pseudonymised: PathBuf,
}

/// One destination of [`export_many`]: the records whose key is `key`, pseudonymised by
/// `pseudonymiser`, sealed by `to` into the file `out`.
pub struct Destination<'a> {
    /// The routing key of its records (e.g. `"KZ"` with [`by_country`]).
    pub key: String,
    /// Pseudonymisation in the destination's own domain.
    pub pseudonymiser: &'a Pseudonymiser,
    /// How many records the export will hold (the manifest announces it before the first
    /// record; a different number fails the run).
    pub record_count: u64,
    /// Who the export is sealed to and who signs it.
    pub to: SealTo<'a>,
    /// The sealed export (readable by others: it is what travels).
    pub out: PathBuf,
    /// Copies in the clear, if any are wanted.
    pub copies: Option<Copies>,
}

/// Validates every case of `cases`, routes it by `route` to the destination with that key,
/// pseudonymises it in that destination's domain and seals it into that destination's export —
/// on every core, in batches, each export receiving its records in the order they came.
/// `progress` gets the number of cases done so far. Returns each export's summary in the
/// order of `destinations`.
///
/// All or nothing: a case that names no destination, is not valid or cannot be pseudonymised
/// stops the run with the case named by its position in `cases` (from 1); a destination whose
/// records differ from its `record_count` fails it too. Then no file is written. Memory holds a
/// few batches of records whatever their number.
///
/// ```
/// use ona_core::exchange::{by_country, export_many, Destination, SealTo};
/// use ona_core::pseudonym::{MasterKey, Policy, Pseudonymiser};
/// use ona_core::seal::Identity;
/// let (centre, hub) = (Identity::generate(), Identity::generate());
/// let p = Pseudonymiser::new(&MasterKey::generate(), "kz/2026", Policy::default()).unwrap();
/// let dir = std::env::temp_dir().join(format!("ona-doc-many-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let hub_key = [hub.encryption_public()];
/// let kz = Destination {
///     key: "KZ".into(),
///     pseudonymiser: &p,
///     record_count: 0,
///     to: SealTo { recipients: &hub_key, sender: &centre },
///     out: dir.join("kz.ona"),
///     copies: None,
/// };
/// let summaries = export_many(Vec::new(), by_country, &[kz], |_| {}).unwrap();
/// assert_eq!(summaries[0].records, 0);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn export_many<I>(
    cases: I,
    route: Route,
    destinations: &[Destination<'_>],
    progress: impl FnMut(u64),
) -> Result<Vec<ExportSummary>, ExchangeError>
where
    I: IntoIterator<Item = Case>,
    I::IntoIter: Send,
{
    let source = IterSource::new(cases.into_iter());
    export_from(&source, route, destinations, (workers(None), BATCH), progress)
}

/// [`export_many`] for a source that can make its `count` cases in any order: `case(i)` is the
/// case at position `i` (from 0), and every core makes its own (a synthetic network, or rows
/// read by position), so the source is not a bottleneck. Same guarantees as [`export_many`].
pub fn export_many_indexed(
    count: u64,
    case: impl Fn(u64) -> Case + Sync,
    route: Route,
    destinations: &[Destination<'_>],
    progress: impl FnMut(u64),
) -> Result<Vec<ExportSummary>, ExchangeError> {
    let source = IndexedSource { count, case };
    export_from(&source, route, destinations, (workers(Some(count)), BATCH), progress)
}

/// The threads to use: every core, but no more than there are batches.
fn workers(count: Option<u64>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match count {
        Some(n) => cores.min(n.div_ceil(BATCH).max(1) as usize),
        None => cores,
    }
}

/// One destination being written.
struct Open<'p> {
    export: CasesExport<AtomicFile>,
    /// The copies being written, and where they go.
    copies: Option<(AtomicFile, AtomicFile, &'p Copies)>,
    destination: &'p Destination<'p>,
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> ExchangeError {
    let path = path.display().to_string();
    move |source| ExchangeError::Io { action, path, source }
}

/// Runs `source` through `workers` threads, in batches of `size` cases, into the destinations'
/// exports.
pub(super) fn export_from<'p>(
    source: &dyn CaseSource,
    route: Route,
    destinations: &'p [Destination<'p>],
    (workers, size): (usize, u64),
    mut progress: impl FnMut(u64),
) -> Result<Vec<ExportSummary>, ExchangeError> {
    for (i, d) in destinations.iter().enumerate() {
        if destinations[..i].iter().any(|e| e.key == d.key) {
            return Err(ExchangeError::Records(format!("two destinations have key {}", d.key)));
        }
    }
    let mut open = destinations.iter().map(start).collect::<Result<Vec<_>, _>>()?;
    let sides: Vec<Side<'_>> = destinations
        .iter()
        .map(|d| Side { key: &d.key, pseudonymiser: d.pseudonymiser, copies: d.copies.is_some() })
        .collect();
    run_batches(source, route, &sides, workers, size, |batch: &Batch| {
        for (o, part) in open.iter_mut().zip(&batch.parts) {
            o.export.write_blocks(&part.packed, part.records)?;
            if let Some((cases, pseudo, to)) = o.copies.as_mut() {
                cases.write_all(&part.cases).map_err(io_error("write", &to.cases))?;
                pseudo.write_all(&part.pseudo).map_err(io_error("write", &to.pseudonymised))?;
            }
        }
        progress(batch.done);
        Ok(())
    })?;
    // Every export signed before any appears.
    let mut finished = Vec::new();
    for o in open.drain(..) {
        let (file, summary) = o.export.finish()?;
        finished.push((file, o.copies, o.destination, summary));
    }
    let mut summaries = Vec::new();
    for (file, copies, d, summary) in finished {
        file.commit().map_err(io_error("write", &d.out))?;
        if let Some((cases, pseudo, c)) = copies {
            cases.commit().map_err(io_error("write", &c.cases))?;
            pseudo.commit().map_err(io_error("write", &c.pseudonymised))?;
        }
        summaries.push(summary);
    }
    Ok(summaries)
}

/// Creates a destination's export (shareable) and copies (owner-only), none visible yet.
fn start<'p>(d: &'p Destination<'p>) -> Result<Open<'p>, ExchangeError> {
    let file = AtomicFile::create(&d.out).map_err(io_error("create", &d.out))?;
    file.shareable().map_err(io_error("set permissions of", &d.out))?;
    let export = CasesExport::new(file, d.pseudonymiser, d.record_count, d.to)?;
    let copies = match &d.copies {
        None => None,
        Some(c) => {
            let create = |p: &Path| {
                let f = AtomicFile::create(p).map_err(io_error("create", p))?;
                f.owner_only().map_err(io_error("protect", p))?;
                Ok::<_, ExchangeError>(f)
            };
            Some((create(&c.cases)?, create(&c.pseudonymised)?, c))
        }
    };
    Ok(Open { export, copies, destination: d })
}

#[cfg(test)]
#[path = "export_many_tests.rs"]
mod tests;

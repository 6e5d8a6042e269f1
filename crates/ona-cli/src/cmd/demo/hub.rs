//! The hub's side of the demo: every export is opened checking its sender against the network
//! directory (listed, unrevoked, valid when the export was made), and its records
//! stream from the decryption straight into the country's report — all countries at once, on
//! every core. The opened records touch the disk only when the case files are kept.

use crate::fail::Fail;
use ona_core::atomic_file::AtomicFile;
use ona_core::directory::{Directory, SenderPolicy};
use ona_core::exchange::packed::{PackedError, PackedReader};
use ona_core::report::{Report, ReportBuilder, ReportSpec};
use ona_core::seal::{Identity, Manifest, Opener};
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

/// One export to open at the hub.
pub(super) struct Export {
    /// The sealed file.
    pub path: PathBuf,
    /// The directory id of the organisation that must have signed it.
    pub sender: String,
    /// Where to keep the opened records as JSON Lines, if at all.
    pub inbox: Option<PathBuf>,
}

/// What the hub got from one export.
pub(super) struct Arrival {
    /// The verified manifest.
    pub manifest: Manifest,
    /// The country's report.
    pub report: Report,
}

/// Opens every export and builds its report, one thread per export.
pub(super) fn receive(
    exports: &[Export],
    hub: &Identity,
    directory: &Directory,
    spec: &ReportSpec,
) -> Result<Vec<Arrival>, Fail> {
    std::thread::scope(|s| {
        let handles: Vec<_> = exports
            .iter()
            .map(|e| s.spawn(move || open_and_report(e, hub, directory, spec)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| Fail::usage("a hub thread failed"))?)
            .collect()
    })
}

fn open_and_report(
    e: &Export,
    hub: &Identity,
    directory: &Directory,
    spec: &ReportSpec,
) -> Result<Arrival, Fail> {
    let path = &e.path;
    let not_verified = |why: &dyn std::fmt::Display| {
        Fail::invalid(format!("{} does not verify: {why}; nothing was used", path.display()))
    };
    let file = File::open(path).map_err(|err| Fail::io("open", path, err))?;
    let opener = Opener::new(BufReader::with_capacity(256 << 10, file), hub, None)
        .map_err(|err| not_verified(&err))?;
    let manifest = opener.manifest().clone();
    // Before any record is read: the sender must be the country's listed, unrevoked key, valid
    // when the export was made. The signature over this manifest is checked at the end.
    SenderPolicy::Directory { directory, name: Some(e.sender.clone()) }
        .check(&manifest)
        .map_err(|err| not_verified(&err))?;
    let mut records = PackedReader::new(opener).map_err(|err| not_verified(&err))?;
    let mut inbox = match &e.inbox {
        None => None,
        Some(p) => {
            let f = AtomicFile::create(p).map_err(|err| Fail::io("create", p, err))?;
            f.owner_only().map_err(|err| Fail::io("protect", p, err))?;
            Some(f)
        }
    };
    let mut builder = ReportBuilder::new(spec).map_err(Fail::usage)?;
    let mut n = 0u64;
    loop {
        let case = match records.read() {
            Ok(Some(case)) => case,
            Ok(None) => break,
            Err(PackedError::Io(err)) => return Err(not_verified(&err)),
            Err(err) => return Err(Fail::invalid(format!("{}: {err}", path.display()))),
        };
        n += 1;
        builder.add(&case);
        if let Some(f) = inbox.as_mut() {
            write_json(f, &case).map_err(|err| Fail::io("write", inbox_path(e), err))?;
        }
    }
    // The opener ends without error only once the last chunk and the signature verify.
    if !records.into_inner().is_verified() {
        return Err(not_verified(&"the export ends early"));
    }
    if n != manifest.record_count {
        return Err(Fail::invalid(format!(
            "{}: the manifest announces {} records, the export holds {n}",
            path.display(),
            manifest.record_count
        )));
    }
    if let Some(f) = inbox {
        f.commit().map_err(|err| Fail::io("write", inbox_path(e), err))?;
    }
    let report = builder.finish().map_err(Fail::usage)?;
    Ok(Arrival { manifest, report })
}

fn inbox_path(e: &Export) -> &Path {
    e.inbox.as_deref().unwrap_or(&e.path)
}

fn write_json(f: &mut AtomicFile, case: &ona_core::pseudonym::PseudoCase) -> std::io::Result<()> {
    serde_json::to_writer(&mut *f, case)?;
    f.write_all(b"\n")
}

//! The hub's side of the demo: every export is received through the core's entry points
//! ([`ona_core::exchange::receive`], [`ona_core::exchange::report_received`]) checking its sender
//! against the network directory (listed, unrevoked, valid when the export was made), and its
//! records stream from the decryption straight into the country's report — all countries at
//! once, one thread per export. The opened records touch the disk only when the case files are
//! kept.

use crate::fail::Fail;
use ona_core::atomic_file::AtomicFile;
use ona_core::directory::{Directory, SenderPolicy};
use ona_core::exchange::{receive, report_received, Arrival, ExchangeError};
use ona_core::report::ReportSpec;
use ona_core::seal::Identity;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

/// One export to open at the hub.
pub(super) struct Export {
    /// The sealed file.
    pub path: PathBuf,
    /// The directory id of the organisation that must have signed it.
    pub sender: String,
    /// Where to keep the opened records as JSON Lines, if at all.
    pub inbox: Option<PathBuf>,
}

/// Opens every export and builds its report, one thread per export.
pub(super) fn receive_all(
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
    let failed = |err: ExchangeError| match err {
        ExchangeError::Open(_) => Fail::invalid(format!("{} {err}", path.display())),
        ExchangeError::Io { .. } => Fail::usage(err),
        other => Fail::invalid(format!("{}: {other}", path.display())),
    };
    let file = File::open(path).map_err(|err| Fail::io("open", path, err))?;
    // Before any record is read: the sender must be the country's listed, unrevoked key, valid
    // when the export was made. The signature over the manifest is checked at the end.
    let sender = SenderPolicy::Directory { directory, name: Some(e.sender.clone()) };
    let received = receive(file, hub, &sender).map_err(failed)?;
    let mut inbox = match &e.inbox {
        None => None,
        Some(p) => {
            let f = AtomicFile::create(p).map_err(|err| Fail::io("create", p, err))?;
            f.owner_only().map_err(|err| Fail::io("protect", p, err))?;
            Some((f, p))
        }
    };
    let arrival = report_received(received, spec, |case| match inbox.as_mut() {
        None => Ok(()),
        Some((f, p)) => write_json(f, case).map_err(|source| ExchangeError::Io {
            action: "write",
            path: p.display().to_string(),
            source,
        }),
    })
    .map_err(failed)?;
    if let Some((f, p)) = inbox {
        f.commit().map_err(|err| Fail::io("write", p, err))?;
    }
    Ok(arrival)
}

fn write_json(f: &mut AtomicFile, case: &ona_core::pseudonym::PseudoCase) -> std::io::Result<()> {
    serde_json::to_writer(&mut *f, case)?;
    f.write_all(b"\n")
}

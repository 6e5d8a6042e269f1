//! The exchange entry points end to end: a centre exports cases, the hub receives them and
//! builds a report — and every attacker between them (the wrong recipient, someone who changes
//! or cuts the file, a sender the hub does not trust) is refused with the opening error classes.

use ona_core::directory::SenderPolicy;
use ona_core::exchange::{
    export_cases, receive, report_from_exports, report_received, ExchangeError, SealTo,
};
use ona_core::pseudonym::{MasterKey, Policy, PseudoCase, Pseudonymiser};
use ona_core::report::{Dimension, ReportBuilder, ReportSpec};
use ona_core::schema::Case;
use ona_core::seal::{seal, ContentType, Identity, Manifest, OpenError};
use std::path::PathBuf;

const CASES: u64 = 800;

struct Net {
    centre: Identity,
    hub: Identity,
    pseudonymiser: Pseudonymiser,
    dir: PathBuf,
}

fn net(name: &str) -> Net {
    let dir = std::env::temp_dir().join(format!("ona-exchange-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let master = MasterKey::generate();
    Net {
        centre: Identity::generate(),
        hub: Identity::generate(),
        pseudonymiser: Pseudonymiser::new(&master, "kz/test-2026", Policy::default()).unwrap(),
        dir,
    }
}

fn cases() -> Vec<Case> {
    (0..CASES).map(|i| ona_synth::case(7, i)).collect()
}

fn spec() -> ReportSpec {
    ReportSpec { by: vec![Dimension::Country, Dimension::Quarter], ..ReportSpec::default() }
}

/// Exports the synthetic cases and returns the sealed file.
fn export(n: &Net, name: &str) -> PathBuf {
    let out = n.dir.join(name);
    let hub = [n.hub.encryption_public()];
    let to = SealTo { recipients: &hub, sender: &n.centre };
    let s = export_cases(cases(), CASES, &n.pseudonymiser, to, &out).unwrap();
    assert_eq!(s.records, CASES);
    assert_eq!(s.manifest.pseudonym_domain.as_deref(), Some("kz/test-2026"));
    out
}

/// Every item of a received export: the records before the first error, and that error.
fn drain(
    r: impl Iterator<Item = Result<PseudoCase, ExchangeError>>,
) -> (u64, Option<ExchangeError>) {
    let mut n = 0;
    for item in r {
        match item {
            Ok(_) => n += 1,
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

#[test]
fn export_receive_report_equals_the_report_of_the_same_cases() {
    let n = net("roundtrip");
    let path = export(&n, "kz.ona");
    let pinned = SenderPolicy::Key(n.centre.signing_public());

    // The records come back exactly as pseudonymised, in order.
    let direct: Vec<PseudoCase> =
        cases().iter().map(|c| n.pseudonymiser.pseudonymise(c).unwrap()).collect();
    let received = receive(std::fs::File::open(&path).unwrap(), &n.hub, &pinned).unwrap();
    assert_eq!(received.manifest().record_count, CASES);
    assert_eq!(received.manifest().sender, n.centre.signing_public().to_string());
    let got: Vec<PseudoCase> = received.collect::<Result<_, _>>().unwrap();
    assert_eq!(got, direct);

    // The report through the entry points is the report of the same records built directly,
    // to the byte of its JSON.
    let mut builder = ReportBuilder::new(&spec()).unwrap();
    direct.iter().for_each(|c| builder.add(c));
    let expected = builder.finish().unwrap();
    let received = receive(std::fs::File::open(&path).unwrap(), &n.hub, &pinned).unwrap();
    let mut seen = 0;
    let arrival = report_received(received, &spec(), |_| {
        seen += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(seen, CASES);
    assert_eq!(arrival.report.to_json(), expected.to_json());
    assert_eq!(arrival.manifest.record_count, CASES);

    // Two countries' exports merged: the same as merging their two direct reports.
    let all = cases();
    let first = all[0].centre.country.clone();
    let (a, b): (Vec<Case>, Vec<Case>) = all.into_iter().partition(|c| c.centre.country == first);
    let second = b[0].centre.country.clone();
    let b: Vec<Case> = b.into_iter().filter(|c| c.centre.country == second).collect();
    let hub = [n.hub.encryption_public()];
    let to = SealTo { recipients: &hub, sender: &n.centre };
    let mut direct_reports = Vec::new();
    let mut received = Vec::new();
    for (name, part) in [("a.ona", a), ("b.ona", b)] {
        let mut builder = ReportBuilder::new(&spec()).unwrap();
        part.iter().for_each(|c| builder.add(&n.pseudonymiser.pseudonymise(c).unwrap()));
        direct_reports.push(builder.finish().unwrap());
        let out = n.dir.join(name);
        export_cases(part.clone(), part.len() as u64, &n.pseudonymiser, to, &out).unwrap();
        received.push(receive(std::fs::File::open(&out).unwrap(), &n.hub, &pinned).unwrap());
    }
    let reports = report_from_exports(received, &spec()).unwrap();
    assert_eq!(reports.arrivals.len(), 2);
    assert_eq!(reports.arrivals[1].report.to_json(), direct_reports[1].to_json());
    let merged = ona_core::report::merge(&direct_reports).unwrap();
    assert_eq!(reports.merged.to_json(), merged.to_json());
    std::fs::remove_dir_all(&n.dir).unwrap();
}

#[test]
fn the_wrong_recipient_a_changed_or_cut_file_and_an_untrusted_sender_are_refused() {
    let n = net("attacks");
    let path = export(&n, "kz.ona");
    let bytes = std::fs::read(&path).unwrap();
    let pinned = SenderPolicy::Key(n.centre.signing_public());

    // Another network member that was not sealed to: nothing opens.
    let stranger = Identity::generate();
    let e = receive(&bytes[..], &stranger, &pinned).err().unwrap();
    assert!(matches!(e, ExchangeError::Open(OpenError::NoMatchingRecipient)), "{e}");

    // Someone on the way flips one byte in the middle of the payload: the records of the
    // changed chunk never come out and the last item is the authentication error.
    let mut changed = bytes.clone();
    let mid = changed.len() / 2;
    changed[mid] ^= 0x01;
    // (Refused at once when the byte is in the chunk holding the manifest.)
    let err = match receive(&changed[..], &n.hub, &pinned) {
        Err(e) => e,
        Ok(r) => {
            let refused = report_received(r, &spec(), |_| Ok(()));
            assert!(matches!(refused, Err(ExchangeError::Open(_))));
            drain(receive(&changed[..], &n.hub, &pinned).unwrap()).1.expect("an error at the end")
        }
    };
    assert!(matches!(err, ExchangeError::Open(OpenError::ChunkAuthentication(_))), "{err}");

    // Cut short: the end is an error, never a clean end with fewer records.
    let cut = &bytes[..bytes.len() - 200];
    let err = match receive(cut, &n.hub, &pinned) {
        Err(e) => Some(e),
        Ok(r) => drain(r).1,
    };
    assert!(matches!(err, Some(ExchangeError::Open(_))), "{err:?}");

    // A forger with their own key seals records to the hub: the pinned sender refuses it
    // before any record is read.
    let forger = Identity::generate();
    let hub = [n.hub.encryption_public()];
    let forged = n.dir.join("forged.ona");
    let to = SealTo { recipients: &hub, sender: &forger };
    export_cases(cases(), CASES, &n.pseudonymiser, to, &forged).unwrap();
    let e = receive(std::fs::File::open(&forged).unwrap(), &n.hub, &pinned).err().unwrap();
    assert!(matches!(e, ExchangeError::Open(OpenError::UnexpectedSender { .. })), "{e}");
    // Without a sender check it opens (and says nothing about who sent it).
    let any = receive(std::fs::File::open(&forged).unwrap(), &n.hub, &SenderPolicy::AnySender);
    let (read, err) = drain(any.unwrap());
    assert_eq!(read, CASES);
    assert!(err.is_none(), "{err:?}");
    std::fs::remove_dir_all(&n.dir).unwrap();
}

#[test]
fn nothing_is_written_for_an_invalid_case_or_a_wrong_count() {
    let n = net("refusals");
    let hub = [n.hub.encryption_public()];
    let to = SealTo { recipients: &hub, sender: &n.centre };
    let out = n.dir.join("kz.ona");

    let mut bad = cases();
    bad[41].schema_version = "9.9".into();
    let e = export_cases(bad, CASES, &n.pseudonymiser, to, &out).unwrap_err();
    assert!(matches!(e, ExchangeError::InvalidCase { record: 42, .. }), "{e}");
    assert!(!out.exists());

    // The manifest promised one record more than came: refused, nothing written.
    let e = export_cases(cases(), CASES + 1, &n.pseudonymiser, to, &out).unwrap_err();
    assert!(
        matches!(e, ExchangeError::Count { announced, found } if announced == CASES + 1 && found == CASES)
    );
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(&n.dir).unwrap().count(), 0, "no temporary file left");
    std::fs::remove_dir_all(&n.dir).unwrap();
}

#[test]
fn json_lines_exports_are_received_and_reports_or_lying_counts_are_refused() {
    let n = net("lines");
    let pinned = SenderPolicy::Key(n.centre.signing_public());
    let hub = [n.hub.encryption_public()];
    let direct: Vec<PseudoCase> =
        cases().iter().take(5).map(|c| n.pseudonymiser.pseudonymise(c).unwrap()).collect();
    let mut text = Vec::new();
    for c in &direct {
        serde_json::to_writer(&mut text, c).unwrap();
        text.extend_from_slice(b"\n\n");
    }
    // `ona seal --content cases` of a JSON Lines file: received record by record.
    let sealed = seal(&text, &Manifest::new(ContentType::Cases, 5), &hub, &n.centre).unwrap();
    let got: Vec<PseudoCase> =
        receive(&sealed[..], &n.hub, &pinned).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(got, direct);

    // A signed manifest that announces more records than the export holds.
    let sealed = seal(&text, &Manifest::new(ContentType::Cases, 6), &hub, &n.centre).unwrap();
    let (read, err) = drain(receive(&sealed[..], &n.hub, &pinned).unwrap());
    assert_eq!(read, 5);
    assert!(matches!(err, Some(ExchangeError::Count { announced: 6, found: 5 })), "{err:?}");

    // A report export holds no records.
    let sealed = seal(b"{}", &Manifest::new(ContentType::Report, 1), &hub, &n.centre).unwrap();
    let e = receive(&sealed[..], &n.hub, &pinned).err().unwrap();
    assert!(matches!(e, ExchangeError::Records(_)), "{e}");
    std::fs::remove_dir_all(&n.dir).unwrap();
}

//! Many exports from one stream: every record reaches its own country's export, sealed to that
//! country's recipient, pseudonymised in that country's domain — and a bad record anywhere
//! leaves no file at all (no export, no copy in the clear).

use super::*;
use crate::directory::SenderPolicy;
use crate::exchange::{receive, report_from_files, Incoming};
use crate::pseudonym::{MasterKey, Policy, PseudoCase};
use crate::seal::{Identity, OpenError};
use std::path::PathBuf;

/// Cases of the synthetic network (ona_synth builds its own copy of this crate's types: they
/// cross over as JSON).
fn network(n: u64) -> Vec<Case> {
    (0..n)
        .map(|i| serde_json::from_slice(&serde_json::to_vec(&ona_synth::case(9, i)).unwrap()))
        .collect::<Result<_, _>>()
        .unwrap()
}

/// One country: its own sender key, hub (recipient) and pseudonymiser.
struct Side {
    key: String,
    sender: Identity,
    hub: Identity,
    hub_key: [crate::seal::EncryptionPublicKey; 1],
    p: Pseudonymiser,
}

fn sides(cases: &[Case]) -> Vec<Side> {
    let mut keys: Vec<String> = cases.iter().map(|c| c.centre.country.clone()).collect();
    keys.sort();
    keys.dedup();
    assert!(keys.len() >= 3, "the network spans several countries: {keys:?}");
    keys.into_iter()
        .map(|key| {
            let hub = Identity::generate();
            let domain = format!("{}/test", key.to_lowercase());
            Side {
                hub_key: [hub.encryption_public()],
                hub,
                sender: Identity::generate(),
                p: Pseudonymiser::new(&MasterKey::generate(), &domain, Policy::default()).unwrap(),
                key,
            }
        })
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ona-many-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn destinations<'a>(sides: &'a [Side], cases: &[Case], dir: &Path) -> Vec<Destination<'a>> {
    sides
        .iter()
        .map(|s| Destination {
            key: s.key.clone(),
            pseudonymiser: &s.p,
            record_count: cases.iter().filter(|c| c.centre.country == s.key).count() as u64,
            to: SealTo { recipients: &s.hub_key, sender: &s.sender },
            out: dir.join(format!("{}.ona", s.key)),
            copies: Some(Copies {
                cases: dir.join(format!("{}-cases.jsonl", s.key)),
                pseudonymised: dir.join(format!("{}-pseudo.jsonl", s.key)),
            }),
        })
        .collect()
}

/// Every file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The two sources, at a batch of 16 cases on 3 workers so that batches interleave.
fn run_both(
    cases: &[Case],
    dests: &[Destination<'_>],
) -> [Result<Vec<ExportSummary>, ExchangeError>; 2] {
    let indexed = IndexedSource { count: cases.len() as u64, case: |i| cases[i as usize].clone() };
    let mut seen = 0;
    let a = export_from(&indexed, by_country, dests, (3, 16), |n| seen = n);
    if a.is_ok() {
        assert_eq!(seen, cases.len() as u64, "progress reaches every case");
    }
    let first = a.as_ref().map(|_| ()).map_err(|e| e.to_string());
    // The files of the first run must not satisfy the checks of the second.
    if first.is_ok() {
        for f in files(dests[0].out.parent().unwrap()) {
            std::fs::remove_file(f).unwrap();
        }
    }
    let iter = IterSource::new(cases.iter().cloned());
    let b = export_from(&iter, by_country, dests, (3, 16), |_| {});
    [a, b]
}

fn lines<T: serde::Serialize>(items: impl Iterator<Item = T>) -> Vec<u8> {
    let mut out = Vec::new();
    for i in items {
        serde_json::to_writer(&mut out, &i).unwrap();
        out.push(b'\n');
    }
    out
}

#[test]
fn every_record_reaches_its_countrys_export_sealed_to_its_recipient() {
    let cases = network(300);
    let sides = sides(&cases);
    let dir = temp_dir("route");
    let dests = destinations(&sides, &cases, &dir);
    for (run, result) in run_both(&cases, &dests).into_iter().enumerate() {
        let summaries = result.unwrap();
        for (k, (s, summary)) in sides.iter().zip(&summaries).enumerate() {
            let mine: Vec<&Case> = cases.iter().filter(|c| c.centre.country == s.key).collect();
            assert!(!mine.is_empty());
            let expected: Vec<PseudoCase> =
                mine.iter().map(|c| s.p.pseudonymise(c).unwrap()).collect();
            assert_eq!(summary.records, mine.len() as u64, "run {run}, {}", s.key);
            let m = &summary.manifest;
            assert_eq!(m.record_count, mine.len() as u64);
            assert_eq!(m.pseudonym_domain.as_deref(), Some(s.p.domain()));
            assert_eq!(m.pseudonym_key_id.as_deref(), Some(s.p.key_id()));
            // The country's hub opens it, signed by the country, with exactly its records in
            // the order they came.
            let file = || std::fs::File::open(&dests[k].out).unwrap();
            let pinned = SenderPolicy::Key(s.sender.signing_public());
            let received = receive(file(), &s.hub, &pinned).unwrap();
            assert_eq!(received.manifest().record_count, mine.len() as u64);
            let got: Vec<PseudoCase> = received.collect::<Result<_, _>>().unwrap();
            assert_eq!(got, expected, "run {run}, {}", s.key);
            // Another country's hub cannot open it; another country's key did not sign it.
            let other = &sides[(k + 1) % sides.len()];
            let err = receive(file(), &other.hub, &SenderPolicy::AnySender).err().unwrap();
            assert!(matches!(err, ExchangeError::Open(OpenError::NoMatchingRecipient)), "{err}");
            let wrong = SenderPolicy::Key(other.sender.signing_public());
            let refused = receive(file(), &s.hub, &wrong).map(|r| r.count()).err();
            assert!(matches!(refused, Some(ExchangeError::Open(_))), "{refused:?}");
            // The copies hold the country's cases and pseudonymised records, in order.
            let copies = dests[k].copies.as_ref().unwrap();
            assert_eq!(std::fs::read(&copies.cases).unwrap(), lines(mine.iter()));
            assert_eq!(std::fs::read(&copies.pseudonymised).unwrap(), lines(expected.iter()));
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_record_in_the_middle_leaves_no_file_and_is_named() {
    let good = network(200);
    let sides = sides(&good);
    let dir = temp_dir("bad");
    let dests = destinations(&sides, &good, &dir);

    // Case 150 (in the tenth batch, on a worker other than the first) is not valid.
    let mut cases = good.clone();
    cases[149].id.clear();
    assert!(crate::schema::validate_case(&cases[149]).is_err());
    for result in run_both(&cases, &dests) {
        match result {
            Err(e @ ExchangeError::InvalidCase { record: 150, .. }) => {
                assert!(e.to_string().starts_with("case 150 is not valid"), "{e}");
                assert_eq!(e.class(), crate::error_class::ErrorClass::Validation);
            }
            other => panic!("expected case 150 refused, got {:?}", other.map(|_| ())),
        }
        assert_eq!(files(&dir), Vec::<PathBuf>::new(), "nothing written, nothing in the clear");
    }

    // Case 77 names a country with no export.
    let mut cases = good.clone();
    cases[76].centre.country = "ZZ".into();
    for result in run_both(&cases, &dests) {
        let e = result.err().unwrap();
        assert!(matches!(&e, ExchangeError::Unrouted { record: 77, key } if key == "ZZ"), "{e}");
        assert_eq!(files(&dir), Vec::<PathBuf>::new());
    }

    // The last case is bad: every batch before it was already sealed, still nothing appears.
    let mut cases = good.clone();
    cases[199].id.clear();
    for result in run_both(&cases, &dests) {
        assert!(matches!(result, Err(ExchangeError::InvalidCase { record: 200, .. })));
        assert_eq!(files(&dir), Vec::<PathBuf>::new());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_count_other_than_announced_signs_nothing() {
    let cases = network(120);
    let sides = sides(&cases);
    let dir = temp_dir("count");
    let mut dests = destinations(&sides, &cases, &dir);
    let announced = dests[1].record_count + 1;
    dests[1].record_count = announced;
    for result in run_both(&cases, &dests) {
        let e = result.err().unwrap();
        assert!(
            matches!(e, ExchangeError::Count { announced: a, found } if a == announced && found == a - 1)
        );
        assert_eq!(files(&dir), Vec::<PathBuf>::new());
    }
    // Two destinations with one key: refused before anything is created.
    dests[1].record_count = announced - 1;
    dests[1].key = dests[0].key.clone();
    let e = export_many(cases.clone(), by_country, &dests, |_| {}).err().unwrap();
    assert!(e.to_string().contains("two destinations"), "{e}");
    assert_eq!(files(&dir), Vec::<PathBuf>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_public_entry_points_on_every_core_give_the_same_exports() {
    let cases = network(90);
    let sides = sides(&cases);
    let dir = temp_dir("public");
    let dests = destinations(&sides, &cases, &dir);
    let a = export_many(cases.clone(), by_country, &dests, |_| {}).unwrap();
    let copies = |d: &Destination<'_>| std::fs::read(&d.copies.as_ref().unwrap().pseudonymised);
    let first: Vec<Vec<u8>> = dests.iter().map(|d| copies(d).unwrap()).collect();
    let b =
        export_many_indexed(90, |i| cases[i as usize].clone(), by_country, &dests, |_| {}).unwrap();
    let second: Vec<Vec<u8>> = dests.iter().map(|d| copies(d).unwrap()).collect();
    assert_eq!(first, second);
    let records = |s: &[ExportSummary]| s.iter().map(|s| s.records).collect::<Vec<_>>();
    assert_eq!(records(&a), records(&b));
    assert_eq!(records(&a).iter().sum::<u64>(), 90);
    std::fs::remove_dir_all(&dir).unwrap();
}

// The hub's side: `report_from_files` over the exports `export_many` wrote.

fn reports_spec() -> crate::report::ReportSpec {
    use crate::report::{Dimension, ReportSpec};
    ReportSpec { by: vec![Dimension::Country, Dimension::Quarter], ..ReportSpec::default() }
}

fn incoming<'a>(sides: &[Side], dests: &[Destination<'_>], dir: &Path) -> Vec<Incoming<'a>> {
    sides
        .iter()
        .zip(dests)
        .map(|(s, d)| Incoming {
            path: d.out.clone(),
            sender: SenderPolicy::Key(s.sender.signing_public()),
            keep: Some(dir.join(format!("inbox-{}.jsonl", s.key))),
        })
        .collect()
}

#[test]
fn the_hub_reports_every_export_and_their_merge_and_keeps_nothing_if_one_is_forged() {
    use crate::report::{merge, ReportBuilder};
    let cases = network(150);
    let mut sides = sides(&cases);
    // One hub for every country, as in a network.
    let hub = Identity::generate();
    for s in &mut sides {
        s.hub_key = [hub.encryption_public()];
    }
    let dir = temp_dir("hub");
    let dests = destinations(&sides, &cases, &dir);
    export_many(cases.clone(), by_country, &dests, |_| {}).unwrap();
    let spec = reports_spec();

    // Each report is the one built from the country's records; the merge is theirs.
    let got = report_from_files(&incoming(&sides, &dests, &dir), &hub, &spec).unwrap();
    let mut expected = Vec::new();
    for (s, d) in sides.iter().zip(&dests) {
        let mut b = ReportBuilder::new(&spec).unwrap();
        for c in cases.iter().filter(|c| c.centre.country == s.key) {
            b.add(&s.p.pseudonymise(c).unwrap());
        }
        expected.push(b.finish().unwrap());
        // The kept copy is what was sealed.
        let kept = std::fs::read(dir.join(format!("inbox-{}.jsonl", s.key))).unwrap();
        assert_eq!(kept, std::fs::read(&d.copies.as_ref().unwrap().pseudonymised).unwrap());
    }
    let json = |r: &crate::report::Report| r.to_json();
    assert_eq!(got.arrivals.len(), sides.len());
    for (a, e) in got.arrivals.iter().zip(&expected) {
        assert_eq!(json(&a.report), json(e));
    }
    assert_eq!(json(&got.merged), json(&merge(&expected).unwrap()));
    for s in &sides {
        std::fs::remove_file(dir.join(format!("inbox-{}.jsonl", s.key))).unwrap();
    }

    // The attacker on the way changes one byte in the middle of the second export: the call
    // fails naming that file, and no opened copy is left, not even of the exports that verified.
    let forged = &dests[1].out;
    let mut bytes = std::fs::read(forged).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(forged, &bytes).unwrap();
    let err = report_from_files(&incoming(&sides, &dests, &dir), &hub, &spec).err().unwrap();
    match &err {
        ExchangeError::InExport { path, source } => {
            assert_eq!(path, &forged.display().to_string());
            assert!(matches!(**source, ExchangeError::Open(_)), "{source}");
        }
        other => panic!("expected the forged export named, got {other}"),
    }
    assert_eq!(err.class(), crate::error_class::ErrorClass::Decryption);
    let inbox = |dir: &Path| {
        files(dir).into_iter().filter(|p| p.to_string_lossy().contains("inbox")).collect::<Vec<_>>()
    };
    assert_eq!(inbox(&dir), Vec::<PathBuf>::new());

    // A country's export presented as another's: its sender is refused before any record.
    let mut wrong = incoming(&sides, &dests, &dir);
    wrong.swap(0, 2);
    wrong[0].path = dests[0].out.clone();
    wrong[0].sender = SenderPolicy::Key(sides[2].sender.signing_public());
    let err = report_from_files(&wrong, &hub, &spec).err().unwrap();
    assert!(
        matches!(&err, ExchangeError::InExport { path, .. } if *path == dests[0].out.display().to_string()),
        "{err}"
    );
    assert_eq!(err.class(), crate::error_class::ErrorClass::Signature);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_writer_that_fails_stops_the_workers_which_read_only_a_few_batches_ahead() {
    use super::super::export_batches::{run_batches, Side as Engine};
    use std::sync::atomic::{AtomicU64, Ordering};
    let cases = network(80);
    let sides = sides(&cases);
    let engine: Vec<Engine<'_>> =
        sides.iter().map(|s| Engine { key: &s.key, pseudonymiser: &s.p, copies: false }).collect();
    // Batches of 2 on 3 workers; the disk fills at the third batch. Each worker holds at most
    // the batch it fills and AHEAD (2) sent: 3 written + 3 × 3 = 12 batches = 24 cases read.
    let fails_at_third = || {
        let mut written = 0;
        move |_: &_| {
            written += 1;
            match written {
                3 => Err(ExchangeError::Records("disk full".into())),
                _ => Ok(()),
            }
        }
    };
    let taken = AtomicU64::new(0);
    let iter = IterSource::new(cases.iter().cloned().inspect(|_| {
        taken.fetch_add(1, Ordering::SeqCst);
    }));
    let r = run_batches(&iter, by_country, &engine, 3, 2, fails_at_third());
    assert!(matches!(&r, Err(ExchangeError::Records(m)) if m == "disk full"), "{r:?}");
    let read = taken.load(Ordering::SeqCst);
    assert!((6..=24).contains(&read), "{read} of 80 cases read");

    let made = AtomicU64::new(0);
    let indexed = IndexedSource {
        count: 80,
        case: |i: u64| {
            made.fetch_add(1, Ordering::SeqCst);
            cases[i as usize].clone()
        },
    };
    let r = run_batches(&indexed, by_country, &engine, 3, 2, fails_at_third());
    assert!(matches!(&r, Err(ExchangeError::Records(m)) if m == "disk full"), "{r:?}");
    let made = made.load(Ordering::SeqCst);
    assert!((6..=24).contains(&made), "{made} of 80 cases made");
}

//! `receive_verified`: the attacker who changes, cuts or forges an export gets not one record
//! of it to the caller — every refusal comes before the first record, where `receive` would
//! have handed out records of the chunks that authenticated before the error.

use ona_core::directory::SenderPolicy;
use ona_core::exchange::{export_cases, receive, receive_verified, ExchangeError, SealTo};
use ona_core::pseudonym::{MasterKey, Policy, PseudoCase, Pseudonymiser};
use ona_core::seal::{seal, ContentType, Identity, Manifest, OpenError};

const CASES: u64 = 300;

#[test]
fn only_a_whole_verified_export_gives_records() {
    let dir = std::env::temp_dir().join(format!("ona-receive-verified-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (centre, hub) = (Identity::generate(), Identity::generate());
    let p = Pseudonymiser::new(&MasterKey::generate(), "kz/test-2026", Policy::default()).unwrap();
    let to_hub = [hub.encryption_public()];
    let out = dir.join("kz.ona");
    let cases = (0..CASES).map(|i| ona_synth::case(5, i));
    export_cases(cases, CASES, &p, SealTo { recipients: &to_hub, sender: &centre }, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let pinned = SenderPolicy::Key(centre.signing_public());

    // The same records as `receive`, in order, with the same manifest.
    let streamed: Vec<PseudoCase> =
        receive(&bytes[..], &hub, &pinned).unwrap().collect::<Result<_, _>>().unwrap();
    let verified = receive_verified(&bytes[..], &hub, &pinned).unwrap();
    assert_eq!(verified.manifest().record_count, CASES);
    let got: Vec<PseudoCase> = verified.collect::<Result<_, _>>().unwrap();
    assert_eq!(got, streamed);
    assert_eq!(got.len() as u64, CASES);

    // One byte changed anywhere after the header — payload or the signature at the very end —
    // or the file cut short: refused before any record.
    for at in [bytes.len() / 2, bytes.len() - 40, bytes.len() - 1] {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let e = receive_verified(&changed[..], &hub, &pinned).err().expect("refused");
        assert!(matches!(e, ExchangeError::Open(_)), "byte {at}: {e}");
    }
    let e = receive_verified(&bytes[..bytes.len() - 100], &hub, &pinned).err().expect("refused");
    assert!(matches!(e, ExchangeError::Open(_)), "{e}");
    // A stranger's key, a forger's signature under the pinned sender.
    let e = receive_verified(&bytes[..], &Identity::generate(), &pinned).err().unwrap();
    assert!(matches!(e, ExchangeError::Open(OpenError::NoMatchingRecipient)), "{e}");
    let other = SenderPolicy::Key(Identity::generate().signing_public());
    let e = receive_verified(&bytes[..], &hub, &other).err().unwrap();
    assert!(matches!(e, ExchangeError::Open(OpenError::UnexpectedSender { .. })), "{e}");

    // A signed manifest announcing 3 records for 2: `receive` hands out 2 then fails;
    // `receive_verified` gives none.
    let mut text = Vec::new();
    for c in &got[..2] {
        serde_json::to_writer(&mut text, c).unwrap();
        text.push(b'\n');
    }
    let lying = seal(&text, &Manifest::new(ContentType::Cases, 3), &to_hub, &centre).unwrap();
    assert_eq!(receive(&lying[..], &hub, &pinned).unwrap().filter(Result::is_ok).count(), 2);
    let e = receive_verified(&lying[..], &hub, &pinned).err().unwrap();
    assert!(matches!(e, ExchangeError::Count { announced: 3, found: 2 }), "{e}");
    // JSON Lines content that verifies: its records.
    let honest = seal(&text, &Manifest::new(ContentType::Cases, 2), &to_hub, &centre).unwrap();
    let two: Vec<PseudoCase> =
        receive_verified(&honest[..], &hub, &pinned).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(two, got[..2]);
    // A report export holds no records.
    let report = seal(b"{}", &Manifest::new(ContentType::Report, 1), &to_hub, &centre).unwrap();
    let e = receive_verified(&report[..], &hub, &pinned).err().unwrap();
    assert!(matches!(e, ExchangeError::Records(_)), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

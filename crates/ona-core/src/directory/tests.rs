//! The directory played against its attackers: a forger of exports, a forger of directories,
//! and someone replaying an old directory.

use super::*;
use crate::seal::{seal, ContentType, Identity, Manifest, OpenError};

const T0: u64 = 1_767_225_600; // 2026-01-01
const DAY: u64 = 86_400;

struct Net {
    hub: Identity,
    kz: Identity,
    dir: Directory,
}

fn entry(id: &str, who: &Identity, at: u64) -> Entry {
    Entry {
        id: id.into(),
        name: format!("Centre {id}"),
        country: "KZ".into(),
        role: Role::Centre,
        encryption_key: who.encryption_public().to_string(),
        signing_key: who.signing_public().to_string(),
        valid_from: at,
        valid_until: None,
        revoked_at: None,
    }
}

fn net() -> Net {
    let hub = Identity::from_seed_for_tests(b"hub");
    let kz = Identity::from_seed_for_tests(b"kz");
    let dir = Directory::init("Test network", &hub, "hub", "Regional hub", "TR", T0).unwrap();
    let dir = dir.add(entry("kz", &kz, T0), T0).unwrap();
    Net { hub, kz, dir }
}

fn export(from: &Identity, to: &Identity, created_at: u64) -> Vec<u8> {
    let mut m = Manifest::new(ContentType::Report, 1);
    m.created_at = created_at;
    seal(b"{}", &m, &[to.encryption_public()], from).unwrap()
}

fn open_with_dir(
    n: &Net,
    dir: &Directory,
    sealed: &[u8],
    name: Option<&str>,
) -> Result<(), OpenError> {
    let p = SenderPolicy::Directory { directory: dir, name: name.map(String::from) };
    open_checked(sealed, &n.hub, &p).map(|_| ())
}

#[test]
fn a_signed_directory_verifies_and_round_trips() {
    let n = net();
    let bytes = n.dir.sign(&n.hub).unwrap();
    let back = Directory::verify(&bytes, &n.hub.signing_public()).unwrap();
    assert_eq!(back, n.dir);
    assert_eq!(back.serial, 2);
    assert!(bytes.ends_with(b"\n") && !bytes[..bytes.len() - 1].contains(&b'\n'));
}

#[test]
fn a_directory_changed_after_signing_is_refused() {
    let n = net();
    let bytes = n.dir.sign(&n.hub).unwrap();
    // The attacker adds their own key in place of kz's, keeping the canonical form.
    let mallory = Identity::from_seed_for_tests(b"mallory");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let forged =
        text.replace(&n.kz.signing_public().to_string(), &mallory.signing_public().to_string());
    assert_ne!(forged, text);
    assert_eq!(
        Directory::verify(forged.as_bytes(), &n.hub.signing_public()),
        Err(DirectoryError::BadSignature)
    );
    // One flipped bit of the signature.
    let sig_at = text.rfind("\"signature\":\"").unwrap() + 13;
    let mut b = bytes.clone();
    b[sig_at] = if b[sig_at] == b'0' { b'1' } else { b'0' };
    assert_eq!(Directory::verify(&b, &n.hub.signing_public()), Err(DirectoryError::BadSignature));
    // Every single-byte change is refused one way or another.
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        assert!(Directory::verify(&b, &n.hub.signing_public()).is_err(), "byte {i}");
    }
    // Whitespace added by an editor: not canonical.
    let spaced = text.replacen(",", ", ", 1);
    assert!(matches!(
        Directory::verify(spaced.as_bytes(), &n.hub.signing_public()),
        Err(DirectoryError::Malformed(_))
    ));
}

#[test]
fn a_directory_signed_by_anyone_but_the_pinned_hub_is_refused() {
    let n = net();
    // Mallory makes a directory of her own, listing herself, correctly signed by her key.
    let mallory = Identity::from_seed_for_tests(b"mallory");
    let fake = Directory::init("Test network", &mallory, "hub", "Regional hub", "TR", T0).unwrap();
    let bytes = fake.sign(&mallory).unwrap();
    assert!(matches!(
        Directory::verify(&bytes, &n.hub.signing_public()),
        Err(DirectoryError::WrongSigner { .. })
    ));
    // The hub cannot sign a directory that names another signer either.
    assert!(fake.sign(&n.hub).is_err());
}

#[test]
fn an_older_directory_cannot_replace_a_newer_one() {
    let n = net();
    let old = n.dir.sign(&n.hub).unwrap();
    let newer = n.dir.revoke("kz", T0 + DAY).unwrap();
    let new = newer.sign(&n.hub).unwrap();
    let mut pin = Pin::new(&n.hub.signing_public());
    assert_eq!(pin.accept(&new).unwrap().serial, 3);
    assert_eq!(pin.accept(&new).unwrap().serial, 3, "the same edition is read again");
    assert_eq!(pin.accept(&old), Err(DirectoryError::Rollback { found: 2, seen: 3 }));
    let dir = tempfile::tempdir().unwrap();
    let path = pin_path_for_key(&dir.path().join("hub.key"));
    pin.save(&path).unwrap();
    let mut again = Pin::load(&path).unwrap().unwrap();
    assert!(matches!(again.accept(&old), Err(DirectoryError::Rollback { .. })));
    assert_eq!(Pin::load(&dir.path().join("none.pin")).unwrap(), None);
}

#[test]
fn exports_from_unlisted_revoked_or_expired_senders_are_refused() {
    let n = net();
    let listed = export(&n.kz, &n.hub, T0 + 10);
    assert!(open_with_dir(&n, &n.dir, &listed, None).is_ok());
    assert!(open_with_dir(&n, &n.dir, &listed, Some("kz")).is_ok());
    // The sealed file names the hub as expected sender only in the directory policy.
    let err = open_with_dir(&n, &n.dir, &listed, Some("hub")).unwrap_err();
    assert_eq!(err.kind(), "sender_not_allowed");
    // A key nobody listed: anyone with the hub's public key can make one.
    let mallory = Identity::from_seed_for_tests(b"mallory");
    let forged = export(&mallory, &n.hub, T0 + 10);
    let err = open_with_dir(&n, &n.dir, &forged, None).unwrap_err();
    assert!(err.to_string().contains("not in the network directory"), "{err}");
    // Made before the key's validity.
    let early = export(&n.kz, &n.hub, T0 - 1);
    let err = open_with_dir(&n, &n.dir, &early, None).unwrap_err();
    assert!(err.to_string().contains("not valid at"), "{err}");
    // Revoked: refused even when the export claims to predate the revocation (a thief sets
    // created_at as she likes).
    let revoked = n.dir.revoke("kz", T0 + DAY).unwrap();
    let err = open_with_dir(&n, &revoked, &listed, None).unwrap_err();
    assert!(err.to_string().contains("revoked"), "{err}");
    // Any sender: opens, and the policy says it verified no one.
    let p = SenderPolicy::AnySender;
    assert!(!p.verifies_sender());
    assert_eq!(open_checked(&forged, &n.hub, &p).unwrap().plaintext, b"{}");
    // A pinned key still works as before.
    let p = SenderPolicy::Key(n.kz.signing_public());
    assert!(open_checked(&listed, &n.hub, &p).is_ok());
    assert_eq!(open_checked(&forged, &n.hub, &p).unwrap_err().kind(), "unexpected_sender");
}

#[test]
fn a_refused_sender_leaves_no_output_file() {
    let n = net();
    let dir = tempfile::tempdir().unwrap();
    let mallory = Identity::from_seed_for_tests(b"mallory");
    let input = dir.path().join("x.ona");
    std::fs::write(&input, export(&mallory, &n.hub, T0 + 10)).unwrap();
    let out = dir.path().join("x.json");
    let p = SenderPolicy::Directory { directory: &n.dir, name: None };
    assert!(open_file_checked(&input, &out, &n.hub, &p).is_err());
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "a temporary file was left");
}

#[test]
fn rotation_keeps_old_exports_and_moves_recipients_to_the_new_key() {
    let n = net();
    let kz2 = Identity::from_seed_for_tests(b"kz2");
    let rot = T0 + 30 * DAY;
    let d = n.dir.rotate("kz", &kz2.encryption_public(), &kz2.signing_public(), rot).unwrap();
    assert_eq!(d.serial, n.dir.serial + 1);
    assert_eq!(d.entries_of("kz").count(), 2);
    // An export made with the old key before the rotation still opens; after it, no.
    assert!(open_with_dir(&n, &d, &export(&n.kz, &n.hub, rot - 1), Some("kz")).is_ok());
    assert!(open_with_dir(&n, &d, &export(&n.kz, &n.hub, rot), Some("kz")).is_err());
    assert!(open_with_dir(&n, &d, &export(&kz2, &n.hub, rot), Some("kz")).is_ok());
    assert!(open_with_dir(&n, &d, &export(&kz2, &n.hub, rot - 1), Some("kz")).is_err());
    // Sealing to `kz` picks the key valid at the time.
    assert_eq!(d.recipient("kz", rot - 1).unwrap(), n.kz.encryption_public());
    assert_eq!(d.recipient("kz", rot).unwrap(), kz2.encryption_public());
    assert!(d.recipient("nobody", rot).is_err());
    // Revoked organisations cannot be sealed to; the hub cannot revoke or rotate itself here.
    assert!(d.revoke("kz", rot + 1).unwrap().recipient("kz", rot + 2).is_err());
    assert!(d.revoke("hub", rot).is_err());
    assert!(d.rotate("hub", &kz2.encryption_public(), &kz2.signing_public(), rot).is_err());
}

#[test]
fn bad_entries_are_refused_with_the_field_named() {
    let n = net();
    let mut e = entry("KZ Almaty", &Identity::from_seed_for_tests(b"x"), T0);
    assert!(
        matches!(n.dir.add(e.clone(), T0), Err(DirectoryError::Malformed(m)) if m.contains("id"))
    );
    e.id = "uz".into();
    e.country = "Uzbekistan".into();
    assert!(
        matches!(n.dir.add(e.clone(), T0), Err(DirectoryError::Malformed(m)) if m.contains("country"))
    );
    e.country = "UZ".into();
    e.signing_key = n.kz.signing_public().to_string();
    assert!(
        matches!(n.dir.add(e.clone(), T0), Err(DirectoryError::Malformed(m)) if m.contains("reuses"))
    );
    assert!(matches!(
        n.dir.add(entry("kz", &Identity::from_seed_for_tests(b"y"), T0), T0),
        Err(DirectoryError::Edit(_))
    ));
}

//! `ona directory`, and `seal`/`open` with it, played against the attackers of issue 15: a
//! stranger who seals fabricated cases to the hub's public key, a member whose key was revoked
//! or is used outside its validity, a forger of directories, and a replay of an old directory.
//! Also `seal --content cases` refusing raw case records and other files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ona(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ona")).args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = ona(args);
    assert!(o.status.success(), "ona {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

/// Runs and expects exit `code`; returns stderr.
fn fails(code: i32, args: &[&str]) -> String {
    let o = ona(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "ona {args:?}: {err}");
    err
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Org {
    key: PathBuf,
    enc: String,
    sig: String,
}

fn org(dir: &Path, name: &str) -> Org {
    let key = dir.join(format!("{name}.key"));
    let out = ok(&["keygen", "--out", s(&key)]);
    let mut l = out.lines();
    Org { key, enc: l.next().unwrap().into(), sig: l.next().unwrap().into() }
}

struct Net {
    tmp: tempfile::TempDir,
    hub: Org,
    kz: Org,
    dir: PathBuf,
    report: PathBuf,
}

fn p(n: &Net, name: &str) -> PathBuf {
    n.tmp.path().join(name)
}

fn add(n: &Net, id: &str, o: &Org, from: &str) {
    ok(&[
        "directory",
        "add",
        "--directory",
        s(&n.dir),
        "--key",
        s(&n.hub.key),
        "--id",
        id,
        "--name",
        &format!("Centre {id}"),
        "--country",
        "KZ",
        "--role",
        "centre",
        "--enc",
        &o.enc,
        "--sig",
        &o.sig,
        "--valid-from",
        from,
    ]);
}

fn net() -> Net {
    let tmp = tempfile::tempdir().unwrap();
    let hub = org(tmp.path(), "hub");
    let kz = org(tmp.path(), "kz");
    let dir = tmp.path().join("directory.json");
    ok(&[
        "directory",
        "init",
        "--key",
        s(&hub.key),
        "--out",
        s(&dir),
        "--network",
        "Test",
        "--name",
        "Regional hub",
        "--country",
        "TR",
    ]);
    let report = tmp.path().join("report.json");
    std::fs::write(&report, b"{\"indicator\":1}\n").unwrap();
    let n = Net { tmp, hub, kz, dir, report };
    add(&n, "kz", &n.kz, "2020-01-01");
    // The centre pins the hub's signing key, obtained from the hub in person.
    ok(&["directory", "pin", "--key", s(&n.kz.key), "--hub", &n.hub.sig]);
    n
}

fn seal_report(n: &Net, by: &Org, name: &str) -> PathBuf {
    let out = p(n, &format!("{name}.ona"));
    ok(&[
        "seal",
        "--to",
        &n.hub.enc,
        "--sign",
        s(&by.key),
        "--in",
        s(&n.report),
        "--out",
        s(&out),
        "--content",
        "report",
    ]);
    out
}

fn hub_open(n: &Net, input: &Path, extra: &[&str]) -> (Output, PathBuf) {
    let out = p(n, "opened.json");
    let _ = std::fs::remove_file(&out);
    let mut args = vec!["open", "--key", s(&n.hub.key), "--in", s(input), "--out", s(&out)];
    args.extend_from_slice(extra);
    (ona(&args), out)
}

#[test]
fn open_fails_closed_and_checks_the_sender_against_the_directory() {
    let n = net();
    // A listed centre seals to the hub by name.
    let good = p(&n, "good.ona");
    ok(&[
        "seal",
        "--to",
        "hub",
        "--directory",
        s(&n.dir),
        "--sign",
        s(&n.kz.key),
        "--in",
        s(&n.report),
        "--out",
        s(&good),
        "--content",
        "report",
    ]);
    let dir = s(&n.dir);
    let (o, out) = hub_open(&n, &good, &["--directory", dir]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("verified:") && err.contains("`kz`"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&n.report).unwrap());
    assert!(hub_open(&n, &good, &["--directory", dir, "--from", "kz"]).0.status.success());
    assert!(hub_open(&n, &good, &["--directory", dir, "--from", &n.kz.sig]).0.status.success());
    assert_eq!(
        hub_open(&n, &good, &["--directory", dir, "--from", "hub"]).0.status.code(),
        Some(1)
    );

    // No way to say who may send: refused before anything is read.
    let (o, out) = hub_open(&n, &good, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--any-sender"));
    assert!(!out.exists());

    // A stranger with a key of her own making seals "cases" to the hub's public key.
    let mallory = org(n.tmp.path(), "mallory");
    let forged = seal_report(&n, &mallory, "forged");
    let (o, out) = hub_open(&n, &forged, &["--directory", dir]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not in the network directory"));
    assert!(!out.exists(), "a refused export left output");
    // Only an explicit --any-sender opens it, and says so.
    let (o, out) = hub_open(&n, &forged, &["--any-sender"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && out.exists(), "{err}");
    assert!(err.contains("sender NOT verified") && !err.contains("verified:"), "{err}");
    assert_eq!(
        hub_open(&n, &forged, &["--any-sender", "--directory", dir]).0.status.code(),
        Some(2),
        "--any-sender must not combine with a check"
    );

    // A key valid only from 2999 on: an export made today is outside its validity.
    let uz = org(n.tmp.path(), "uz");
    add(&n, "uz", &uz, "2999-01-01");
    let early = seal_report(&n, &uz, "early");
    let (o, _) = hub_open(&n, &early, &["--directory", dir]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid at"));

    // Revoked: the export made before the revocation is refused too (its date is the sender's word).
    ok(&["directory", "revoke", "--directory", dir, "--key", s(&n.hub.key), "--id", "kz"]);
    let (o, out) = hub_open(&n, &good, &["--directory", dir]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("revoked"));
    assert!(!out.exists());
    let list = ok(&["directory", "list", "--directory", dir, "--key", s(&n.hub.key)]);
    assert!(list.lines().any(|l| l.starts_with("kz ") && l.contains("revoked")), "{list}");
    // Sealing to a revoked organisation by name is refused.
    let o = ona(&[
        "seal",
        "--to",
        "kz",
        "--directory",
        dir,
        "--sign",
        s(&n.hub.key),
        "--in",
        s(&n.report),
        "--out",
        s(&p(&n, "x.ona")),
        "--content",
        "report",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn forged_tampered_and_rolled_back_directories_are_refused() {
    let n = net();
    let dir = s(&n.dir);
    let v = ok(&["directory", "verify", "--directory", dir, "--key", s(&n.kz.key)]);
    assert!(v.contains("serial 2"), "{v}");
    let old = std::fs::read(&n.dir).unwrap();

    // Content changed after signing: the stranger swaps kz's signing key for hers.
    let mallory = org(n.tmp.path(), "mallory");
    let text = String::from_utf8(old.clone()).unwrap();
    let tampered = p(&n, "tampered.json");
    std::fs::write(&tampered, text.replace(&n.kz.sig, &mallory.sig)).unwrap();
    let err =
        fails(1, &["directory", "verify", "--directory", s(&tampered), "--key", s(&n.kz.key)]);
    assert!(err.contains("signature does not verify"), "{err}");
    let forged = seal_report(&n, &mallory, "forged");
    let (o, _) = hub_open(&n, &forged, &["--directory", s(&tampered)]);
    assert_eq!(o.status.code(), Some(1));

    // A whole directory of her own, correctly signed by her key.
    let own = p(&n, "own.json");
    ok(&[
        "directory",
        "init",
        "--key",
        s(&mallory.key),
        "--out",
        s(&own),
        "--network",
        "Test",
        "--name",
        "Regional hub",
        "--country",
        "TR",
    ]);
    let err = fails(1, &["directory", "verify", "--directory", s(&own), "--key", s(&n.kz.key)]);
    assert!(err.contains("not by the pinned hub key"), "{err}");
    // Without a pin, a member is told to pin the hub key rather than trusting the file.
    let uz = org(n.tmp.path(), "uz");
    let err = fails(2, &["directory", "verify", "--directory", dir, "--key", s(&uz.key)]);
    assert!(err.contains("ona directory pin"), "{err}");

    // Rollback: after the revocation (serial 3) is seen, the old edition (serial 2) is refused.
    ok(&["directory", "revoke", "--directory", dir, "--key", s(&n.hub.key), "--id", "kz"]);
    ok(&["directory", "verify", "--directory", dir, "--key", s(&n.kz.key)]);
    let replay = p(&n, "replay.json");
    std::fs::write(&replay, &old).unwrap();
    let err = fails(1, &["directory", "verify", "--directory", s(&replay), "--key", s(&n.kz.key)]);
    assert!(err.contains("rollback"), "{err}");
    let good = seal_report(&n, &n.kz, "good");
    let (o, _) = hub_open(&n, &good, &["--directory", s(&replay)]);
    assert_eq!(o.status.code(), Some(1), "the hub accepted a replayed directory");
    assert!(String::from_utf8_lossy(&o.stderr).contains("rollback"));
}

#[test]
fn rotation_moves_sealing_to_the_new_key() {
    let n = net();
    let dir = s(&n.dir);
    let kz2 = org(n.tmp.path(), "kz2");
    ok(&[
        "directory",
        "rotate",
        "--directory",
        dir,
        "--key",
        s(&n.hub.key),
        "--id",
        "kz",
        "--enc",
        &kz2.enc,
        "--sig",
        &kz2.sig,
    ]);
    let fresh = seal_report(&n, &kz2, "fresh");
    assert!(hub_open(&n, &fresh, &["--directory", dir, "--from", "kz"]).0.status.success());
    // The retired key no longer signs new exports.
    let stale = seal_report(&n, &n.kz, "stale");
    let (o, _) = hub_open(&n, &stale, &["--directory", dir]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn seal_as_cases_takes_pseudonymised_records_only_and_records_their_domain() {
    let n = net();
    let raw = p(&n, "cases.jsonl");
    ok(&["synth", "--cases", "20", "--seed", "4", "--out", s(&raw)]);
    let out = p(&n, "c.ona");
    let seal = |input: &Path| {
        ona(&[
            "seal",
            "--to",
            &n.hub.enc,
            "--sign",
            s(&n.kz.key),
            "--in",
            s(input),
            "--out",
            s(&out),
        ])
    };
    // Raw, identified cases: refused, named, nothing written.
    let o = seal(&raw);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("raw case record"));
    assert!(!out.exists());
    // A CSV.
    let csv = p(&n, "cases.csv");
    std::fs::write(&csv, "id,name\n1,Aigerim\n").unwrap();
    let o = seal(&csv);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not JSON"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // 4 MiB without a newline: refused by the line cap, with the line named.
    let zeros = p(&n, "zeros.bin");
    std::fs::write(&zeros, vec![0u8; 4 << 20]).unwrap();
    let o = seal(&zeros);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 1 is longer than"));
    assert!(!out.exists());
    // Pseudonymised records: sealed with their domain and key id, which open and inspect show.
    let mkey = p(&n, "kz-pseudonym.key");
    ok(&["pseudonym-key", "--out", s(&mkey)]);
    let pseudo = p(&n, "pseudo.jsonl");
    ok(&[
        "pseudonymise",
        "--key",
        s(&mkey),
        "--domain",
        "kz/export-test",
        "--in",
        s(&raw),
        "--out",
        s(&pseudo),
    ]);
    let o = seal(&pseudo);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let info = ok(&["inspect", s(&out), "--key", s(&n.hub.key)]);
    assert!(info.contains("pseudonym domain: kz/export-test"), "{info}");
    assert!(info.contains("records: 20"), "{info}");
    let (o, _) = hub_open(&n, &out, &["--directory", s(&n.dir), "--from", "kz"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && err.contains("pseudonym domain: kz/export-test (key "), "{err}");
}

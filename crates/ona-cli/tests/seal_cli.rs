//! The `ona keygen/pubkey/seal/open/inspect` commands, run as a user would.
//!
//! The tamper test is exhaustive on a small file: every single-byte change, every truncation
//! and an appended byte each make `ona open` exit non-zero and leave no output file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ona(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ona")).args(args).output().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Setup {
    dir: tempfile::TempDir,
    centre_key: PathBuf,
    hub_key: PathBuf,
    hub_enc: String,
    centre_sig: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let centre_key = dir.path().join("centre.key");
    let hub_key = dir.path().join("hub.key");
    let o = ona(&["keygen", "--out", s(&centre_key)]);
    assert!(o.status.success());
    let o = ona(&["keygen", "--out", s(&hub_key)]);
    assert!(o.status.success());
    let hub = String::from_utf8(ona(&["pubkey", s(&hub_key)]).stdout).unwrap();
    let centre = String::from_utf8(ona(&["pubkey", s(&centre_key)]).stdout).unwrap();
    let hub_enc = hub.lines().next().unwrap().to_string();
    let centre_sig = centre.lines().nth(1).unwrap().to_string();
    Setup { dir, centre_key, hub_key, hub_enc, centre_sig }
}

fn seal_text(st: &Setup, name: &str, data: &[u8]) -> PathBuf {
    let input = st.dir.path().join(format!("{name}.jsonl"));
    std::fs::write(&input, data).unwrap();
    let out = st.dir.path().join(format!("{name}.ona"));
    let o = ona(&[
        "seal",
        "--to",
        &st.hub_enc,
        "--sign",
        s(&st.centre_key),
        "--in",
        s(&input),
        "--out",
        s(&out),
        "--content",
        "report",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn open_fails_cleanly(st: &Setup, sealed: &[u8], what: &str) {
    let path = st.dir.path().join("t.ona");
    let out = st.dir.path().join("t.out");
    std::fs::write(&path, sealed).unwrap();
    let o = ona(&[
        "open",
        "--key",
        s(&st.hub_key),
        "--from",
        &st.centre_sig,
        "--in",
        s(&path),
        "--out",
        s(&out),
    ]);
    assert!(!o.status.success(), "{what} was accepted");
    assert!(!out.exists(), "{what} left an output file");
}

#[test]
fn keygen_pubkey_seal_open_inspect() {
    let st = setup();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&st.hub_key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!ona(&["keygen", "--out", s(&st.hub_key)]).status.success(), "overwrote a key");
    let pk = String::from_utf8(ona(&["pubkey", s(&st.hub_key)]).stdout).unwrap();
    assert_eq!(pk.lines().count(), 2);
    let sealed = seal_text(&st, "cases", b"{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n");
    let out = st.dir.path().join("cases.out");
    let o = ona(&[
        "open",
        "--key",
        s(&st.hub_key),
        "--from",
        &st.centre_sig,
        "--in",
        s(&sealed),
        "--out",
        s(&out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("(1 records)"));
    assert_eq!(std::fs::read(&out).unwrap(), b"{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n");
    let info = String::from_utf8(ona(&["inspect", s(&sealed)]).stdout).unwrap();
    assert!(info.contains("recipients: 1"), "{info}");
    // Wrong key, wrong sender: exit 1, typed message, no output.
    let out2 = st.dir.path().join("x.out");
    let o = ona(&[
        "open",
        "--key",
        s(&st.centre_key),
        "--any-sender",
        "--in",
        s(&sealed),
        "--out",
        s(&out2),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no matching recipient"));
    let hub_sig = String::from_utf8(ona(&["pubkey", s(&st.hub_key)]).stdout).unwrap();
    let o = ona(&[
        "open",
        "--key",
        s(&st.hub_key),
        "--from",
        hub_sig.lines().nth(1).unwrap(),
        "--in",
        s(&sealed),
        "--out",
        s(&out2),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unexpected sender"));
    assert!(!out2.exists());
}

#[test]
fn every_byte_change_and_truncation_of_a_small_file_is_refused() {
    let st = setup();
    let sealed = std::fs::read(seal_text(&st, "small", b"{\"id\":\"x\"}\n")).unwrap();
    for i in 0..sealed.len() {
        let mut t = sealed.clone();
        t[i] ^= 0x80;
        open_fails_cleanly(&st, &t, &format!("change at byte {i}"));
    }
    for cut in 0..sealed.len() {
        open_fails_cleanly(&st, &sealed[..cut], &format!("truncation to {cut}"));
    }
    let mut longer = sealed.clone();
    longer.push(0);
    open_fails_cleanly(&st, &longer, "appended byte");
}

#[test]
fn swapped_chunks_are_refused() {
    let st = setup();
    let data = vec![b'x'; 3 * 65536 + 5];
    let sealed = std::fs::read(seal_text(&st, "big", &data)).unwrap();
    let h = 108 + 80;
    let w = 65536 + 16;
    for (a, b) in [(0, 1), (1, 2), (0, 2), (2, 3)] {
        let mut t = sealed.clone();
        let end_b = (h + (b + 1) * w).min(sealed.len());
        if end_b - (h + b * w) != w {
            // Swap a full chunk with the short final chunk: cut-and-paste of different sizes.
            let mut v = sealed[..h + a * w].to_vec();
            v.extend_from_slice(&sealed[h + b * w..]);
            v.extend_from_slice(&sealed[h + a * w..h + (a + 1) * w]);
            open_fails_cleanly(&st, &v, "final chunk moved");
            continue;
        }
        t[h + a * w..h + (a + 1) * w].copy_from_slice(&sealed[h + b * w..end_b]);
        t[h + b * w..end_b].copy_from_slice(&sealed[h + a * w..h + (a + 1) * w]);
        open_fails_cleanly(&st, &t, &format!("swap {a} {b}"));
    }
}

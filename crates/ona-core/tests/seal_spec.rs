//! Keeps `docs/seal-format.md` and the test kit `tests/vectors/seal/` in step: an implementer
//! reading the spec alone must find every error class exercised by a vector, every vector named
//! in the spec present, the manifest example canonical and equal to its vector's manifest, and the
//! escaping table true of the writer.

use ona_core::seal::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn spec() -> String {
    std::fs::read_to_string(root().join("docs/seal-format.md")).unwrap()
}

fn vectors() -> Vec<Value> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("tests/vectors/seal")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".json") && !name.starts_with("rfc9180") {
            out.push(serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap());
        }
    }
    out
}

/// The first-column classes of the §9 table.
fn spec_classes(spec: &str) -> BTreeSet<String> {
    let s9 = &spec[spec.find("## 9. Errors").unwrap()..spec.find("## 10.").unwrap()];
    s9.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(String::from)
        .collect()
}

#[test]
fn every_error_class_has_a_vector_and_every_vector_class_is_specified() {
    let spec = spec();
    let classes = spec_classes(&spec);
    assert!(classes.len() >= 14, "{classes:?}");
    let used: BTreeSet<String> =
        vectors().iter().map(|v| v["expect"].as_str().unwrap().to_string()).collect();
    for c in &used {
        assert!(c == "success" || classes.contains(c), "vector class `{c}` is not in §9");
    }
    // Classes a file alone cannot cause: I/O, and the directory's verdict (needs a directory).
    for c in &classes {
        if c != "io" && c != "sender_not_allowed" {
            assert!(used.contains(c), "§9 class `{c}` has no vector");
        }
    }
    // Every class is a kind the reference implementation reports.
    let kinds = [
        OpenError::HeaderMalformed(""),
        OpenError::UnsupportedVersion(0),
        OpenError::UnsupportedSuite(0),
        OpenError::LimitExceeded(""),
        OpenError::NoMatchingRecipient,
        OpenError::KeyCommitment,
        OpenError::HeaderMac,
        OpenError::ChunkAuthentication(0),
        OpenError::Truncated,
        OpenError::ManifestMalformed(String::new()),
        OpenError::BadSignature,
        OpenError::UnexpectedSender { found: String::new() },
        OpenError::SenderNotAllowed(String::new()),
        OpenError::Io(std::io::Error::other("x")),
    ];
    let kinds: BTreeSet<String> = kinds.iter().map(|k| k.kind().to_string()).collect();
    assert_eq!(kinds, classes);
}

#[test]
fn every_vector_the_spec_names_exists() {
    // Line breaks inside a sentence are spaces.
    let spec = spec().replace('\n', " ");
    let names: BTreeSet<String> =
        vectors().iter().map(|v| v["name"].as_str().unwrap().to_string()).collect();
    let mut named = 0;
    for part in spec.split("vector `").skip(1) {
        let name = part.split('`').next().unwrap();
        assert!(names.contains(name), "the spec names vector `{name}`, which does not exist");
        named += 1;
    }
    assert!(named >= 3, "the spec names only {named} vectors");
}

#[test]
fn the_manifest_example_is_canonical_and_is_its_vectors_manifest() {
    let spec = spec();
    let s7 = &spec[spec.find("## 7. Manifest").unwrap()..];
    let example = s7.split("```json\n").nth(1).unwrap().split('\n').next().unwrap();
    let m: Manifest = serde_json::from_str(example).unwrap();
    assert_eq!(&m.encode().unwrap()[4..], example.as_bytes(), "the example is not canonical");
    let v = vectors().into_iter().find(|v| v["name"] == "success_cases_with_domain").unwrap();
    let id = Identity::from_secret_text(v["identity"].as_str().unwrap()).unwrap();
    let sealed = hex::decode(v["sealed"].as_str().unwrap()).unwrap();
    let opened = open(&sealed, &id, None).unwrap();
    assert_eq!(opened.manifest, m);
}

#[test]
fn the_escaping_table_is_what_the_writer_does() {
    let mut m = Manifest::new(ContentType::Cases, 0);
    let mut s = String::new();
    for c in (0u32..0x20).chain([0x22, 0x2f, 0x5c, 0x7f, 0xe9, 0x1f600]) {
        s.push(char::from_u32(c).unwrap());
    }
    m.pseudonym_domain = Some(s);
    let enc = m.encode().unwrap();
    let text = std::str::from_utf8(&enc[4..]).unwrap();
    let written = text
        .split("\"pseudonym_domain\":\"")
        .nth(1)
        .unwrap()
        .split(",\"pseudonym_key_id\"")
        .next()
        .unwrap();
    let mut expect = String::new();
    for c in 0u32..0x20 {
        expect.push_str(&match c {
            0x08 => "\\b".to_string(),
            0x09 => "\\t".to_string(),
            0x0a => "\\n".to_string(),
            0x0c => "\\f".to_string(),
            0x0d => "\\r".to_string(),
            _ => format!("\\u{c:04x}"),
        });
    }
    expect.push_str("\\\"/\\\\\u{7f}é😀\"");
    assert_eq!(written, expect);
}

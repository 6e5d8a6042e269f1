//! The careless user of every sealing front end: raw cases handed to a sealer as "cases".

use super::*;
use crate::error_class::ErrorClass;
use crate::exchange::packed::PackedWriter;
use crate::pseudonym::{MasterKey, Policy, Pseudonymiser};

/// `n` raw cases as JSON Lines, the same pseudonymised, and the pseudonymised records.
fn cases(domain: &str, n: u64) -> (Vec<u8>, Vec<u8>, Vec<PseudoCase>) {
    let p = Pseudonymiser::new(&MasterKey::generate(), domain, Policy::default()).unwrap();
    let (mut raw, mut lines, mut records) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        // ona_synth builds its own copy of this crate's types: cross over as JSON.
        let text = serde_json::to_vec(&ona_synth::case(3, i)).unwrap();
        let case: crate::schema::Case = serde_json::from_slice(&text).unwrap();
        raw.extend_from_slice(&text);
        raw.push(b'\n');
        let pseudo = p.pseudonymise(&case).unwrap();
        serde_json::to_writer(&mut lines, &pseudo).unwrap();
        lines.push(b'\n');
        records.push(pseudo);
    }
    (raw, lines, records)
}

fn packed(records: &[PseudoCase]) -> Vec<u8> {
    let mut w = PackedWriter::new(Vec::new()).unwrap();
    for r in records {
        w.write(r).unwrap();
    }
    w.finish().unwrap()
}

/// Feeds `data` in pieces of `step` bytes; returns what passed and the outcome.
fn stream(data: &[u8], m: &Manifest, step: usize) -> (Vec<u8>, Result<CasesSummary, ContentError>) {
    let mut c = CheckedContent::new(Vec::new(), m);
    for piece in data.chunks(step) {
        if let Err(e) = c.push(piece) {
            return (c.inner, Err(e));
        }
    }
    let passed = c.inner.clone();
    match c.finish() {
        Ok((out, s)) => (out, Ok(s)),
        Err(e) => (passed, Err(e)),
    }
}

#[test]
fn sealing_manifest_refuses_raw_cases_and_takes_count_and_domain_from_the_records() {
    let (raw, lines, _) = cases("kz/test", 4);
    let cases_m = |data: &[u8], n, d: Option<&str>| {
        sealing_manifest(ContentType::Cases, data, n, d.map(String::from), None)
    };
    // The careless user: the centre's raw file sealed as cases.
    let e = cases_m(&raw, None, None).unwrap_err();
    assert!(matches!(e, ContentError::RawCase { line: 1 }), "{e}");
    assert_eq!(e.class(), ErrorClass::Validation);
    // Pseudonymised records: counted, domain and key id from the records.
    let m = cases_m(&lines, None, None).unwrap();
    assert_eq!((m.record_count, m.pseudonym_domain.as_deref()), (4, Some("kz/test")));
    assert_eq!(m.pseudonym_key_id.as_ref().map(String::len), Some(16));
    let same = cases_m(&lines, Some(4), Some("kz/test")).unwrap();
    assert_eq!((same.record_count, same.pseudonym_key_id), (4, m.pseudonym_key_id));
    // A count or a domain that the records contradict.
    let e = cases_m(&lines, Some(5), None).unwrap_err();
    assert!(e.to_string().contains("5 records announced, the content holds 4"), "{e}");
    let e = cases_m(&lines, None, Some("uz/test")).unwrap_err();
    assert!(matches!(e, ContentError::ManifestMismatch(_)) && e.to_string().contains("uz/test"));
    // A report is not read or checked.
    let m = sealing_manifest(ContentType::Report, &raw[..], None, None, None).unwrap();
    assert_eq!((m.content_type, m.record_count), (ContentType::Report, 1));
}

#[test]
fn a_stream_of_records_passes_whole_in_any_pieces_json_lines_or_packed() {
    let (_, lines, records) = cases("kz/test", 6);
    let mut m = Manifest::new(ContentType::Cases, 6);
    let bytes = packed(&records);
    for data in [&lines, &bytes] {
        for step in [1, 7, 4096, data.len()] {
            let (out, got) = stream(data, &m, step);
            let s = got.unwrap_or_else(|e| panic!("step {step}: {e}"));
            assert_eq!(&out, data, "step {step}");
            assert_eq!((s.records, s.pseudonym_domain.as_deref()), (6, Some("kz/test")));
        }
    }
    // A last line without a newline, CRLF and blank lines are records of JSON Lines too.
    let text = String::from_utf8(lines.clone()).unwrap().replace('\n', "\r\n\n");
    let (out, got) = stream(text.trim_end().as_bytes(), &m, 13);
    assert_eq!((got.unwrap().records, out.as_slice()), (6, text.trim_end().as_bytes()));
    // The manifest's domain, when named, binds every record.
    m.pseudonym_domain = Some("kz/test".into());
    m.pseudonym_key_id = Some(records[0].pseudonymisation.key_id.clone());
    assert!(stream(&lines, &m, 100).1.is_ok());
    m.pseudonym_domain = Some("uz/test".into());
    let (out, got) = stream(&lines, &m, 100);
    let e = got.unwrap_err();
    assert!(e.to_string().contains("record 1 is in pseudonym domain `kz/test`"), "{e}");
    assert!(out.is_empty());
}

#[test]
fn a_raw_case_in_a_stream_is_refused_before_any_of_it_passes() {
    let (raw, lines, _) = cases("kz/test", 3);
    let m = Manifest::new(ContentType::Cases, 4);
    // Two pseudonymised records, then a raw one with the woman's name: the raw line never
    // reaches the sealer, however it is cut.
    let first_raw = &raw[..=raw.iter().position(|&b| b == b'\n').unwrap()];
    let name = serde_json::from_slice::<serde_json::Value>(first_raw).unwrap()["mother"]["name"]
        .as_str()
        .map(String::from);
    let second_end = lines.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(1).unwrap().0;
    let mut data = lines[..=second_end].to_vec();
    data.extend_from_slice(first_raw);
    data.extend_from_slice(&lines);
    for step in [1, 50, data.len()] {
        let mut c = CheckedContent::new(Vec::new(), &m);
        let e = data.chunks(step).find_map(|p| c.push(p).err()).expect("refused");
        assert!(matches!(e, ContentError::RawCase { line: 3 }), "{e}");
        assert_eq!(c.inner, lines[..=second_end], "step {step}");
        assert!(!c.inner.windows(first_raw.len()).any(|w| w == first_raw));
        if let Some(name) = &name {
            assert!(!c.inner.windows(name.len()).any(|w| w == name.as_bytes()), "step {step}");
        }
        // Nothing more is accepted, and the export cannot be finished (so never signed).
        assert!(c.push(b"\n").is_err());
        assert!(c.finish().is_err());
    }
    // Through `Write`, the refusal is an InvalidData error.
    let mut c = CheckedContent::new(Vec::new(), &m);
    let e = c.write_all(first_raw).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
}

#[test]
fn counts_and_damaged_packed_ends_are_refused_at_finish() {
    let (_, lines, records) = cases("kz/test", 3);
    let (_, got) = stream(&lines, &Manifest::new(ContentType::Cases, 2), 64);
    assert!(got.unwrap_err().to_string().contains("2 records announced, the content holds 3"));
    let bytes = packed(&records);
    let (_, got) = stream(&bytes[..bytes.len() - 3], &Manifest::new(ContentType::Cases, 3), 64);
    assert!(matches!(got, Err(ContentError::Packed(_))));
    // An empty export of no records is fine; a report passes unchecked.
    assert_eq!(stream(b"", &Manifest::new(ContentType::Cases, 0), 1).1.unwrap().records, 0);
    let (out, got) = stream(b"anything", &Manifest::new(ContentType::Report, 1), 3);
    assert_eq!((out.as_slice(), got.unwrap().records), (&b"anything"[..], 0));
}

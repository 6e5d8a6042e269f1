//! What may be sealed as `cases`: pseudonymised records only, read in bounded memory.
//!
//! The attacker (or the hurried user) this stops: raw, identified case records — names, phone
//! numbers, national ids of women who fled violence — or any other file sealed and shipped as a
//! "cases" export, which the hub would then open as "verified: cases export". Every line must be
//! a [`PseudoCase`] (or the input is the packed form), all in one pseudonym domain under one key,
//! which go into the manifest.

use crate::pseudonym::PseudoCase;
use std::io::{self, BufRead};

/// Longest line accepted in JSON Lines content (a pseudonymised record is a few KiB).
pub const MAX_LINE_LEN: usize = 1 << 20;

/// What a cases file holds, as the manifest records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CasesSummary {
    /// Number of records.
    pub records: u64,
    /// The pseudonym domain shared by every record (none for an empty file).
    pub pseudonym_domain: Option<String>,
    /// The domain key id shared by every record (none for an empty file).
    pub pseudonym_key_id: Option<String>,
}

/// Content that may not be sealed as `cases`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContentError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A line is longer than [`MAX_LINE_LEN`].
    #[error("line {line} is longer than {max} bytes: not a pseudonymised case record (JSON Lines)", max = MAX_LINE_LEN)]
    LineTooLong {
        /// The line (from 1).
        line: u64,
    },
    /// A line is a raw, identified case record.
    #[error("line {line} is a raw case record with direct identifiers: pseudonymise it first (ona pseudonymise); only pseudonymised records may be sealed as cases")]
    RawCase {
        /// The line (from 1).
        line: u64,
    },
    /// A line is not a pseudonymised case record.
    #[error("line {line} is not a pseudonymised case record: {detail}")]
    NotPseudonymised {
        /// The line (from 1).
        line: u64,
        /// What is wrong.
        detail: String,
    },
    /// Records of several domains or keys in one export.
    #[error("record {record} is in pseudonym domain `{found}` (key {found_key}), the first in `{first}` (key {first_key}): one export holds one domain")]
    MixedDomains {
        /// The record (from 1).
        record: u64,
        /// Domain of the first record.
        first: String,
        /// Key id of the first record.
        first_key: String,
        /// Domain of this record.
        found: String,
        /// Key id of this record.
        found_key: String,
    },
    /// Damaged packed records.
    #[error("{0}")]
    Packed(String),
    /// The records differ from what the manifest announces (their number, domain or key id).
    #[error("the content does not match its manifest: {0}")]
    ManifestMismatch(String),
}

/// Reads one line (without its `\n`) into `line`, refusing lines longer than `max`; `Ok(false)`
/// at the end of input. Memory stays bounded by `max` plus the reader's buffer, whatever the
/// input (a file without any newline included).
pub fn read_line_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<Result<bool, usize>> {
    line.clear();
    let mut seen = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(Ok(seen));
        }
        seen = true;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (buf.len(), false),
        };
        if line.len() + take > max {
            return Ok(Err(line.len() + take));
        }
        line.extend_from_slice(&buf[..take]);
        reader.consume(take + usize::from(done));
        if done {
            return Ok(Ok(true));
        }
    }
}

pub(super) struct Domains(pub(super) CasesSummary);

impl Domains {
    pub(super) fn add(&mut self, case: &PseudoCase) -> Result<(), ContentError> {
        let s = &mut self.0;
        s.records += 1;
        let (d, k) = (&case.pseudonymisation.domain, &case.pseudonymisation.key_id);
        match (&s.pseudonym_domain, &s.pseudonym_key_id) {
            (Some(fd), Some(fk)) if fd != d || fk != k => Err(ContentError::MixedDomains {
                record: s.records,
                first: fd.clone(),
                first_key: fk.clone(),
                found: d.clone(),
                found_key: k.clone(),
            }),
            (Some(_), Some(_)) => Ok(()),
            _ => {
                s.pseudonym_domain = Some(d.clone());
                s.pseudonym_key_id = Some(k.clone());
                Ok(())
            }
        }
    }
}

/// Checks that `reader` holds pseudonymised case records only — JSON Lines of [`PseudoCase`]
/// (blank lines allowed) or the packed form — all in one domain under one key, and counts them.
pub fn check_cases(reader: impl BufRead) -> Result<CasesSummary, ContentError> {
    super::checked_content::check_all(reader)
}

/// Why a line is not a pseudonymised record: a raw case, not JSON at all, or another object.
pub(super) fn classify(line: u64, text: &[u8], err: serde_json::Error) -> ContentError {
    let not = |detail: String| ContentError::NotPseudonymised { line, detail };
    match serde_json::from_slice::<serde_json::Value>(text) {
        Err(_) if text.starts_with(&[0xEF, 0xBB, 0xBF]) => {
            not("it starts with a byte order mark (save as UTF-8 without BOM)".into())
        }
        Err(_) => not("not JSON (is this a CSV or another format?)".into()),
        Ok(serde_json::Value::Object(o))
            if !o.contains_key("pseudonymisation")
                && (o.contains_key("intake_date") || o.contains_key("mother")) =>
        {
            ContentError::RawCase { line }
        }
        Ok(_) => not(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pseudonym::{MasterKey, Policy, Pseudonymiser};

    fn pseudo(domain: &str, n: u64) -> (Vec<u8>, Vec<u8>) {
        let key = MasterKey::generate();
        let p = Pseudonymiser::new(&key, domain, Policy::default()).unwrap();
        let (mut raw, mut out) = (Vec::new(), Vec::new());
        for i in 0..n {
            // ona_synth builds its own copy of this crate's types: cross over as JSON.
            let text = serde_json::to_vec(&ona_synth::case(3, i)).unwrap();
            let case: crate::schema::Case = serde_json::from_slice(&text).unwrap();
            raw.extend_from_slice(&text);
            raw.push(b'\n');
            serde_json::to_writer(&mut out, &p.pseudonymise(&case).unwrap()).unwrap();
            out.extend_from_slice(b"\n\n");
        }
        (raw, out)
    }

    #[test]
    fn pseudonymised_records_pass_with_their_domain_and_raw_ones_are_refused() {
        let (raw, ok) = pseudo("kz/test", 5);
        let s = check_cases(&ok[..]).unwrap();
        assert_eq!(s.records, 5);
        assert_eq!(s.pseudonym_domain.as_deref(), Some("kz/test"));
        assert_eq!(s.pseudonym_key_id.as_ref().map(String::len), Some(16));
        // The centre's raw case file: refused, named as such, on its first line.
        let e = check_cases(&raw[..]).unwrap_err();
        assert!(matches!(e, ContentError::RawCase { line: 1 }), "{e}");
        // A raw record hidden after pseudonymised ones.
        let mut mixed = ok.clone();
        mixed.extend_from_slice(&raw[..raw.iter().position(|&b| b == b'\n').unwrap() + 1]);
        assert!(matches!(check_cases(&mixed[..]), Err(ContentError::RawCase { line: 11 })));
        // A CSV, and a JSON object of another kind.
        let e = check_cases(&b"id,name\n1,x\n"[..]).unwrap_err();
        assert!(e.to_string().contains("line 1") && e.to_string().contains("not JSON"), "{e}");
        assert!(matches!(
            check_cases(&b"{\"a\":1}\n"[..]),
            Err(ContentError::NotPseudonymised { .. })
        ));
        // Two domains in one export.
        let (_, other) = pseudo("uz/test", 1);
        let mut two = ok.clone();
        two.extend_from_slice(&other);
        assert!(matches!(check_cases(&two[..]), Err(ContentError::MixedDomains { record: 6, .. })));
        assert_eq!(check_cases(&b""[..]).unwrap(), CasesSummary::default());
    }

    #[test]
    fn lines_are_read_in_bounded_memory() {
        // A reader that would hand out 64 MiB of bytes without a newline: refused once the cap
        // is passed, having buffered no more than the cap.
        struct Zeros(u64);
        impl io::Read for Zeros {
            fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
                let n = (b.len() as u64).min(self.0) as usize;
                b[..n].fill(0);
                self.0 -= n as u64;
                Ok(n)
            }
        }
        let mut r = io::BufReader::new(Zeros(64 << 20));
        let mut line = Vec::new();
        assert!(read_line_capped(&mut r, &mut line, 1000).unwrap().is_err());
        assert!(line.capacity() <= 1000 + 8192, "{}", line.capacity());
        let e = check_cases(io::BufReader::new(Zeros(64 << 20))).unwrap_err();
        assert!(matches!(e, ContentError::LineTooLong { line: 1 }), "{e}");
        // Lines exactly at the cap pass; the newline is not part of the line.
        let mut r = &b"abc\nde"[..];
        assert_eq!(read_line_capped(&mut r, &mut line, 3).unwrap(), Ok(true));
        assert_eq!(line, b"abc");
        assert_eq!(read_line_capped(&mut r, &mut line, 3).unwrap(), Ok(true));
        assert_eq!(line, b"de");
        assert_eq!(read_line_capped(&mut r, &mut line, 3).unwrap(), Ok(false));
    }
}

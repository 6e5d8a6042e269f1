//! The content check of every front end that seals: what may be sealed as `cases`, decided here
//! once for `ona seal`, Python's `seal`/`seal_file`/`Sealer` and Kotlin/Swift's
//! `sealBytes`/`sealFile`/`StreamSealer`.
//!
//! The attacker (or the hurried user) this stops is the one of [`super::check_cases`]: raw,
//! identified case records — names, phone numbers, national ids of women who fled violence —
//! sealed and shipped as a "cases" export. [`CheckedContent`] checks the content as it is
//! written, before any of it reaches the sealer: a record that is not pseudonymised is refused
//! before a byte of it is encrypted, and [`CheckedContent::finish`] refuses a count or domain
//! that differs from the manifest's, so the export is never signed. [`sealing_manifest`] is the
//! manifest of content held whole (a file, bytes in memory): counted, and its pseudonym domain
//! and key id taken from the records.

use super::content_check::{classify, CasesSummary, ContentError, Domains, MAX_LINE_LEN};
use super::packed::{framed_block_len, PackedReader, MAGIC};
use crate::pseudonym::PseudoCase;
use crate::seal::{ContentType, Manifest};
use std::io::{self, BufRead, Write};

/// The manifest for sealing `content` read from `reader`. For `cases` the content is checked
/// (pseudonymised records only, one domain under one key, see [`super::check_cases`]); the
/// record count, domain and key id come from the records, and a `record_count`, `domain` or
/// `key_id` given by the caller that differs from them is refused. A report is not read: it
/// counts `record_count` records (1 if not given).
pub fn sealing_manifest(
    content: ContentType,
    reader: impl BufRead,
    record_count: Option<u64>,
    domain: Option<String>,
    key_id: Option<String>,
) -> Result<Manifest, ContentError> {
    let mut m = Manifest::new(content, record_count.unwrap_or(1));
    if content == ContentType::Report {
        m.pseudonym_domain = domain;
        m.pseudonym_key_id = key_id;
        return Ok(m);
    }
    let found = super::check_cases(reader)?;
    if let Some(n) = record_count.filter(|n| *n != found.records) {
        return Err(mismatch(format!(
            "{n} records announced, the content holds {}",
            found.records
        )));
    }
    for (given, found, what) in [
        (&domain, &found.pseudonym_domain, "pseudonym domain"),
        (&key_id, &found.pseudonym_key_id, "pseudonym key id"),
    ] {
        if let (Some(g), Some(f)) = (given, found) {
            if g != f {
                return Err(mismatch(format!("{what} `{g}` announced, the records have `{f}`")));
            }
        }
    }
    m.record_count = found.records;
    m.pseudonym_domain = found.pseudonym_domain.or(domain);
    m.pseudonym_key_id = found.pseudonym_key_id.or(key_id);
    Ok(m)
}

fn mismatch(detail: String) -> ContentError {
    ContentError::ManifestMismatch(detail)
}

/// How the content has shown itself so far.
enum Form {
    /// Fewer bytes than [`MAGIC`] seen, all of them a prefix of it.
    Undecided(Vec<u8>),
    /// JSON Lines: the unfinished line and the number of lines finished.
    Lines { partial: Vec<u8>, line: u64 },
    /// Packed: the unfinished block.
    Packed(Vec<u8>),
    /// Not checked (a report).
    Unchecked,
}

/// A writer that lets through to `inner` only content that may be sealed as the manifest says:
/// for `cases`, whole pseudonymised records (JSON Lines lines or packed blocks) each checked
/// before it is passed on, in the manifest's domain under its key if the manifest names them;
/// a report passes unchecked. Memory holds at most one line ([`MAX_LINE_LEN`]) or one packed
/// block. After an error nothing more is accepted.
pub struct CheckedContent<W: Write> {
    inner: W,
    form: Form,
    seen: Domains,
    announced: Option<u64>,
    domain: Option<(String, String)>,
    failed: Option<String>,
}

impl<W: Write> CheckedContent<W> {
    /// Checks content for an export with `manifest` (its content type, record count and, when
    /// given, pseudonym domain and key id) on its way to `inner`.
    pub fn new(inner: W, manifest: &Manifest) -> CheckedContent<W> {
        let form = match manifest.content_type {
            ContentType::Cases => Form::Undecided(Vec::new()),
            _ => Form::Unchecked,
        };
        let domain = match (&manifest.pseudonym_domain, &manifest.pseudonym_key_id) {
            (Some(d), Some(k)) => Some((d.clone(), k.clone())),
            _ => None,
        };
        CheckedContent {
            inner,
            form,
            seen: Domains(CasesSummary::default()),
            announced: Some(manifest.record_count),
            domain,
            failed: None,
        }
    }

    /// Checks `data` and passes on what is whole and checked.
    pub fn push(&mut self, data: &[u8]) -> Result<(), ContentError> {
        if let Some(e) = &self.failed {
            return Err(ContentError::ManifestMismatch(format!("refused earlier: {e}")));
        }
        let r = self.push_inner(data);
        if let Err(e) = &r {
            self.failed = Some(e.to_string());
        }
        r
    }

    fn push_inner(&mut self, data: &[u8]) -> Result<(), ContentError> {
        match &mut self.form {
            Form::Unchecked => Ok(self.inner.write_all(data)?),
            Form::Undecided(head) => {
                head.extend_from_slice(data);
                let n = head.len().min(MAGIC.len());
                if head[..n] != MAGIC[..n] {
                    let head = std::mem::take(head);
                    self.form = Form::Lines { partial: Vec::new(), line: 0 };
                    self.push_inner(&head)
                } else if head.len() >= MAGIC.len() {
                    let rest = head.split_off(MAGIC.len());
                    self.inner.write_all(MAGIC)?;
                    self.form = Form::Packed(Vec::new());
                    self.push_inner(&rest)
                } else {
                    Ok(())
                }
            }
            Form::Lines { .. } => self.push_lines(data),
            Form::Packed(buf) => {
                buf.extend_from_slice(data);
                self.pass_blocks()
            }
        }
    }

    fn push_lines(&mut self, mut data: &[u8]) -> Result<(), ContentError> {
        let Form::Lines { partial, line } = &mut self.form else { unreachable!() };
        while let Some(i) = data.iter().position(|&b| b == b'\n') {
            *line += 1;
            if partial.len() + i > MAX_LINE_LEN {
                return Err(ContentError::LineTooLong { line: *line });
            }
            partial.extend_from_slice(&data[..=i]);
            data = &data[i + 1..];
            check_line(&mut self.seen, &self.domain, *line, &partial[..partial.len() - 1])?;
            self.inner.write_all(partial)?;
            partial.clear();
        }
        if partial.len() + data.len() > MAX_LINE_LEN {
            return Err(ContentError::LineTooLong { line: *line + 1 });
        }
        partial.extend_from_slice(data);
        Ok(())
    }

    fn pass_blocks(&mut self) -> Result<(), ContentError> {
        let Form::Packed(buf) = &mut self.form else { unreachable!() };
        let packed = |e: super::packed::PackedError| ContentError::Packed(e.to_string());
        let mut start = 0;
        while let Some(len) = framed_block_len(&buf[start..]).map_err(packed)? {
            let Some(block) = buf.get(start..start + len) else { break };
            for case in PackedReader::new(io::Read::chain(MAGIC, block)).map_err(packed)? {
                let case = case.map_err(packed)?;
                add(&mut self.seen, &self.domain, &case)?;
            }
            self.inner.write_all(block)?;
            start += len;
        }
        buf.drain(..start);
        Ok(())
    }

    /// Checks what is left (a last line without a newline; a packed stream must end on a
    /// block) and that the records are as many as the manifest announces; returns `inner` and
    /// what the content held. On an error `inner` is dropped unfinished.
    pub fn finish(mut self) -> Result<(W, CasesSummary), ContentError> {
        if let Some(e) = self.failed.take() {
            return Err(ContentError::ManifestMismatch(format!("refused earlier: {e}")));
        }
        match std::mem::replace(&mut self.form, Form::Unchecked) {
            Form::Unchecked => return Ok((self.inner, self.seen.0)),
            Form::Undecided(head) if head.is_empty() => {}
            Form::Undecided(head) => {
                self.form = Form::Lines { partial: Vec::new(), line: 0 };
                self.push_lines(&head)?;
                self.finish_lines()?;
            }
            Form::Lines { partial, line } => {
                self.form = Form::Lines { partial, line };
                self.finish_lines()?;
            }
            Form::Packed(buf) if buf.is_empty() => {}
            Form::Packed(_) => {
                return Err(ContentError::Packed("packed records end inside a block".into()))
            }
        }
        if let Some(n) = self.announced.filter(|n| *n != self.seen.0.records) {
            return Err(mismatch(format!(
                "{n} records announced, the content holds {}",
                self.seen.0.records
            )));
        }
        Ok((self.inner, self.seen.0))
    }

    fn finish_lines(&mut self) -> Result<(), ContentError> {
        let Form::Lines { partial, line } = &mut self.form else { unreachable!() };
        if !partial.is_empty() {
            check_line(&mut self.seen, &self.domain, *line + 1, partial)?;
            self.inner.write_all(partial)?;
        }
        Ok(())
    }
}

impl<W: Write> Write for CheckedContent<W> {
    /// Checks and passes on `buf`; content that may not be sealed is an `InvalidData` error
    /// (and [`finish`](CheckedContent::finish) refuses too).
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.push(buf).map_err(|e| match e {
            ContentError::Io(io) => io,
            other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Checks one line (without its newline) of JSON Lines content.
fn check_line(
    seen: &mut Domains,
    domain: &Option<(String, String)>,
    line: u64,
    text: &[u8],
) -> Result<(), ContentError> {
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    match serde_json::from_slice::<PseudoCase>(text) {
        Ok(case) => add(seen, domain, &case),
        Err(e) => Err(classify(line, text, e)),
    }
}

fn add(
    seen: &mut Domains,
    domain: &Option<(String, String)>,
    case: &PseudoCase,
) -> Result<(), ContentError> {
    seen.add(case)?;
    let p = &case.pseudonymisation;
    match domain {
        Some((d, k)) if *d != p.domain || *k != p.key_id => Err(mismatch(format!(
            "record {} is in pseudonym domain `{}` (key {}), the manifest announces `{d}` (key {k})",
            seen.0.records, p.domain, p.key_id
        ))),
        _ => Ok(()),
    }
}

/// Checks everything `reader` holds as cases, passing nothing on: the body of
/// [`super::check_cases`].
pub(super) fn check_all(mut reader: impl BufRead) -> Result<CasesSummary, ContentError> {
    let m = Manifest::new(ContentType::Cases, 0);
    let mut c = CheckedContent::new(io::sink(), &m);
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        c.push(buf)?;
        reader.consume(n);
    }
    c.announced = None;
    c.finish().map(|(_, s)| s)
}

#[cfg(test)]
#[path = "checked_content_tests.rs"]
mod tests;

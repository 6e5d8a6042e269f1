//! Lines of JSON Lines input as people have them: a UTF-8 byte-order mark (what Excel and
//! Notepad write) is accepted, other encodings are named with a line number and a hint, a CSV
//! file is recognised once rather than failing on every row, and no line may grow past
//! [`MAX_LINE_LEN`], so memory stays bounded whatever the input (a file without newlines, or a
//! 200 MB line, is an error at a fixed cost).

use std::io::{self, BufRead};

/// Longest line accepted, in bytes. A case record takes a few kilobytes.
pub const MAX_LINE_LEN: usize = 4 << 20;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a line could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A line is longer than [`MAX_LINE_LEN`].
    #[error("line {line} is longer than {} MiB; JSON Lines holds one record per line", MAX_LINE_LEN >> 20)]
    TooLong {
        /// The line (from 1).
        line: u64,
    },
    /// A line is not UTF-8.
    #[error("line {line} is not UTF-8 text; save the file as UTF-8{}", hint.as_ref().map(|h| format!(" (this looks like {h})")).unwrap_or_default())]
    NotUtf8 {
        /// The line (from 1).
        line: u64,
        /// The encoding the line looks like, if one can be told.
        hint: Option<String>,
    },
    /// The input is UTF-16.
    #[error("the file is UTF-16 text; save it as UTF-8")]
    Utf16,
    /// The input looks like CSV, not JSON Lines.
    #[error(
        "line {line} looks like CSV ({preview}); ona reads JSON Lines: one JSON object per line"
    )]
    Csv {
        /// The line (from 1).
        line: u64,
        /// The start of the line.
        preview: String,
    },
}

/// Reads lines of UTF-8 text, checking each as described in the module docs.
pub struct TextLines<R: BufRead> {
    inner: R,
    line: u64,
    buf: Vec<u8>,
    seen_content: bool,
}

impl<R: BufRead> TextLines<R> {
    /// Lines of `inner`.
    pub fn new(inner: R) -> Self {
        TextLines { inner, line: 0, buf: Vec::new(), seen_content: false }
    }

    /// The reader underneath (e.g. to ask how far it has read).
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The number of the last line returned (from 1).
    pub fn line_number(&self) -> u64 {
        self.line
    }

    /// The next line (without its line ending) and its number, or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<(u64, &str)>, LineError> {
        self.buf.clear();
        if !self.read_bounded()? {
            return Ok(None);
        }
        self.line += 1;
        let line = self.line;
        let mut bytes: &[u8] = &self.buf;
        if line == 1 {
            if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                return Err(LineError::Utf16);
            }
            bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        }
        while let Some(b) = bytes.strip_suffix(b"\n").or_else(|| bytes.strip_suffix(b"\r")) {
            bytes = b;
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| LineError::NotUtf8 { line, hint: guess_encoding(bytes) })?;
        if !self.seen_content && !text.trim().is_empty() {
            self.seen_content = true;
            if looks_like_csv(text) {
                let preview: String = text.chars().take(40).collect();
                return Err(LineError::Csv { line, preview });
            }
        }
        Ok(Some((line, text)))
    }

    /// Reads up to and including the next `\n` into `buf`; `false` at the end of the input.
    fn read_bounded(&mut self) -> Result<bool, LineError> {
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            if available.is_empty() {
                return Ok(!self.buf.is_empty());
            }
            let (take, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if self.buf.len() + take > MAX_LINE_LEN + 2 {
                return Err(LineError::TooLong { line: self.line + 1 });
            }
            self.buf.extend_from_slice(&available[..take]);
            self.inner.consume(take);
            if done {
                return Ok(true);
            }
        }
    }
}

/// Why a line that is not UTF-8 is refused, with a hint at the encoding it looks like.
pub fn not_utf8_reason(bytes: &[u8]) -> String {
    match guess_encoding(bytes) {
        Some(h) => format!("not UTF-8 text; save the file as UTF-8 (this looks like {h})"),
        None => "not UTF-8 text; save the file as UTF-8".to_string(),
    }
}

/// Whether a first line looks like a CSV header or row rather than a JSON value.
fn looks_like_csv(line: &str) -> bool {
    let t = line.trim_start();
    !t.starts_with('{') && !t.starts_with('[') && [',', ';', '\t'].iter().any(|c| t.contains(*c))
}

/// The legacy encoding `bytes` most look like (for the hint), if any.
fn guess_encoding(bytes: &[u8]) -> Option<String> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, true);
    (enc != encoding_rs::UTF_8).then(|| name_for_people(enc.name()))
}

/// An encoding's name as office software shows it.
fn name_for_people(name: &str) -> String {
    match name.strip_prefix("windows-") {
        Some(n) => format!("Windows-{n}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Result<Vec<String>, LineError> {
        let mut r = TextLines::new(input);
        let mut out = Vec::new();
        while let Some((_, l)) = r.next_line()? {
            out.push(l.to_string());
        }
        Ok(out)
    }

    #[test]
    fn a_bom_and_crlf_are_accepted() {
        let got = lines(b"\xEF\xBB\xBF{\"a\":1}\r\n{\"b\":2}\r\n\n{\"c\":3}").unwrap();
        assert_eq!(got, ["{\"a\":1}", "{\"b\":2}", "", "{\"c\":3}"]);
    }

    #[test]
    fn windows_1251_is_named_with_its_line() {
        // "Айгерим Нурланова" and more Cyrillic, as Windows-1251 bytes, on line 2.
        let (cp1251, _, _) =
            encoding_rs::WINDOWS_1251.encode("{\"name\":\"Айгерим Нурланова, город Алматы\"}");
        let mut input = b"{\"ok\":1}\n".to_vec();
        input.extend_from_slice(&cp1251);
        let err = lines(&input).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2 is not UTF-8 text; save the file as UTF-8 (this looks like Windows-1251)"
        );
    }

    #[test]
    fn utf16_is_refused_at_once() {
        assert!(matches!(lines(b"\xFF\xFE{\0}\0"), Err(LineError::Utf16)));
    }

    #[test]
    fn csv_is_said_once_on_its_first_line() {
        let err = lines(b"\n id,mother_age,country\n1,23,KZ\n").unwrap_err();
        assert!(matches!(err, LineError::Csv { line: 2, .. }), "{err}");
        // A JSON line with commas is not CSV.
        assert_eq!(lines(b"{\"a\":1,\"b\":2}\n").unwrap().len(), 1);
    }

    #[test]
    fn a_line_without_end_is_refused_past_the_cap_without_holding_it() {
        let big = vec![b'x'; MAX_LINE_LEN + 10];
        let mut input = b"{}\n".to_vec();
        input.extend_from_slice(&big);
        let mut r = TextLines::new(io::BufReader::with_capacity(1 << 16, &input[..]));
        assert!(r.next_line().unwrap().is_some());
        assert!(matches!(r.next_line(), Err(LineError::TooLong { line: 2 })));
        assert!(r.buf.capacity() <= 2 * MAX_LINE_LEN + 64 * 1024);
        // Exactly at the cap is fine.
        let mut ok = vec![b'y'; MAX_LINE_LEN];
        ok.push(b'\n');
        assert_eq!(lines(&ok).unwrap()[0].len(), MAX_LINE_LEN);
    }
}

//! Receiving: a sealed `cases` export opened, its sender checked before any record is read, and
//! its records handed out as they are decrypted — with an error instead of a clean end unless
//! the whole export verified and held the records its manifest announced.

use super::content_check::{read_line_capped, MAX_LINE_LEN};
use super::error::ExchangeError;
use super::packed::{is_packed, PackedError, PackedReader, MAGIC};
use crate::directory::SenderPolicy;
use crate::pseudonym::PseudoCase;
use crate::seal::{ContentType, Identity, Manifest, Opener};
use std::io::{BufReader, Chain, Cursor, Read};

/// The opened plaintext after the bytes read to tell packed records from JSON Lines.
type Plain<R> = Chain<Cursor<Vec<u8>>, Opener<BufReader<R>>>;

/// Records read from plaintext `P`: packed or JSON Lines.
pub(super) enum Records<P: Read> {
    Packed(PackedReader<P>),
    Lines { reader: BufReader<P>, line: Vec<u8>, at: u64 },
}

impl<P: Read> Records<P> {
    /// The records of `plain` (packed when `packed`: then `plain` starts with the magic).
    pub(super) fn of(plain: P, packed: bool) -> Result<Records<P>, ExchangeError> {
        Ok(if packed {
            Records::Packed(PackedReader::new(plain).map_err(|e| packed_error(e, 0))?)
        } else {
            Records::Lines { reader: BufReader::new(plain), line: Vec::new(), at: 0 }
        })
    }

    fn into_plain(self) -> P {
        match self {
            Records::Packed(r) => r.into_inner(),
            Records::Lines { reader, .. } => reader.into_inner(),
        }
    }

    /// The next record (`read` were read before), `Ok(None)` at the end of the plaintext.
    pub(super) fn next_record(&mut self, read: u64) -> Result<Option<PseudoCase>, ExchangeError> {
        Ok(match self {
            Records::Packed(r) => r.read().map_err(|e| packed_error(e, read + 1))?,
            Records::Lines { reader, line, at } => loop {
                *at += 1;
                match read_line_capped(reader, line, MAX_LINE_LEN) {
                    Err(e) => return Err(ExchangeError::from_read(e)),
                    Ok(Err(_)) => {
                        return Err(ExchangeError::Records(format!(
                            "line {at} is longer than {MAX_LINE_LEN} bytes"
                        )))
                    }
                    Ok(Ok(false)) => break None,
                    Ok(Ok(true)) => {}
                }
                let text = line.strip_suffix(b"\r").unwrap_or(line);
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let case = serde_json::from_slice::<PseudoCase>(text).map_err(|e| {
                    ExchangeError::Records(format!(
                        "line {at} is not a pseudonymised case record: {e}"
                    ))
                })?;
                break Some(case);
            },
        })
    }
}

/// A received export: an iterator of its pseudonymised records (packed or JSON Lines). A record
/// is handed out once its chunk of the export is authenticated; the last item is an error
/// unless the whole export verifies (the sender's signature over everything) and holds exactly
/// the records its manifest announces. Records taken before such an error must be discarded, as
/// the opener's own contract says. After an error the iterator ends.
pub struct Received<R: Read> {
    records: Option<Records<Plain<R>>>,
    manifest: Manifest,
    read: u64,
}

/// Opens the sealed export `sealed` with `identity` and checks its sender against `sender`
/// before any record is read. A `report` export is refused: only `cases` exports hold records.
///
/// Errors: [`ExchangeError::Open`] for a file not sealed to `identity`, changed bytes or a sender
/// the policy refuses (the classes every front end already uses for opening).
pub fn receive<R: Read>(
    sealed: R,
    identity: &Identity,
    sender: &SenderPolicy<'_>,
) -> Result<Received<R>, ExchangeError> {
    let mut opener = open_cases(sealed, identity, sender)?;
    let manifest = opener.manifest().clone();
    let mut head = vec![0u8; MAGIC.len()];
    let mut got = 0;
    while got < head.len() {
        match opener.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ExchangeError::from_read(e)),
        }
    }
    head.truncate(got);
    let packed = is_packed(&head);
    let records = Records::of(Cursor::new(head).chain(opener), packed)?;
    Ok(Received { records: Some(records), manifest, read: 0 })
}

/// Opens `sealed` and checks its sender against `sender` and that it is a `cases` export,
/// before any of its content is read.
pub(super) fn open_cases<R: Read>(
    sealed: R,
    identity: &Identity,
    sender: &SenderPolicy<'_>,
) -> Result<Opener<BufReader<R>>, ExchangeError> {
    let opener = Opener::new(BufReader::with_capacity(256 << 10, sealed), identity, None)?;
    sender.check(opener.manifest())?;
    let content = opener.manifest().content_type;
    if content != ContentType::Cases {
        return Err(ExchangeError::Records(format!(
            "this is a {} export, not cases: it holds no records",
            content.id()
        )));
    }
    Ok(opener)
}

fn packed_error(e: PackedError, record: u64) -> ExchangeError {
    match e {
        PackedError::Io(io) => ExchangeError::from_read(io),
        other => ExchangeError::Records(format!("record {record}: {other}")),
    }
}

impl<R: Read> Received<R> {
    /// The manifest. Its signature is verified only when the iterator ends without error.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The records handed out so far.
    pub fn records_read(&self) -> u64 {
        self.read
    }

    /// The next record, `Ok(None)` at a verified end.
    fn step(&mut self) -> Result<Option<PseudoCase>, ExchangeError> {
        let Some(records) = self.records.as_mut() else { return Ok(None) };
        let next = records.next_record(self.read)?;
        match next {
            Some(case) => {
                self.read += 1;
                Ok(Some(case))
            }
            None => {
                let opener = self.records.take().map(|r| r.into_plain().into_inner().1);
                // The opener ends without error only once the last chunk and the signature
                // verify; this is the belt to its braces.
                if !opener.is_some_and(|o| o.is_verified()) {
                    return Err(ExchangeError::Open(crate::seal::OpenError::Truncated));
                }
                if self.read != self.manifest.record_count {
                    return Err(ExchangeError::Count {
                        announced: self.manifest.record_count,
                        found: self.read,
                    });
                }
                Ok(None)
            }
        }
    }
}

impl<R: Read> Iterator for Received<R> {
    type Item = Result<PseudoCase, ExchangeError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(Some(case)) => Some(Ok(case)),
            Ok(None) => None,
            Err(e) => {
                self.records = None;
                Some(Err(e))
            }
        }
    }
}

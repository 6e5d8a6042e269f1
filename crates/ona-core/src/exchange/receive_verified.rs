//! Receiving with nothing handed out before everything verified: what a caller who cannot
//! discard records already taken (a Python loop, a DataFrame being filled) streams from.
//!
//! The sender's signature covers the whole export and comes at its end, so no record can be
//! known good before the last byte is read. [`receive_verified`] therefore reads the export
//! twice: once to decrypt and verify it all — every chunk, the signature, the sender, the record
//! count — into an unnamed temporary file readable by its owner only (deleted when dropped:
//! the plaintext is never where another user of the machine, or a later reader of the
//! directory, could find it), and then record by record from that file. Memory holds one record
//! (or one packed block) whatever the export's size; "streaming" here means that, not that
//! records come before the end of the file was checked.

use super::count::count_records;
use super::error::ExchangeError;
use super::packed::is_packed;
use super::receive::{open_cases, Records};
use crate::directory::SenderPolicy;
use crate::pseudonym::PseudoCase;
use crate::seal::{spool_verified, ContentType, Identity, Manifest};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

/// A received export whose every record is verified: an iterator of its records, all of them
/// covered by a signature that verified and as many as its manifest announced. An item is an
/// error only for a record the sender's own software wrote damaged; the iterator then ends.
pub struct VerifiedRecords {
    records: Option<Records<BufReader<File>>>,
    manifest: Manifest,
    read: u64,
}

/// Opens `sealed` with `identity`, checks its sender against `sender` before reading any
/// content, then verifies the whole export and its record count (see the module) before
/// returning the first record. Errors are those of [`super::receive`], all raised here, before
/// any record: [`ExchangeError::Open`] (not for this key, changed, cut, wrong sender),
/// [`ExchangeError::Count`], [`ExchangeError::Records`] (not a cases export).
pub fn receive_verified<R: Read>(
    sealed: R,
    identity: &Identity,
    sender: &SenderPolicy<'_>,
) -> Result<VerifiedRecords, ExchangeError> {
    let opener = open_cases(sealed, identity, sender)?;
    let (mut spool, manifest) = spool_verified(opener)?;
    let local = |e: std::io::Error| ExchangeError::Io {
        action: "read back",
        path: "the verified temporary copy".into(),
        source: e,
    };
    let found = count_records(ContentType::Cases, BufReader::new(&mut spool))
        .map_err(|e| ExchangeError::Records(format!("the verified export: {e}")))?;
    if found != manifest.record_count {
        return Err(ExchangeError::Count { announced: manifest.record_count, found });
    }
    spool.seek(SeekFrom::Start(0)).map_err(local)?;
    let mut plain = BufReader::with_capacity(256 << 10, spool);
    let packed = is_packed(plain.fill_buf().map_err(local)?);
    let records = Records::of(plain, packed)?;
    Ok(VerifiedRecords { records: Some(records), manifest, read: 0 })
}

impl VerifiedRecords {
    /// The manifest (its signature verified).
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The records handed out so far.
    pub fn records_read(&self) -> u64 {
        self.read
    }
}

impl Iterator for VerifiedRecords {
    type Item = Result<PseudoCase, ExchangeError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.records.as_mut()?.next_record(self.read) {
            Ok(Some(case)) => {
                self.read += 1;
                Some(Ok(case))
            }
            Ok(None) => {
                self.records = None;
                None
            }
            Err(e) => {
                self.records = None;
                Some(Err(e))
            }
        }
    }
}

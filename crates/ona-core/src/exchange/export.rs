//! Sending: case records validated, pseudonymised, packed and sealed to the recipients in one
//! stream; the sealed file appears only once complete and signed.

use super::error::ExchangeError;
use super::packed::{BlockEncoder, MAGIC};
use crate::atomic_file::AtomicFile;
use crate::pseudonym::{PseudoCase, Pseudonymiser};
use crate::schema::{validate_case, Case};
use crate::seal::{ContentType, EncryptionPublicKey, Identity, Manifest, Sealer};
use std::io::Write;
use std::path::Path;

/// Who an export is sealed to and who signs it.
#[derive(Clone, Copy)]
pub struct SealTo<'a> {
    /// The recipients (usually the hub): any one of them can open the export.
    pub recipients: &'a [EncryptionPublicKey],
    /// The sender's identity, whose signature the recipients check.
    pub sender: &'a Identity,
}

/// What an export holds, as its manifest says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// The records sealed.
    pub records: u64,
    /// The manifest of the export (signed with it).
    pub manifest: Manifest,
}

/// A `cases` export being written: pseudonymised records, packed, sealed as they come. Nothing
/// is complete until [`finish`](CasesExport::finish), which checks that exactly the announced
/// number of records was written and signs the export.
pub struct CasesExport<W: Write> {
    sealer: Sealer<W>,
    encoder: BlockEncoder,
    manifest: Manifest,
    written: u64,
}

impl<W: Write> CasesExport<W> {
    /// Starts an export of `record_count` records pseudonymised by `pseudonymiser` (its domain
    /// and key id go into the manifest). The manifest comes first in the sealed stream, so the
    /// count must be known before the first record.
    pub fn new(
        out: W,
        pseudonymiser: &Pseudonymiser,
        record_count: u64,
        to: SealTo<'_>,
    ) -> Result<CasesExport<W>, ExchangeError> {
        let mut manifest = Manifest::new(ContentType::Cases, record_count);
        manifest.pseudonym_domain = Some(pseudonymiser.domain().to_string());
        manifest.pseudonym_key_id = Some(pseudonymiser.key_id().to_string());
        let mut sealer = Sealer::new(out, &manifest, to.recipients, to.sender)?;
        sealer.write_all(MAGIC).map_err(crate::seal::SealError::Io)?;
        manifest.sender = to.sender.signing_public().to_string();
        Ok(CasesExport { sealer, encoder: BlockEncoder::new(), manifest, written: 0 })
    }

    /// The manifest the export carries.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Writes one pseudonymised record.
    pub fn write_case(&mut self, case: &PseudoCase) -> Result<(), ExchangeError> {
        self.encoder.push(case).map_err(|e| ExchangeError::Records(e.to_string()))?;
        self.written += 1;
        if self.encoder.has_blocks() {
            self.flush_blocks()?;
        }
        Ok(())
    }

    /// Writes finished packed blocks of `records` records, made by a [`BlockEncoder`] elsewhere
    /// (several threads can pack parts of one export; their blocks go here in order).
    pub fn write_blocks(&mut self, blocks: &[u8], records: u64) -> Result<(), ExchangeError> {
        self.flush_blocks()?;
        self.sealer.write_all(blocks).map_err(crate::seal::SealError::Io)?;
        self.written += records;
        Ok(())
    }

    fn flush_blocks(&mut self) -> Result<(), ExchangeError> {
        let blocks = self.encoder.take();
        self.sealer.write_all(&blocks).map_err(crate::seal::SealError::Io)?;
        Ok(())
    }

    /// Signs and closes the export and returns the output. Refused, with nothing signed, when
    /// the records written differ from the count announced.
    pub fn finish(mut self) -> Result<(W, ExportSummary), ExchangeError> {
        if self.written != self.manifest.record_count {
            return Err(ExchangeError::Count {
                announced: self.manifest.record_count,
                found: self.written,
            });
        }
        self.flush_blocks()?;
        let out = self.sealer.finish()?;
        Ok((out, ExportSummary { records: self.written, manifest: self.manifest }))
    }
}

/// Validates, pseudonymises, packs and seals `cases` (exactly `record_count` of them) into the
/// file `out`, streaming: memory holds one block of records whatever their number. The file
/// appears only when every case passed and the export is signed; on any error nothing is
/// written (an invalid case is named by its position, from 1).
///
/// ```
/// use ona_core::exchange::{export_cases, SealTo};
/// use ona_core::pseudonym::{MasterKey, Policy, Pseudonymiser};
/// use ona_core::seal::Identity;
/// let (centre, hub) = (Identity::generate(), Identity::generate());
/// let p = Pseudonymiser::new(&MasterKey::generate(), "kz/2026", Policy::default()).unwrap();
/// let dir = std::env::temp_dir().join(format!("ona-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let to = SealTo { recipients: &[hub.encryption_public()], sender: &centre };
/// let summary = export_cases(Vec::new(), 0, &p, to, &dir.join("kz.ona")).unwrap();
/// assert_eq!(summary.records, 0);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn export_cases(
    cases: impl IntoIterator<Item = Case>,
    record_count: u64,
    pseudonymiser: &Pseudonymiser,
    to: SealTo<'_>,
    out: &Path,
) -> Result<ExportSummary, ExchangeError> {
    let io = |action, e| ExchangeError::Io { action, path: out.display().to_string(), source: e };
    let file = AtomicFile::create(out).map_err(|e| io("create", e))?;
    file.shareable().map_err(|e| io("set permissions of", e))?;
    let mut export = CasesExport::new(file, pseudonymiser, record_count, to)?;
    for (i, case) in cases.into_iter().enumerate() {
        let record = i as u64 + 1;
        validate_case(&case)
            .map_err(|e| ExchangeError::InvalidCase { record, detail: e.to_string() })?;
        let pseudo = pseudonymiser
            .pseudonymise(&case)
            .map_err(|e| ExchangeError::Pseudonymise { record, detail: e.to_string() })?;
        export.write_case(&pseudo)?;
    }
    let (file, summary) = export.finish()?;
    file.commit().map_err(|e| io("write", e))?;
    Ok(summary)
}

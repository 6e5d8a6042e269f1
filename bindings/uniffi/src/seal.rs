//! Identities, public keys, and sealing/opening: in memory, between files, and streaming.

use crate::error::OnaError;
use ona_core::exchange::{sealing_manifest, CheckedContent};
use ona_core::seal::{self as core, ContentType, EncryptionPublicKey, Manifest, SigningPublicKey};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// A centre's or hub's secret identity (encryption and signing key pair).
#[derive(uniffi::Object)]
pub struct Identity(pub(crate) core::Identity);

#[uniffi::export]
impl Identity {
    /// A new random identity.
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(Identity(core::Identity::generate()))
    }

    /// Reads an identity from its secret key text (as written by `ona keygen`).
    #[uniffi::constructor]
    pub fn from_secret_text(text: String) -> Result<Arc<Self>, OnaError> {
        Ok(Arc::new(Identity(core::Identity::from_secret_text(&text)?)))
    }

    /// The secret key text. Keep it secret.
    pub fn to_secret_text(&self) -> String {
        self.0.to_secret_text().to_string()
    }

    /// The public key others seal to (Bech32).
    pub fn encryption_public_key(&self) -> String {
        self.0.encryption_public().to_string()
    }

    /// The public key that identifies this identity as a sender (Bech32).
    pub fn signing_public_key(&self) -> String {
        self.0.signing_public().to_string()
    }
}

/// What a sealed export contains.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum ExportContent {
    /// Pseudonymised case records (JSON Lines).
    Cases,
    /// An aggregate report.
    Report,
}

/// The authenticated description of a sealed export.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ExportManifest {
    /// Version of the case schema the content follows.
    pub schema_version: String,
    /// What the content is.
    pub content: ExportContent,
    /// Number of records in the content.
    pub record_count: u64,
    /// Pseudonymisation domain, if any.
    pub pseudonym_domain: Option<String>,
    /// Pseudonymisation key id, if any.
    pub pseudonym_key_id: Option<String>,
    /// Random export id.
    pub export_id: String,
    /// Creation time, seconds since the Unix epoch.
    pub created_at: u64,
    /// The sender's signing public key (Bech32).
    pub sender: String,
}

impl From<Manifest> for ExportManifest {
    fn from(m: Manifest) -> Self {
        ExportManifest {
            schema_version: m.schema_version,
            content: match m.content_type {
                ContentType::Cases => ExportContent::Cases,
                _ => ExportContent::Report,
            },
            record_count: m.record_count,
            pseudonym_domain: m.pseudonym_domain,
            pseudonym_key_id: m.pseudonym_key_id,
            export_id: m.export_id,
            created_at: m.created_at,
            sender: m.sender,
        }
    }
}

/// An opened and fully verified export.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OpenedExport {
    /// The manifest, authenticated by the sender's signature.
    pub manifest: ExportManifest,
    /// The content.
    pub plaintext: Vec<u8>,
    /// Whether the sender was checked (false only with [`SenderCheck::AnySender`]).
    pub sender_verified: bool,
}

/// A network directory verified against the hub signing key the app pinned.
#[derive(uniffi::Object)]
pub struct NetworkDirectory(ona_core::directory::Directory);

#[uniffi::export]
impl NetworkDirectory {
    /// Verifies a directory file's bytes against the hub's signing key (obtained from the hub
    /// directly), refusing an edition older than `min_serial` (keep the highest serial accepted).
    #[uniffi::constructor]
    pub fn verify(data: Vec<u8>, hub: String, min_serial: u64) -> Result<Arc<Self>, OnaError> {
        let hub: SigningPublicKey = hub.parse()?;
        let mut pin = ona_core::directory::Pin::new(&hub);
        pin.serial = min_serial;
        let d = pin.accept(&data)?;
        Ok(Arc::new(NetworkDirectory(d)))
    }

    /// The edition's serial number.
    pub fn serial(&self) -> u64 {
        self.0.serial
    }

    /// The encryption key to seal to for organisation `id` now.
    pub fn recipient(&self, id: String) -> Result<String, OnaError> {
        self.0
            .recipient(&id, ona_core::directory::now())
            .map(|k| k.to_string())
            .map_err(OnaError::from)
    }
}

/// Who may have sent an export. There is no default: an app that wants no check says
/// `AnySender`, and the result then says the sender was not verified.
#[derive(uniffi::Enum)]
pub enum SenderCheck {
    /// Exactly this signing public key (Bech32).
    Key {
        /// The key.
        key: String,
    },
    /// A listed, unrevoked organisation whose key was valid when the export was made; with
    /// `name`, that organisation only.
    Directory {
        /// The verified directory.
        directory: Arc<NetworkDirectory>,
        /// The organisation id required, if any.
        name: Option<String>,
    },
    /// Anyone (the content is intact, the sender unknown).
    AnySender,
}

pub(crate) fn with_policy<T>(
    check: &SenderCheck,
    f: impl FnOnce(&ona_core::directory::SenderPolicy<'_>) -> Result<T, OnaError>,
) -> Result<T, OnaError> {
    use ona_core::directory::SenderPolicy;
    match check {
        SenderCheck::Key { key } => f(&SenderPolicy::Key(key.parse()?)),
        SenderCheck::Directory { directory, name } => {
            f(&SenderPolicy::Directory { directory: &directory.0, name: name.clone() })
        }
        SenderCheck::AnySender => f(&SenderPolicy::AnySender),
    }
}

fn content_type(content: ExportContent) -> ContentType {
    match content {
        ExportContent::Cases => ContentType::Cases,
        ExportContent::Report => ContentType::Report,
    }
}

fn manifest(content: ExportContent, record_count: u64) -> Manifest {
    Manifest::new(content_type(content), record_count)
}

/// The manifest for sealing `data` as `content`, decided by the core (`sealing_manifest`, as
/// for `ona seal` and Python): cases must be pseudonymised records in one domain (raw cases are
/// refused as [`OnaError::Validation`]); the count, domain and key id come from the records;
/// `record_count`, if given, must match. A report counts 1 unless given.
fn checked_manifest(
    content: ExportContent,
    record_count: Option<u64>,
    data: impl io::BufRead,
) -> Result<Manifest, OnaError> {
    Ok(sealing_manifest(content_type(content), data, record_count, None, None)?)
}

pub(crate) fn recipients(keys: &[String]) -> Result<Vec<EncryptionPublicKey>, OnaError> {
    keys.iter().map(|k| Ok(k.parse::<EncryptionPublicKey>()?)).collect()
}

/// Seals `plaintext` in memory to `recipients` (encryption public keys), signed by `sender`.
/// As cases, `plaintext` must be pseudonymised records (checked as `ona seal` does; raw cases
/// → [`OnaError::Validation`]); `record_count` null: counted by the core (1 for a report).
#[uniffi::export]
pub fn seal_bytes(
    plaintext: Vec<u8>,
    content: ExportContent,
    record_count: Option<u64>,
    recipients_keys: Vec<String>,
    sender: Arc<Identity>,
) -> Result<Vec<u8>, OnaError> {
    let r = recipients(&recipients_keys)?;
    let m = checked_manifest(content, record_count, plaintext.as_slice())?;
    Ok(core::seal(&plaintext, &m, &r, &sender.0)?)
}

/// Opens and verifies a sealed export held in memory, refusing it unless its sender passes
/// `sender`.
#[uniffi::export]
pub fn open_bytes(
    sealed: Vec<u8>,
    identity: Arc<Identity>,
    sender: SenderCheck,
) -> Result<OpenedExport, OnaError> {
    with_policy(&sender, |p| {
        let o = ona_core::directory::open_checked(&sealed, &identity.0, p)?;
        Ok(OpenedExport {
            manifest: o.manifest.into(),
            plaintext: o.plaintext,
            sender_verified: p.verifies_sender(),
        })
    })
}

/// Seals the file at `in_path` into `out_path` (written atomically), with the content check of
/// [`seal_bytes`]; `record_count` null: counted by the core (1 for a report).
#[uniffi::export]
pub fn seal_file(
    in_path: String,
    out_path: String,
    content: ExportContent,
    record_count: Option<u64>,
    recipients_keys: Vec<String>,
    sender: Arc<Identity>,
) -> Result<(), OnaError> {
    let r = recipients(&recipients_keys)?;
    let f = std::fs::File::open(&in_path)?;
    let m = checked_manifest(content, record_count, io::BufReader::new(f))?;
    Ok(core::seal_file(Path::new(&in_path), Path::new(&out_path), &m, &r, &sender.0)?)
}

/// Opens `in_path` into `out_path`; the output appears only once everything verified,
/// including the sender against `sender`.
#[uniffi::export]
pub fn open_file(
    in_path: String,
    out_path: String,
    identity: Arc<Identity>,
    sender: SenderCheck,
) -> Result<ExportManifest, OnaError> {
    with_policy(&sender, |p| {
        let (i, o) = (Path::new(&in_path), Path::new(&out_path));
        Ok(ona_core::directory::open_file_checked(i, o, &identity.0, p)?.into())
    })
}

/// Collects what the core sealer writes so each call can hand it back to the app.
#[derive(Clone, Default)]
struct Outbox(Arc<Mutex<Vec<u8>>>);

impl Outbox {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Write for Outbox {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Streaming sealer for apps holding data in memory: `write` chunks of plaintext and get the
/// sealed bytes produced so far; `finish` returns the rest. Concatenated, they are the file.
/// As cases, every record is checked before it is sealed (pseudonymised only, as `ona seal`
/// requires) and `finish` refuses a count other than `record_count`: [`OnaError::Validation`],
/// and the stream is never signed, so what was handed out cannot be opened as an export.
#[derive(uniffi::Object)]
pub struct StreamSealer {
    outbox: Outbox,
    sealer: Mutex<Option<CheckedContent<core::Sealer<Outbox>>>>,
}

#[uniffi::export]
impl StreamSealer {
    /// Starts a sealed export to `recipients_keys`, signed by `sender`.
    #[uniffi::constructor]
    pub fn new(
        content: ExportContent,
        record_count: u64,
        recipients_keys: Vec<String>,
        sender: Arc<Identity>,
    ) -> Result<Arc<Self>, OnaError> {
        let outbox = Outbox::default();
        let m = manifest(content, record_count);
        let s = core::Sealer::new(outbox.clone(), &m, &recipients(&recipients_keys)?, &sender.0)?;
        let checked = CheckedContent::new(s, &m);
        Ok(Arc::new(StreamSealer { outbox, sealer: Mutex::new(Some(checked)) }))
    }

    /// Seals a chunk of plaintext; returns the sealed bytes ready so far (possibly empty).
    pub fn write(&self, chunk: Vec<u8>) -> Result<Vec<u8>, OnaError> {
        let mut guard = self.sealer.lock().unwrap_or_else(|p| p.into_inner());
        let s = guard.as_mut().ok_or_else(finished)?;
        if let Err(e) = s.push(&chunk) {
            guard.take();
            self.outbox.take();
            return Err(e.into());
        }
        Ok(self.outbox.take())
    }

    /// Writes the final chunk and the signature; returns the last sealed bytes.
    pub fn finish(&self) -> Result<Vec<u8>, OnaError> {
        let s =
            self.sealer.lock().unwrap_or_else(|p| p.into_inner()).take().ok_or_else(finished)?;
        let (sealer, _) = s.finish().inspect_err(|_| {
            self.outbox.take();
        })?;
        sealer.finish()?;
        Ok(self.outbox.take())
    }
}

fn finished() -> OnaError {
    OnaError::State { detail: "the stream is already finished".to_string() }
}

/// Where a [`StreamOpener`] reads sealed bytes from, implemented by the app. An exception
/// thrown by `read` becomes [`OnaError::Io`], never a crash.
#[uniffi::export(with_foreign)]
pub trait ByteSource: Send + Sync {
    /// Up to `max` next bytes; an empty result means the end of the input.
    fn read(&self, max: u32) -> Result<Vec<u8>, OnaError>;
}

struct SourceReader(Arc<dyn ByteSource>);

impl Read for SourceReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let max = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let bytes = self.0.read(max).map_err(|e| io::Error::other(format!("byte source: {e}")))?;
        let n = bytes.len().min(buf.len());
        buf[..n].copy_from_slice(&bytes[..n]);
        Ok(n)
    }
}

/// Where a [`StreamOpener`] reads plaintext from.
enum Reading {
    /// The whole export, verified, in an owner-only temporary file.
    Spooled(std::fs::File),
    /// Chunks as they authenticate (opt-in).
    Streaming(Box<core::Opener<SourceReader>>),
}

/// Largest buffer one `read` grows by at once.
const READ_STEP: u64 = 1 << 20;

/// Streaming opener: reads sealed bytes from a [`ByteSource`] and returns plaintext chunk by
/// chunk. By default the whole source is decrypted into an owner-only temporary file and
/// verified (every chunk, sender and signature) when the opener is created, so `read` returns
/// nothing of a file that does not verify. With `unverified_streaming`, chunks are returned as
/// they authenticate and only an empty `read` means all verified: do not act on them before.
#[derive(uniffi::Object)]
pub struct StreamOpener {
    reading: Mutex<Option<Reading>>,
    manifest: Manifest,
}

#[uniffi::export]
impl StreamOpener {
    /// Reads and authenticates the header and manifest, checks the sender against `sender`,
    /// and unless `unverified_streaming` verifies the whole file now.
    #[uniffi::constructor]
    pub fn new(
        source: Arc<dyn ByteSource>,
        identity: Arc<Identity>,
        sender: SenderCheck,
        unverified_streaming: bool,
    ) -> Result<Arc<Self>, OnaError> {
        with_policy(&sender, |p| {
            let o = core::Opener::new(SourceReader(source), &identity.0, None)?;
            p.check(o.manifest())?;
            let manifest = o.manifest().clone();
            let reading = if unverified_streaming {
                Reading::Streaming(Box::new(o))
            } else {
                Reading::Spooled(core::spool_verified(o)?.0)
            };
            Ok(Arc::new(StreamOpener { reading: Mutex::new(Some(reading)), manifest }))
        })
    }

    /// The manifest (authenticated by the signature once verified).
    pub fn manifest(&self) -> ExportManifest {
        self.manifest.clone().into()
    }

    /// Up to `max` bytes of plaintext; empty at the verified end. The buffer grows with the
    /// data, not with `max`.
    pub fn read(&self, max: u32) -> Result<Vec<u8>, OnaError> {
        let mut guard = self.reading.lock().unwrap_or_else(|p| p.into_inner());
        let reading = guard.as_mut().ok_or_else(finished)?;
        let r: &mut dyn Read = match reading {
            Reading::Spooled(f) => f,
            Reading::Streaming(o) => o,
        };
        let mut buf = Vec::new();
        let mut left = u64::from(max);
        while left > 0 {
            match (&mut *r).take(left.min(READ_STEP)).read_to_end(&mut buf) {
                Ok(0) => break,
                Ok(n) => left -= n as u64,
                Err(e) => {
                    guard.take();
                    return Err(core::OpenError::from_io(e).into());
                }
            }
        }
        Ok(buf)
    }
}

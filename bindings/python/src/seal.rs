//! Sealed exports: identities and public keys, one-shot sealing and opening in memory and
//! between files, and streaming `Sealer` / `Opener` context managers.
//!
//! Over 500 lines because the one-shot functions and the streaming `Sealer` / `Opener` share
//! their private conversions (recipients, manifest, content type); left whole while issue 17's
//! exchange work changes this binding.

use crate::directory::{policy, Directory};
use crate::errors::{bad_value, io_error, key_error, open_error, read_error, seal_error};
use ona_core::atomic_file::AtomicFile;
use ona_core::exchange::{sealing_manifest, CheckedContent, ContentError};
use ona_core::seal::{self as core, ContentType, EncryptionPublicKey, Manifest};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// Writes secret bytes to `path`: owner-only, atomically; an existing file is kept unless
/// `overwrite`.
pub fn write_secret(path: &Path, bytes: &[u8], overwrite: bool) -> PyResult<()> {
    if !overwrite && path.exists() {
        return Err(io_error(
            path,
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "file exists (overwrite=False)"),
        ));
    }
    let io = |e| io_error(path, e);
    let mut f = AtomicFile::create(path).map_err(io)?;
    f.owner_only().map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.commit().map_err(io)
}

/// A Python object as a value of the same JSON (through the `json` module).
pub fn to_python<'py>(py: Python<'py>, v: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(v).map_err(bad_value)?;
    py.import("json")?.call_method1("loads", (text,))
}

/// An organisation's identity: an X25519 key pair for encryption and an Ed25519 key pair for
/// signing. The secret never leaves except through `save`.
///
/// >>> hub = ona.Identity.generate()
/// >>> hub.encryption_public[:7], hub.signing_public[:7]
/// ('onaenc1', 'onasig1')
#[pyclass(module = "ona._ona", frozen)]
pub struct Identity(pub core::Identity);

#[pymethods]
impl Identity {
    /// A new random identity.
    ///
    /// >>> ona.Identity.generate().signing_public != ona.Identity.generate().signing_public
    /// True
    #[staticmethod]
    fn generate() -> Identity {
        Identity(core::Identity::generate())
    }

    /// Reads a secret key file written by `ona keygen` or `Identity.save`.
    ///
    /// >>> ona.Identity.from_file("hub.key").signing_public == hub.signing_public
    /// True
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Identity> {
        let text = Zeroizing::new(std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?);
        core::Identity::from_secret_text(&text).map(Identity).map_err(key_error)
    }

    /// Writes the secret key file (owner-only, atomically; the format of `ona keygen`).
    /// Refuses to replace an existing file unless `overwrite`.
    ///
    /// >>> me = ona.Identity.generate()
    /// >>> me.save("me.key")
    /// >>> ona.Identity.from_file("me.key").encryption_public == me.encryption_public
    /// True
    #[pyo3(signature = (path, overwrite = false))]
    fn save(&self, path: PathBuf, overwrite: bool) -> PyResult<()> {
        write_secret(&path, self.0.to_secret_text().as_bytes(), overwrite)
    }

    /// The encryption public key (`onaenc1…`): give it to those who seal files for you.
    #[getter]
    fn encryption_public(&self) -> String {
        self.0.encryption_public().to_string()
    }

    /// The signing public key (`onasig1…`): give it to those who open files from you.
    #[getter]
    fn signing_public(&self) -> String {
        self.0.signing_public().to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Identity(encryption_public={:?}, signing_public={:?})",
            self.encryption_public(),
            self.signing_public()
        )
    }
}

pub(crate) fn recipients(to: &Bound<'_, PyAny>) -> PyResult<Vec<EncryptionPublicKey>> {
    let texts: Vec<String> = match to.cast::<PyString>() {
        Ok(s) => vec![s.extract::<String>()?],
        Err(_) => to.extract()?,
    };
    texts
        .iter()
        .map(|t| t.parse::<EncryptionPublicKey>().map_err(|e| key_error_for(t, e)))
        .collect()
}

fn key_error_for(text: &str, e: core::KeyError) -> PyErr {
    let short: String = text.chars().take(16).collect();
    Python::attach(|py| crate::errors::of_class(py, e.class(), format!("{short}…: {e}"), None))
}

fn content(text: &str) -> PyResult<ContentType> {
    text.parse().map_err(bad_value)
}

/// The manifest for sealing `data` as `content`, decided by the core: cases are checked
/// (pseudonymised records only) and counted; what the caller announces must match them.
fn checked_manifest(
    content: ContentType,
    data: impl std::io::BufRead,
    count: Option<u64>,
    domain: Option<String>,
    key_id: Option<String>,
) -> PyResult<Manifest> {
    sealing_manifest(content, data, count, domain, key_id).map_err(content_error)
}

/// A content refusal as the exception of its class (`ValidationError`; `OSError` for I/O).
fn content_error(e: ContentError) -> PyErr {
    let msg = format!("cannot seal as cases: {e}; nothing was written");
    Python::attach(|py| crate::errors::of_class(py, e.class(), msg, None))
}

/// Seals `data` to the recipients `to` (one or more `onaenc1…` keys), signed by `sign`.
/// As `cases`, `data` must be pseudonymised records (JSON Lines or packed) in one domain, as
/// `ona seal` requires: raw cases raise `ValidationError`. The record count, domain and key id
/// come from the records (if given, they must match); a report counts 1 unless given.
///
/// >>> sealed = ona.seal(Path("pseudonymised.jsonl").read_bytes(), hub.encryption_public, centre)
/// >>> ona.open(sealed, hub, "kz", directory=d).manifest["record_count"]
/// 60
#[pyfunction]
#[pyo3(signature = (data, to, sign, content = "cases", record_count = None,
                    pseudonym_domain = None, pseudonym_key_id = None))]
#[allow(clippy::too_many_arguments)]
pub fn seal<'py>(
    py: Python<'py>,
    data: &[u8],
    to: &Bound<'py, PyAny>,
    sign: &Identity,
    content: &str,
    record_count: Option<u64>,
    pseudonym_domain: Option<String>,
    pseudonym_key_id: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let rs = recipients(to)?;
    let ct = self::content(content)?;
    let m = checked_manifest(ct, data, record_count, pseudonym_domain, pseudonym_key_id)?;
    let sealed = py.detach(|| core::seal(data, &m, &rs, &sign.0)).map_err(seal_error)?;
    Ok(PyBytes::new(py, &sealed))
}

/// An opened and fully verified export.
///
/// >>> opened = ona.open(Path("cases.ona").read_bytes(), hub, "kz", directory=d)
/// >>> opened.sender_verified, opened.manifest["content_type"], len(opened.data.splitlines())
/// (True, 'cases', 60)
#[pyclass(module = "ona._ona", frozen)]
pub struct Opened {
    manifest: Manifest,
    data: Py<PyBytes>,
    sender_verified: bool,
}

#[pymethods]
impl Opened {
    /// The manifest (authenticated by the sender's signature), as a dict.
    #[getter]
    fn manifest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.manifest)
    }

    /// The content.
    #[getter]
    fn data(&self, py: Python<'_>) -> Py<PyBytes> {
        self.data.clone_ref(py)
    }

    /// Whether the sender was checked (False only when opened with `any_sender=True`).
    #[getter]
    fn sender_verified(&self) -> bool {
        self.sender_verified
    }

    fn __repr__(&self) -> String {
        format!(
            "Opened(content_type={:?}, record_count={}, sender={:?}{})",
            self.manifest.content_type.id(),
            self.manifest.record_count,
            self.manifest.sender,
            if self.sender_verified { "" } else { ", sender NOT verified" }
        )
    }
}

/// Opens and verifies a sealed export held in memory. Say who may have sent it: `sender` (an
/// `onasig1…` key, or with `directory` an organisation id), `directory` (a verified
/// [`Directory`]: the sender must be listed, unrevoked and valid when the export was made), or
/// `any_sender=True` to accept anyone (then `sender_verified` is False). Without any of them
/// the call is refused.
///
/// >>> opened = ona.open(Path("cases.ona").read_bytes(), hub, "kz", directory=d)
/// >>> opened.sender_verified, opened.manifest["pseudonym_domain"]
/// (True, 'kz/2026')
#[pyfunction]
#[pyo3(signature = (data, key, sender = None, *, directory = None, any_sender = false))]
pub fn open(
    py: Python<'_>,
    data: &[u8],
    key: &Identity,
    sender: Option<&str>,
    directory: Option<PyRef<'_, Directory>>,
    any_sender: bool,
) -> PyResult<Opened> {
    let p = policy(sender, directory.as_deref(), any_sender)?;
    let opened = py
        .detach(|| ona_core::directory::open_checked(data, &key.0, &p))
        .map_err(|e| open_error(py, e))?;
    Ok(Opened {
        manifest: opened.manifest,
        data: PyBytes::new(py, &opened.plaintext).unbind(),
        sender_verified: p.verifies_sender(),
    })
}

/// Seals the file at `src` into `dst` (written atomically), like `ona seal`: the same content
/// check as [`seal`].
///
/// >>> ona.seal_file("pseudonymised.jsonl", "p.ona", hub.encryption_public, centre)
/// >>> ona.open_file("p.ona", "p.jsonl", hub, directory=d)["record_count"]
/// 60
#[pyfunction]
#[pyo3(signature = (src, dst, to, sign, content = "cases", record_count = None,
                    pseudonym_domain = None, pseudonym_key_id = None))]
#[allow(clippy::too_many_arguments)]
pub fn seal_file(
    py: Python<'_>,
    src: PathBuf,
    dst: PathBuf,
    to: &Bound<'_, PyAny>,
    sign: &Identity,
    content: &str,
    record_count: Option<u64>,
    pseudonym_domain: Option<String>,
    pseudonym_key_id: Option<String>,
) -> PyResult<()> {
    let rs = recipients(to)?;
    let ct = self::content(content)?;
    let f = File::open(&src).map_err(|e| io_error(&src, e))?;
    let m = py
        .detach(|| {
            sealing_manifest(
                ct,
                BufReader::new(f),
                record_count,
                pseudonym_domain,
                pseudonym_key_id,
            )
        })
        .map_err(|e| match e {
            ContentError::Io(io) => io_error(&src, io),
            other => content_error(other),
        })?;
    py.detach(|| core::seal_file(&src, &dst, &m, &rs, &sign.0)).map_err(seal_error)
}

/// Opens `src` into `dst`, like `ona open`: `dst` appears only after the last chunk and the
/// signature verify; on any failure there is no `dst`. Returns the manifest as a dict. The
/// sender must be named as for [`open`].
///
/// >>> ona.open_file("cases.ona", "received.jsonl", hub, directory=d)["record_count"]
/// 60
#[pyfunction]
#[pyo3(signature = (src, dst, key, sender = None, *, directory = None, any_sender = false))]
pub fn open_file<'py>(
    py: Python<'py>,
    src: PathBuf,
    dst: PathBuf,
    key: &Identity,
    sender: Option<&str>,
    directory: Option<PyRef<'_, Directory>>,
    any_sender: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let p = policy(sender, directory.as_deref(), any_sender)?;
    let m = py
        .detach(|| ona_core::directory::open_file_checked(&src, &dst, &key.0, &p))
        .map_err(|e| open_error(py, e))?;
    to_python(py, &m)
}

/// What can be told about a sealed file without a key: format version, suite, number of
/// recipients, header size.
///
/// >>> ona.inspect(Path("cases.ona").read_bytes())["recipients"]
/// 1
#[pyfunction]
pub fn inspect<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let info = core::inspect(data).map_err(|e| open_error(py, e))?;
    let d = pyo3::types::PyDict::new(py);
    d.set_item("version", info.version)?;
    d.set_item("suite", info.suite)?;
    d.set_item("recipients", info.recipients)?;
    d.set_item("header_len", info.header_len)?;
    Ok(d.into_any())
}

fn closed() -> PyErr {
    PyValueError::new_err("I/O operation on a closed sealer or opener")
}

/// Seals a stream into a file: `with Sealer(path, to, sign, record_count=n) as s: s.write(b)`.
/// The file appears at `path` only when the block ends without an exception (or on
/// `finish()`); otherwise nothing is written. As `cases`, every record written is checked
/// before it is sealed (pseudonymised only, in the announced domain if given), and `finish`
/// refuses a count other than `record_count`: `ValidationError`, and no file.
///
/// >>> with ona.Sealer("s.ona", hub.encryption_public, centre, record_count=60) as s:
/// ...     n = s.write(Path("pseudonymised.jsonl").read_bytes())
/// >>> ona.open_file("s.ona", "s.jsonl", hub, directory=d)["record_count"]
/// 60
#[pyclass(module = "ona._ona")]
pub struct Sealer(Mutex<Option<CheckedContent<core::Sealer<AtomicFile>>>>);

#[pymethods]
impl Sealer {
    /// Starts sealing into `path` for `to`, signed by `sign`; the manifest needs the number
    /// of records up front.
    #[new]
    #[pyo3(signature = (path, to, sign, record_count, content = "cases",
                        pseudonym_domain = None, pseudonym_key_id = None))]
    fn new(
        path: PathBuf,
        to: &Bound<'_, PyAny>,
        sign: &Identity,
        record_count: u64,
        content: &str,
        pseudonym_domain: Option<String>,
        pseudonym_key_id: Option<String>,
    ) -> PyResult<Sealer> {
        let rs = recipients(to)?;
        let mut m = Manifest::new(self::content(content)?, record_count);
        m.pseudonym_domain = pseudonym_domain;
        m.pseudonym_key_id = pseudonym_key_id;
        let out = AtomicFile::create(&path).map_err(|e| io_error(&path, e))?;
        out.shareable().map_err(|e| io_error(&path, e))?;
        let s = core::Sealer::new(out, &m, &rs, &sign.0).map_err(seal_error)?;
        Ok(Sealer(Mutex::new(Some(CheckedContent::new(s, &m)))))
    }

    /// Checks and seals `data`; returns its length. Content that may not be sealed raises
    /// `ValidationError` and abandons the file.
    ///
    /// >>> line = Path("pseudonymised.jsonl").read_bytes().splitlines(keepends=True)[0]
    /// >>> s = ona.Sealer("one.ona", hub.encryption_public, centre, record_count=1)
    /// >>> s.write(line) == len(line)
    /// True
    /// >>> s.finish()
    fn write(&self, py: Python<'_>, data: &[u8]) -> PyResult<usize> {
        let mut guard = self.0.lock().map_err(|_| closed())?;
        let s = guard.as_mut().ok_or_else(closed)?;
        if let Err(e) = py.detach(|| s.push(data)) {
            guard.take();
            return Err(match e {
                ContentError::Io(io) => seal_error(io.into()),
                other => content_error(other),
            });
        }
        Ok(data.len())
    }

    /// Checks the end of the content and its count, writes the final chunk and the signature
    /// and moves the file into place.
    ///
    /// >>> line = Path("pseudonymised.jsonl").read_bytes().splitlines(keepends=True)[0]
    /// >>> s = ona.Sealer("one.ona", hub.encryption_public, centre, record_count=1)
    /// >>> n = s.write(line)
    /// >>> os.path.exists("one.ona")
    /// False
    /// >>> s.finish()
    /// >>> os.path.exists("one.ona")
    /// True
    fn finish(&self, py: Python<'_>) -> PyResult<()> {
        let s = self.0.lock().map_err(|_| closed())?.take().ok_or_else(closed)?;
        let (sealer, _) = py.detach(|| s.finish()).map_err(|e| match e {
            ContentError::Io(io) => seal_error(io.into()),
            other => content_error(other),
        })?;
        py.detach(|| {
            sealer.finish().map_err(seal_error)?.commit().map_err(|e| seal_error(e.into()))
        })
    }

    /// Whether the sealer is finished or abandoned.
    #[getter]
    fn closed(&self) -> bool {
        self.0.lock().map(|g| g.is_none()).unwrap_or(true)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Finishes on success; on an exception drops the partial file and lets it propagate.
    #[pyo3(signature = (exc_type = None, _exc = None, _tb = None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        exc_type: Option<Bound<'_, PyAny>>,
        _exc: Option<Bound<'_, PyAny>>,
        _tb: Option<Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        if exc_type.is_some_and(|t| !t.is_none()) {
            self.0.lock().map_err(|_| closed())?.take();
        } else if !self.closed() {
            self.finish(py)?;
        }
        Ok(false)
    }
}

/// Where an [`Opener`] reads plaintext from.
enum Reading {
    /// The whole export, verified, in an owner-only temporary file.
    Spooled(BufReader<File>),
    /// Chunks as they authenticate (opt-in): the end is reported only once all verifies.
    Streaming(Box<core::Opener<BufReader<File>>>),
}

/// Largest buffer a single `read` grows by at once: a huge `size` is not allocated up front.
const READ_STEP: u64 = 1 << 20;

/// Reads a sealed file: `with Opener(path, key, directory=d) as o: data = o.read()`.
///
/// By default the whole file is decrypted into an owner-only temporary file and verified —
/// every chunk, the sender and the signature — when the Opener is created: nothing is returned
/// from a file that does not verify. With `unverified_streaming=True`, chunks are returned as
/// they authenticate and the signature is checked at the end; a consumer must then not act on
/// the content before `verified` is true.
///
/// No lock is ever waited for while the GIL is held: `verified` and `manifest` take none, and
/// `read` and `close` wait with the GIL released.
#[pyclass(module = "ona._ona")]
pub struct Opener {
    reading: Mutex<Option<Reading>>,
    manifest: Manifest,
    verified: AtomicBool,
}

enum ReadFailure {
    Closed,
    Io(std::io::Error),
}

#[pymethods]
impl Opener {
    /// Opens `path` with `key`, checking the sender as [`open`] does; verifies the whole file
    /// now unless `unverified_streaming`.
    #[new]
    #[pyo3(signature = (path, key, sender = None, *, directory = None, any_sender = false,
                        unverified_streaming = false))]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        key: &Identity,
        sender: Option<&str>,
        directory: Option<PyRef<'_, Directory>>,
        any_sender: bool,
        unverified_streaming: bool,
    ) -> PyResult<Opener> {
        let p = policy(sender, directory.as_deref(), any_sender)?;
        let f = File::open(&path).map_err(|e| io_error(&path, e))?;
        let expected = match &p {
            ona_core::directory::SenderPolicy::Key(k) => Some(k),
            _ => None,
        };
        let o = core::Opener::new(BufReader::with_capacity(1 << 20, f), &key.0, expected)
            .map_err(|e| open_error(py, e))?;
        p.check(o.manifest()).map_err(|e| open_error(py, e))?;
        let manifest = o.manifest().clone();
        if unverified_streaming {
            return Ok(Opener {
                reading: Mutex::new(Some(Reading::Streaming(Box::new(o)))),
                manifest,
                verified: AtomicBool::new(false),
            });
        }
        let (spool, manifest) =
            py.detach(|| core::spool_verified(o)).map_err(|e| open_error(py, e))?;
        Ok(Opener {
            reading: Mutex::new(Some(Reading::Spooled(BufReader::new(spool)))),
            manifest,
            verified: AtomicBool::new(true),
        })
    }

    /// The manifest, as a dict (authenticated once `verified` is true).
    #[getter]
    fn manifest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.manifest)
    }

    /// Whether the whole file and the signature have been verified (from the start unless
    /// `unverified_streaming`).
    #[getter]
    fn verified(&self) -> bool {
        self.verified.load(Ordering::Acquire)
    }

    /// Up to `size` bytes (all the rest when `size` is None or negative); `b""` only at a
    /// verified end.
    #[pyo3(signature = (size = None))]
    fn read<'py>(&self, py: Python<'py>, size: Option<i64>) -> PyResult<Bound<'py, PyBytes>> {
        let limit = size.and_then(|s| u64::try_from(s).ok()).unwrap_or(u64::MAX);
        let got = py.detach(|| {
            let mut guard = self.reading.lock().map_err(|_| ReadFailure::Closed)?;
            let reading = guard.as_mut().ok_or(ReadFailure::Closed)?;
            let r: &mut dyn Read = match reading {
                Reading::Spooled(f) => f,
                Reading::Streaming(o) => o,
            };
            // Grows by steps as data comes, never by the size asked for.
            let mut buf = Vec::new();
            let mut left = limit;
            while left > 0 {
                let step = left.min(READ_STEP);
                match (&mut *r).take(step).read_to_end(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => left -= n as u64,
                    Err(e) => {
                        guard.take();
                        return Err(ReadFailure::Io(e));
                    }
                }
            }
            if let Some(Reading::Streaming(o)) = guard.as_ref() {
                self.verified.store(o.is_verified(), Ordering::Release);
            }
            Ok(buf)
        });
        match got {
            Ok(buf) => Ok(PyBytes::new(py, &buf)),
            Err(ReadFailure::Closed) => Err(closed()),
            Err(ReadFailure::Io(e)) => Err(read_error(py, e)),
        }
    }

    /// Closes the file (waiting for a read in another thread, with the GIL released).
    fn close(&self, py: Python<'_>) {
        py.detach(|| {
            if let Ok(mut g) = self.reading.lock() {
                g.take();
            }
        });
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (_exc_type = None, _exc = None, _tb = None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: Option<Bound<'_, PyAny>>,
        _exc: Option<Bound<'_, PyAny>>,
        _tb: Option<Bound<'_, PyAny>>,
    ) -> bool {
        self.close(py);
        false
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The next piece of content (64 KiB at most); stops at the verified end.
    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let b = self.read(py, Some(64 * 1024))?;
        Ok((!b.as_bytes().is_empty()).then_some(b))
    }
}

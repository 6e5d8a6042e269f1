//! The network directory: a verified, signed list of the network's organisations, and the
//! sender policy every opener must choose (`sender`, `directory` or an explicit `any_sender`).

use crate::errors::{bad_value, directory_error, key_error};
use crate::seal::to_python;
use ona_core::directory::{self as core, SenderPolicy};
use ona_core::seal::SigningPublicKey;
use pyo3::prelude::*;

pyo3::create_exception!(
    ona,
    DirectoryError,
    crate::errors::OnaError,
    "A network directory does not verify (signature, signer, serial) or is malformed."
);

/// A network directory whose hub signature was verified against a pinned hub key.
///
/// >>> d = ona.Directory.verify(Path("directory.json").read_bytes(), hub.signing_public)
/// >>> d.network, d.serial
/// ('Docs', 2)
#[pyclass(module = "ona._ona", frozen)]
pub struct Directory(pub core::Directory);

#[pymethods]
impl Directory {
    /// Verifies a directory file's bytes against the hub signing key `hub` (`onasig1…`, obtained
    /// from the hub directly). With `min_serial`, an older edition than one already accepted is
    /// refused (a rollback); keep the highest `serial` you accepted and pass it next time.
    ///
    /// >>> d = ona.Directory.verify(Path("directory.json").read_bytes(), hub.signing_public)
    /// >>> ona.Directory.verify(Path("directory.json").read_bytes(), hub.signing_public, d.serial).serial
    /// 2
    #[staticmethod]
    #[pyo3(signature = (data, hub, min_serial = 0))]
    fn verify(data: &[u8], hub: &str, min_serial: u64) -> PyResult<Directory> {
        let hub: SigningPublicKey = hub.parse().map_err(key_error)?;
        let mut pin = core::Pin::new(&hub);
        pin.serial = min_serial;
        pin.accept(data).map(Directory).map_err(directory_error)
    }

    /// The edition's serial number.
    #[getter]
    fn serial(&self) -> u64 {
        self.0.serial
    }

    /// The network's name.
    #[getter]
    fn network(&self) -> String {
        self.0.network.clone()
    }

    /// The entries (one per key pair), as dicts.
    #[getter]
    fn organisations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.0.organisations)
    }

    /// The encryption key to seal to for organisation `id` now.
    ///
    /// >>> d.recipient("kz") == centre.encryption_public
    /// True
    fn recipient(&self, id: &str) -> PyResult<String> {
        self.0.recipient(id, core::now()).map(|k| k.to_string()).map_err(directory_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Directory(network={:?}, serial={}, organisations={})",
            self.0.network,
            self.0.serial,
            self.0.organisations.len()
        )
    }
}

/// The sender policy of an opening call. There is no default: without `sender` or `directory`
/// the caller must pass `any_sender=True`.
pub fn policy<'a>(
    sender: Option<&str>,
    directory: Option<&'a Directory>,
    any_sender: bool,
) -> PyResult<SenderPolicy<'a>> {
    if any_sender && (sender.is_some() || directory.is_some()) {
        return Err(bad_value("any_sender=True cannot be combined with sender or directory"));
    }
    let key = sender
        .filter(|s| s.to_lowercase().starts_with("onasig1"))
        .map(|s| s.parse::<SigningPublicKey>().map_err(key_error))
        .transpose()?;
    Ok(match (directory, key) {
        (Some(d), Some(k)) => {
            let name = d
                .0
                .organisations
                .iter()
                .find(|e| e.signing_key == k.to_string())
                .map(|e| e.id.clone())
                .ok_or_else(|| directory_error(core::DirectoryError::NotListed(k.to_string())))?;
            SenderPolicy::Directory { directory: &d.0, name: Some(name) }
        }
        (Some(d), None) => {
            SenderPolicy::Directory { directory: &d.0, name: sender.map(String::from) }
        }
        (None, Some(k)) => SenderPolicy::Key(k),
        (None, None) if sender.is_some() => {
            return Err(bad_value(format!(
                "sender {:?}: an organisation id needs directory=…",
                sender.unwrap_or_default()
            )))
        }
        (None, None) if any_sender => SenderPolicy::AnySender,
        (None, None) => {
            return Err(bad_value(
                "refusing to open without knowing who may have sent the file: pass \
                 directory=Directory.verify(...), sender='onasig1…', or any_sender=True to \
                 accept anyone (the file may then come from anyone who knows your public key)",
            ))
        }
    })
}

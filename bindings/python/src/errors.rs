//! The exception hierarchy rooted at `ona.OnaError`, and the mapping of each core error kind
//! onto it. Messages are the core's own; none carries secret material.
//!
//! ```text
//! OnaError
//! ├── ValidationError        .problems: list[Problem]
//! ├── KeyFormatError         a key, identity or key file that cannot be read
//! ├── PolicyError            an invalid pseudonymisation policy
//! ├── SealError              sealing failed (recipients, manifest)
//! ├── DecryptionError        .kind: not for this key, modified, truncated, reordered…
//! │   └── FormatError        .kind: not a sealed export this version reads
//! ├── SignatureError         .kind: bad signature, unexpected sender, sender not allowed
//! ├── DirectoryError         a network directory that does not verify
//! ├── MappingError           an import mapping that is invalid or does not fit the export
//! └── ReportError            an invalid report specification or input
//!     └── BudgetExceededError
//! ```
//! I/O failures are Python's own `OSError` subclasses (`FileNotFoundError`…); a bad argument
//! value is `ValueError`.

use ona_core::pseudonym::{PolicyError as CorePolicyError, PseudonymKeyError, PseudonymiserError};
use ona_core::report::ReportError as CoreReportError;
use ona_core::schema::{Lang, Problem as CoreProblem};
use ona_core::seal::{KeyError, OpenError, SealError as CoreSealError};
use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(ona, OnaError, PyException, "Root of every error raised by ona.");
pyo3::create_exception!(
    ona,
    ValidationError,
    OnaError,
    "A record is not valid; `problems` lists every problem (record, pointer, code, message)."
);
pyo3::create_exception!(
    ona,
    KeyFormatError,
    OnaError,
    "A key, identity or key file cannot be read."
);
pyo3::create_exception!(ona, PolicyError, OnaError, "A pseudonymisation policy is invalid.");
pyo3::create_exception!(ona, SealError, OnaError, "Sealing failed (recipients, manifest).");
pyo3::create_exception!(
    ona,
    DecryptionError,
    OnaError,
    "A sealed file cannot be opened with this key or was modified, truncated or reordered; \
     `kind` names the failure (`chunk_authentication`, `truncated`, …)."
);
pyo3::create_exception!(
    ona,
    FormatError,
    DecryptionError,
    "The file is not a sealed export this version reads (malformed header, version, limits)."
);
pyo3::create_exception!(
    ona,
    SignatureError,
    OnaError,
    "The sender's signature does not verify, or the file is from another sender than expected."
);
pyo3::create_exception!(ona, ReportError, OnaError, "A report specification or input is invalid.");
pyo3::create_exception!(
    ona,
    MappingError,
    OnaError,
    "An import mapping is invalid, or the export cannot be read or does not fit it."
);
pyo3::create_exception!(
    ona,
    BudgetExceededError,
    ReportError,
    "A differentially private release would exceed the dataset's privacy budget."
);

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("OnaError", py.get_type::<OnaError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("KeyFormatError", py.get_type::<KeyFormatError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("SealError", py.get_type::<SealError>())?;
    m.add("DecryptionError", py.get_type::<DecryptionError>())?;
    m.add("FormatError", py.get_type::<FormatError>())?;
    m.add("SignatureError", py.get_type::<SignatureError>())?;
    m.add("ReportError", py.get_type::<ReportError>())?;
    m.add("BudgetExceededError", py.get_type::<BudgetExceededError>())?;
    m.add("MappingError", py.get_type::<MappingError>())?;
    m.add("DirectoryError", py.get_type::<crate::directory::DirectoryError>())?;
    m.add_class::<Problem>()?;
    Ok(())
}

/// One problem of an invalid record.
#[pyclass(module = "ona", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Problem {
    /// Index of the record in the input (0 for a single record).
    pub record: usize,
    /// JSON Pointer to the offending value (`""` for the whole record).
    pub pointer: String,
    /// Stable problem code, e.g. `unknown_code`.
    pub code: String,
    /// Message in the language asked for.
    pub message: String,
    /// The named parameters of the message.
    pub params: Vec<(String, String)>,
}

#[pymethods]
impl Problem {
    fn __repr__(&self) -> String {
        format!(
            "Problem(record={}, pointer={:?}, code={:?}, message={:?})",
            self.record, self.pointer, self.code, self.message
        )
    }

    fn __str__(&self) -> String {
        self.to_string()
    }

    fn __eq__(&self, other: &Problem) -> bool {
        (self.record, &self.pointer, &self.code, &self.message)
            == (other.record, &other.pointer, &other.code, &other.message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record {}: {}: {}: {}", self.record, self.pointer, self.code, self.message)
    }
}

impl Problem {
    /// Converts a core problem of record `record`, message in `lang`.
    pub fn from_core(record: usize, p: &CoreProblem, lang: Lang) -> Problem {
        Problem {
            record,
            pointer: p.pointer.clone(),
            code: p.code.to_string(),
            message: p.message(lang),
            params: p.params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }
}

/// `ValidationError` carrying `problems`.
pub fn validation_error(py: Python<'_>, problems: Vec<Problem>) -> PyErr {
    let records = {
        let mut r: Vec<usize> = problems.iter().map(|p| p.record).collect();
        r.dedup();
        r.len()
    };
    let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
    let msg = match problems.len() {
        1 => format!("invalid record: {first}"),
        n => format!("{n} problems in {records} record(s); first: {first}"),
    };
    let err = ValidationError::new_err(msg);
    let list: Vec<Py<Problem>> = problems.into_iter().filter_map(|p| Py::new(py, p).ok()).collect();
    if let Err(e) = err.value(py).setattr("problems", list) {
        return e;
    }
    err
}

/// An exception of class `E` with a `kind` attribute.
fn with_kind<E: pyo3::PyTypeInfo>(py: Python<'_>, kind: &str, msg: String) -> PyErr {
    let err = PyErr::new::<E, _>(msg);
    if let Err(e) = err.value(py).setattr("kind", kind) {
        return e;
    }
    err
}

/// Maps an opening failure: I/O stays `OSError`, the rest by kind.
pub fn open_error(py: Python<'_>, e: OpenError) -> PyErr {
    let kind = e.kind();
    match e {
        OpenError::Io(io) => io.into(),
        OpenError::BadSignature
        | OpenError::UnexpectedSender { .. }
        | OpenError::SenderNotAllowed(_) => with_kind::<SignatureError>(py, kind, e.to_string()),
        OpenError::HeaderMalformed(_)
        | OpenError::UnsupportedVersion(_)
        | OpenError::UnsupportedSuite(_)
        | OpenError::LimitExceeded(_)
        | OpenError::ManifestMalformed(_) => with_kind::<FormatError>(py, kind, e.to_string()),
        _ => with_kind::<DecryptionError>(py, kind, e.to_string()),
    }
}

/// Maps an I/O error that may carry an opening failure (the `Read` side of an opener).
pub fn read_error(py: Python<'_>, e: std::io::Error) -> PyErr {
    open_error(py, OpenError::from_io(e))
}

/// Maps a sealing failure.
pub fn seal_error(e: CoreSealError) -> PyErr {
    match e {
        CoreSealError::Io(io) => io.into(),
        other => SealError::new_err(other.to_string()),
    }
}

/// Maps a key parsing failure.
pub fn key_error(e: KeyError) -> PyErr {
    KeyFormatError::new_err(e.to_string())
}

/// Maps a pseudonymisation key failure.
pub fn pseudonym_key_error(e: PseudonymKeyError) -> PyErr {
    KeyFormatError::new_err(e.to_string())
}

/// Maps a policy failure.
pub fn policy_error(e: CorePolicyError) -> PyErr {
    PolicyError::new_err(e.to_string())
}

/// Maps a pseudonymiser failure (policy or key).
pub fn pseudonymiser_error(e: PseudonymiserError) -> PyErr {
    match e {
        PseudonymiserError::Policy(p) => policy_error(p),
        PseudonymiserError::Key(k) => pseudonym_key_error(k),
        other => OnaError::new_err(other.to_string()),
    }
}

/// Maps a report failure.
pub fn report_error(e: CoreReportError) -> PyErr {
    match e {
        CoreReportError::Io(io) => io.into(),
        e @ CoreReportError::BudgetExceeded { .. } => BudgetExceededError::new_err(e.to_string()),
        other => ReportError::new_err(other.to_string()),
    }
}

/// `ValueError` for a bad argument.
pub fn bad_value(msg: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(msg.to_string())
}

/// The `OSError` subclass Python would raise for `e` on `path` (`FileNotFoundError`…), with
/// `errno`, `strerror` and `filename` set.
pub fn io_error(path: &std::path::Path, e: std::io::Error) -> PyErr {
    use pyo3::exceptions::{PyFileExistsError, PyFileNotFoundError, PyPermissionError};
    use std::io::ErrorKind;
    let args = (e.raw_os_error().unwrap_or(0), e.to_string(), path.display().to_string());
    match e.kind() {
        ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
        ErrorKind::PermissionDenied => PyPermissionError::new_err(args),
        ErrorKind::AlreadyExists => PyFileExistsError::new_err(args),
        _ => PyOSError::new_err(args),
    }
}

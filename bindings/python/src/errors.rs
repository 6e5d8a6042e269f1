//! The exception hierarchy rooted at `ona.OnaError`, and the mapping of each core error kind
//! onto it. Messages are the core's own; none carries secret material.
//!
//! ```text
//! OnaError
//! ├── ValidationError        .problems: list[Problem]
//! ├── KeyFormatError         a key, identity or key file that cannot be read
//! │   └── PseudonymKeyError  a pseudonymisation key or domain that cannot be used
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
//! value is `ValueError`. Which class an error of the core gets is the core's decision
//! (`ona_core::error_class`): every mapping here goes through [`of_class`], and each exception
//! carries `error_class`, the core's name of its class.

use ona_core::directory::DirectoryError as CoreDirectoryError;
use ona_core::error_class::ErrorClass;
use ona_core::import::ImportError;
use ona_core::pseudonym::{
    PolicyError as CorePolicyError, PseudonymKeyError as CorePseudonymKeyError, PseudonymiserError,
};
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
pyo3::create_exception!(
    ona,
    PseudonymKeyError,
    KeyFormatError,
    "A pseudonymisation key or domain cannot be used."
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
    m.add("PseudonymKeyError", py.get_type::<PseudonymKeyError>())?;
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
///
/// >>> problem = ona.validate({"schema_version": "1.0"})[0]
/// >>> problem.record, problem.pointer, problem.code
/// (0, '/centre', 'missing_field')
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
    let err = tag(py, ValidationError::new_err(msg), ErrorClass::Validation, None);
    let list: Vec<Py<Problem>> = problems.into_iter().filter_map(|p| Py::new(py, p).ok()).collect();
    if let Err(e) = err.value(py).setattr("problems", list) {
        return e;
    }
    err
}

/// The exception of the core's error class `class`, with the core's message, an
/// `error_class` attribute naming the class as the core does (`Decryption`, `Io`…) and, for an
/// opening failure, its `kind`. Every class has its one exception here: no default arm guesses.
pub fn of_class(py: Python<'_>, class: ErrorClass, msg: String, kind: Option<&str>) -> PyErr {
    let err = match class {
        ErrorClass::Validation => ValidationError::new_err(msg),
        ErrorClass::KeyFormat => KeyFormatError::new_err(msg),
        ErrorClass::PseudonymKey => PseudonymKeyError::new_err(msg),
        ErrorClass::Policy => PolicyError::new_err(msg),
        ErrorClass::Seal => SealError::new_err(msg),
        ErrorClass::Decryption => DecryptionError::new_err(msg),
        ErrorClass::Format => FormatError::new_err(msg),
        ErrorClass::Signature => SignatureError::new_err(msg),
        ErrorClass::Directory => crate::directory::DirectoryError::new_err(msg),
        ErrorClass::Mapping => MappingError::new_err(msg),
        ErrorClass::Report => ReportError::new_err(msg),
        ErrorClass::BudgetExceeded => BudgetExceededError::new_err(msg),
        ErrorClass::Io => PyOSError::new_err(msg),
        ErrorClass::InvalidArgument => PyValueError::new_err(msg),
    };
    tag(py, err, class, kind)
}

/// Sets `error_class` (and `kind` if given) on `err`.
fn tag(py: Python<'_>, err: PyErr, class: ErrorClass, kind: Option<&str>) -> PyErr {
    let value = err.value(py);
    if let Err(e) = value.setattr("error_class", class.name()) {
        return e;
    }
    if let Some(kind) = kind {
        if let Err(e) = value.setattr("kind", kind) {
            return e;
        }
    }
    err
}

/// An I/O failure the core reported: Python's own `OSError` subclass, tagged `Io`.
fn io_class(py: Python<'_>, io: std::io::Error, kind: Option<&str>) -> PyErr {
    tag(py, io.into(), ErrorClass::Io, kind)
}

/// Maps an opening failure by its class; I/O stays Python's `OSError`.
pub fn open_error(py: Python<'_>, e: OpenError) -> PyErr {
    let (class, kind) = (e.class(), e.kind());
    match e {
        OpenError::Io(io) => io_class(py, io, Some(kind)),
        other => of_class(py, class, other.to_string(), Some(kind)),
    }
}

/// Maps an I/O error that may carry an opening failure (the `Read` side of an opener).
pub fn read_error(py: Python<'_>, e: std::io::Error) -> PyErr {
    open_error(py, OpenError::from_io(e))
}

/// Maps a sealing failure by its class.
pub fn seal_error(e: CoreSealError) -> PyErr {
    Python::attach(|py| match e {
        CoreSealError::Io(io) => io_class(py, io, None),
        other => of_class(py, other.class(), other.to_string(), None),
    })
}

/// Maps a key parsing failure by its class.
pub fn key_error(e: KeyError) -> PyErr {
    Python::attach(|py| of_class(py, e.class(), e.to_string(), None))
}

/// Maps a pseudonymisation key failure by its class.
pub fn pseudonym_key_error(e: CorePseudonymKeyError) -> PyErr {
    Python::attach(|py| of_class(py, e.class(), e.to_string(), None))
}

/// Maps a policy failure by its class.
pub fn policy_error(e: CorePolicyError) -> PyErr {
    Python::attach(|py| of_class(py, e.class(), e.to_string(), None))
}

/// Maps a pseudonymiser failure (policy or key) by its class.
pub fn pseudonymiser_error(e: PseudonymiserError) -> PyErr {
    Python::attach(|py| of_class(py, e.class(), e.to_string(), None))
}

/// Maps a report failure by its class; I/O stays Python's `OSError`.
pub fn report_error(e: CoreReportError) -> PyErr {
    Python::attach(|py| match e {
        CoreReportError::Io(io) => io_class(py, io, None),
        other => of_class(py, other.class(), other.to_string(), None),
    })
}

/// Maps an import failure by its class.
pub fn import_error(e: ImportError) -> PyErr {
    Python::attach(|py| of_class(py, e.class(), e.to_string(), None))
}

/// Maps a directory failure by its class.
pub fn directory_error(e: CoreDirectoryError) -> PyErr {
    Python::attach(|py| of_class(py, e.class(), e.to_string(), None))
}

/// `ValueError` for a bad argument.
pub fn bad_value(msg: impl std::fmt::Display) -> PyErr {
    Python::attach(|py| of_class(py, ErrorClass::InvalidArgument, msg.to_string(), None))
}

/// The `OSError` subclass Python would raise for `e` on `path` (`FileNotFoundError`…), with
/// `errno`, `strerror` and `filename` set.
pub fn io_error(path: &std::path::Path, e: std::io::Error) -> PyErr {
    use pyo3::exceptions::{PyFileExistsError, PyFileNotFoundError, PyPermissionError};
    use std::io::ErrorKind;
    let args = (e.raw_os_error().unwrap_or(0), e.to_string(), path.display().to_string());
    let err = match e.kind() {
        ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
        ErrorKind::PermissionDenied => PyPermissionError::new_err(args),
        ErrorKind::AlreadyExists => PyFileExistsError::new_err(args),
        _ => PyOSError::new_err(args),
    };
    Python::attach(|py| tag(py, err, ErrorClass::Io, None))
}

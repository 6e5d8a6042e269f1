//! Pseudonymisation: keys, the `Pseudonymiser`, columns of identifiers (Python lists and Arrow
//! arrays) and whole records.

use crate::errors::{
    bad_value, io_error, policy_error, pseudonym_key_error, pseudonymiser_error, validation_error,
    Problem,
};
use crate::par;
use crate::standard::lang;
use crate::standard::{from_json_text, json_text};
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray, StringViewArray};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field};
use ona_core::error_class::ErrorClass;
use ona_core::pseudonym::{
    self as core, ColumnValues, IdentifierKind, MasterKey, Policy, PseudonymColumn, PSEUDONYM_LEN,
};
use ona_core::schema;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::PyChunkedArray;
use std::path::PathBuf;
use std::sync::Arc;

/// Parses an identifier kind by the core's rule (`name`, `document`, `text` or
/// `national_id:<type>`); a bad one is `ValueError` naming the valid ones.
fn kind(text: &str) -> PyResult<IdentifierKind> {
    text.parse().map_err(bad_value)
}

/// The policy of a `policy=` argument: None for the default, a `str` is the policy's text
/// (TOML or JSON), an `os.PathLike` (e.g. `pathlib.Path`) names a policy file, read here.
fn policy(arg: Option<&Bound<'_, PyAny>>) -> PyResult<Policy> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else {
        return Ok(Policy::default());
    };
    let text = if let Ok(t) = arg.cast::<pyo3::types::PyString>() {
        t.to_cow()?.into_owned()
    } else {
        let path: PathBuf = arg.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "policy must be the text of a policy (str) or a path (pathlib.Path), not {}",
                arg.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?;
        std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?
    };
    Policy::from_text(&text).map_err(policy_error)
}

/// Writes a new random pseudonymisation master key file (owner-only, atomically), the format
/// of `ona pseudonym-key`. Refuses to replace an existing file unless `overwrite`.
///
/// >>> ona.new_pseudonym_key_file("pseudonym.key")
/// >>> ona.Pseudonymiser.from_key_file("pseudonym.key", "kz/almaty").domain
/// 'kz/almaty'
#[pyfunction]
#[pyo3(signature = (path, overwrite = false))]
pub fn new_pseudonym_key_file(path: PathBuf, overwrite: bool) -> PyResult<()> {
    crate::seal::write_secret(&path, MasterKey::generate().to_key_file().as_bytes(), overwrite)
}

/// Pseudonymises cases and identifiers under one domain key and one policy.
///
/// >>> p = ona.Pseudonymiser(bytes(32), "kz/2026")   # a real key comes from a key file
/// >>> p.pseudonym_of("Сейтказина Динара Маратовна", kind="name") == p.pseudonym_of("Dinara Seitkazina", kind="name")
/// True
#[pyclass(module = "ona._ona", frozen)]
pub struct Pseudonymiser(pub(crate) core::Pseudonymiser);

#[pymethods]
impl Pseudonymiser {
    /// A pseudonymiser for `domain` from the 32 secret bytes of a master key; `policy` is the
    /// text of a policy (TOML or JSON, a `str`), a policy file (`pathlib.Path`), or None for
    /// the default policy.
    #[new]
    #[pyo3(signature = (key, domain, policy = None, generation = 1))]
    fn new(
        key: &[u8],
        domain: &str,
        policy: Option<&Bound<'_, PyAny>>,
        generation: u32,
    ) -> PyResult<Self> {
        let master = MasterKey::from_bytes(key, generation).map_err(pseudonym_key_error)?;
        let p = self::policy(policy)?;
        Ok(Pseudonymiser(
            core::Pseudonymiser::new(&master, domain, p).map_err(pseudonymiser_error)?,
        ))
    }

    /// A pseudonymiser from a key file written by `ona pseudonym-key`; `policy` as for the
    /// constructor (text or `pathlib.Path`).
    ///
    /// >>> ona.new_pseudonym_key_file("pseudonym.key")
    /// >>> ona.Pseudonymiser.from_key_file("pseudonym.key", "kz/almaty").domain
    /// 'kz/almaty'
    #[staticmethod]
    #[pyo3(signature = (path, domain, policy = None))]
    fn from_key_file(
        path: PathBuf,
        domain: &str,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        let master = MasterKey::from_key_file(&text).map_err(pseudonym_key_error)?;
        let p = self::policy(policy)?;
        Ok(Pseudonymiser(
            core::Pseudonymiser::new(&master, domain, p).map_err(pseudonymiser_error)?,
        ))
    }

    /// The pseudonymisation domain.
    #[getter]
    fn domain(&self) -> &str {
        self.0.domain()
    }

    /// The id of the domain key, written into every record.
    #[getter]
    fn key_id(&self) -> &str {
        self.0.key_id()
    }

    /// The canonical form of `value` as `kind`; None for a national ID that fails its checks.
    ///
    /// >>> p.canonical("Сейтказина Динара Маратовна", kind="name")
    /// 'dinara seitkazina'
    /// >>> p.canonical("000000000000", kind="national_id:KZ_IIN") is None
    /// True
    #[pyo3(signature = (value, kind = "text"))]
    fn canonical(&self, value: &str, kind: &str) -> PyResult<Option<String>> {
        Ok(self.0.canonical(self::kind(kind)?, value))
    }

    /// The pseudonym of one identifier; None when it has no canonical form.
    ///
    /// >>> p.pseudonym_of("Dinara Seitkazina", kind="name") == p.pseudonym_of("SEITKAZINA  dinara", kind="name")
    /// True
    /// >>> p.pseudonym_of("N/A", kind="name") is None
    /// True
    #[pyo3(signature = (value, kind = "text"))]
    fn pseudonym_of(&self, value: &str, kind: &str) -> PyResult<Option<String>> {
        Ok(self.0.pseudonym_of(self::kind(kind)?, value).map(|p| p.as_str().to_string()))
    }

    /// Pseudonyms of a column of identifiers, computed on every core without the GIL.
    ///
    /// `values` is a list (or tuple) of str — None stays None — or an Arrow string column: a
    /// pyarrow Array or ChunkedArray, a polars Series, a pandas Series with an Arrow string
    /// dtype, or anything with `__arrow_c_array__` / `__arrow_c_stream__`, read in place. The
    /// result is of the same kind (a list for a list, a pandas Series with the same index…).
    ///
    /// A value with no canonical form — blank, punctuation, a placeholder (`-`, `N/A`, `нет`,
    /// `yok`…), only particles or single letters for a name, a national ID failing its checks
    /// or a placeholder ID — gets no pseudonym. With `errors="null"` (the default) it becomes
    /// null and a `UserWarning` says how many did; with `errors="raise"` nothing is returned
    /// and `ValueError` says how many and the position of the first (never the value).
    ///
    /// >>> names = p.pseudonymise_many(["Dinara Seitkazina", "N/A", None, "SEITKAZINA Dinara"], kind="name")
    /// >>> names[0] == names[3], names[1:3]
    /// (True, [None, None])
    #[pyo3(signature = (values, kind = "text", errors = "null"))]
    fn pseudonymise_many<'py>(
        &self,
        py: Python<'py>,
        values: &Bound<'py, PyAny>,
        kind: &str,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kind = self::kind(kind)?;
        let raise = match errors {
            "null" => false,
            "raise" => true,
            other => {
                return Err(bad_value(format!(
                    "errors must be \"null\" or \"raise\", not {other:?}"
                )))
            }
        };
        if values.is_instance_of::<PyList>() || values.is_instance_of::<PyTuple>() {
            let values: Vec<Option<String>> = values.extract()?;
            let out = py.detach(|| self.0.pseudonymise_column(kind, values.as_slice()));
            report_nulled(py, out.nulled(), out.len(), out.first_nulled(), raise)?;
            let out = (0..out.len()).map(|i| out.get(i));
            return Ok(PyList::new(py, out)?.into_any());
        }
        let columns = py.import("ona._columns")?;
        let (input, restore): (Bound<'py, PyAny>, Bound<'py, PyAny>) =
            columns.call_method1("arrow_input", (values,))?.extract()?;
        let array: AnyArray = input.extract()?;
        let (chunks, _) = array.into_chunked_array()?.into_inner();
        let column = Chunks::of(&chunks)?;
        let out = py.detach(|| self.0.pseudonymise_column(kind, &column));
        report_nulled(py, out.nulled(), out.len(), out.first_nulled(), raise)?;
        let out = string_arrays(out)?;
        let field = Arc::new(Field::new("pseudonym", DataType::Utf8, true));
        let result = Bound::new(py, PyChunkedArray::try_new(out, field)?)?;
        restore.call1((result,))
    }

    /// Validates one case record (a dict, or JSON text) and returns its pseudonymised form as
    /// a dict; raises `ValidationError` with every problem, messages in `lang`.
    ///
    /// >>> sorted(p.pseudonymise(cases[0])["mother"])[:3]
    /// ['admin1', 'age_band', 'citizenship']
    #[pyo3(signature = (record, lang = "en"))]
    fn pseudonymise<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        lang: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = json_text(record)?;
        let mut out = self.pseudonymise_texts(py, vec![text], lang)?;
        from_json_text(py, &out.pop().unwrap_or_default())
    }

    /// Validates and pseudonymises many case records (dicts or JSON texts) on every core and
    /// returns a list of dicts. If any record is invalid, raises `ValidationError` listing
    /// every problem of every record (`Problem.record` is the index) and returns nothing.
    ///
    /// >>> len(p.pseudonymise_cases(cases))
    /// 60
    #[pyo3(signature = (records, lang = "en"))]
    fn pseudonymise_cases<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        lang: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let texts =
            records.try_iter()?.map(|r| json_text(&r?)).collect::<PyResult<Vec<String>>>()?;
        let out = self.pseudonymise_texts(py, texts, lang)?;
        let items = out.iter().map(|t| from_json_text(py, t)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __repr__(&self) -> String {
        format!("Pseudonymiser(domain={:?}, key_id={:?})", self.0.domain(), self.0.key_id())
    }
}

impl Pseudonymiser {
    /// Validates and pseudonymises records (JSON texts) on every core; raises
    /// `ValidationError` listing every problem of every invalid record, and returns nothing
    /// then.
    fn pseudonymise_texts(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        lang: &str,
    ) -> PyResult<Vec<String>> {
        let lang = self::lang(lang)?;
        let results = py.detach(|| {
            par::map(&texts, |i, t| match schema::validate_json(t) {
                Ok(case) => match self.0.pseudonymise(&case) {
                    Ok(p) => serde_json::to_string(&p)
                        .map_err(|e| Err((ErrorClass::InvalidArgument, e.to_string()))),
                    Err(e) => Err(Err((e.class(), e.to_string()))),
                },
                Err(e) => Err(Ok(e
                    .problems
                    .iter()
                    .map(|p| Problem::from_core(i, p, lang))
                    .collect::<Vec<_>>())),
            })
        });
        let mut out = Vec::with_capacity(results.len());
        let mut problems = Vec::new();
        for r in results {
            match r {
                Ok(text) => out.push(text),
                Err(Ok(p)) => problems.extend(p),
                Err(Err((class, msg))) => {
                    return Err(crate::errors::of_class(py, class, msg, None))
                }
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(validation_error(py, problems))
        }
    }
}

/// Says how many values got no pseudonym: a `UserWarning`, or `ValueError` when `raise`.
fn report_nulled(
    py: Python<'_>,
    nulled: usize,
    total: usize,
    first: Option<usize>,
    raise: bool,
) -> PyResult<()> {
    if nulled == 0 {
        return Ok(());
    }
    let what = format!(
        "{nulled} of {total} values have no canonical form (blank, placeholder, particles only \
         or an invalid ID), the first at position {}",
        first.unwrap_or_default()
    );
    if raise {
        return Err(bad_value(format!("{what}; nothing returned (errors=\"null\" gives nulls)")));
    }
    let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
    PyErr::warn(py, &category, &std::ffi::CString::new(format!("{what}: null"))?, 1)
}

/// A string column of any of Arrow's three string layouts, read in place.
enum StrColumn<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> StrColumn<'a> {
    fn of(array: &'a ArrayRef) -> PyResult<StrColumn<'a>> {
        let any = array.as_any();
        if let Some(a) = any.downcast_ref::<StringArray>() {
            Ok(StrColumn::Utf8(a))
        } else if let Some(a) = any.downcast_ref::<LargeStringArray>() {
            Ok(StrColumn::Large(a))
        } else if let Some(a) = any.downcast_ref::<StringViewArray>() {
            Ok(StrColumn::View(a))
        } else {
            Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "pseudonymise_many needs a column of strings, not {}",
                array.data_type()
            )))
        }
    }

    fn len(&self) -> usize {
        match self {
            StrColumn::Utf8(a) => a.len(),
            StrColumn::Large(a) => a.len(),
            StrColumn::View(a) => a.len(),
        }
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            StrColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

/// The chunks of an Arrow string column read as one column, in place.
struct Chunks<'a> {
    columns: Vec<StrColumn<'a>>,
    /// Where each chunk starts in the whole column.
    starts: Vec<usize>,
    len: usize,
}

impl<'a> Chunks<'a> {
    fn of(chunks: &'a [ArrayRef]) -> PyResult<Chunks<'a>> {
        let columns = chunks.iter().map(StrColumn::of).collect::<PyResult<Vec<_>>>()?;
        let mut starts = Vec::with_capacity(columns.len());
        let mut len = 0;
        for c in &columns {
            starts.push(len);
            len += c.len();
        }
        Ok(Chunks { columns, starts, len })
    }
}

impl ColumnValues for Chunks<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, i: usize) -> Option<&str> {
        let c = if self.columns.len() == 1 {
            0
        } else {
            self.starts.partition_point(|&s| s <= i).saturating_sub(1)
        };
        self.columns[c].get(i - self.starts[c])
    }
}

/// Values per output array: offsets of 32 bits must reach the end of the pseudonyms.
const OUT_CHUNK: usize = 1 << 22;

/// The pseudonyms as Arrow string arrays (one per 4M values) over the column's own bytes,
/// without copying them: a pseudonym every `PSEUDONYM_LEN` bytes.
fn string_arrays(column: PseudonymColumn) -> PyResult<Vec<ArrayRef>> {
    let n = column.len();
    let (text, present) = column.into_parts();
    let text = Buffer::from_vec(text);
    let mut out: Vec<ArrayRef> = Vec::with_capacity(n.div_ceil(OUT_CHUNK).max(1));
    let mut start = 0;
    loop {
        let len = OUT_CHUNK.min(n - start);
        let offsets: Vec<i32> = (0..=len)
            .map(|i| i32::try_from(i * PSEUDONYM_LEN))
            .collect::<Result<_, _>>()
            .map_err(|e| bad_value(e.to_string()))?;
        let present = &present[start..start + len];
        let nulls = present.contains(&false).then(|| NullBuffer::from(present));
        let array = StringArray::try_new(
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            text.slice_with_length(start * PSEUDONYM_LEN, len * PSEUDONYM_LEN),
            nulls,
        )
        .map_err(|e| bad_value(e.to_string()))?;
        out.push(Arc::new(array));
        start += len;
        if start >= n {
            return Ok(out);
        }
    }
}

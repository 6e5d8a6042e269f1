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
use arrow_schema::{DataType, Field};
use ona_core::error_class::ErrorClass;
use ona_core::pseudonym::{self as core, IdentifierKind, MasterKey, Policy, PSEUDONYM_LEN};
use ona_core::schema;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::PyChunkedArray;
use std::collections::HashMap;
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
#[pyfunction]
#[pyo3(signature = (path, overwrite = false))]
pub fn new_pseudonym_key_file(path: PathBuf, overwrite: bool) -> PyResult<()> {
    crate::seal::write_secret(&path, MasterKey::generate().to_key_file().as_bytes(), overwrite)
}

/// Pseudonymises cases and identifiers under one domain key and one policy.
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
    #[pyo3(signature = (value, kind = "text"))]
    fn canonical(&self, value: &str, kind: &str) -> PyResult<Option<String>> {
        Ok(self.0.canonical(self::kind(kind)?, value))
    }

    /// The pseudonym of one identifier; None when it has no canonical form.
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
            let out: Vec<Option<String>> = py.detach(|| {
                par::map(&values, |_, v| {
                    v.as_deref()
                        .and_then(|v| self.0.pseudonym_of(kind, v))
                        .map(|p| p.as_str().to_string())
                })
            });
            let nulled: Vec<usize> = values
                .iter()
                .zip(&out)
                .enumerate()
                .filter(|(_, (v, p))| v.is_some() && p.is_none())
                .map(|(i, _)| i)
                .collect();
            report_nulled(py, nulled.len(), values.len(), nulled.first().copied(), raise)?;
            return Ok(PyList::new(py, out)?.into_any());
        }
        let columns = py.import("ona._columns")?;
        let (input, restore): (Bound<'py, PyAny>, Bound<'py, PyAny>) =
            columns.call_method1("arrow_input", (values,))?.extract()?;
        let array: AnyArray = input.extract()?;
        let (chunks, _) = array.into_chunked_array()?.into_inner();
        let cols = chunks.iter().map(StrColumn::of).collect::<PyResult<Vec<_>>>()?;
        let out = py.detach(|| pseudonymise_columns(&self.0, kind, &cols));
        let total: usize = cols.iter().map(StrColumn::len).sum();
        let nulls_in: usize = chunks.iter().map(|c| c.null_count()).sum();
        let nulls_out: usize = out.iter().map(|c| c.null_count()).sum();
        let nulled = nulls_out - nulls_in;
        let first = if nulled > 0 { first_nulled(&cols, &out) } else { None };
        report_nulled(py, nulled, total, first, raise)?;
        let field = Arc::new(Field::new("pseudonym", DataType::Utf8, true));
        let result = Bound::new(py, PyChunkedArray::try_new(out, field)?)?;
        restore.call1((result,))
    }

    /// Validates one case record (a dict, or JSON text) and returns its pseudonymised form as
    /// a dict; raises `ValidationError` with every problem, messages in `lang`.
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

/// The position of the first value that is not null in `columns` but null in `out`.
fn first_nulled(columns: &[StrColumn<'_>], out: &[ArrayRef]) -> Option<usize> {
    let mut result = out.iter().flat_map(|a| (0..a.len()).map(move |i| a.is_null(i)));
    let mut pos = 0;
    for col in columns {
        for i in 0..col.len() {
            let null_out = result.next().unwrap_or(false);
            if col.get(i).is_some() && null_out {
                return Some(pos);
            }
            pos += 1;
        }
    }
    None
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

/// Distinct names whose pseudonyms one worker remembers (about 15 MB at most): a network's
/// column of a million names holds a few hundred thousand distinct ones, and forgetting them
/// every 65,536 (as before) made most repeats miss.
const NAME_CACHE: usize = 1 << 18;

/// Pseudonyms of every value of `columns`, in order, as one output array per core.
fn pseudonymise_columns(
    p: &core::Pseudonymiser,
    kind: IdentifierKind,
    columns: &[StrColumn<'_>],
) -> Vec<ArrayRef> {
    // Row ranges (chunk, start, end) cut into one contiguous part per core.
    let total: usize = columns.iter().map(StrColumn::len).sum();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).max(1);
    let per = total.div_ceil(workers).max(1);
    let mut parts: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new()];
    let mut room = per;
    for (c, col) in columns.iter().enumerate() {
        let mut start = 0;
        while start < col.len() {
            if room == 0 {
                parts.push(Vec::new());
                room = per;
            }
            let end = (start + room).min(col.len());
            if let Some(v) = parts.last_mut() {
                v.push((c, start, end));
            }
            room -= end - start;
            start = end;
        }
    }
    par::each(&parts, |ranges| {
        let rows: usize = ranges.iter().map(|(_, a, b)| b - a).sum();
        let mut b = arrow_array::builder::StringBuilder::with_capacity(rows, rows * PSEUDONYM_LEN);
        let (mut scratch, mut out) = (String::new(), [0u8; PSEUDONYM_LEN]);
        // Names repeat in a column (returning women, common names) and are slow to make
        // canonical: remember the pseudonym of each distinct value, borrowed from the column,
        // up to a bound that keeps memory small.
        let mut cache_on = kind == IdentifierKind::Name;
        let mut hits = 0usize;
        let mut cache: HashMap<&str, Option<[u8; PSEUDONYM_LEN]>> =
            HashMap::with_capacity(if cache_on { rows.min(NAME_CACHE) } else { 0 });
        for &(c, start, end) in ranges {
            for i in start..end {
                let Some(v) = columns[c].get(i) else {
                    b.append_null();
                    continue;
                };
                let made = if cache_on {
                    if let Some(hit) = cache.get(v) {
                        hits += 1;
                        *hit
                    } else {
                        let made = p.pseudonym_into(kind, v, &mut scratch, &mut out).then_some(out);
                        if cache.len() >= NAME_CACHE {
                            // A column of mostly distinct names: remembering costs more than
                            // it saves, stop. Otherwise start again.
                            cache_on = hits >= NAME_CACHE / 4;
                            cache.clear();
                            hits = 0;
                        }
                        cache.insert(v, made);
                        made
                    }
                } else {
                    p.pseudonym_into(kind, v, &mut scratch, &mut out).then_some(out)
                };
                match made {
                    Some(ps) => b.append_value(std::str::from_utf8(&ps).unwrap_or_default()),
                    None => b.append_null(),
                }
            }
        }
        Arc::new(b.finish()) as ArrayRef
    })
}

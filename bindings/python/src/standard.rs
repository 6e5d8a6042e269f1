//! The case standard: validation with every problem, the JSON Schema, codelists with labels,
//! codes turned into labels, and synthetic data.

use crate::errors::{bad_value, io_error, validation_error, Problem};
use crate::par;
use ona_core::exchange::{labelled, packed};
use ona_core::schema::{self, Lang};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Parses a language code (`en`, `ru`, `kk`, `uz`, `uk`, `ms`, `tr`).
pub fn lang(code: &str) -> PyResult<Lang> {
    code.parse::<Lang>().map_err(bad_value)
}

/// Every problem of each record (JSON texts), messages in `lang`; empty when all are valid.
#[pyfunction]
#[pyo3(signature = (texts, lang = "en"))]
pub fn validate_texts(py: Python<'_>, texts: Vec<String>, lang: &str) -> PyResult<Vec<Problem>> {
    let lang = self::lang(lang)?;
    Ok(py.detach(|| {
        par::map(&texts, |i, t| match schema::validate_json(t) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.iter().map(|p| Problem::from_core(i, p, lang)).collect(),
        })
        .into_iter()
        .flatten()
        .collect()
    }))
}

/// Validates one record (JSON text) and returns it as the standard writes it (migrated to the
/// current version); raises `ValidationError` with every problem.
#[pyfunction]
#[pyo3(signature = (text, lang = "en"))]
pub fn check_text(py: Python<'_>, text: &str, lang: &str) -> PyResult<String> {
    let lang = self::lang(lang)?;
    match schema::validate_json(text) {
        Ok(case) => serde_json::to_string(&case).map_err(bad_value),
        Err(e) => Err(validation_error(
            py,
            e.problems.iter().map(|p| Problem::from_core(0, p, lang)).collect(),
        )),
    }
}

/// The published JSON Schema (2020-12) of a case record, as JSON text.
#[pyfunction]
pub fn json_schema_text() -> String {
    schema::json_schema().to_string()
}

/// The ids of every codelist (core and country extensions), as the core lists them.
#[pyfunction]
pub fn codelist_ids() -> Vec<String> {
    schema::codelist_ids()
}

/// The codes of codelist `name` with their labels in `lang` (None where not translated).
#[pyfunction]
#[pyo3(signature = (name, lang = "en"))]
pub fn codes(name: &str, lang: &str) -> PyResult<Vec<(String, Option<String>)>> {
    let lang = self::lang(lang)?;
    let codes = schema::codelist_codes(name)
        .ok_or_else(|| bad_value(format!("unknown codelist `{name}`")))?;
    Ok(codes
        .into_iter()
        .map(|c| {
            let label = schema::labels::label(name, &c, lang).map(str::to_string);
            (c, label)
        })
        .collect())
}

/// Case records as JSON Lines, from JSON Lines or from the packed form of pseudonymised cases
/// (an opened export of `ona demo`), with every codelist code replaced by its label in `lang`
/// if given. A line that is not a JSON object, or damaged packed data, is an error naming it.
#[pyfunction]
#[pyo3(signature = (data, lang = None))]
pub fn cases_jsonl(py: Python<'_>, data: &[u8], lang: Option<&str>) -> PyResult<Vec<u8>> {
    let lang = lang.map(self::lang).transpose()?;
    py.detach(|| {
        let values: Vec<serde_json::Value> = if packed::is_packed(data) {
            packed::PackedReader::new(data)
                .map_err(bad_value)?
                .enumerate()
                .map(|(i, c)| {
                    let c = c.map_err(|e| bad_value(format!("packed record {}: {e}", i + 1)))?;
                    serde_json::to_value(&c).map_err(bad_value)
                })
                .collect::<PyResult<_>>()?
        } else if lang.is_none() {
            return Ok(data.to_vec());
        } else {
            let lines: Vec<&[u8]> = data
                .split(|b| *b == b'\n')
                .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
                .collect();
            par::map(&lines, |i, line| {
                serde_json::from_slice(line)
                    .map_err(|e| bad_value(format!("record {}: not a JSON object: {e}", i + 1)))
            })
            .into_iter()
            .collect::<PyResult<_>>()?
        };
        let out = par::map(&values, |_, v| {
            let mut v = v.clone();
            if let Some(lang) = lang {
                labelled::label_codes(&mut v, lang);
            }
            let mut text = serde_json::to_vec(&v).unwrap_or_default();
            text.push(b'\n');
            text
        });
        Ok(out.concat())
    })
}

/// Synthetic cases `start..start+n` of `seed` as JSON texts (deterministic: the same seed gives
/// the same cases as `ona synth`).
#[pyfunction]
#[pyo3(signature = (n, seed, start = 0))]
pub fn synth_texts(py: Python<'_>, n: u64, seed: u64, start: u64) -> PyResult<Vec<String>> {
    let ids: Vec<u64> = (start..start.saturating_add(n)).collect();
    py.detach(|| {
        par::map(&ids, |_, &i| serde_json::to_string(&ona_synth::case(seed, i)))
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad_value)
    })
}

/// Writes `n` synthetic cases of `seed` as JSON Lines to `path` (atomically), like `ona synth`.
#[pyfunction]
pub fn synth_file(py: Python<'_>, path: PathBuf, n: u64, seed: u64) -> PyResult<()> {
    py.detach(|| {
        let mut f =
            ona_core::atomic_file::AtomicFile::create(&path).map_err(|e| io_error(&path, e))?;
        ona_synth::write_jsonl(seed, n, &mut f, |_| {}).map_err(|e| io_error(&path, e))?;
        f.commit().map_err(|e| io_error(&path, e))
    })
}

/// The JSON text of a record: a str as it is, bytes as UTF-8, anything else through
/// `json.dumps` (dicts and lists).
pub fn json_text(record: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = record.cast::<pyo3::types::PyString>() {
        return s.extract();
    }
    if let Ok(b) = record.cast::<pyo3::types::PyBytes>() {
        return String::from_utf8(b.as_bytes().to_vec()).map_err(bad_value);
    }
    let kw = pyo3::types::PyDict::new(record.py());
    kw.set_item("ensure_ascii", false)?;
    record.py().import("json")?.call_method("dumps", (record,), Some(&kw))?.extract()
}

/// A Python value from JSON text (through `json.loads`).
pub fn from_json_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

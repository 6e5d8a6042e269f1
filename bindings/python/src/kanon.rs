//! k-anonymity per woman from Python: on pseudonymised records (as `ona pseudonymise --k`) and
//! on plain columns of quasi-identifiers (the DataFrame wrapper in `ona/__init__.py`). The
//! decisions are the core's (`ona_core::pseudonym::QiTable`); this only converts.

use crate::errors::bad_value;
use crate::standard::{from_json_text, json_text};
use ona_core::pseudonym::{k_anonymise, PseudoCase, QiTable, QuasiIdentifier};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// The quasi-identifiers named in `qi`, or the default set.
fn quasi_identifiers(qi: Option<Vec<String>>) -> PyResult<Vec<QuasiIdentifier>> {
    match qi {
        None => Ok(QuasiIdentifier::DEFAULT.to_vec()),
        Some(names) => names.iter().map(|n| n.parse().map_err(bad_value)).collect(),
    }
}

/// Makes pseudonymised records (dicts or JSON texts, as `Pseudonymiser.pseudonymise_cases`
/// returns them) k-anonymous per woman over `qi` (default: the CLI's), and l-diverse in the
/// relinquishment intent when `l` is given. Returns the released records and the risk report
/// (as JSON text), exactly as `ona pseudonymise --k` on the same cases.
#[pyfunction]
#[pyo3(signature = (records, k, qi = None, l = None))]
pub fn k_anonymise_records<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    k: usize,
    qi: Option<Vec<String>>,
    l: Option<usize>,
) -> PyResult<(Bound<'py, PyList>, String)> {
    let qis = quasi_identifiers(qi)?;
    let mut recs = Vec::new();
    for (i, r) in records.try_iter()?.enumerate() {
        let text = json_text(&r?)?;
        let rec: PseudoCase = serde_json::from_str(&text)
            .map_err(|e| bad_value(format!("record {i} is not a pseudonymised record: {e}")))?;
        recs.push(rec);
    }
    let (texts, report) = py.detach(|| {
        let report = k_anonymise(&mut recs, k, &qis, l);
        let texts: Vec<String> =
            recs.iter().map(|r| serde_json::to_string(r).unwrap_or_default()).collect();
        (texts, serde_json::to_string(&report).unwrap_or_default())
    });
    let items = texts.iter().map(|t| from_json_text(py, t)).collect::<PyResult<Vec<_>>>()?;
    Ok((PyList::new(py, items)?, report))
}

/// What [`k_anonymise_table`] decided: rows kept, cells suppressed per column, sensitive values
/// suppressed, and the risk report as JSON text.
type TablePlan = (Vec<bool>, Vec<Vec<bool>>, Vec<bool>, String);

/// Plans k-anonymity per woman over columns of quasi-identifier values (str or None), most
/// identifying first: `women[i]` is the woman row i is about (None: a woman of her own).
#[pyfunction]
#[pyo3(signature = (women, columns, names, k, l = None, sensitive = None))]
pub fn k_anonymise_table(
    py: Python<'_>,
    women: Vec<Option<String>>,
    columns: Vec<Vec<Option<String>>>,
    names: Vec<String>,
    k: usize,
    l: Option<usize>,
    sensitive: Option<Vec<Option<String>>>,
) -> PyResult<TablePlan> {
    let n = women.len();
    if names.len() != columns.len() {
        return Err(bad_value("one name per column"));
    }
    if let Some((name, c)) = names.iter().zip(&columns).find(|(_, c)| c.len() != n) {
        return Err(bad_value(format!("column {name:?} has {} values, not {n}", c.len())));
    }
    if sensitive.as_ref().is_some_and(|s| s.len() != n) {
        return Err(bad_value(format!("the sensitive column does not have {n} values")));
    }
    let mut table = QiTable::new(names).map_err(bad_value)?;
    Ok(py.detach(|| {
        for (i, w) in women.iter().enumerate() {
            let own = format!("\0row {i}");
            let values: Vec<Option<&str>> = columns.iter().map(|c| c[i].as_deref()).collect();
            let s = sensitive.as_ref().and_then(|s| s[i].as_deref());
            table.push(w.as_deref().unwrap_or(&own), &values, s);
        }
        let plan = table.solve(k, l);
        let keep = (0..n).map(|i| plan.keeps(i)).collect();
        let cells =
            (0..columns.len()).map(|c| (0..n).map(|i| plan.suppressed(i, c)).collect()).collect();
        let sens = (0..n).map(|i| plan.sensitive_suppressed(i)).collect();
        (keep, cells, sens, serde_json::to_string(&plan.report).unwrap_or_default())
    }))
}

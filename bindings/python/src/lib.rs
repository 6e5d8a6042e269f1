//! `ona._ona`: the Python extension module of ona, a thin pyo3 layer over `ona-core`.
//!
//! Conversion only: each function turns Python values (str, bytes, paths, Arrow columns) into
//! core types, calls the core, and converts the result or maps the error onto the exception
//! hierarchy of `errors.rs`. Long work runs with the GIL released. The Python package `ona`
//! (`bindings/python/python/ona`) re-exports this module and adds the conversions that are
//! easier in Python (dicts to JSON, pandas and polars columns, DataFrames).

mod directory;
mod errors;
mod exchange;
mod imports;
mod kanon;
mod par;
mod pseudonym;
mod report;
mod seal;
mod standard;

use pyo3::prelude::*;

#[pymodule]
fn _ona(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA_VERSION", ona_core::schema::SCHEMA_VERSION)?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(standard::validate_texts, m)?)?;
    m.add_function(wrap_pyfunction!(standard::check_text, m)?)?;
    m.add_function(wrap_pyfunction!(standard::json_schema_text, m)?)?;
    m.add_function(wrap_pyfunction!(standard::codelist_ids, m)?)?;
    m.add_function(wrap_pyfunction!(standard::codes, m)?)?;
    m.add_function(wrap_pyfunction!(standard::cases_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(standard::synth_texts, m)?)?;
    m.add_function(wrap_pyfunction!(standard::synth_file, m)?)?;
    m.add_class::<pseudonym::Pseudonymiser>()?;
    m.add_function(wrap_pyfunction!(pseudonym::new_pseudonym_key_file, m)?)?;
    m.add_function(wrap_pyfunction!(kanon::k_anonymise_records, m)?)?;
    m.add_function(wrap_pyfunction!(kanon::k_anonymise_table, m)?)?;
    m.add_class::<seal::Identity>()?;
    m.add_class::<seal::Opened>()?;
    m.add_class::<seal::Sealer>()?;
    m.add_class::<seal::Opener>()?;
    m.add_class::<directory::Directory>()?;
    m.add_function(wrap_pyfunction!(seal::seal, m)?)?;
    m.add_function(wrap_pyfunction!(seal::open, m)?)?;
    m.add_function(wrap_pyfunction!(seal::seal_file, m)?)?;
    m.add_function(wrap_pyfunction!(seal::open_file, m)?)?;
    m.add_function(wrap_pyfunction!(seal::inspect, m)?)?;
    m.add_function(wrap_pyfunction!(imports::import_file, m)?)?;
    m.add_function(wrap_pyfunction!(imports::import_columns, m)?)?;
    m.add_class::<report::Report>()?;
    m.add_function(wrap_pyfunction!(report::build_report, m)?)?;
    m.add_function(wrap_pyfunction!(report::dp_plan, m)?)?;
    m.add_function(wrap_pyfunction!(report::merge, m)?)?;
    m.add_function(wrap_pyfunction!(report::indicator_ids, m)?)?;
    m.add_function(wrap_pyfunction!(report::dimension_ids, m)?)?;
    m.add_function(wrap_pyfunction!(exchange::export_cases, m)?)?;
    m.add_function(wrap_pyfunction!(exchange::receive, m)?)?;
    m.add_function(wrap_pyfunction!(exchange::receive_records, m)?)?;
    m.add_class::<exchange::ReceivedRecords>()?;
    m.add_function(wrap_pyfunction!(exchange::report_from_exports, m)?)?;
    Ok(())
}

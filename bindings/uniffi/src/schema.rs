//! Case validation and codelists with labels.

use crate::error::{lang, validation, OnaError};
use ona_core::schema;

/// Validates one case record given as JSON text. Returns the record as the core serialises
/// it; an invalid record raises `Validation` with every problem, messages in `lang`.
#[uniffi::export]
pub fn validate_case(json: String, lang_code: String) -> Result<String, OnaError> {
    let lang = lang(&lang_code)?;
    let case = schema::validate_json(&json).map_err(|e| validation(e, lang))?;
    serde_json::to_string(&case).map_err(|e| OnaError::InvalidArgument { detail: e.to_string() })
}

/// One code of a codelist with its label.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CodeLabel {
    /// The stable code id.
    pub code: String,
    /// The label in the language asked for, if translated.
    pub label: Option<String>,
}

/// The ids of every codelist, core and country extensions, as the core lists them (the same
/// list as Python's `codelist_ids`).
#[uniffi::export]
pub fn codelist_ids() -> Vec<String> {
    schema::codelist_ids()
}

/// The codes of codelist `id` (core or country extension) with their labels in `lang`; `None`
/// for an unknown list.
#[uniffi::export]
pub fn codelist(id: String, lang_code: String) -> Result<Option<Vec<CodeLabel>>, OnaError> {
    let lang = lang(&lang_code)?;
    Ok(schema::codelist_codes(&id).map(|codes| {
        codes
            .into_iter()
            .map(|code| {
                let label = schema::labels::label(&id, &code, lang).map(str::to_string);
                CodeLabel { code, label }
            })
            .collect()
    }))
}

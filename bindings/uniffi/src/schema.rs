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

/// The ids of every core codelist.
#[uniffi::export]
pub fn codelist_ids() -> Vec<String> {
    schema::codelists().into_iter().map(|c| c.id.to_string()).collect()
}

/// The codes of codelist `id` with their labels in `lang`; `None` for an unknown list.
#[uniffi::export]
pub fn codelist(id: String, lang_code: String) -> Result<Option<Vec<CodeLabel>>, OnaError> {
    let lang = lang(&lang_code)?;
    Ok(schema::codelist(&id).map(|c| {
        c.codes
            .iter()
            .map(|code| CodeLabel {
                code: code.to_string(),
                label: schema::labels::label(c.id, code, lang).map(str::to_string),
            })
            .collect()
    }))
}

//! Validation of case records: every problem, each with a JSON Pointer, a stable code and a
//! message in the caller's language.
//!
//! A record goes through three passes: migration from older schema versions, the structural pass
//! driven by the generated JSON Schema, and the rules beyond types. Only a record with no problem
//! at all becomes a [`Case`].

mod compiled;
mod countries;
mod facts;
mod field_cache;
mod messages;
mod names;
mod problem;
mod rules;
mod structural;
mod typed;
mod workbook;

pub use countries::is_country;
pub use messages::template;
pub use problem::{Problem, ProblemCode};
pub use rules::FOLLOW_UP_DUE_TOLERANCE_DAYS;
pub use workbook::ProblemWorkbook;

use crate::schema::{migrate, Case, Lang, MigrationError, SCHEMA_VERSION};
use serde_json::Value;
use std::fmt;

/// A record is not valid: every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The problems, in the order of the record's fields.
    pub problems: Vec<Problem>,
}

impl ValidationError {
    /// Every problem as `pointer: code: message` lines in `lang`.
    pub fn render(&self, lang: Lang) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| {
                let at = if p.pointer.is_empty() { "/" } else { p.pointer.as_str() };
                format!("{at}: {}: {}", p.code, p.message(lang))
            })
            .collect()
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s): {}", self.problems.len(), self.render(Lang::En).join("; "))
    }
}

/// Validates one record given as JSON text (e.g. a line of a JSON Lines file).
///
/// Records of the current version that deserialise into a [`Case`] take the fast typed path;
/// anything else (older versions, broken records) goes through [`validate_value`], which
/// collects every problem. Both paths apply the same checks.
pub fn validate_json(text: &str) -> Result<Case, ValidationError> {
    let typed_error = match serde_json::from_str::<Case>(text) {
        Ok(case) if case.schema_version == SCHEMA_VERSION => {
            return validate_case(&case).map(|()| case)
        }
        Ok(_) => None,
        Err(e) => Some(e),
    };
    let value = match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(ValidationError {
                problems: vec![Problem::new("", ProblemCode::InvalidJson).with("detail", e)],
            })
        }
    };
    let current = value.get("schema_version").and_then(Value::as_str) == Some(SCHEMA_VERSION);
    match (validate_value(value), typed_error) {
        // The JSON value looked fine but the text did not deserialise: e.g. a duplicated key,
        // which a JSON value silently collapses. Report what serde saw.
        (Ok(_), Some(e)) if current => Err(ValidationError {
            problems: vec![Problem::new("", ProblemCode::InvalidJson).with("detail", e)],
        }),
        (result, _) => result,
    }
}

/// Validates one record given as a JSON value, migrating older versions first.
pub fn validate_value(mut value: Value) -> Result<Case, ValidationError> {
    if let Err(e) = migrate(&mut value) {
        let p = match e {
            MigrationError::MissingVersion => {
                Problem::new("/schema_version", ProblemCode::MissingVersion)
            }
            MigrationError::UnsupportedVersion(v) => {
                Problem::new("/schema_version", ProblemCode::UnsupportedVersion)
                    .with("value", format!("{v:?}"))
            }
            _ => Problem::new("", ProblemCode::WrongType)
                .with("expected", "object")
                .with("found", "other"),
        };
        return Err(ValidationError { problems: vec![p] });
    }
    let mut problems = Vec::new();
    structural::check_record(&value, &mut problems);
    rules::check(&facts::Facts::from_value(&value), &mut problems);
    if !problems.is_empty() {
        return Err(ValidationError { problems });
    }
    serde_json::from_value(value).map_err(|e| ValidationError {
        problems: vec![Problem::new("", ProblemCode::InvalidJson).with("detail", e)],
    })
}

/// Validates a case built in code: the same checks as for JSON input, without going through JSON.
pub fn validate_case(case: &Case) -> Result<(), ValidationError> {
    let mut state = typed::State::new();
    if case.schema_version != SCHEMA_VERSION {
        let p = Problem::new("/schema_version", ProblemCode::UnsupportedVersion)
            .with("value", format!("{:?}", case.schema_version));
        return Err(ValidationError { problems: vec![p] });
    }
    typed::check(structural::root(), case, &mut state);
    rules::check(&facts::Facts::from_case(case), &mut state.out);
    if state.out.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { problems: state.out })
    }
}

#[cfg(test)]
mod tests;

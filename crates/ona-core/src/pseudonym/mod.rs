//! Pseudonymisation and disclosure control (issue 3): keyed pseudonyms per domain, canonical forms
//! of names and national IDs, generalisation, date shifting, free-text scrubbing, policies, and
//! k-anonymity with a risk report.

pub mod canonical;
mod canonical_name;
#[cfg(test)]
mod canonical_reference;
pub mod column;
#[cfg(test)]
mod column_tests;
mod error;
mod field_actions;
pub mod generalised;
mod kanon;
mod keys;
mod kind_text;
mod ktable;
mod placeholder;
mod policy;
mod pseudonymiser;
#[cfg(test)]
mod pseudonymiser_tests;
pub mod record;
mod scrub;
#[cfg(test)]
mod scrub_tests;
#[cfg(test)]
pub(crate) mod testing;

pub use column::{ColumnValues, PseudonymColumn};
pub use error::{PolicyError, PseudonymKeyError};
pub use generalised::{AgeBand, ChildAge, GenDate, TopCoded};
pub use kanon::{apply_plan, k_anonymise, push_record, qi_table, woman_of, QuasiIdentifier};
pub use keys::{DomainKey, MasterKey};
pub use kind_text::UnknownIdentifierKind;
pub use ktable::{KPlan, QiTable, RiskReport, MAX_QUASI_IDENTIFIERS};
pub use policy::{Action, ChildAgeUnit, DatePrecision, NotesMode, PlaceLevel, Policy};
pub use pseudonymiser::{
    age_band, generalise_date, IdentifierKind, Pseudonymiser, PseudonymiserError,
};
pub use record::{
    PseudoCase, PseudoCentre, PseudoChild, PseudoFollowUp, PseudoMeta, PseudoMother,
    PseudoRiskAssessment, PseudoService, PseudoStay, Pseudonym, ScrubbedText, PSEUDONYM_LEN,
};
pub use scrub::scrub_notes;

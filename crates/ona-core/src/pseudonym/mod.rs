//! Pseudonymisation and disclosure control (issue 3): keyed pseudonyms per domain, canonical forms
//! of names and national IDs, generalisation, date shifting, free-text scrubbing, policies, and
//! k-anonymity with a risk report.

pub mod canonical;
mod error;
mod field_actions;
pub mod generalised;
mod kanon;
mod keys;
pub mod packed;
mod policy;
mod pseudonymiser;
#[cfg(test)]
mod pseudonymiser_tests;
pub mod record;
mod scrub;
#[cfg(test)]
pub(crate) mod testing;

pub use error::{PolicyError, PseudonymKeyError};
pub use generalised::{AgeBand, ChildAge, GenDate, TopCoded};
pub use kanon::{k_anonymise, QuasiIdentifier, RiskReport};
pub use keys::{DomainKey, MasterKey};
pub use policy::{Action, ChildAgeUnit, DatePrecision, NotesMode, PlaceLevel, Policy};
pub use pseudonymiser::{
    age_band, generalise_date, IdentifierKind, Pseudonymiser, PseudonymiserError,
};
pub use record::{
    PseudoCase, PseudoCentre, PseudoChild, PseudoFollowUp, PseudoMeta, PseudoMother,
    PseudoRiskAssessment, PseudoService, PseudoStay, Pseudonym, ScrubbedText, PSEUDONYM_LEN,
};
pub use scrub::scrub_notes;

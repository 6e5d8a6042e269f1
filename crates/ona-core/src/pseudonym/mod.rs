//! Pseudonymisation and disclosure control (issue 3): keyed pseudonyms per domain, canonical forms
//! of names and national IDs, generalisation, date shifting, free-text scrubbing, policies, and
//! k-anonymity with a risk report.

pub mod canonical;
mod error;
pub mod generalised;
mod keys;
pub mod record;

pub use error::{PolicyError, PseudonymKeyError};
pub use generalised::{AgeBand, ChildAge, GenDate, TopCoded};
pub use keys::{DomainKey, MasterKey};
pub use record::{
    PseudoCase, PseudoCentre, PseudoChild, PseudoFollowUp, PseudoMeta, PseudoMother,
    PseudoRiskAssessment, PseudoService, PseudoStay, Pseudonym, ScrubbedText, PSEUDONYM_LEN,
};

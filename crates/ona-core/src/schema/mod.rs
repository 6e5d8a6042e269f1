//! The case data standard: the versioned case schema, codelists labelled in seven languages,
//! the disclosure class of every field, validation, migration and the JSON Schema.
//!
//! Start with [`validate_json`] (or [`validate_value`], [`validate_case`]) to turn a record into a [`Case`], and
//! [`json_schema`] for the published JSON Schema.

mod case;
mod centre;
mod codelist;
mod codes_case;
mod codes_person;
mod codes_support;
mod date;
pub mod disclosure;
mod json_schema;
pub mod labels;
mod lang;
mod migrate;
pub mod national_id;
mod person;
mod registry;
pub(crate) mod schema_walk;
mod support;
mod text_serde;
pub mod validate;

pub use case::{Case, Consent, ExtensionCode, SCHEMA_VERSION};
pub use centre::{Centre, Organisation};
pub use codelist::{Codelist, UnknownCode};
pub use codes_case::*;
pub use codes_person::*;
pub use codes_support::*;
pub use date::{days_in_month, is_leap_year, BadDate, Date};
pub use disclosure::DisclosureClass;
pub use json_schema::json_schema;
pub use lang::{Lang, UnknownLang};
pub use migrate::{migrate, MigrationError, SUPPORTED_VERSIONS};
pub use person::{Address, Child, Mother, NationalId, PersonName};
pub use registry::{codelist, codelist_codes, codelist_ids, codelists, CodelistInfo};
pub use support::{FollowUp, Outcome, RiskAssessment, Service, Stay};
pub(crate) use text_serde::{from_text, write_date};
pub use validate::{
    validate_case, validate_json, validate_value, Problem, ProblemCode, ValidationError,
};

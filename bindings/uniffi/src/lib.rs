//! uniffi bindings of `ona-core` for Kotlin, Swift and Python.
//!
//! Conversion only: every function here turns foreign-friendly values (strings, bytes,
//! records) into core types, calls one core function, and converts the result or the error
//! back. No rule of the standard lives here. `ona-core` carries no uniffi attribute; the core
//! types are wrapped in newtype objects and flat records.

mod error;
mod exchange;
mod import;
mod pseudonym;
mod report;
mod schema;
mod seal;

pub use error::OnaError;

uniffi::setup_scaffolding!();

//! # ona-core
//!
//! The case data standard and privacy toolkit of the Mother's Home network, in pure Rust.
//!
//! Data flows one way through four stages, each taking the previous stage's type:
//!
//! ```text
//! case record ──validate──▶ Case ──pseudonymise──▶ PseudoCase ──seal──▶ .ona export
//!                                                        │
//!                                  open ◀────────────────┘
//!                                   │
//!                                report ──merge──▶ regional report
//! ```
//!
//! - [`schema`]: the versioned case schema, codelists labelled in seven languages, validation that
//!   reports every problem with a JSON Pointer, migration of older records, and the JSON Schema.
//! - [`pseudonym`]: keyed pseudonyms, canonical forms of names and national IDs, generalisation,
//!   policies and disclosure control.
//! - [`seal`]: the encrypted, signed, streaming export format (bytes in, bytes out).
//! - [`exchange`]: what crosses between the stages — the packed transport form of records, the
//!   check of what may be sealed as cases, record counting, code labelling — and the entry points
//!   every front end calls: [`exchange::export_cases`], [`exchange::receive`],
//!   [`exchange::report_from_exports`].
//! - [`directory`]: the signed network directory that says who may send and receive exports.
//! - [`report`]: indicators, suppression, differential privacy, merging and outputs.
//!
//! This crate has no FFI attributes; the Python and uniffi bindings wrap its types.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod atomic_file;
pub mod directory;
pub mod error_class;
pub mod exchange;
pub mod import;
pub mod pseudonym;
pub mod report;
pub mod schema;
pub mod seal;
pub mod text_lines;

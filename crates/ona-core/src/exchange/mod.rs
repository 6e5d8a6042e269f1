//! What crosses between the stages: the records a centre sends and the hub receives.
//!
//! The layers below know nothing of each other's content: [`crate::schema`] defines and
//! validates case records, [`crate::pseudonym`] turns them into pseudonymised records, and
//! [`crate::seal`] encrypts and signs bytes it never parses (as age knows nothing of what it
//! encrypts). This module is where records meet bytes:
//!
//! - [`packed`]: the compact transport form of pseudonymised records;
//! - [`check_cases`] and [`count_records`]: what may be sealed as `cases`, and how many records
//!   a manifest announces; [`sealing_manifest`] and [`CheckedContent`]: the same check for every
//!   front end that seals content whole or as a stream;
//! - [`labelled`]: codelist codes replaced by their labels in exported records.
//!
//! and it holds the entry points every front end calls (CLI, Python, Kotlin, Swift), so none has
//! to rebuild the chain:
//!
//! ```text
//! Case ─▶ export_cases ─▶ .ona ─▶ receive ─▶ PseudoCase… ─▶ report_received / report_from_exports
//!        (validate, pseudonymise,   (open, check the sender,      (one report per export,
//!         pack, seal; atomic)        verify at the end)            merged)
//! ```
//!
//! and for a network: [`export_many`] routes one stream of cases to one export per country, on
//! every core, all or nothing; [`report_from_files`] opens every country's export at the hub
//! and builds each report and their merge.

mod checked_content;
mod content_check;
mod count;
pub mod labelled;
pub mod packed;

pub use checked_content::{sealing_manifest, CheckedContent};
pub use content_check::{check_cases, read_line_capped, CasesSummary, ContentError, MAX_LINE_LEN};
pub use count::count_records;

mod error;
mod export;
mod export_batches;
mod export_many;
mod receive;
mod receive_many;
mod receive_verified;
mod report;

pub use error::ExchangeError;
pub use export::{export_cases, CasesExport, ExportSummary, SealTo};
pub use export_many::{by_country, export_many, export_many_indexed, Copies, Destination, Route};
pub use receive::{receive, Received};
pub use receive_many::{report_from_files, Incoming};
pub use receive_verified::{receive_verified, VerifiedRecords};
pub use report::{report_from_exports, report_received, Arrival, Reports};

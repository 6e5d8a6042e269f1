//! Cross-border anonymised reporting (issue 5): indicators defined once, breakdowns by
//! dimension, disclosure control on tables (primary and secondary suppression), optional
//! differential privacy with exact integer samplers, merging country reports into a regional
//! one, and outputs as canonical JSON, SDMX-CSV, CSV with HXL hashtags and a self-contained HTML
//! page.
//!
//! Only cases with `consent_aggregate_reporting == true` are counted; the others are left out and
//! counted under `provenance.excluded.no_consent` (when that count is at least the threshold).
//!
//! ```no_run
//! use ona_core::report::{build_report, ReportSpec, Dimension};
//! # let cases: Vec<ona_core::pseudonym::PseudoCase> = Vec::new();
//! let spec = ReportSpec { by: vec![Dimension::Country, Dimension::Quarter], ..ReportSpec::default() };
//! let report = build_report(&cases, &spec)?;
//! let json = report.to_json();
//! # Ok::<(), ona_core::report::ReportError>(())
//! ```

mod aggregate;
pub mod audit;
mod build;
mod cell_key;
mod codes;
pub mod dimensions;
pub mod dp;
mod error;
mod hasher;
pub mod indicators;
mod length_of_stay;
mod lines;
mod margins;
mod merge;
mod model;
mod observations;
pub mod output;
pub mod population;
mod ratio;
pub mod release;
pub mod release_log;
mod signed_log;
mod slots;
mod suppress;
mod women;

pub use audit::{audit, audit_together, Audit, CellAudit, JointAudit, JointCell};
pub use build::{build_report, ReportBuilder, ReportSpec};
pub use dimensions::{parse_dimensions, Dimension, Period, TOTAL};
pub use dp::{DpSpec, Ledger, Mechanism};
pub use error::ReportError;
pub use indicators::{Indicator, Kind, Unit, DEFINITIONS, INDICATOR_SET};
pub use lines::{LedgerCharge, LinesReport};
pub use merge::merge;
pub use model::{
    ConfStatus, DpRecord, IndicatorInfo, NoiseRecord, ObsStatus, Observation, Provenance, Report,
    REPORT_FORMAT,
};
pub use population::Population;

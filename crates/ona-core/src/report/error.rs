//! Errors of reporting, merging and the privacy-budget ledger.

/// Why a report could not be built, merged, read or released.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A dimension id is not known.
    #[error("unknown dimension {0:?}: use country, admin1, centre, month, quarter, year, mother_age, child_age, referral_source, risk_factor, service_type or outcome")]
    UnknownDimension(String),
    /// More than one period dimension was asked for.
    #[error("choose at most one of month, quarter and year in --by")]
    SeveralPeriodDimensions,
    /// A period is not a year, quarter or month.
    #[error("not a reporting period (YYYY, YYYY-Qn or YYYY-MM): {0:?}")]
    BadPeriod(String),
    /// The suppression threshold is zero.
    #[error("the suppression threshold must be at least 1 (1 turns suppression off)")]
    BadThreshold,
    /// A differential-privacy parameter is out of range.
    #[error("bad differential-privacy parameter: {0}")]
    BadDpParameter(String),
    /// A release would spend more privacy budget than a population has left.
    #[error("privacy budget exceeded for population {population}: this release needs {requested}, but only {remaining} of {budget} remain")]
    BudgetExceeded {
        /// The population (pseudonym domain and key id).
        population: String,
        /// (ε, δ) this release needs.
        requested: String,
        /// (ε, δ) left.
        remaining: String,
        /// The total budget.
        budget: String,
    },
    /// A record cannot be counted under differential privacy (its woman's contribution could
    /// not be bounded).
    #[error("{at}: refused under differential privacy: {reason}")]
    DpRefused {
        /// Where: `line 12`, `record 12`.
        at: String,
        /// Why.
        reason: String,
    },
    /// An indicator id is not known.
    #[error("unknown indicator {0:?}: see docs/reporting.md for the ids")]
    UnknownIndicator(String),
    /// The ledger file is unreadable or malformed.
    #[error("privacy-budget ledger {path}: {reason}")]
    Ledger {
        /// The ledger path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The release log is unreadable, malformed or was altered.
    #[error("release log {path}: {reason}")]
    ReleaseLog {
        /// The log path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A report cannot be released: together with earlier releases of its population it would
    /// narrow a suppressed count, and suppressing more of it cannot prevent that.
    #[error("release refused: {0}")]
    ReleaseRefused(String),
    /// Reports to merge disagree on something they must share.
    #[error("cannot merge: {0}")]
    Mismatch(String),
    /// Nothing to merge.
    #[error("cannot merge: no reports given")]
    NothingToMerge,
    /// A report file is not a valid ona report.
    #[error("not a valid ona report: {0}")]
    BadReport(String),
    /// Secondary suppression could not protect every small count against the LP attacker
    /// (the report is not released).
    #[error("suppression cannot protect every small count: {0}")]
    Unprotected(String),
    /// A line of pseudonymised input is not a `PseudoCase`.
    #[error("line {line}: not a pseudonymised case: {reason}")]
    BadInput {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// No case in the input may be counted.
    #[error("no case may be counted: {0}")]
    NoCases(String),
    /// An I/O failure.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

//! Reports from JSON Lines of pseudonymised cases, the way `ona report` and the bindings read
//! them; a differentially private release is charged to the ledger of every population it
//! declares (see [`super::dp::ledger`]) before the report is handed out.

use super::build::{ReportBuilder, ReportSpec};
use super::dp::{Ledger, LedgerKey, TablePlan};
use super::error::ReportError;
use super::model::Report;
use crate::exchange::packed::PackedReader;
use crate::pseudonym::PseudoCase;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;

/// Where a differentially private release is charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCharge {
    /// The directory of the ledgers, one file per population
    /// (`ona-privacy-ledger-<population>.jsonl`, started with the budget below if missing).
    pub dir: PathBuf,
    /// The ledger key file (64 hex digits; made, owner-only, if missing).
    pub key_file: PathBuf,
    /// Total ε of a population, used when its ledger is started.
    pub budget_epsilon: String,
    /// Total δ of a population, used when its ledger is started.
    pub budget_delta: String,
    /// Label of the release in the ledger (e.g. the output path).
    pub label: String,
}

impl LedgerCharge {
    /// Total ε a population's ledger starts with when none is given: the one default of the
    /// CLI (`--dp-budget`), Python (`dp_budget`) and uniffi (`DpOptions.budget_epsilon`).
    pub const DEFAULT_BUDGET_EPSILON: &'static str = "1";
    /// Total δ a population's ledger starts with when none is given (`--dp-budget-delta`).
    pub const DEFAULT_BUDGET_DELTA: &'static str = "0.00001";
}

/// A report under construction from lines of JSON (see the module docs).
#[derive(Debug)]
pub struct LinesReport {
    builder: ReportBuilder,
    spec: ReportSpec,
    records: u64,
}

impl LinesReport {
    /// A report for `spec`.
    pub fn new(spec: &ReportSpec) -> Result<LinesReport, ReportError> {
        Ok(LinesReport { builder: ReportBuilder::new(spec)?, spec: spec.clone(), records: 0 })
    }

    /// Counts one record given as JSON text (a line without its newline); `BadInput` and
    /// `DpRefused` name it by its position among the records added this way.
    pub fn add_record(&mut self, json: &str) -> Result<(), ReportError> {
        self.records += 1;
        let line = json.trim_end_matches(['\n', '\r']);
        self.count(line, self.records)
    }

    /// Counts the cases of `reader`: the packed form (see [`crate::exchange::packed`]) or JSON
    /// Lines, whose blank lines are skipped. Errors name the line (or the packed record) within
    /// this reader.
    pub fn add_reader(&mut self, mut reader: impl BufRead) -> Result<(), ReportError> {
        if crate::exchange::packed::is_packed(reader.fill_buf()?) {
            let records = PackedReader::new(reader)
                .map_err(|e| ReportError::BadInput { line: 0, reason: e.to_string() })?;
            for (n, case) in records.enumerate() {
                let case = case.map_err(|e| ReportError::BadInput {
                    line: n as u64 + 1,
                    reason: e.to_string(),
                })?;
                self.builder.try_add(&case, || format!("record {}", n + 1))?;
            }
            return Ok(());
        }
        // BOM, CRLF, other encodings (named with their line), CSV and over-long lines (bounded
        // memory whatever the input): TextLines.
        let mut lines = crate::text_lines::TextLines::new(reader);
        loop {
            let next = lines.next_line().map_err(|e| match e {
                crate::text_lines::LineError::Io(io) => ReportError::Io(io),
                other => {
                    ReportError::BadInput { line: lines_at(&other), reason: other.to_string() }
                }
            })?;
            let Some((n, text)) = next else { break };
            let text = text.to_string();
            self.count(&text, n)?;
        }
        Ok(())
    }

    fn count(&mut self, line: &str, n: u64) -> Result<(), ReportError> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let case: PseudoCase = serde_json::from_str(line)
            .map_err(|e| ReportError::BadInput { line: n, reason: e.to_string() })?;
        self.builder.try_add(&case, || format!("line {n}"))
    }

    /// Cases left out so far, by reason (for the operator; never published under DP).
    pub fn left_out(&self) -> &BTreeMap<String, u64> {
        self.builder.left_out()
    }

    /// Under differential privacy: each table's noise and 95 % accuracy, from the specification
    /// alone; nothing is read or spent.
    pub fn dp_plan(&self) -> Result<Vec<TablePlan>, ReportError> {
        self.builder.dp_plan()
    }

    /// Finishes the report. A differentially private report is charged first to the ledger of
    /// every population its domain declares, and refused without a ledger or past any
    /// population's budget ([`ReportError::BudgetExceeded`]).
    pub fn finish(self, ledger: Option<&LedgerCharge>) -> Result<Report, ReportError> {
        let Some(dp) = &self.spec.dp else { return self.builder.finish() };
        let Some(l) = ledger else {
            return Err(ReportError::Ledger {
                path: String::new(),
                reason: "a differentially private release needs a privacy-budget ledger".into(),
            });
        };
        std::fs::create_dir_all(&l.dir).map_err(|e| ReportError::Ledger {
            path: l.dir.display().to_string(),
            reason: format!("cannot create the ledger directory: {e}"),
        })?;
        let (key, _) = LedgerKey::load_or_create(&l.key_file)?;
        let budget = (l.budget_epsilon.as_str(), l.budget_delta.as_str());
        let mut ledgers = dp
            .domain
            .populations
            .iter()
            .map(|p| Ledger::open(&Ledger::path_in(&l.dir, p), p, &key, budget))
            .collect::<Result<Vec<_>, _>>()?;
        self.builder.finish_dp(&mut ledgers, &l.label)
    }
}

/// The line a reading error names (0 when it names none).
fn lines_at(e: &crate::text_lines::LineError) -> u64 {
    use crate::text_lines::LineError as L;
    match e {
        L::TooLong { line } | L::NotUtf8 { line, .. } | L::Csv { line, .. } => *line,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let spec = ReportSpec::default();
        let mut a = LinesReport::new(&spec).unwrap();
        a.add_reader(&b"\n"[..]).unwrap();
        let err = a.add_reader(&b"\n\n{\"x\":1}\n"[..]).unwrap_err();
        assert!(matches!(err, ReportError::BadInput { line: 3, .. }), "{err}");
        let mut b = LinesReport::new(&spec).unwrap();
        b.add_record("").unwrap();
        let err = b.add_record("[]").unwrap_err();
        assert!(matches!(err, ReportError::BadInput { line: 2, .. }), "{err}");
    }
}

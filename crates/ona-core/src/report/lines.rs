//! Reports from JSON Lines of pseudonymised cases, the way `ona report` and the bindings read
//! them: the dataset is identified by the SHA-256 of its lines as written (the id the
//! privacy-budget ledger keys on), and a differentially private release is charged to the ledger
//! before the report is handed out.

use super::build::{ReportBuilder, ReportSpec};
use super::dp::{DatasetDigest, Ledger};
use super::error::ReportError;
use super::model::Report;
use crate::pseudonym::packed::PackedReader;
use crate::pseudonym::PseudoCase;
use std::io::{BufRead, Read};
use std::path::PathBuf;

/// Where a differentially private release is charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCharge {
    /// The dataset's ledger file (started with the budget below if missing).
    pub path: PathBuf,
    /// Total ε of the dataset, used when the ledger is started.
    pub budget_epsilon: String,
    /// Total δ of the dataset, used when the ledger is started.
    pub budget_delta: String,
    /// Label of the release in the ledger (e.g. the output path).
    pub label: String,
}

/// A report under construction from lines of JSON (see the module docs).
#[derive(Debug)]
pub struct LinesReport {
    builder: ReportBuilder,
    digest: DatasetDigest,
    spec: ReportSpec,
    records: u64,
}

impl LinesReport {
    /// A report for `spec`.
    pub fn new(spec: &ReportSpec) -> Result<LinesReport, ReportError> {
        Ok(LinesReport {
            builder: ReportBuilder::new(spec)?,
            digest: DatasetDigest::new(),
            spec: spec.clone(),
            records: 0,
        })
    }

    /// Counts one record given as JSON text (a line without its newline); `BadInput` names it
    /// by its position among the records added this way.
    pub fn add_record(&mut self, json: &str) -> Result<(), ReportError> {
        self.records += 1;
        let line = json.trim_end_matches(['\n', '\r']);
        self.digest.update(line.as_bytes());
        self.digest.update(b"\n");
        self.count(line, self.records)
    }

    /// Counts the cases of `reader`: the packed form (see [`crate::pseudonym::packed`]) or JSON
    /// Lines, whose blank lines are skipped. The dataset id covers the bytes as read, the same
    /// as `ona report` computes for the same file. `BadInput` names the line (or the packed
    /// record) within this reader.
    pub fn add_reader(&mut self, mut reader: impl BufRead) -> Result<(), ReportError> {
        if crate::pseudonym::packed::is_packed(reader.fill_buf()?) {
            let digest = &mut self.digest;
            let records = PackedReader::new(Digesting { inner: reader, digest })
                .map_err(|e| ReportError::BadInput { line: 0, reason: e.to_string() })?;
            for (n, case) in records.enumerate() {
                let case = case.map_err(|e| ReportError::BadInput {
                    line: n as u64 + 1,
                    reason: e.to_string(),
                })?;
                self.builder.add(&case);
            }
            return Ok(());
        }
        // A UTF-8 byte-order mark (Excel, Notepad) is not part of the data.
        if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
        }
        let mut line = Vec::new();
        for n in 1.. {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let text = std::str::from_utf8(&line).map_err(|_| ReportError::BadInput {
                line: n,
                reason: crate::text_lines::not_utf8_reason(&line),
            })?;
            self.digest.update(text.as_bytes());
            self.count(text, n)?;
        }
        Ok(())
    }

    fn count(&mut self, line: &str, n: u64) -> Result<(), ReportError> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let case: PseudoCase = serde_json::from_str(line)
            .map_err(|e| ReportError::BadInput { line: n, reason: e.to_string() })?;
        self.builder.add(&case);
        Ok(())
    }

    /// The dataset id so far: SHA-256 of the lines, in hex.
    pub fn dataset_id(&self) -> String {
        self.digest.clone().finish()
    }

    /// Finishes the report. A differentially private report is charged to `ledger` first, and
    /// refused without one or past the dataset's budget ([`ReportError::BudgetExceeded`]).
    pub fn finish(self, ledger: Option<&LedgerCharge>) -> Result<Report, ReportError> {
        if let Some(dp) = &self.spec.dp {
            let Some(l) = ledger else {
                return Err(ReportError::Ledger {
                    path: String::new(),
                    reason: "a differentially private release needs a privacy-budget ledger".into(),
                });
            };
            let budget = (l.budget_epsilon.as_str(), l.budget_delta.as_str());
            Ledger::spend(&l.path, &self.digest.finish(), budget, &l.label, dp)?;
        }
        self.builder.finish()
    }
}

/// A reader that feeds what it reads into the dataset digest.
struct Digesting<'a, R: Read> {
    inner: R,
    digest: &'a mut DatasetDigest,
}

impl<R: Read> Read for Digesting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.digest.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::DpSpec;

    #[test]
    fn records_and_files_give_the_same_dataset_id_and_errors_name_the_line() {
        let spec = ReportSpec::default();
        let mut a = LinesReport::new(&spec).unwrap();
        a.add_reader(&b"\n"[..]).unwrap();
        let mut b = LinesReport::new(&spec).unwrap();
        b.add_record("").unwrap();
        assert_eq!(a.dataset_id(), b.dataset_id());
        let err = a.add_reader(&b"\n\n{\"x\":1}\n"[..]).unwrap_err();
        assert!(matches!(err, ReportError::BadInput { line: 3, .. }), "{err}");
        let err = b.add_record("[]").unwrap_err();
        assert!(matches!(err, ReportError::BadInput { line: 2, .. }), "{err}");
    }

    #[test]
    fn dp_needs_a_ledger_and_is_charged_before_release() {
        let spec = ReportSpec { dp: Some(DpSpec::laplace("0.7")), ..ReportSpec::default() };
        let r = LinesReport::new(&spec).unwrap();
        assert!(matches!(r.finish(None), Err(ReportError::Ledger { .. })));
        let dir = tempfile::tempdir().unwrap();
        let charge = LedgerCharge {
            path: dir.path().join("l.json"),
            budget_epsilon: "1".into(),
            budget_delta: "0.00001".into(),
            label: "t".into(),
        };
        let r = LinesReport::new(&spec).unwrap();
        // No case has been added: the report itself may fail, but the budget is spent first.
        let _ = r.finish(Some(&charge));
        assert!(std::fs::read_to_string(&charge.path).unwrap().contains("\"t\""));
        let err = LinesReport::new(&spec).unwrap().finish(Some(&charge)).unwrap_err();
        assert!(matches!(err, ReportError::BudgetExceeded { .. }), "{err}");
    }
}

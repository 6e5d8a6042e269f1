//! The privacy-budget ledger of a dataset: a JSON file recording every release and refusing one
//! that would spend more than the budget. Written atomically (temporary file, then rename).

use super::{format_nano, parse_nano};
use crate::atomic_file::AtomicFile;
use crate::report::error::ReportError;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// One release charged to the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// What was released (e.g. the output file name).
    pub label: String,
    /// ε spent.
    pub epsilon: String,
    /// δ spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
}

/// The budget and spending of one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// Always `ona-privacy-ledger/1`.
    pub format: String,
    /// The dataset id (a digest of the input).
    pub dataset: String,
    /// Total ε the dataset may spend.
    pub budget_epsilon: String,
    /// Total δ the dataset may spend.
    pub budget_delta: String,
    /// Releases so far.
    pub releases: Vec<Release>,
}

impl Ledger {
    /// A fresh ledger for `dataset` with a total budget.
    pub fn new(
        dataset: &str,
        budget_epsilon: &str,
        budget_delta: &str,
    ) -> Result<Ledger, ReportError> {
        parse_nano(budget_epsilon)?;
        parse_nano(budget_delta)?;
        Ok(Ledger {
            format: "ona-privacy-ledger/1".into(),
            dataset: dataset.into(),
            budget_epsilon: budget_epsilon.into(),
            budget_delta: budget_delta.into(),
            releases: Vec::new(),
        })
    }

    /// Reads the ledger at `path`, or starts one with the given budget if there is none.
    pub fn open(
        path: &Path,
        dataset: &str,
        budget_epsilon: &str,
        budget_delta: &str,
    ) -> Result<Ledger, ReportError> {
        let bad = |reason: String| ReportError::Ledger { path: path.display().to_string(), reason };
        match std::fs::read(path) {
            Ok(bytes) => {
                let l: Ledger = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
                if l.format != "ona-privacy-ledger/1" {
                    return Err(bad(format!("unknown format {:?}", l.format)));
                }
                Ok(l)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ledger::new(dataset, budget_epsilon, budget_delta)
            }
            Err(e) => Err(bad(e.to_string())),
        }
    }

    fn spent(&self) -> Result<(u128, u128), ReportError> {
        let mut e = 0;
        let mut d = 0;
        for r in &self.releases {
            e += parse_nano(&r.epsilon)?;
            if let Some(x) = &r.delta {
                d += parse_nano(x)?;
            }
        }
        Ok((e, d))
    }

    /// ε left.
    pub fn remaining_epsilon(&self) -> Result<String, ReportError> {
        let (e, _) = self.spent()?;
        Ok(format_nano(parse_nano(&self.budget_epsilon)?.saturating_sub(e)))
    }

    /// Charges a release, or refuses with [`ReportError::BudgetExceeded`] if the dataset
    /// (`dataset` must match the ledger's) has not enough budget left.
    pub fn charge(
        &mut self,
        dataset: &str,
        label: &str,
        epsilon: &str,
        delta: Option<&str>,
    ) -> Result<(), ReportError> {
        if dataset != self.dataset {
            return Err(ReportError::Ledger {
                path: String::new(),
                reason: format!("ledger is for dataset {}, not {dataset}", self.dataset),
            });
        }
        let (e, d) = self.spent()?;
        let want_e = parse_nano(epsilon)?;
        let want_d = delta.map(parse_nano).transpose()?.unwrap_or(0);
        let (be, bd) = (parse_nano(&self.budget_epsilon)?, parse_nano(&self.budget_delta)?);
        if e + want_e > be || d + want_d > bd {
            return Err(ReportError::BudgetExceeded {
                dataset: self.dataset.clone(),
                requested: epsilon.to_string(),
                remaining: format_nano(be.saturating_sub(e)),
                budget: self.budget_epsilon.clone(),
            });
        }
        self.releases.push(Release {
            label: label.into(),
            epsilon: epsilon.into(),
            delta: delta.map(str::to_string),
        });
        Ok(())
    }

    /// Writes the ledger atomically.
    pub fn save(&self, path: &Path) -> Result<(), ReportError> {
        let mut f = AtomicFile::create(path)?;
        let mut text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        text.push(b'\n');
        f.write_all(&text)?;
        f.flush()?;
        f.commit()?;
        Ok(())
    }

    /// Charges one release of `dp` on `dataset` to the ledger file at `path` (started with the
    /// given budget if there is none) and saves it, before anything is released: the budget is
    /// spent even if the release is then lost. Refuses with [`ReportError::BudgetExceeded`],
    /// leaving the file as it was, when the dataset has not enough budget left.
    pub fn spend(
        path: &Path,
        dataset: &str,
        (budget_epsilon, budget_delta): (&str, &str),
        label: &str,
        dp: &super::DpSpec,
    ) -> Result<Ledger, ReportError> {
        let mut ledger = Ledger::open(path, dataset, budget_epsilon, budget_delta)?;
        ledger.charge(dataset, label, &dp.epsilon, dp.delta.as_deref())?;
        ledger.save(path)?;
        Ok(ledger)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_budget_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.json");
        let mut l = Ledger::open(&path, "abc", "1", "0.00001").unwrap();
        l.charge("abc", "q1", "0.5", None).unwrap();
        l.charge("abc", "q2", "0.5", None).unwrap();
        l.save(&path).unwrap();
        let mut l = Ledger::open(&path, "abc", "9", "0.00001").unwrap();
        assert_eq!(l.budget_epsilon, "1");
        let err = l.charge("abc", "q3", "0.1", None).unwrap_err();
        assert!(matches!(err, ReportError::BudgetExceeded { .. }), "{err}");
        assert_eq!(l.remaining_epsilon().unwrap(), "0");
    }

    #[test]
    fn spend_saves_before_release_and_refuses_past_budget() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.json");
        let dp = crate::report::DpSpec::laplace("0.6");
        let l = Ledger::spend(&path, "abc", ("1", "0.00001"), "first", &dp).unwrap();
        assert_eq!(l.releases.len(), 1);
        let before = std::fs::read(&path).unwrap();
        let err = Ledger::spend(&path, "abc", ("1", "0.00001"), "second", &dp).unwrap_err();
        assert!(matches!(err, ReportError::BudgetExceeded { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "a refused release changes nothing");
    }
}

/// The id of a dataset for its ledger: SHA-256 of the input bytes, in hex.
#[derive(Clone)]
pub struct DatasetDigest(ring::digest::Context);

impl DatasetDigest {
    /// A new digest.
    pub fn new() -> DatasetDigest {
        DatasetDigest(ring::digest::Context::new(&ring::digest::SHA256))
    }

    /// Feeds input bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The dataset id (64 hex digits).
    pub fn finish(self) -> String {
        self.0.finish().as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl Default for DatasetDigest {
    fn default() -> Self {
        DatasetDigest::new()
    }
}

impl std::fmt::Debug for DatasetDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatasetDigest")
    }
}

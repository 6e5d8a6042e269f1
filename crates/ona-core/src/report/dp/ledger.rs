//! The privacy-budget ledger of one population (pseudonym domain and key id): an append-only
//! JSON Lines file, one header line then one line per release, each line authenticated by an
//! HMAC-SHA256 chained over the previous line's, under a key the hub holds ([`LedgerKey`]).
//!
//! A [`Ledger`] value holds an exclusive lock on its file (`fs4`) from [`Ledger::open`] until it
//! is dropped, so reading the spending, checking the budget and appending the charge happen under
//! one lock: two runs at once both charge, one after the other.
//!
//! Against whom: an operator or a script that edits, reorders, removes or inserts a line, or
//! swaps in another population's ledger, is detected on the next open. Not detected (stated in
//! docs/reporting.md): deleting the whole file, or rolling it back to an older complete copy
//! (which is the same as cutting its last lines) — a local file cannot prove it is the latest.

pub use super::ledger_key::LedgerKey;
use super::{format_nano, parse_nano};
use crate::report::error::ReportError;
use crate::report::population::Population;
use crate::report::signed_log::{read_header, Signed, SignedHeader, SignedLog};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The format tag of the header line.
pub const LEDGER_FORMAT: &str = "ona-privacy-ledger/2";

/// The first line of a ledger file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    population: Population,
    budget_epsilon: String,
    budget_delta: String,
    ledger_key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    mac: String,
}

/// One release charged to a population's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Position in the ledger, from 1.
    pub entry: u64,
    /// When it was charged, in seconds since 1970-01-01 UTC.
    pub time: u64,
    /// What was released: the report specification and a label (e.g. the output path).
    pub specification: String,
    /// ε spent (decimal text).
    pub epsilon: String,
    /// δ spent (decimal text; `0` for pure ε-DP).
    pub delta: String,
    /// HMAC-SHA256 over the previous line's MAC and this entry, in hex.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mac: String,
}

/// The privacy budget of one population, open and locked (see the module docs).
#[derive(Debug)]
pub struct Ledger {
    log: SignedLog,
    header: Header,
    entries: Vec<Entry>,
}

impl SignedHeader for Header {
    fn format(&self) -> &str {
        &self.format
    }
    fn population(&self) -> &Population {
        &self.population
    }
    fn ledger_key(&self) -> &str {
        &self.ledger_key
    }
}

impl Signed for Header {
    fn mac(&self) -> &str {
        &self.mac
    }
    fn set_mac(&mut self, mac: String) {
        self.mac = mac;
    }
}

impl Signed for Entry {
    fn mac(&self) -> &str {
        &self.mac
    }
    fn set_mac(&mut self, mac: String) {
        self.mac = mac;
    }
}

impl Ledger {
    /// The ledger file of `population` in `dir`: `ona-privacy-ledger-<population file id>.jsonl`.
    pub fn path_in(dir: &Path, population: &Population) -> PathBuf {
        dir.join(format!("ona-privacy-ledger-{}.jsonl", population.file_id()))
    }

    /// Opens (or starts, with the given total budget) the ledger of `population` at `path`,
    /// takes its exclusive lock (waiting for another run to finish) and verifies every line.
    /// An existing ledger keeps its own budget. Fails with [`ReportError::Ledger`] when a line
    /// was edited, removed, inserted or reordered, when the file belongs to another population,
    /// or when `key` is not the key it was written under.
    pub fn open(
        path: &Path,
        population: &Population,
        key: &LedgerKey,
        (budget_epsilon, budget_delta): (&str, &str),
    ) -> Result<Ledger, ReportError> {
        let bad = |reason: String| ReportError::Ledger { path: path.display().to_string(), reason };
        let (mut log, lines) = SignedLog::open(path, key).map_err(bad)?;
        let mut lines = lines.into_iter();
        let Some((_, first)) = lines.next() else {
            // A new ledger: write its authenticated header.
            let be = format_nano(parse_nano(budget_epsilon)?);
            let bd = format_nano(parse_nano(budget_delta)?);
            let mut header = Header {
                format: LEDGER_FORMAT.into(),
                population: population.clone(),
                budget_epsilon: be,
                budget_delta: bd,
                ledger_key: key.id(),
                mac: String::new(),
            };
            log.append(&mut header).map_err(bad)?;
            return Ok(Ledger { log, header, entries: Vec::new() });
        };
        let header: Header =
            read_header(&mut log, &first, LEDGER_FORMAT, key, population, "ledger").map_err(bad)?;
        parse_nano(&header.budget_epsilon)?;
        parse_nano(&header.budget_delta)?;
        let mut entries = Vec::new();
        for (n, line) in lines {
            let e: Entry = serde_json::from_str(&line)
                .map_err(|err| bad(format!("line {n} is not a ledger entry: {err}")))?;
            if e.entry != entries.len() as u64 + 1 || !log.verify(&e) {
                return Err(bad(format!(
                    "line {n} (entry {}) does not verify: an entry was edited, removed, inserted \
                     or reordered",
                    e.entry
                )));
            }
            parse_nano(&e.epsilon)?;
            parse_amount(&e.delta)?;
            entries.push(e);
        }
        Ok(Ledger { log, header, entries })
    }

    /// The population this ledger budgets.
    pub fn population(&self) -> &Population {
        &self.header.population
    }

    /// The ledger's path.
    pub fn path(&self) -> &Path {
        self.log.path()
    }

    /// The releases charged so far.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Total (ε, δ) budget, in units of 10⁻⁹.
    fn budget(&self) -> (u128, u128) {
        (
            parse_nano(&self.header.budget_epsilon).unwrap_or(0),
            parse_nano(&self.header.budget_delta).unwrap_or(0),
        )
    }

    /// (ε, δ) spent so far, in units of 10⁻⁹.
    fn spent(&self) -> (u128, u128) {
        self.entries.iter().fold((0, 0), |(e, d), x| {
            (e + parse_nano(&x.epsilon).unwrap_or(0), d + parse_amount(&x.delta).unwrap_or(0))
        })
    }

    /// (ε, δ) left, as decimal text.
    pub fn remaining(&self) -> (String, String) {
        let ((be, bd), (e, d)) = (self.budget(), self.spent());
        (format_nano(be.saturating_sub(e)), format_nano(bd.saturating_sub(d)))
    }

    /// Refuses with [`ReportError::BudgetExceeded`] if (ε, δ), in units of 10⁻⁹, is more than
    /// is left; changes nothing.
    pub fn check(&self, epsilon: u128, delta: u128) -> Result<(), ReportError> {
        let ((be, bd), (e, d)) = (self.budget(), self.spent());
        if e + epsilon > be || d + delta > bd {
            let (re, rd) = self.remaining();
            return Err(ReportError::BudgetExceeded {
                population: self.header.population.to_string(),
                requested: format!("ε = {}, δ = {}", format_nano(epsilon), format_nano(delta)),
                remaining: format!("ε = {re}, δ = {rd}"),
                budget: format!(
                    "ε = {}, δ = {}",
                    self.header.budget_epsilon, self.header.budget_delta
                ),
            });
        }
        Ok(())
    }

    /// Charges a release of (ε, δ) (units of 10⁻⁹) described by `specification`: checks the
    /// budget and appends an authenticated entry, synced to disk, under the lock. Returns the
    /// entry's number.
    pub fn charge(
        &mut self,
        specification: &str,
        epsilon: u128,
        delta: u128,
    ) -> Result<u64, ReportError> {
        self.check(epsilon, delta)?;
        let time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut e = Entry {
            entry: self.entries.len() as u64 + 1,
            time,
            specification: specification.to_string(),
            epsilon: format_nano(epsilon),
            delta: if delta == 0 { "0".into() } else { format_nano(delta) },
            mac: String::new(),
        };
        self.log.append(&mut e).map_err(|reason| ReportError::Ledger {
            path: self.log.path().display().to_string(),
            reason,
        })?;
        self.entries.push(e);
        Ok(self.entries.len() as u64)
    }
}

/// An amount of ε or δ that may be zero.
fn parse_amount(s: &str) -> Result<u128, ReportError> {
    if s.trim() == "0" {
        Ok(0)
    } else {
        parse_nano(s)
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;

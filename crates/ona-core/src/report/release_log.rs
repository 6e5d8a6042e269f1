//! The release log of one population (pseudonym domain and key id): every report published of it
//! with the log, so that the next report is audited together with what an attacker already holds
//! (see [`super::audit::audit_together`] and [`super::release`]).
//!
//! One JSON Lines file per population, `ona-release-log-<population file id>.jsonl` in the
//! directory given to `ona report --release-log DIR`: a header line, then one line per release
//! holding the whole published report (its canonical JSON: every cell, flag, k, breakdown,
//! period and provenance), its release id, time and label. Lines are append-only and
//! authenticated by an HMAC-SHA256 chain under the hub's ledger key, and the file is locked while
//! open, exactly like the privacy-budget ledger (both use `report::signed_log`).
//!
//! Against whom: an operator or a script that edits a logged release (to make the next report
//! pass the audit), removes, inserts or reorders one, or swaps in another population's log, is
//! detected on the next open. Not detected (docs/reporting.md says so): deleting the whole file,
//! cutting its last lines, and releases made without the log.

use super::dp::LedgerKey;
use super::error::ReportError;
use super::model::Report;
use super::population::Population;
use super::signed_log::{read_header, to_hex, Signed, SignedHeader, SignedLog};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The format tag of the header line.
pub const RELEASE_LOG_FORMAT: &str = "ona-release-log/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    population: Population,
    ledger_key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    mac: String,
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

/// One logged release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Position in the log, from 1.
    pub entry: u64,
    /// The release id: `r` and the first 16 hex digits of the SHA-256 of the report's canonical
    /// JSON (the same in the log of every population the report covers).
    pub release: String,
    /// When it was logged, in seconds since 1970-01-01 UTC.
    pub time: u64,
    /// A label (e.g. the output path).
    pub label: String,
    /// The published report, as canonical JSON.
    pub report: String,
    /// HMAC-SHA256 over the previous line's MAC and this entry, in hex.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mac: String,
}

impl Signed for Release {
    fn mac(&self) -> &str {
        &self.mac
    }
    fn set_mac(&mut self, mac: String) {
        self.mac = mac;
    }
}

impl Release {
    /// The published report.
    pub fn report(&self) -> Result<Report, ReportError> {
        Report::from_json(&self.report)
    }

    /// The day it was logged (UTC), `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        let days = i64::try_from(self.time / 86_400).unwrap_or(0);
        crate::schema::Date::from_days(days).map_or_else(|| "?".into(), |d| d.to_string())
    }

    /// How the release is named to a user: id, date, breakdown, period, k and label.
    pub fn describe(&self) -> String {
        let (by, period, k) = match self.report() {
            Ok(r) => (r.by.join(","), r.period.unwrap_or_else(|| "all".into()), r.threshold),
            Err(_) => ("?".into(), "?".into(), 0),
        };
        format!(
            "release {} of {} (--by {by}, period {period}, k {k}, {:?})",
            self.release,
            self.date(),
            self.label
        )
    }
}

/// The release id of a report (see [`Release::release`]).
pub fn release_id(report: &Report) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, report.to_json().as_bytes());
    format!("r{}", to_hex(&digest.as_ref()[..8]))
}

/// The release log of one population, open and locked (see the module docs).
#[derive(Debug)]
pub struct ReleaseLog {
    log: SignedLog,
    header: Header,
    releases: Vec<Release>,
}

impl ReleaseLog {
    /// The log file of `population` in `dir`: `ona-release-log-<population file id>.jsonl`.
    pub fn path_in(dir: &Path, population: &Population) -> PathBuf {
        dir.join(format!("ona-release-log-{}.jsonl", population.file_id()))
    }

    /// Opens (or starts) the release log of `population` at `path`, takes its exclusive lock
    /// (waiting for another run to finish) and verifies every line. Fails with
    /// [`ReportError::ReleaseLog`] when a line was edited, removed, inserted or reordered, when
    /// the file belongs to another population, or when `key` is not the key it was written
    /// under.
    pub fn open(
        path: &Path,
        population: &Population,
        key: &LedgerKey,
    ) -> Result<ReleaseLog, ReportError> {
        let bad =
            |reason: String| ReportError::ReleaseLog { path: path.display().to_string(), reason };
        let (mut log, lines) = SignedLog::open(path, key).map_err(bad)?;
        let mut lines = lines.into_iter();
        let Some((_, first)) = lines.next() else {
            let mut header = Header {
                format: RELEASE_LOG_FORMAT.into(),
                population: population.clone(),
                ledger_key: key.id(),
                mac: String::new(),
            };
            log.append(&mut header).map_err(bad)?;
            return Ok(ReleaseLog { log, header, releases: Vec::new() });
        };
        let header: Header =
            read_header(&mut log, &first, RELEASE_LOG_FORMAT, key, population, "release log")
                .map_err(bad)?;
        let mut releases = Vec::new();
        for (n, line) in lines {
            let r: Release = serde_json::from_str(&line)
                .map_err(|err| bad(format!("line {n} is not a logged release: {err}")))?;
            if r.entry != releases.len() as u64 + 1 || !log.verify(&r) {
                return Err(bad(format!(
                    "line {n} (entry {}) does not verify: a release was edited, removed, \
                     inserted or reordered",
                    r.entry
                )));
            }
            releases.push(r);
        }
        Ok(ReleaseLog { log, header, releases })
    }

    /// The population this log is of.
    pub fn population(&self) -> &Population {
        &self.header.population
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        self.log.path()
    }

    /// The releases logged so far, oldest first.
    pub fn releases(&self) -> &[Release] {
        &self.releases
    }

    /// Appends `report` as a release labelled `label`, synced to disk, under the lock. Returns
    /// the logged release.
    pub fn append(&mut self, report: &Report, label: &str) -> Result<&Release, ReportError> {
        let time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut r = Release {
            entry: self.releases.len() as u64 + 1,
            release: release_id(report),
            time,
            label: label.to_string(),
            report: report.to_json(),
            mac: String::new(),
        };
        self.log.append(&mut r).map_err(|reason| ReportError::ReleaseLog {
            path: self.log.path().display().to_string(),
            reason,
        })?;
        self.releases.push(r);
        Ok(&self.releases[self.releases.len() - 1])
    }
}

//! One organisation's key in the directory, and what it may be used for when.

use super::time::format_time;
use super::DirectoryError;
use crate::seal::{EncryptionPublicKey, SigningPublicKey};
use serde::{Deserialize, Serialize};

/// What an organisation does in the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A crisis centre: records cases and sends pseudonymised exports.
    Centre,
    /// The hub: receives exports, signs the directory.
    Hub,
    /// An analyst: receives reports.
    Analyst,
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "centre" => Ok(Role::Centre),
            "hub" => Ok(Role::Hub),
            "analyst" => Ok(Role::Analyst),
            other => Err(format!("role must be centre, hub or analyst, not `{other}`")),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::Centre => "centre",
            Role::Hub => "hub",
            Role::Analyst => "analyst",
        })
    }
}

/// One key pair of one organisation, valid from `valid_from` until `valid_until` (excluded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Short id, the name used with `--to` and `--from` (`kz-almaty`): lowercase letters,
    /// digits, `-`, `_` and `.`, 1 to 64 characters.
    pub id: String,
    /// Full name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Role in the network.
    pub role: Role,
    /// Encryption public key (`onaenc1…`).
    pub encryption_key: String,
    /// Signing public key (`onasig1…`).
    pub signing_key: String,
    /// Start of validity, seconds since the Unix epoch.
    pub valid_from: u64,
    /// End of validity (excluded), if any: set when the key is rotated.
    pub valid_until: Option<u64>,
    /// When the key was revoked (compromised or withdrawn), if it was.
    pub revoked_at: Option<u64>,
}

/// Where an entry stands at some moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Valid and not revoked.
    Active,
    /// Not valid yet.
    NotYetValid,
    /// Past its validity (rotated).
    Retired,
    /// Revoked.
    Revoked,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Active => "active",
            Status::NotYetValid => "not yet valid",
            Status::Retired => "retired",
            Status::Revoked => "revoked",
        })
    }
}

/// Whether `id` is a valid organisation id.
pub(super) fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"-_.".contains(&c))
        && !id.starts_with("onaenc1")
        && !id.starts_with("onasig1")
}

impl Entry {
    /// The rules of one entry; the message names the field.
    pub(super) fn check(&self) -> Result<(), String> {
        if !valid_id(&self.id) {
            return Err(format!(
                "id `{}` must be 1-64 lowercase letters, digits, `-`, `_` or `.`, not a key",
                self.id
            ));
        }
        if self.name.trim().is_empty() || self.name.chars().any(char::is_control) {
            return Err(format!("`{}`: name is empty or holds control characters", self.id));
        }
        if self.country.len() != 2 || !self.country.bytes().all(|c| c.is_ascii_uppercase()) {
            return Err(format!("`{}`: country must be two capital letters", self.id));
        }
        self.encryption_key
            .parse::<EncryptionPublicKey>()
            .map_err(|e| format!("`{}`: encryption_key: {e}", self.id))?;
        self.signing_key
            .parse::<SigningPublicKey>()
            .map_err(|e| format!("`{}`: signing_key: {e}", self.id))?;
        if self.valid_until.is_some_and(|u| u <= self.valid_from) {
            return Err(format!("`{}`: valid_until is not after valid_from", self.id));
        }
        Ok(())
    }

    /// Whether two entries' validity periods share a moment.
    pub(super) fn overlaps(&self, other: &Entry) -> bool {
        let end = |e: &Entry| e.valid_until.unwrap_or(u64::MAX);
        self.valid_from < end(other) && other.valid_from < end(self)
    }

    /// Where the entry stands at `at`.
    pub fn status_at(&self, at: u64) -> Status {
        if self.revoked_at.is_some() {
            Status::Revoked
        } else if at < self.valid_from {
            Status::NotYetValid
        } else if self.valid_until.is_some_and(|u| at >= u) {
            Status::Retired
        } else {
            Status::Active
        }
    }

    /// Whether a file made at `at` may be accepted from this key. A revoked key is refused
    /// whatever the time, because the creation time is written by whoever holds the key: a
    /// thief could date a forged export before the revocation.
    pub fn check_at(&self, at: u64) -> Result<(), DirectoryError> {
        match self.status_at(at) {
            Status::Active => Ok(()),
            Status::Revoked => Err(DirectoryError::Revoked {
                id: self.id.clone(),
                at: format_time(self.revoked_at.unwrap_or(0)),
            }),
            Status::NotYetValid | Status::Retired => Err(DirectoryError::OutsideValidity {
                id: self.id.clone(),
                at: format_time(at),
                from: format_time(self.valid_from),
                until: self.valid_until.map_or_else(|| "open".into(), format_time),
            }),
        }
    }
}

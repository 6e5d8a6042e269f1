//! The population a report describes: the pseudonym domain and domain key id of its records.
//!
//! Two files of the same women — reordered, re-serialised, split or appended to — carry the same
//! domain and key id, so anything that must not reset with the file bytes (the privacy-budget
//! ledger, the log of earlier releases) is keyed by the population, never by the input's digest.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A population: every record pseudonymised in one domain under one domain key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// The pseudonymisation domain, e.g. `kz/case-management`.
    pub domain: String,
    /// Id of the domain key that made the pseudonyms.
    pub key_id: String,
}

impl Population {
    /// The population of a pseudonymised record.
    pub fn of(case: &crate::pseudonym::PseudoCase) -> Population {
        Population {
            domain: case.pseudonymisation.domain.clone(),
            key_id: case.pseudonymisation.key_id.clone(),
        }
    }

    /// A stable, file-name-safe id: `domain#key_id` with every byte outside `[A-Za-z0-9._-]`
    /// written as `%XX`.
    pub fn file_id(&self) -> String {
        let mut out = String::new();
        for b in format!("{}#{}", self.domain, self.key_id).bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
}

impl fmt::Display for Population {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (key {})", self.domain, self.key_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_id_is_safe_and_distinguishes_populations() {
        let a = Population { domain: "kz/case-management".into(), key_id: "k1".into() };
        let b = Population { domain: "kz/case".into(), key_id: "management#k1".into() };
        assert_eq!(a.file_id(), "kz%2Fcase-management%23k1");
        assert_ne!(a.file_id(), b.file_id());
        assert!(a.file_id().bytes().all(|c| c.is_ascii_alphanumeric() || b"._-%".contains(&c)));
    }
}

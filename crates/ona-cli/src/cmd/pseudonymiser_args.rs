//! The arguments that make a pseudonymiser — key file, domain, policy — shared by
//! `ona pseudonymise` and `ona pseudonymise-column`, and the one way they are turned into a
//! [`Pseudonymiser`] (failures take the exit code of the core's error class: 2 for a bad key,
//! domain or policy).

use crate::fail::Fail;
use ona_core::pseudonym::{MasterKey, Policy, Pseudonymiser};
use std::path::{Path, PathBuf};

/// Key, domain and policy of a pseudonymising command (`#[command(flatten)]`).
#[derive(clap::Args, Debug)]
pub struct PseudonymiserArgs {
    /// Pseudonymisation master key file (from `ona pseudonym-key`).
    #[arg(long)]
    pub key: PathBuf,
    /// Pseudonymisation domain: scope and purpose, e.g. `kz/case-management`.
    #[arg(long)]
    pub domain: String,
    /// Policy file (TOML or JSON); the built-in default follows the disclosure classes.
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

impl PseudonymiserArgs {
    /// The files these arguments read (so that no output may overwrite them).
    pub fn inputs(&self) -> Vec<&Path> {
        let mut inputs = vec![self.key.as_path()];
        inputs.extend(self.policy.as_deref());
        inputs
    }

    /// Reads the key file and the policy and makes the pseudonymiser of the domain.
    pub fn pseudonymiser(&self) -> Result<Pseudonymiser, Fail> {
        let key_text = std::fs::read_to_string(&self.key)
            .map_err(|e| Fail::io("read key file", &self.key, e))?;
        let master = MasterKey::from_key_file(&key_text)
            .map_err(|e| Fail::of_class(e.class(), format!("{}: {e}", self.key.display())))?;
        let policy = match &self.policy {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| Fail::io("read policy", p, e))?;
                Policy::from_text(&text)
                    .map_err(|e| Fail::of_class(e.class(), format!("{}: {e}", p.display())))?
            }
            None => Policy::default(),
        };
        Pseudonymiser::new(&master, &self.domain, policy).map_err(|e| Fail::of_class(e.class(), e))
    }
}

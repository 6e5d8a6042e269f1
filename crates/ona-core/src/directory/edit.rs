//! Editing a directory: each edit makes a new edition with the next serial, to be signed by the
//! hub ([`Directory::sign`]).

use super::entry::{valid_id, Entry, Role};
use super::{Directory, DirectoryError};
use crate::seal::{EncryptionPublicKey, Identity, SigningPublicKey};

fn edit_err(m: impl Into<String>) -> DirectoryError {
    DirectoryError::Edit(m.into())
}

impl Directory {
    /// A first edition (serial 1) listing the hub itself, signed later by `hub`.
    pub fn init(
        network: &str,
        hub: &Identity,
        id: &str,
        name: &str,
        country: &str,
        at: u64,
    ) -> Result<Directory, DirectoryError> {
        let entry = Entry {
            id: id.into(),
            name: name.into(),
            country: country.into(),
            role: Role::Hub,
            encryption_key: hub.encryption_public().to_string(),
            signing_key: hub.signing_public().to_string(),
            valid_from: at,
            valid_until: None,
            revoked_at: None,
        };
        let d = Directory {
            network: network.into(),
            serial: 1,
            issued_at: at,
            signer: hub.signing_public().to_string(),
            organisations: vec![entry],
        };
        d.check()?;
        Ok(d)
    }

    fn next_edition(&self, at: u64) -> Result<Directory, DirectoryError> {
        let mut d = self.clone();
        d.serial = self.serial.checked_add(1).ok_or_else(|| edit_err("serial overflow"))?;
        d.issued_at = at.max(self.issued_at);
        Ok(d)
    }

    /// The next edition with `entry` added (a new organisation: its id must be new).
    pub fn add(&self, entry: Entry, at: u64) -> Result<Directory, DirectoryError> {
        if self.entries_of(&entry.id).next().is_some() {
            return Err(edit_err(format!(
                "`{}` is already listed: use rotate to give it new keys",
                entry.id
            )));
        }
        let mut d = self.next_edition(at)?;
        d.organisations.push(entry);
        d.check()?;
        Ok(d)
    }

    /// The next edition with every unrevoked key of `id` revoked at `at`.
    pub fn revoke(&self, id: &str, at: u64) -> Result<Directory, DirectoryError> {
        let mut d = self.next_edition(at)?;
        let mut n = 0;
        for e in d.organisations.iter_mut().filter(|e| e.id == id && e.revoked_at.is_none()) {
            if e.signing_key == self.signer {
                return Err(edit_err(
                    "the hub cannot revoke its own signing key: make a new directory with a new hub key and pin it at every member",
                ));
            }
            e.revoked_at = Some(at);
            n += 1;
        }
        if n == 0 {
            return Err(edit_err(format!("no unrevoked key of `{id}` to revoke")));
        }
        d.check()?;
        Ok(d)
    }

    /// The next edition in which `id`'s current key ends at `at` and new keys start then.
    pub fn rotate(
        &self,
        id: &str,
        encryption: &EncryptionPublicKey,
        signing: &SigningPublicKey,
        at: u64,
    ) -> Result<Directory, DirectoryError> {
        let mut d = self.next_edition(at)?;
        let current = d
            .organisations
            .iter_mut()
            .filter(|e| e.id == id && e.revoked_at.is_none())
            .find(|e| e.valid_until.is_none_or(|u| u > at))
            .ok_or_else(|| edit_err(format!("`{id}` has no current key to rotate")))?;
        if current.signing_key == self.signer {
            return Err(edit_err(
                "rotating the hub's own signing key needs a new directory pinned at every member",
            ));
        }
        if current.valid_from >= at {
            return Err(edit_err(format!(
                "the current key of `{id}` starts after the rotation time"
            )));
        }
        let mut next = current.clone();
        current.valid_until = Some(at);
        next.encryption_key = encryption.to_string();
        next.signing_key = signing.to_string();
        next.valid_from = at;
        next.valid_until = None;
        d.organisations.push(next);
        d.check()?;
        Ok(d)
    }

    /// The encryption key to seal to for the organisation named `id` at `at`.
    pub fn recipient(&self, id: &str, at: u64) -> Result<EncryptionPublicKey, DirectoryError> {
        if !valid_id(id) {
            return Err(DirectoryError::UnknownName(id.into()));
        }
        self.entries_of(id)
            .find(|e| e.check_at(at).is_ok())
            .and_then(|e| e.encryption_key.parse().ok())
            .ok_or_else(|| DirectoryError::UnknownName(id.into()))
    }

    /// The entry that signed with `sender`, if it may sign a file made at `at`; with `name`,
    /// only if the key belongs to that organisation.
    pub fn check_sender(
        &self,
        sender: &str,
        at: u64,
        name: Option<&str>,
    ) -> Result<&Entry, DirectoryError> {
        let e = self
            .organisations
            .iter()
            .find(|e| e.signing_key == sender)
            .ok_or_else(|| DirectoryError::NotListed(sender.into()))?;
        if let Some(n) = name.filter(|n| *n != e.id) {
            return Err(DirectoryError::OtherOrganisation {
                expected: n.into(),
                found: e.id.clone(),
            });
        }
        e.check_at(at)?;
        Ok(e)
    }
}

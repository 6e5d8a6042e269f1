//! Who may have sent an export: a policy every opener must choose, and opening under it.

use super::Directory;
use crate::seal::SigningPublicKey;
use crate::seal::{open_file_with, open_with, Identity, Manifest, OpenError, Opened};
use std::path::Path;

/// Whom an opener accepts as the sender of an export. There is no default: a caller that wants
/// no check must say [`SenderPolicy::AnySender`], and should tell its user that the sender was
/// not verified.
#[derive(Clone, Debug)]
pub enum SenderPolicy<'a> {
    /// Exactly this signing key.
    Key(SigningPublicKey),
    /// An organisation listed in the directory whose key was valid and unrevoked at the export's
    /// creation time; with `name`, that organisation only.
    Directory {
        /// The verified directory.
        directory: &'a Directory,
        /// The organisation id required, if any.
        name: Option<String>,
    },
    /// Anyone: the file still proves it was not changed since someone signed it, but not who.
    AnySender,
}

impl SenderPolicy<'_> {
    /// Whether this policy checks who the sender is.
    pub fn verifies_sender(&self) -> bool {
        !matches!(self, SenderPolicy::AnySender)
    }

    fn expected_key(&self) -> Option<&SigningPublicKey> {
        match self {
            SenderPolicy::Key(k) => Some(k),
            _ => None,
        }
    }

    /// Checks a manifest's sender and creation time against the policy.
    pub fn check(&self, m: &Manifest) -> Result<(), OpenError> {
        match self {
            SenderPolicy::Key(k) if m.sender != k.to_string() => {
                Err(OpenError::UnexpectedSender { found: m.sender.clone() })
            }
            SenderPolicy::Directory { directory, name } => directory
                .check_sender(&m.sender, m.created_at, name.as_deref())
                .map(|_| ())
                .map_err(|e| OpenError::SenderNotAllowed(e.to_string())),
            _ => Ok(()),
        }
    }
}

/// Opens a sealed export in memory, refusing it unless its sender passes `policy`.
pub fn open_checked(
    sealed: &[u8],
    identity: &Identity,
    policy: &SenderPolicy<'_>,
) -> Result<Opened, OpenError> {
    open_with(sealed, identity, policy.expected_key(), &|m| policy.check(m))
}

/// Opens `in_path` into `out_path` like [`crate::seal::open_file`], refusing the export before
/// any output is created unless its sender passes `policy`.
pub fn open_file_checked(
    in_path: &Path,
    out_path: &Path,
    identity: &Identity,
    policy: &SenderPolicy<'_>,
) -> Result<Manifest, OpenError> {
    open_file_with(in_path, out_path, identity, policy.expected_key(), &|m| policy.check(m))
}

/// [`open_file_checked`] reading the sealed export from `input` (a file the caller has wrapped,
/// e.g. to show progress).
pub fn open_reader_checked(
    input: impl std::io::Read,
    out_path: &Path,
    identity: &Identity,
    policy: &SenderPolicy<'_>,
) -> Result<Manifest, OpenError> {
    crate::seal::open_to_file_with(input, out_path, identity, policy.expected_key(), &|m| {
        policy.check(m)
    })
}

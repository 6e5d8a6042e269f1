//! Sealed exports: the encrypted, signed, streaming `.ona` format (issue 4).
//!
//! The format (specified in `docs/seal-format.md`) follows age's structure and adds what age
//! lacks: fixed-size recipient stanzas without key ids, a header MAC, an explicit key
//! commitment, a STREAM payload whose final chunk is always short, and the sender's Ed25519
//! signature over the whole header and a digest of the plaintext (hashed a chunk at a time, on
//! every core), inside the encrypted final chunk. Format version 2 is written; version 1 is
//! still read.
//!
//! Streamlined API: [`seal`], [`open`], [`seal_file`], [`open_file`], [`inspect`].
//! Full API: [`Sealer`] (a writer that must be [`finish`](Sealer::finish)ed) and [`Opener`]
//! (a reader that reports an error instead of end of file unless everything verifies).
//!
//! ```
//! use ona_core::seal::{open, seal, ContentType, Identity, Manifest};
//! let centre = Identity::generate();
//! let hub = Identity::generate();
//! let manifest = Manifest::new(ContentType::Report, 1);
//! let sealed = seal(b"{}", &manifest, &[hub.encryption_public()], &centre).unwrap();
//! let opened = open(&sealed, &hub, Some(&centre.signing_public())).unwrap();
//! assert_eq!(opened.plaintext, b"{}");
//! ```

mod balance;
mod content_digest;
mod error;
mod framing;
mod header;
mod holdback;
mod keys;
mod manifest;
mod pipeline;
mod reader;
mod recipients;
mod rng;
mod schedule;
mod simple;
mod spool;
mod stream;
mod writer;

pub use error::{KeyError, OpenError, SealError};
pub use header::{
    header_len, inspect, HeaderInfo, MAGIC, MAX_HEADER_LEN, MAX_RECIPIENTS,
    OLDEST_READABLE_VERSION, SUITE, VERSION,
};
pub use keys::{
    EncryptionPublicKey, Identity, SigningPublicKey, ENCRYPTION_PREFIX, SIGNING_PREFIX,
};
pub use manifest::{ContentType, Manifest, MAX_MANIFEST_LEN, SCHEMA_VERSION};
pub use reader::Opener;
#[cfg(any(test, feature = "test-helpers"))]
pub use simple::seal_deterministic_for_tests;
pub use simple::{open, open_file, seal, seal_file, seal_to_file, Opened};
pub(crate) use simple::{open_file_with, open_to_file_with, open_with};
pub use spool::spool_verified;
pub use stream::{CHUNK_LEN, SIGNATURE_LEN, TAG_LEN, WIRE_CHUNK_LEN};
pub use writer::Sealer;
#[cfg(any(test, feature = "test-helpers"))]
pub use writer::{seal_raw_stream_for_tests, seal_raw_stream_of_version_for_tests};

/// The transcript the sender signs: a label naming the header's version ‖ header ‖ digest.
#[cfg(any(test, feature = "test-helpers"))]
#[doc(hidden)]
pub fn transcript_for_tests(header: &[u8], digest: &[u8]) -> Vec<u8> {
    content_digest::transcript(header.get(8).copied().unwrap_or(VERSION), header, digest)
}

/// The digest of a whole content (manifest frame ‖ content) as format `version` signs it: for
/// crafting test vectors and checking other implementations.
#[cfg(any(test, feature = "test-helpers"))]
#[doc(hidden)]
pub fn content_digest_for_tests(version: u8, content: &[u8]) -> [u8; 32] {
    content_digest::content_digest(version, content)
}

impl Identity {
    /// Signs arbitrary bytes: for crafting test vectors only.
    #[cfg(any(test, feature = "test-helpers"))]
    #[doc(hidden)]
    pub fn sign_for_tests(&self, msg: &[u8]) -> Vec<u8> {
        self.sign(msg).to_vec()
    }
}

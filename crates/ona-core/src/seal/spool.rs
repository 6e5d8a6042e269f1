//! Verified-only reading for callers that consume a stream: the whole export is decrypted into
//! an unnamed, owner-only temporary file, and handed back only once the last chunk and the
//! sender's signature verify.
//!
//! The attacker: whoever changes a byte near the end of a large export (or truncates it). A
//! streaming reader releases authenticated chunks as it goes (§6 of the spec), so a consumer
//! acting per chunk would act on gigabytes of forged-sender or cut data before the error
//! arrives. Spooled, it gets nothing at all.

use super::error::OpenError;
use super::manifest::Manifest;
use super::reader::Opener;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Reads everything `opener` yields into a temporary file (unnamed where the system allows,
/// readable by its owner only, deleted when dropped) and returns it rewound with the manifest,
/// only if the export verified to its end.
pub fn spool_verified<R: Read>(mut opener: Opener<R>) -> Result<(File, Manifest), OpenError> {
    let mut spool = tempfile::tempfile()?;
    std::io::copy(&mut opener, &mut spool).map_err(OpenError::from_io)?;
    if !opener.is_verified() {
        return Err(OpenError::Truncated);
    }
    spool.seek(SeekFrom::Start(0))?;
    Ok((spool, opener.manifest().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::{seal, ContentType, Identity};

    #[test]
    fn a_tampered_export_yields_nothing_and_a_genuine_one_everything() {
        let (centre, hub) = (Identity::generate(), Identity::generate());
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let m = Manifest::new(ContentType::Report, 1);
        let sealed = seal(&data, &m, &[hub.encryption_public()], &centre).unwrap();
        let (mut f, back) =
            spool_verified(Opener::new(&sealed[..], &hub, Some(&centre.signing_public())).unwrap())
                .unwrap();
        let mut out = Vec::new();
        f.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        assert_eq!(back.sender, centre.signing_public().to_string());
        // One byte changed in the last chunk: the first 2.9 MB authenticate, yet none is given.
        let mut bad = sealed.clone();
        let n = bad.len();
        bad[n - 100] ^= 1;
        let o = Opener::new(&bad[..], &hub, None).unwrap();
        assert!(spool_verified(o).is_err());
        let o = Opener::new(&sealed[..sealed.len() - 1], &hub, None).unwrap();
        assert!(spool_verified(o).is_err());
    }
}

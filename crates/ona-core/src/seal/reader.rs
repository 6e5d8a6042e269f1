//! [`Opener`]: the streaming reader that verifies everything.

use super::digest_worker::PlainDigest;
use super::error::OpenError;
use super::header::Header;
use super::keys::{Identity, SigningPublicKey};
use super::manifest::{Manifest, MAX_MANIFEST_LEN};
use super::recipients::unwrap;
use super::schedule::{ct_eq, Schedule, TRANSCRIPT_LABEL};
use super::stream::{SIGNATURE_LEN, TAG_LEN, WIRE_CHUNK_LEN};
use ring::{aead, hmac};
use std::io::{self, Read};

/// Opens a sealed stream. The manifest is available at once; the content is read through
/// [`Read`]. End of file is reported only after the final chunk and the sender's signature
/// verify; any failure is returned as an error (see [`OpenError::from_io`]) instead.
pub struct Opener<R: Read> {
    inner: R,
    header: Header,
    schedule: Schedule,
    manifest: Manifest,
    sender: Option<SigningPublicKey>,
    signature: Option<[u8; SIGNATURE_LEN]>,
    hasher: Option<PlainDigest>,
    wire: Vec<u8>,
    plain: Vec<u8>,
    start: usize,
    released: usize,
    counter: u64,
    finished: bool,
    verified: bool,
    failed: Option<String>,
}

impl<R: Read> Opener<R> {
    /// Reads and authenticates the header, finds this identity's stanza, checks the key
    /// commitment and header MAC, and reads the manifest.
    ///
    /// With `expected_sender`, a file signed by anyone else is refused.
    pub fn new(
        mut reader: R,
        identity: &Identity,
        expected_sender: Option<&SigningPublicKey>,
    ) -> Result<Self, OpenError> {
        let header = Header::read_from(&mut reader)?;
        let file_key = unwrap(&header, identity).ok_or(OpenError::NoMatchingRecipient)?;
        let schedule = Schedule::derive(&file_key, header.salt());
        if !ct_eq(&schedule.commitment, header.commitment()) {
            return Err(OpenError::KeyCommitment);
        }
        hmac::verify(&schedule.mac_key, header.mac_input(), header.mac())
            .map_err(|_| OpenError::HeaderMac)?;
        let mut opener = Opener {
            inner: reader,
            header,
            schedule,
            manifest: placeholder_manifest(),
            sender: None,
            signature: None,
            hasher: Some(PlainDigest::new()),
            wire: Vec::with_capacity(WIRE_CHUNK_LEN + 1),
            plain: Vec::with_capacity(2 * WIRE_CHUNK_LEN),
            start: 0,
            released: 0,
            counter: 0,
            finished: false,
            verified: false,
            failed: None,
        };
        let len_bytes = opener.take_exact(4)?;
        let len = u32::from_be_bytes(len_bytes.try_into().expect("4 bytes")) as usize;
        if len > MAX_MANIFEST_LEN {
            return Err(OpenError::LimitExceeded("manifest larger than 16 KiB"));
        }
        let json = opener.take_exact(len)?;
        let manifest = Manifest::decode(&json)?;
        let sender: SigningPublicKey = manifest.sender.parse().map_err(|_| {
            OpenError::ManifestMalformed("sender is not a signing public key".into())
        })?;
        if let Some(expected) = expected_sender {
            if *expected != sender {
                return Err(OpenError::UnexpectedSender { found: sender.to_string() });
            }
        }
        opener.manifest = manifest;
        opener.sender = Some(sender);
        opener.check_signature()?;
        Ok(opener)
    }

    /// The manifest. It is authenticated by the signature only when reading reaches the end.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Whether the final chunk and the signature have been verified.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// Consumes exactly `n` released bytes (for the manifest).
    fn take_exact(&mut self, n: usize) -> Result<Vec<u8>, OpenError> {
        while self.released - self.start < n {
            if self.finished {
                return Err(OpenError::ManifestMalformed(
                    "payload ends inside the manifest".into(),
                ));
            }
            self.next_chunk()?;
        }
        let out = self.plain[self.start..self.start + n].to_vec();
        self.start += n;
        Ok(out)
    }

    /// Reads, decrypts and releases the next chunk; verifies the signature after the final one.
    fn next_chunk(&mut self) -> Result<(), OpenError> {
        // Drop consumed plaintext; what stays is at most the held-back signature bytes.
        self.plain.drain(..self.start);
        self.released -= self.start;
        self.start = 0;
        // Fill to one full chunk plus one byte, so the final chunk is known by EOF.
        let want = WIRE_CHUNK_LEN + 1;
        while self.wire.len() < want {
            let have = self.wire.len();
            self.wire.resize(want, 0);
            match self.inner.read(&mut self.wire[have..]) {
                Ok(0) => {
                    self.wire.truncate(have);
                    break;
                }
                Ok(k) => self.wire.truncate(have + k),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => self.wire.truncate(have),
                Err(e) => {
                    self.wire.truncate(have);
                    return Err(OpenError::Io(e));
                }
            }
        }
        let i = self.counter;
        let last = self.wire.len() <= WIRE_CHUNK_LEN;
        if last && (self.wire.len() == WIRE_CHUNK_LEN || self.wire.len() < TAG_LEN) {
            // A final chunk is always shorter than a full one and holds at least its tag.
            return Err(OpenError::Truncated);
        }
        let n = if last { self.wire.len() } else { WIRE_CHUNK_LEN };
        let nonce = self.schedule.nonce(i, last);
        let key = &self.schedule.payload_key;
        if key.open_in_place(nonce, aead::Aad::empty(), &mut self.wire[..n]).is_err() {
            return Err(OpenError::ChunkAuthentication(i));
        }
        self.plain.extend_from_slice(&self.wire[..n - TAG_LEN]);
        self.wire.drain(..n);
        self.counter += 1;
        if !last {
            let end = self.plain.len().saturating_sub(SIGNATURE_LEN).max(self.released);
            if let Some(h) = self.hasher.as_mut() {
                h.update(&self.plain[self.released..end]);
            }
            self.released = end;
            return Ok(());
        }
        self.finished = true;
        if self.plain.len() < self.released + SIGNATURE_LEN {
            return Err(OpenError::BadSignature);
        }
        let end = self.plain.len() - SIGNATURE_LEN;
        if let Some(h) = self.hasher.as_mut() {
            h.update(&self.plain[self.released..end]);
        }
        let mut sig = [0u8; SIGNATURE_LEN];
        sig.copy_from_slice(&self.plain[end..]);
        self.plain.truncate(end);
        self.released = end;
        self.signature = Some(sig);
        self.check_signature()
    }

    /// Verifies the signature once both the final chunk and the sender are known.
    fn check_signature(&mut self) -> Result<(), OpenError> {
        let (Some(sig), Some(sender)) = (self.signature, self.sender.as_ref()) else {
            return Ok(());
        };
        if self.verified {
            return Ok(());
        }
        let Some(hasher) = self.hasher.take() else { return Err(OpenError::BadSignature) };
        let digest = hasher.finish();
        let mut transcript = TRANSCRIPT_LABEL.to_vec();
        transcript.extend_from_slice(&self.header.bytes);
        transcript.extend_from_slice(&digest);
        if !sender.verify(&transcript, &sig) {
            return Err(OpenError::BadSignature);
        }
        self.verified = true;
        Ok(())
    }

    fn fail(&mut self, e: OpenError) -> io::Error {
        self.failed = Some(e.to_string());
        e.into_io()
    }
}

impl<R: Read> Read for Opener<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(msg) = &self.failed {
            return Err(io::Error::new(io::ErrorKind::InvalidData, msg.clone()));
        }
        while self.start == self.released {
            if self.finished {
                return Ok(0);
            }
            if let Err(e) = self.next_chunk() {
                return Err(self.fail(e));
            }
        }
        let k = out.len().min(self.released - self.start);
        out[..k].copy_from_slice(&self.plain[self.start..self.start + k]);
        self.start += k;
        Ok(k)
    }
}

fn placeholder_manifest() -> Manifest {
    Manifest {
        schema_version: String::new(),
        content_type: super::manifest::ContentType::Cases,
        record_count: 0,
        pseudonym_domain: None,
        pseudonym_key_id: None,
        export_id: String::new(),
        created_at: 0,
        sender: String::new(),
    }
}

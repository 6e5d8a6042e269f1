//! [`Opener`]: the streaming reader that verifies everything, as a small state machine.
//!
//! The caller's thread reads the payload in batches of 16 wire chunks (`framing`: one byte of
//! lookahead, so the final chunk is known by the end of input) and releases plaintext. The
//! decryption of each batch — and, from format version 2 on, the hashing of each chunk into its
//! leaf of the signed digest (see `content_digest`) — is done by whichever of the caller's
//! thread and one worker thread has time (see `balance`); the worker then takes the batches in
//! order and holds back what may be the signature (`holdback`). A version 1 file is hashed in
//! order, byte after byte, by the worker. A file of one batch or less never starts a thread.
//!
//! The opener's state on the way out is one `State`; the signature's is one `Signature`.

use super::balance::Balance;
use super::content_digest::transcript;
use super::error::OpenError;
use super::framing::{decrypt, Batch, Framing};
use super::header::Header;
use super::holdback::Hasher;
use super::keys::{Identity, SigningPublicKey};
use super::manifest::{Manifest, MAX_MANIFEST_LEN};
use super::pipeline::{Pipeline, Stage};
use super::recipients::unwrap;
use super::schedule::{ct_eq, Schedule};
use super::stream::{PayloadKey, IN_FLIGHT, SIGNATURE_LEN};
use ring::hmac;
use std::io::{self, BufRead, Read};
use std::sync::Arc;

fn stages(key: Arc<PayloadKey>, version: u8) -> Vec<(&'static str, Stage<Batch>)> {
    let mut hasher = Hasher::new(version);
    let leaves = version >= 2;
    let work = move |b: &mut Batch| {
        decrypt(&key, b, leaves);
        hasher.run(b);
    };
    vec![("ona-open-worker", Box::new(work))]
}

/// Where the opener stands in releasing plaintext.
enum State {
    /// Releasing plaintext; more batches may follow.
    Streaming,
    /// The batch being released met this failure: it is reported once the plaintext before it
    /// has been consumed.
    Failing(OpenError),
    /// Nothing more to release: the final batch was taken (its signature checked, or checked
    /// as soon as the sender is known), or a failure was reported.
    Ended,
    /// A failure was reported through [`Read`]: every further read repeats it.
    Failed(String),
}

/// The sender's signature over the header and the digest of the content.
enum Signature {
    /// The final batch is not read yet.
    Awaited,
    /// Found in the final batch with the digest it must cover; verified once the sender (from
    /// the manifest) is known.
    Received { signature: [u8; SIGNATURE_LEN], digest: [u8; 32] },
    /// Verified against the sender's key.
    Verified,
}

/// Opens a sealed stream. The manifest is available at once; the content is read through
/// [`Read`] or [`BufRead`]. End of file is reported only after the final chunk and the sender's
/// signature verify; any failure is returned as an error (see [`OpenError::from_io`]) instead.
///
/// Plaintext is released only once its chunk has authenticated, in batches of up to 16 chunks,
/// and the final batch only once the signature verifies. The input is read a few batches
/// (about 1 MiB each) ahead.
pub struct Opener<R: Read> {
    framing: Framing<R>,
    header: Header,
    manifest: Manifest,
    sender: Option<SigningPublicKey>,
    signature: Signature,
    pipeline: Pipeline<Batch>,
    payload: Arc<PayloadKey>,
    balance: Balance,
    /// The batch being released.
    current: Option<Batch>,
    /// Batches handed to the worker and not taken back yet.
    in_flight: usize,
    state: State,
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
        let version = header.version();
        let file_key = unwrap(&header, identity).ok_or(OpenError::NoMatchingRecipient)?;
        let schedule = Schedule::derive(&file_key, header.salt());
        if !ct_eq(&schedule.commitment, header.commitment()) {
            return Err(OpenError::KeyCommitment);
        }
        hmac::verify(&schedule.mac_key, header.mac_input(), header.mac())
            .map_err(|_| OpenError::HeaderMac)?;
        let mut opener = Opener {
            framing: Framing::new(reader),
            header,
            manifest: placeholder_manifest(),
            sender: None,
            signature: Signature::Awaited,
            pipeline: Pipeline::new(stages(schedule.payload.clone(), version)),
            payload: schedule.payload,
            balance: Balance::new(),
            current: None,
            in_flight: 0,
            state: State::Streaming,
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
        matches!(self.signature, Signature::Verified)
    }

    /// Consumes exactly `n` released bytes (for the manifest).
    fn take_exact(&mut self, n: usize) -> Result<Vec<u8>, OpenError> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            self.ensure()?;
            let avail = self.available();
            if avail.is_empty() {
                return Err(OpenError::ManifestMalformed(
                    "payload ends inside the manifest".into(),
                ));
            }
            let k = avail.len().min(n - out.len());
            out.extend_from_slice(&avail[..k]);
            self.advance(k);
        }
        Ok(out)
    }

    /// Released plaintext not consumed yet (empty at the verified end).
    fn available(&self) -> &[u8] {
        match &self.current {
            Some(b) => b.released(),
            None => &[],
        }
    }

    fn advance(&mut self, n: usize) {
        if let Some(b) = self.current.as_mut() {
            b.start = (b.start + n).min(b.end);
        }
    }

    /// Makes released plaintext available, or reaches the verified end, or fails.
    fn ensure(&mut self) -> Result<(), OpenError> {
        loop {
            if self.current.as_ref().is_some_and(|b| b.start < b.end) {
                return Ok(());
            }
            if let Some(b) = self.current.take() {
                self.framing.recycle(b.buf);
            }
            match std::mem::replace(&mut self.state, State::Ended) {
                State::Failing(e) => return Err(e),
                State::Streaming => self.state = State::Streaming,
                ended @ (State::Ended | State::Failed(_)) => {
                    self.state = ended;
                    return Ok(());
                }
            }
            let mut b = self.next_batch()?;
            if let Some(e) = b.error.take() {
                self.state = State::Failing(e);
            } else if b.has_final {
                self.state = State::Ended;
                if let (Some(signature), Some(digest)) = (b.signature, b.digest) {
                    self.signature = Signature::Received { signature, digest };
                }
                self.current = Some(b);
                if let Err(e) = self.check_signature() {
                    self.current = None;
                    return Err(e);
                }
                continue;
            }
            self.current = Some(b);
        }
    }

    /// The next batch through the workers, reading (and handing on) batches of input first
    /// while fewer than `IN_FLIGHT` are under way.
    fn next_batch(&mut self) -> Result<Batch, OpenError> {
        while !self.framing.is_done() && self.in_flight < IN_FLIGHT {
            let Some(mut b) = self.framing.read_batch() else { break };
            if !b.has_final {
                self.pipeline.go_parallel(IN_FLIGHT);
            }
            if self.balance.caller_takes_next() {
                decrypt(&self.payload, &mut b, self.header.version() >= 2);
            }
            self.pipeline.submit(b)?;
            self.in_flight += 1;
        }
        if self.in_flight == 0 {
            let e =
                self.framing.take_error().unwrap_or_else(|| io::Error::other("nothing to read"));
            return Err(OpenError::Io(e));
        }
        let (b, waited) = self.pipeline.next_timed()?;
        self.in_flight -= 1;
        let worker_busy = self.pipeline.take_worker_busy();
        self.balance.observe(waited, worker_busy);
        Ok(b)
    }

    /// Verifies the signature once both the final chunk and the sender are known.
    fn check_signature(&mut self) -> Result<(), OpenError> {
        let (Signature::Received { signature, digest }, Some(sender)) =
            (&self.signature, self.sender.as_ref())
        else {
            return Ok(());
        };
        let transcript = transcript(self.header.version(), &self.header.bytes, digest);
        if !sender.verify(&transcript, signature) {
            return Err(OpenError::BadSignature);
        }
        self.signature = Signature::Verified;
        Ok(())
    }

    /// Reports a failure through [`Read`]; every further read repeats it.
    fn fail(&mut self, e: OpenError) -> io::Error {
        self.state = State::Failed(e.to_string());
        self.current = None;
        e.into_io()
    }

    fn failed_error(&self) -> Option<io::Error> {
        match &self.state {
            State::Failed(msg) => Some(io::Error::new(io::ErrorKind::InvalidData, msg.clone())),
            _ => None,
        }
    }
}

impl<R: Read> Read for Opener<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let k = out.len().min(avail.len());
        out[..k].copy_from_slice(&avail[..k]);
        self.consume(k);
        Ok(k)
    }
}

impl<R: Read> BufRead for Opener<R> {
    /// Released plaintext, straight from the opener's buffers (no copy); empty only at the
    /// verified end.
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(e) = self.failed_error() {
            return Err(e);
        }
        if let Err(e) = self.ensure() {
            return Err(self.fail(e));
        }
        Ok(self.available())
    }

    fn consume(&mut self, amt: usize) {
        self.advance(amt);
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

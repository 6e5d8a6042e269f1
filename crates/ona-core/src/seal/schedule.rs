//! The key schedule: everything derived from the 32-byte file key with HKDF-SHA256.

use super::stream::PayloadKey;
use ring::{hkdf, hmac};
use std::sync::Arc;
use zeroize::Zeroizing;

/// HPKE `info` used when wrapping the file key for a recipient.
pub(crate) const WRAP_INFO: &[u8] = b"ona/seal/v1/file-key";
const LABEL_COMMITMENT: &[u8] = b"ona/seal/v1/commitment";
const LABEL_MAC: &[u8] = b"ona/seal/v1/header-mac";
const LABEL_PAYLOAD: &[u8] = b"ona/seal/v1/payload-key";
const LABEL_NONCE: &[u8] = b"ona/seal/v1/base-nonce";

struct Len(usize);
impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

/// Keys for one file.
pub(crate) struct Schedule {
    pub commitment: [u8; 32],
    pub mac_key: hmac::Key,
    /// Payload key and base nonce, shared with the threads that seal or open chunks.
    pub payload: Arc<PayloadKey>,
}

fn expand(prk: &hkdf::Prk, label: &[u8], out: &mut [u8]) {
    prk.expand(&[label], Len(out.len()))
        .and_then(|okm| okm.fill(out))
        .expect("length within HKDF limits");
}

impl Schedule {
    /// PRK = HKDF-Extract(salt, file_key); each key = HKDF-Expand(PRK, label, len).
    pub fn derive(file_key: &[u8; 32], salt: &[u8]) -> Schedule {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(file_key);
        let mut commitment = [0u8; 32];
        expand(&prk, LABEL_COMMITMENT, &mut commitment);
        let mut mac = Zeroizing::new([0u8; 32]);
        expand(&prk, LABEL_MAC, &mut mac[..]);
        let mut payload = Zeroizing::new([0u8; 32]);
        expand(&prk, LABEL_PAYLOAD, &mut payload[..]);
        let mut base_nonce = [0u8; 12];
        expand(&prk, LABEL_NONCE, &mut base_nonce);
        Schedule {
            commitment,
            mac_key: hmac::Key::new(hmac::HMAC_SHA256, &mac[..]),
            payload: Arc::new(PayloadKey::new(&payload, base_nonce)),
        }
    }
}

/// Constant-time equality of two byte strings of equal length.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

//! Wrapping the file key for each recipient with HPKE (RFC 9180, base mode).

use super::header::Header;
use super::keys::{EncryptionPublicKey, Identity};
use super::rng::SealRng;
use super::schedule::WRAP_INFO;
use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use zeroize::Zeroizing;

/// Wraps `file_key` for `recipient`; the header prefix is the AAD. Returns the 80-byte stanza.
pub(crate) fn wrap(
    file_key: &[u8; 32],
    recipient: &EncryptionPublicKey,
    prefix: &[u8],
    rng: &mut SealRng,
) -> Option<Vec<u8>> {
    let (enc, ct) =
        hpke::single_shot_seal_with_rng::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
            &OpModeS::Base,
            &recipient.to_hpke(),
            WRAP_INFO,
            file_key,
            prefix,
            rng,
        )
        .ok()?;
    let mut stanza = enc.to_bytes().to_vec();
    stanza.extend_from_slice(&ct);
    Some(stanza)
}

/// Tries every stanza with `identity`'s key; returns the file key from the first that opens.
pub(crate) fn unwrap(header: &Header, identity: &Identity) -> Option<Zeroizing<[u8; 32]>> {
    let sk = identity.hpke_secret();
    for i in 0..header.count() {
        let (enc, ct) = header.stanza(i);
        let Ok(enc) = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(enc) else {
            continue;
        };
        let opened = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            &sk,
            &enc,
            WRAP_INFO,
            ct,
            header.prefix(),
        );
        if let Ok(pt) = opened {
            let pt = Zeroizing::new(pt);
            if let Ok(key) = <[u8; 32]>::try_from(&pt[..]) {
                return Some(Zeroizing::new(key));
            }
        }
    }
    None
}

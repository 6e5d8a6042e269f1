//! RFC 9180's own test vector for our recipient suite (Appendix A.2.1, base mode,
//! DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) through the `hpke` crate.

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::rand_core::{TryCryptoRng, TryRng};
use hpke::{Deserializable, Kem, OpModeR, OpModeS, Serializable};
use serde_json::Value;
use std::convert::Infallible;

/// Hands out fixed bytes: the vector's ikmE.
struct Fixed(Vec<u8>);
impl TryRng for Fixed {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        unreachable!("only fill_bytes is used")
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        unreachable!("only fill_bytes is used")
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let take: Vec<u8> = self.0.drain(..dst.len()).collect();
        dst.copy_from_slice(&take);
        Ok(())
    }
}
impl TryCryptoRng for Fixed {}

fn h(v: &Value, k: &str) -> Vec<u8> {
    hex::decode(v[k].as_str().unwrap()).unwrap()
}

#[test]
fn rfc9180_a_2_1_base_mode() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/seal/rfc9180_base_x25519_sha256_chacha.json"
    );
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let (sk_r, pk_r) = X25519HkdfSha256::derive_keypair(&h(&v, "ikmR"));
    assert_eq!(pk_r.to_bytes().to_vec(), h(&v, "pkRm"));
    let (_, pk_e) = X25519HkdfSha256::derive_keypair(&h(&v, "ikmE"));
    assert_eq!(pk_e.to_bytes().to_vec(), h(&v, "pkEm"));
    let info = h(&v, "info");
    let enc = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&h(&v, "enc")).unwrap();
    let sk_rm = <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(&h(&v, "skRm")).unwrap();
    for sk in [&sk_r, &sk_rm] {
        let mut ctx = hpke::setup_receiver::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            sk,
            &enc,
            &info,
        )
        .unwrap();
        let e = &v["encryptions"][0];
        let pt = ctx.open(&h(e, "ct"), &h(e, "aad")).unwrap();
        assert_eq!(pt, h(e, "pt"));
        let x = &v["exports"][0];
        let mut out = vec![0u8; 32];
        ctx.export(&[], &mut out).unwrap();
        assert_eq!(out, h(x, "exported_value"));
    }
    // The sender side, with the ephemeral key drawn from ikmE.
    let mut rng = Fixed(h(&v, "ikmE"));
    let (enc2, mut sctx) = hpke::setup_sender_with_rng::<
        ChaCha20Poly1305,
        HkdfSha256,
        X25519HkdfSha256,
    >(&OpModeS::Base, &pk_r, &info, &mut rng)
    .unwrap();
    assert_eq!(enc2.to_bytes().to_vec(), h(&v, "enc"));
    let e = &v["encryptions"][0];
    assert_eq!(sctx.seal(&h(e, "pt"), &h(e, "aad")).unwrap(), h(e, "ct"));
}

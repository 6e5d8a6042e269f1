//! Organisation identities and their public keys.
//!
//! An [`Identity`] holds two independent key pairs that are never mixed: X25519 for receiving
//! (HPKE) and Ed25519 for signing. Public keys travel as checksummed Bech32 text with distinct
//! prefixes ([`ENCRYPTION_PREFIX`], [`SIGNING_PREFIX`]).

use super::error::KeyError;
use super::rng::SealRng;
use bech32::{Bech32, Hrp};
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use std::fmt;
use std::str::FromStr;
use zeroize::{Zeroize, Zeroizing};

/// Bech32 prefix of an encryption (X25519) public key.
pub const ENCRYPTION_PREFIX: &str = "onaenc";
/// Bech32 prefix of a signing (Ed25519) public key.
pub const SIGNING_PREFIX: &str = "onasig";
/// Bech32 prefix of the secret key line in a key file (upper-cased in the file).
pub const SECRET_PREFIX: &str = "onasecret";

fn encode(prefix: &str, data: &[u8]) -> String {
    let hrp = Hrp::parse(prefix).expect("static prefix is valid");
    bech32::encode::<Bech32>(hrp, data).expect("short data always encodes")
}

fn decode(text: &str, prefix: &'static str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let checked = bech32::primitives::decode::CheckedHrpstring::new::<Bech32>(text.trim())
        .map_err(|_| KeyError::Encoding)?;
    let found = checked.hrp().to_lowercase();
    if found != prefix {
        return Err(KeyError::WrongKind { expected: prefix, found });
    }
    Ok(Zeroizing::new(checked.byte_iter().collect()))
}

/// A recipient's X25519 public key: who a file can be sealed to.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EncryptionPublicKey([u8; 32]);

impl EncryptionPublicKey {
    /// The 32 raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    /// Builds a key from 32 raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Invalid)?;
        <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&arr).map_err(|_| KeyError::Invalid)?;
        Ok(Self(arr))
    }
    pub(crate) fn to_hpke(&self) -> <X25519HkdfSha256 as Kem>::PublicKey {
        <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&self.0).expect("checked on construction")
    }
}

impl fmt::Display for EncryptionPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode(ENCRYPTION_PREFIX, &self.0))
    }
}
impl fmt::Debug for EncryptionPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptionPublicKey({self})")
    }
}
impl FromStr for EncryptionPublicKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        Self::from_bytes(&decode(s, ENCRYPTION_PREFIX)?)
    }
}

/// A sender's Ed25519 public key: who signed a file.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SigningPublicKey([u8; 32]);

impl SigningPublicKey {
    /// The 32 raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    /// Builds a key from 32 raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        Ok(Self(bytes.try_into().map_err(|_| KeyError::Invalid)?))
    }
    /// Checks an Ed25519 signature by this key.
    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        UnparsedPublicKey::new(&ED25519, &self.0).verify(msg, sig).is_ok()
    }
}

impl fmt::Display for SigningPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode(SIGNING_PREFIX, &self.0))
    }
}
impl fmt::Debug for SigningPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningPublicKey({self})")
    }
}
impl FromStr for SigningPublicKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        Self::from_bytes(&decode(s, SIGNING_PREFIX)?)
    }
}

/// An organisation's secret identity: an X25519 key pair and an Ed25519 key pair.
///
/// Both secrets are zeroized on drop and never printed: `Debug` shows only the public keys.
#[derive(Clone)]
pub struct Identity {
    x25519_secret: Zeroizing<[u8; 32]>,
    ed25519_seed: Zeroizing<[u8; 32]>,
    encryption: EncryptionPublicKey,
    signing: SigningPublicKey,
}

impl Identity {
    /// Generates a fresh identity from the operating system's randomness.
    pub fn generate() -> Identity {
        Self::generate_with(&mut SealRng::system())
    }

    pub(crate) fn generate_with(rng: &mut SealRng) -> Identity {
        let mut secrets = Zeroizing::new([0u8; 64]);
        rng.fill(&mut secrets[..]);
        Self::from_secrets(&secrets).expect("random secrets are valid")
    }

    /// Derives a deterministic identity from a seed: for test vectors and tests only.
    #[cfg(any(test, feature = "test-helpers"))]
    #[doc(hidden)]
    pub fn from_seed_for_tests(seed: &[u8]) -> Identity {
        Self::generate_with(&mut SealRng::deterministic(seed))
    }

    fn from_secrets(secrets: &[u8; 64]) -> Result<Identity, KeyError> {
        let mut x = Zeroizing::new([0u8; 32]);
        let mut e = Zeroizing::new([0u8; 32]);
        x.copy_from_slice(&secrets[..32]);
        e.copy_from_slice(&secrets[32..]);
        let sk = <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(&x[..])
            .map_err(|_| KeyError::Invalid)?;
        let pk = X25519HkdfSha256::sk_to_pk(&sk);
        let encryption = EncryptionPublicKey::from_bytes(&pk.to_bytes())?;
        let pair = Ed25519KeyPair::from_seed_unchecked(&e[..]).map_err(|_| KeyError::Invalid)?;
        let signing = SigningPublicKey::from_bytes(pair.public_key().as_ref())?;
        Ok(Identity { x25519_secret: x, ed25519_seed: e, encryption, signing })
    }

    /// The public key others seal to.
    pub fn encryption_public(&self) -> EncryptionPublicKey {
        self.encryption.clone()
    }

    /// The public key that identifies this identity as a sender.
    pub fn signing_public(&self) -> SigningPublicKey {
        self.signing.clone()
    }

    /// The content of a secret key file (see `docs/seal-format.md`, "Key file").
    pub fn to_secret_text(&self) -> Zeroizing<String> {
        let mut both = Zeroizing::new([0u8; 64]);
        both[..32].copy_from_slice(&self.x25519_secret[..]);
        both[32..].copy_from_slice(&self.ed25519_seed[..]);
        let mut line = encode(SECRET_PREFIX, &both[..]);
        let upper = line.to_uppercase();
        line.zeroize();
        let text = format!(
            "# ona secret key file: keep it secret, never share it\n\
             # encryption public key: {}\n# signing public key: {}\n{}\n",
            self.encryption, self.signing, upper
        );
        let mut upper = upper;
        upper.zeroize();
        Zeroizing::new(text)
    }

    /// Parses the content of a secret key file.
    pub fn from_secret_text(text: &str) -> Result<Identity, KeyError> {
        let mut lines =
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let line = lines.next().ok_or(KeyError::SecretFile)?;
        if lines.next().is_some() {
            return Err(KeyError::SecretFile);
        }
        let bytes = decode(line, SECRET_PREFIX).map_err(|e| match e {
            KeyError::WrongKind { .. } | KeyError::Encoding => KeyError::SecretFile,
            other => other,
        })?;
        let secrets: Zeroizing<[u8; 64]> =
            Zeroizing::new(bytes[..].try_into().map_err(|_| KeyError::SecretFile)?);
        Self::from_secrets(&secrets)
    }

    pub(crate) fn hpke_secret(&self) -> <X25519HkdfSha256 as Kem>::PrivateKey {
        <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(&self.x25519_secret[..]).expect("valid")
    }

    /// Signs `msg` with the Ed25519 key.
    pub(crate) fn sign(&self, msg: &[u8]) -> [u8; 64] {
        let pair = Ed25519KeyPair::from_seed_unchecked(&self.ed25519_seed[..]).expect("valid seed");
        let mut out = [0u8; 64];
        out.copy_from_slice(pair.sign(msg).as_ref());
        out
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("encryption", &self.encryption)
            .field("signing", &self.signing)
            .field("secrets", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_text_round_trips_and_is_typed() {
        let id = Identity::generate();
        let enc = id.encryption_public().to_string();
        let sig = id.signing_public().to_string();
        assert!(enc.starts_with("onaenc1") && sig.starts_with("onasig1"));
        assert_eq!(enc.parse::<EncryptionPublicKey>().unwrap(), id.encryption_public());
        assert!(matches!(sig.parse::<EncryptionPublicKey>(), Err(KeyError::WrongKind { .. })));
        let text = id.to_secret_text();
        let back = Identity::from_secret_text(&text).unwrap();
        assert_eq!(back.signing_public(), id.signing_public());
        assert!(!format!("{id:?}").contains(&text.lines().last().unwrap()[..20]));
        let mut bad = enc.clone();
        bad.pop();
        bad.push(if enc.ends_with('q') { 'p' } else { 'q' });
        assert!(bad.parse::<EncryptionPublicKey>().is_err());
    }
}

//! Master secrets and the per-domain keys derived from them.
//!
//! A centre holds one master secret (32 random bytes) with a generation number. For each
//! pseudonymisation domain — a string naming scope and purpose, e.g. `kz/case-management` or
//! `regional-report-2026` — an HMAC-SHA256 key is derived with HKDF-SHA256:
//!
//! ```text
//! PRK        = HKDF-Extract(salt = "ona/pseudonym/v1", IKM = master secret)
//! domain key = HKDF-Expand(PRK, info = "ona/domain-key" 0x00 domain 0x00 generation (u32 BE), 32)
//! key id     = hex(HMAC-SHA256(domain key, "ona/key-id")[0..8])
//! ```
//!
//! Pseudonyms of two domains cannot be joined without the master secret; the key id names the
//! key that made a record without revealing it. Rotation: a new master secret with the next
//! generation number; records name the key id, so a centre holding both can relink.

use super::error::PseudonymKeyError;
use ring::{hkdf, hmac, rand::SecureRandom};
use std::fmt;
use zeroize::Zeroizing;

const SALT: &[u8] = b"ona/pseudonym/v1";
const HEADER: &str = "ona-pseudonym-key-v1";

/// A pseudonymisation master secret with its generation. Zeroized on drop; never printed.
#[derive(Clone)]
pub struct MasterKey {
    secret: Zeroizing<[u8; 32]>,
    generation: u32,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey(generation {}, secret redacted)", self.generation)
    }
}

impl MasterKey {
    /// A new random master secret (generation 1) from the operating system's generator.
    pub fn generate() -> MasterKey {
        let mut secret = Zeroizing::new([0u8; 32]);
        // SystemRandom only fails when the OS has no randomness at all; ona cannot work then.
        ring::rand::SystemRandom::new().fill(secret.as_mut()).expect("operating system randomness");
        MasterKey { secret, generation: 1 }
    }

    /// A master key from raw secret bytes (32) and a generation, e.g. from a key vault.
    pub fn from_bytes(secret: &[u8], generation: u32) -> Result<MasterKey, PseudonymKeyError> {
        let bytes: [u8; 32] = secret.try_into().map_err(|_| PseudonymKeyError::Length)?;
        Ok(MasterKey { secret: Zeroizing::new(bytes), generation })
    }

    /// The next generation: a new random secret with the generation number increased.
    pub fn rotate(&self) -> MasterKey {
        MasterKey { generation: self.generation.saturating_add(1), ..MasterKey::generate() }
    }

    /// The generation number.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The key file text: `ona-pseudonym-key-v1 <generation> <64 hex digits>` and a newline.
    pub fn to_key_file(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(format!("{HEADER} {} ", self.generation));
        for b in self.secret.iter() {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        s.push('\n');
        s
    }

    /// Reads a key file (lines starting with `#` are comments).
    pub fn from_key_file(text: &str) -> Result<MasterKey, PseudonymKeyError> {
        let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'));
        let mut parts = line.ok_or(PseudonymKeyError::Format)?.split_whitespace();
        if parts.next() != Some(HEADER) {
            return Err(PseudonymKeyError::Format);
        }
        let generation =
            parts.next().and_then(|g| g.parse().ok()).ok_or(PseudonymKeyError::Format)?;
        let hex = parts.next().ok_or(PseudonymKeyError::Format)?.as_bytes();
        if parts.next().is_some() || hex.len() != 64 {
            return Err(if hex.len() != 64 {
                PseudonymKeyError::Length
            } else {
                PseudonymKeyError::Format
            });
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        };
        let mut secret = Zeroizing::new([0u8; 32]);
        for (i, pair) in hex.chunks(2).enumerate() {
            secret[i] = (nibble(pair[0]).ok_or(PseudonymKeyError::Format)? << 4)
                | nibble(pair[1]).ok_or(PseudonymKeyError::Format)?;
        }
        Ok(MasterKey { secret, generation })
    }

    /// The HMAC key of `domain`, and its key id.
    pub fn domain_key(&self, domain: &str) -> Result<DomainKey, PseudonymKeyError> {
        if domain.is_empty() || domain.chars().count() > 200 || domain.chars().any(char::is_control)
        {
            return Err(PseudonymKeyError::Domain);
        }
        let gen = self.generation.to_be_bytes();
        let info: [&[u8]; 5] = [b"ona/domain-key", &[0], domain.as_bytes(), &[0], &gen];
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, SALT).extract(self.secret.as_ref());
        let okm = prk.expand(&info, hmac::HMAC_SHA256).map_err(|_| PseudonymKeyError::Length)?;
        let key = hmac::Key::from(okm);
        let tag = hmac::sign(&key, b"ona/key-id");
        let key_id = tag.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect();
        Ok(DomainKey { key, key_id, domain: domain.to_string() })
    }
}

/// The HMAC-SHA256 key of one domain, prepared once.
#[derive(Clone)]
pub struct DomainKey {
    key: hmac::Key,
    key_id: String,
    domain: String,
}

impl fmt::Debug for DomainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DomainKey({}, key id {}, secret redacted)", self.domain, self.key_id)
    }
}

impl DomainKey {
    /// The key id (16 hex digits).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The domain.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// HMAC-SHA256 over `label`, a zero byte and `data`.
    pub fn mac(&self, label: &str, data: &[u8]) -> hmac::Tag {
        let mut ctx = hmac::Context::with_key(&self.key);
        ctx.update(label.as_bytes());
        ctx.update(&[0]);
        ctx.update(data);
        ctx.sign()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip_and_never_print_the_secret() {
        let k = MasterKey::generate();
        let text = k.to_key_file();
        let back = MasterKey::from_key_file(&text).unwrap();
        assert_eq!(back.secret.as_ref(), k.secret.as_ref());
        assert_eq!(back.generation(), 1);
        let hex: String = text.split_whitespace().last().unwrap().to_string();
        assert!(!format!("{k:?}").contains(&hex[..16]));
        assert!(!format!("{:?}", k.domain_key("kz/test").unwrap()).contains(&hex[..16]));
        assert_eq!(k.rotate().generation(), 2);
    }

    #[test]
    fn bad_key_files_are_rejected() {
        for bad in [
            "",
            "hello",
            "ona-pseudonym-key-v1 1 abcd",
            "ona-pseudonym-key-v1 x 00",
            "ona-pseudonym-key-v2 1 00",
        ] {
            assert!(MasterKey::from_key_file(bad).is_err(), "{bad}");
        }
        let z = format!("ona-pseudonym-key-v1 1 {}", "zz".repeat(32));
        assert_eq!(MasterKey::from_key_file(&z).unwrap_err(), PseudonymKeyError::Format);
    }

    #[test]
    fn domains_and_generations_give_different_keys() {
        let k = MasterKey::from_bytes(&[7; 32], 1).unwrap();
        let a = k.domain_key("kz/case-management").unwrap();
        let b = k.domain_key("regional-report-2026").unwrap();
        assert_ne!(a.key_id(), b.key_id());
        assert_ne!(a.mac("mother", b"x").as_ref(), b.mac("mother", b"x").as_ref());
        let k2 = MasterKey::from_bytes(&[7; 32], 2).unwrap();
        assert_ne!(k2.domain_key("kz/case-management").unwrap().key_id(), a.key_id());
        assert!(k.domain_key("").is_err());
    }
}

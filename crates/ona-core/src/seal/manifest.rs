//! The manifest: the first thing inside the encrypted payload.
//!
//! Encoding: a 4-byte big-endian length `L` (at most [`MAX_MANIFEST_LEN`]) followed by `L` bytes
//! of compact JSON (UTF-8, no whitespace) with exactly the fields below in this order; absent
//! optional values are `null`. A reader re-encodes what it parsed and rejects any difference.

use super::error::OpenError;
use super::rng::SealRng;
use serde::{Deserialize, Serialize};

/// Largest manifest encoding accepted.
pub const MAX_MANIFEST_LEN: usize = 16 * 1024;
/// The case schema version written by default.
pub const SCHEMA_VERSION: &str = "1.0";

/// What the export contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentType {
    /// Pseudonymised case records (the seal does not look at them: what a `cases` export may
    /// hold is checked before sealing, by the layer that knows records).
    Cases,
    /// An aggregate report.
    Report,
}

impl ContentType {
    /// The id written in the manifest: `cases` or `report`.
    pub fn id(self) -> &'static str {
        match self {
            ContentType::Cases => "cases",
            ContentType::Report => "report",
        }
    }
}

impl std::str::FromStr for ContentType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "cases" => Ok(ContentType::Cases),
            "report" => Ok(ContentType::Report),
            other => Err(format!("content type must be `cases` or `report`, not `{other}`")),
        }
    }
}

/// Describes a sealed export. Authenticated by the sender's signature once opening completes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Version of the case schema the content follows.
    pub schema_version: String,
    /// What the content is.
    pub content_type: ContentType,
    /// Number of records in the content.
    pub record_count: u64,
    /// Pseudonymisation domain, if the content is pseudonymised.
    pub pseudonym_domain: Option<String>,
    /// Id of the pseudonymisation key, if any.
    pub pseudonym_key_id: Option<String>,
    /// Random export id: 32 lowercase hex digits.
    pub export_id: String,
    /// Creation time, seconds since the Unix epoch (UTC).
    pub created_at: u64,
    /// The sender's signing public key (Bech32); set by the sealer.
    pub sender: String,
}

impl Manifest {
    /// A manifest for new content: current schema version, a random export id, the current time.
    pub fn new(content_type: ContentType, record_count: u64) -> Manifest {
        let mut id = [0u8; 16];
        SealRng::system().fill(&mut id);
        let created_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Manifest {
            schema_version: SCHEMA_VERSION.to_string(),
            content_type,
            record_count,
            pseudonym_domain: None,
            pseudonym_key_id: None,
            export_id: id.iter().map(|b| format!("{b:02x}")).collect(),
            created_at,
            sender: String::new(),
        }
    }

    /// The canonical encoding (length prefix included).
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        if self.export_id.len() != 32
            || !self.export_id.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            return Err("export_id must be 32 lowercase hex digits".into());
        }
        let json = serde_json::to_vec(self).map_err(|e| e.to_string())?;
        if json.len() > MAX_MANIFEST_LEN {
            return Err(format!("manifest is {} bytes, more than {MAX_MANIFEST_LEN}", json.len()));
        }
        let mut out = (json.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(&json);
        Ok(out)
    }

    /// Parses the JSON part and checks that it is canonical.
    pub(crate) fn decode(json: &[u8]) -> Result<Manifest, OpenError> {
        let m: Manifest = serde_json::from_slice(json)
            .map_err(|e| OpenError::ManifestMalformed(e.to_string()))?;
        match m.encode() {
            Ok(enc) if enc[4..] == *json => Ok(m),
            Ok(_) => Err(OpenError::ManifestMalformed("not in canonical form".into())),
            Err(e) => Err(OpenError::ManifestMalformed(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_ids_parse_back() {
        assert_eq!("report".parse::<ContentType>(), Ok(ContentType::Report));
        assert_eq!("cases".parse::<ContentType>(), Ok(ContentType::Cases));
        assert_eq!(ContentType::Cases.id(), "cases");
        assert!("x".parse::<ContentType>().is_err());
    }
}

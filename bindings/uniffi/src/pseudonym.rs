//! Pseudonymisation keys and the `Pseudonymiser`.

use crate::error::{lang, validation, OnaError};
use ona_core::pseudonym::{self as core, IdentifierKind, MasterKey, Policy};
use ona_core::schema;
use std::sync::Arc;

/// A network pseudonymisation master key.
#[derive(uniffi::Object)]
pub struct PseudonymMasterKey(MasterKey);

#[uniffi::export]
impl PseudonymMasterKey {
    /// A new random master key, generation 1.
    #[uniffi::constructor]
    pub fn generate() -> Arc<Self> {
        Arc::new(PseudonymMasterKey(MasterKey::generate()))
    }

    /// Reads a key file (`ona-pseudonym-key-v1 <generation> <64 hex digits>`).
    #[uniffi::constructor]
    pub fn from_key_file(text: String) -> Result<Arc<Self>, OnaError> {
        Ok(Arc::new(PseudonymMasterKey(MasterKey::from_key_file(&text)?)))
    }

    /// A key from its 32 secret bytes and generation.
    #[uniffi::constructor]
    pub fn from_bytes(secret: Vec<u8>, generation: u32) -> Result<Arc<Self>, OnaError> {
        Ok(Arc::new(PseudonymMasterKey(MasterKey::from_bytes(&secret, generation)?)))
    }

    /// The key file text. Keep it secret.
    pub fn to_key_file(&self) -> String {
        self.0.to_key_file().to_string()
    }

    /// The key generation.
    pub fn generation(&self) -> u32 {
        self.0.generation()
    }
}

/// Which kind of identifier a value is, for [`Pseudonymiser::pseudonym_of`].
#[derive(Debug, Clone, uniffi::Enum)]
pub enum IdentifierType {
    /// A personal name.
    Name,
    /// A national id number of the given `national_id_type` code.
    NationalId { id_type: String },
    /// A document number.
    Document,
    /// Free text.
    Text,
}

impl TryFrom<IdentifierType> for IdentifierKind {
    type Error = OnaError;
    fn try_from(t: IdentifierType) -> Result<Self, OnaError> {
        Ok(match t {
            IdentifierType::Name => IdentifierKind::Name,
            // The core's parser, so the error names the valid types as in Python.
            IdentifierType::NationalId { id_type } => format!("national_id:{id_type}").parse()?,
            IdentifierType::Document => IdentifierKind::Document,
            IdentifierType::Text => IdentifierKind::Text,
        })
    }
}

/// Pseudonymises cases for one domain under one policy.
#[derive(uniffi::Object)]
pub struct Pseudonymiser(pub(crate) core::Pseudonymiser);

#[uniffi::export]
impl Pseudonymiser {
    /// A pseudonymiser for `domain`; `policy` is TOML or JSON text, `None` for the default.
    #[uniffi::constructor]
    pub fn new(
        master: Arc<PseudonymMasterKey>,
        domain: String,
        policy: Option<String>,
    ) -> Result<Arc<Self>, OnaError> {
        let policy = match policy {
            Some(text) => Policy::from_text(&text)?,
            None => Policy::default(),
        };
        Ok(Arc::new(Pseudonymiser(core::Pseudonymiser::new(&master.0, &domain, policy)?)))
    }

    /// The id of the domain key written into every record.
    pub fn key_id(&self) -> String {
        self.0.key_id().to_string()
    }

    /// The domain.
    pub fn domain(&self) -> String {
        self.0.domain().to_string()
    }

    /// The canonical form of an identifier; `None` when it has none.
    pub fn canonical(
        &self,
        kind: IdentifierType,
        value: String,
    ) -> Result<Option<String>, OnaError> {
        Ok(self.0.canonical(kind.try_into()?, &value))
    }

    /// The pseudonym of one identifier; `None` when it has no canonical form.
    pub fn pseudonym_of(
        &self,
        kind: IdentifierType,
        value: String,
    ) -> Result<Option<String>, OnaError> {
        Ok(self.0.pseudonym_of(kind.try_into()?, &value).map(|p| p.to_string()))
    }

    /// Pseudonyms of a column of identifiers, in order.
    pub fn pseudonymise_values(
        &self,
        kind: IdentifierType,
        values: Vec<String>,
    ) -> Result<Vec<Option<String>>, OnaError> {
        // The core's column loop on every core, the one Python's `pseudonymise_many` runs.
        let out = self.0.pseudonymise_column(kind.try_into()?, values.as_slice());
        Ok((0..out.len()).map(|i| out.get(i).map(str::to_string)).collect())
    }

    /// Validates a case record (JSON text) and returns its pseudonymised form as JSON text.
    /// An invalid record raises `Validation` with messages in `lang_code`.
    pub fn pseudonymise(&self, case_json: String, lang_code: String) -> Result<String, OnaError> {
        let lang = lang(&lang_code)?;
        let case = schema::validate_json(&case_json).map_err(|e| validation(e, lang))?;
        let pseudo = self.0.pseudonymise(&case)?;
        serde_json::to_string(&pseudo)
            .map_err(|e| OnaError::InvalidArgument { detail: e.to_string() })
    }
}

/// The result of [`k_anonymise`]: the released records and the risk report.
#[derive(Debug, Clone, uniffi::Record)]
pub struct KAnonymised {
    /// The released pseudonymised records, one JSON object per line.
    pub records_jsonl: String,
    /// The risk report (JSON), in women and records.
    pub report_json: String,
}

/// Makes pseudonymised records (JSON Lines, as `Pseudonymiser.pseudonymise` writes them)
/// k-anonymous per woman: every group of equal quasi-identifiers `qi` (empty: the default set,
/// as `ona pseudonymise --k`) holds at least `k` distinct women, and `l` distinct
/// relinquishment intents when given. The same result as the CLI on the same cases.
#[uniffi::export]
pub fn k_anonymise(
    records_jsonl: String,
    k: u32,
    qi: Vec<String>,
    l: Option<u32>,
) -> Result<KAnonymised, OnaError> {
    let bad = |detail: String| OnaError::InvalidArgument { detail };
    let qis: Vec<core::QuasiIdentifier> = if qi.is_empty() {
        core::QuasiIdentifier::DEFAULT.to_vec()
    } else {
        qi.iter().map(|q| q.parse()).collect::<Result<_, _>>().map_err(bad)?
    };
    let mut recs = Vec::new();
    for (i, line) in records_jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let r: core::PseudoCase = serde_json::from_str(line)
            .map_err(|e| bad(format!("line {}: not a pseudonymised record: {e}", i + 1)))?;
        recs.push(r);
    }
    let report = core::k_anonymise(&mut recs, k as usize, &qis, l.map(|l| l as usize));
    let mut out = String::new();
    for r in &recs {
        out.push_str(&serde_json::to_string(r).map_err(|e| bad(e.to_string()))?);
        out.push('\n');
    }
    Ok(KAnonymised {
        records_jsonl: out,
        report_json: serde_json::to_string(&report).map_err(|e| bad(e.to_string()))?,
    })
}

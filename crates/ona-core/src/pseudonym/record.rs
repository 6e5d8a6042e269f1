//! The pseudonymised case record: what may leave a centre.
//!
//! [`PseudoCase`] has no field that can hold a direct identifier. Names, ID numbers, phone numbers,
//! addresses, birth certificate numbers and local case ids have no place in it; people appear only
//! as keyed [`Pseudonym`]s, quasi-identifiers only in generalised form, and free text only as
//! [`ScrubbedText`], which nothing outside this module can construct from a string. The compiler
//! enforces this: code that tried to copy a name across would not type-check.

use super::generalised::{AgeBand, ChildAge, GenDate, TopCoded};
use crate::schema::{
    CaseStatus, ChildHealthCondition, ChildLocation, ClosureReason, ContactMethod, ContactResult,
    Employment, ExtensionCode, FollowUpPoint, IntakePoint, IscedLevel, MaritalStatus, Outcome,
    Placement, ReferralSource, RelinquishmentIntent, ResidenceStatus, RiskFactor, RiskLevel,
    ServiceDelivery, ServiceStatus, ServiceType, Sex, StayType, ViolenceType,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Length of an encoded pseudonym: 128 bits in unpadded lowercase base32 (RFC 4648).
pub const PSEUDONYM_LEN: usize = 26;

/// A keyed pseudonym: the first 128 bits of HMAC-SHA256 under a domain key, written as 26
/// characters of lowercase RFC 4648 base32 without padding (alphabet `a–z`, `2–7`).
///
/// Only the pseudonymiser creates pseudonyms from identifiers; deserialising checks the encoding.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pseudonym(String);

/// Writes the first 16 bytes of a MAC tag as 26 lowercase base32 letters (RFC 4648 alphabet,
/// no padding) into `out`.
pub(crate) fn encode_tag(tag: &[u8], out: &mut [u8; PSEUDONYM_LEN]) {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let bytes = &tag[..16.min(tag.len())];
    let (mut buffer, mut bits, mut k) = (0u32, 0u32, 0usize);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out[k] = ALPHABET[((buffer >> bits) & 31) as usize];
            k += 1;
        }
    }
    if bits > 0 {
        out[k] = ALPHABET[((buffer << (5 - bits)) & 31) as usize];
    }
}

impl Pseudonym {
    /// Encodes the first 16 bytes of a MAC tag.
    #[allow(dead_code, reason = "called by the pseudonymiser")]
    pub(crate) fn from_tag(tag: &[u8]) -> Pseudonym {
        let mut out = [0u8; PSEUDONYM_LEN];
        encode_tag(tag, &mut out);
        Pseudonym(out.iter().map(|&b| char::from(b)).collect())
    }

    /// The encoded pseudonym.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn well_formed(s: &str) -> bool {
        s.len() == PSEUDONYM_LEN
            && s.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
    }
}

impl fmt::Debug for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pseudonym({})", self.0)
    }
}

impl fmt::Display for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Pseudonym {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Pseudonym {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: Cow<'de, str> = Deserialize::deserialize(d)?;
        if Pseudonym::well_formed(&s) {
            Ok(Pseudonym(s.into_owned()))
        } else {
            Err(serde::de::Error::custom("a pseudonym is 26 characters of lowercase base32"))
        }
    }
}

impl JsonSchema for Pseudonym {
    fn schema_name() -> Cow<'static, str> {
        "Pseudonym".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[a-z2-7]{26}$",
            "description": "Keyed pseudonym: HMAC-SHA256 truncated to 128 bits, lowercase base32."
        })
    }
}

/// Free text with every identifier replaced by a typed placeholder (`<PHONE>`, `<EMAIL>`, `<ID>`,
/// `<NAME_1>` …). Only the scrubber in this module constructs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct ScrubbedText(String);

impl ScrubbedText {
    /// Wraps text that the scrubber has already cleaned.
    #[allow(dead_code, reason = "called by the scrubber")]
    pub(crate) fn scrubbed(text: String) -> ScrubbedText {
        ScrubbedText(text)
    }

    /// The scrubbed text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ScrubbedText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Reading back a pseudonymised file: the text was scrubbed when it was written.
        String::deserialize(d).map(ScrubbedText)
    }
}

/// How a record was pseudonymised: which domain and key, and which policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoMeta {
    /// The pseudonymisation domain (scope and purpose), e.g. `kz/case-management`.
    pub domain: String,
    /// Id of the domain key that made the pseudonyms (for key rotation).
    pub key_id: String,
    /// Id of the policy applied (`default` or a digest of the policy file).
    pub policy: String,
    /// Whether event dates are shifted per person (intervals exact, calendar dates not).
    #[serde(default)]
    pub dates_shifted: bool,
}

/// The centre, as far as the policy keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoCentre {
    /// The centre id, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The organisation id.
    pub organisation: String,
    /// Country, ISO 3166-1 alpha-2.
    pub country: String,
    /// Subdivision, ISO 3166-2, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
}

/// The mother, without identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoMother {
    /// Her pseudonym in the domain (links her cases over time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<Pseudonym>,
    /// Her age at intake as a band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Where she lives: subdivision (ISO 3166-2), if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// Citizenship, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<String>,
    /// Residence status, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence_status: Option<ResidenceStatus>,
    /// Education, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<IscedLevel>,
    /// Employment at intake, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    /// Marital status, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<MaritalStatus>,
    /// Disability, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<bool>,
    /// Number of other children, top-coded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_children: Option<TopCoded>,
}

/// A child, without identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoChild {
    /// The child's own pseudonym in the domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<Pseudonym>,
    /// Sex.
    pub sex: Sex,
    /// Age at intake; absent when not yet born.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_at_intake: Option<ChildAge>,
    /// Birth period (generalised birth date), if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<GenDate>,
    /// Birth weight in grams, rounded per the policy, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_weight_g: Option<u32>,
    /// Gestation in weeks, if kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gestation_weeks: Option<u8>,
    /// Whether the birth is registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_registered: Option<bool>,
    /// Where the child was at intake.
    pub location_at_intake: ChildLocation,
    /// Health conditions, if kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_conditions: Vec<ChildHealthCondition>,
}

/// A risk assessment with a generalised date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoRiskAssessment {
    /// When.
    pub date: GenDate,
    /// Risk factors.
    #[serde(default)]
    pub risk_factors: Vec<RiskFactor>,
    /// Violence types.
    #[serde(default)]
    pub violence_types: Vec<ViolenceType>,
    /// Risk level.
    pub risk_level: RiskLevel,
}

/// A service with generalised dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoService {
    /// Kind of service.
    #[serde(rename = "type")]
    pub service_type: ServiceType,
    /// In-house or referral.
    pub delivery: ServiceDelivery,
    /// State of the service.
    pub status: ServiceStatus,
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<GenDate>,
    /// End.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<GenDate>,
}

/// The stay, with generalised dates and its exact length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoStay {
    /// Admission.
    pub admission: GenDate,
    /// Discharge, once discharged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge: Option<GenDate>,
    /// Length of stay in days (discharge − admission), once discharged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_days: Option<u32>,
    /// Residential or day support.
    pub stay_type: StayType,
}

/// A follow-up with generalised dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoFollowUp {
    /// Which point.
    pub point: FollowUpPoint,
    /// When it was due.
    pub due: GenDate,
    /// When contact was made or attempted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<GenDate>,
    /// What came of it.
    pub contact_result: ContactResult,
    /// Where the child lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_placement: Option<Placement>,
    /// Whether the child is in formal care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_in_formal_care: Option<bool>,
    /// Risk level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_level: Option<RiskLevel>,
    /// How contact was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<ContactMethod>,
}

/// A pseudonymised case record: the type that leaves a centre. It cannot hold a direct identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudoCase {
    /// Schema version of the source record.
    pub schema_version: String,
    /// How the record was pseudonymised.
    pub pseudonymisation: PseudoMeta,
    /// Pseudonym of the case (from the centre and its local case id).
    pub case_pseudonym: Pseudonym,
    /// The centre.
    pub centre: PseudoCentre,
    /// Intake date, generalised.
    pub intake: GenDate,
    /// Case status.
    pub status: CaseStatus,
    /// Referral source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_source: Option<ReferralSource>,
    /// Intake point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake_point: Option<IntakePoint>,
    /// Relinquishment intent at intake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relinquishment_intent: Option<RelinquishmentIntent>,
    /// Whether she consented to aggregate reporting (reports count only cases with consent).
    pub consent_aggregate_reporting: bool,
    /// Closure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure_reason: Option<ClosureReason>,
    /// The mother.
    pub mother: PseudoMother,
    /// The children.
    pub children: Vec<PseudoChild>,
    /// Risk assessments.
    #[serde(default)]
    pub risk_assessments: Vec<PseudoRiskAssessment>,
    /// Services.
    #[serde(default)]
    pub services: Vec<PseudoService>,
    /// The stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stay: Option<PseudoStay>,
    /// The outcome at exit (holds no identifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Follow-ups.
    #[serde(default)]
    pub follow_ups: Vec<PseudoFollowUp>,
    /// Country extension codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ExtensionCode>,
    /// Notes, scrubbed, only where the policy keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<ScrubbedText>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonym_encoding_is_fixed_base32() {
        let p = Pseudonym::from_tag(&[0u8; 32]);
        assert_eq!(p.as_str(), "aaaaaaaaaaaaaaaaaaaaaaaaaa");
        let p = Pseudonym::from_tag(&[0xff; 16]);
        // 128 bits = 25 full characters + 3 bits padded with two zero bits (11100 = `4`).
        assert_eq!(p.as_str(), "77777777777777777777777774");
        // RFC 4648 test vector "foobar" → MZXW6YTBOI (lowercased), checked on a 16-byte prefix.
        let mut tag = *b"foobar\0\0\0\0\0\0\0\0\0\0";
        tag[6..].fill(0);
        assert!(Pseudonym::from_tag(&tag).as_str().starts_with("mzxw6ytboi"));
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Pseudonym>(&json).unwrap(), p);
        assert!(serde_json::from_str::<Pseudonym>("\"Dinara\"").is_err());
    }
}

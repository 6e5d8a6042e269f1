//! The case record: the unit of the standard, one per woman per episode of support.

use super::centre::Centre;
use super::codes_case::{
    CaseStatus, ClosureReason, IntakePoint, ReferralSource, RelinquishmentIntent,
};
use super::date::Date;
use super::person::{Child, Mother};
use super::support::{FollowUp, Outcome, RiskAssessment, Service, Stay};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the case schema this library writes.
pub const SCHEMA_VERSION: &str = "1.0";

/// What the woman agreed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Consent to receive services.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub services: bool,
    /// Consent to share her data with providers she is referred to.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub referral_sharing: bool,
    /// Consent to count her case in aggregate reports.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub aggregate_reporting: bool,
    /// When consent was given.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub date: Date,
    /// When consent was withdrawn, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub withdrawn: Option<Date>,
}

/// A country extension code: a code of a country's own codelist that maps onto a core code.
///
/// For example Kazakhstan's family-map category `C` (list `kz_family_map_category`) rolls up to
/// the core risk level `medium`, so every country's data counts the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionCode {
    /// The extension codelist, e.g. `kz_family_map_category`.
    #[schemars(extend("x-disclosure" = "plain"), length(min = 1, max = 64))]
    pub list: String,
    /// The code in that list, e.g. `C`.
    #[schemars(extend("x-disclosure" = "sensitive"), length(min = 1, max = 64))]
    pub code: String,
}

/// A case record of the Mother's Home standard, schema version 1.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The schema version of this record, `1.0`.
    #[schemars(extend("x-disclosure" = "plain"), regex(pattern = r"^[0-9]+\.[0-9]+$"))]
    pub schema_version: String,
    /// The centre's own id for the case. Local ids can identify a woman within her centre.
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 64))]
    pub id: String,
    /// The centre that holds the case.
    pub centre: Centre,
    /// Date of first contact.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub intake_date: Date,
    /// Where the case stands.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub status: CaseStatus,
    /// Who referred her.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub referral_source: ReferralSource,
    /// At what point she came.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub intake_point: IntakePoint,
    /// Her intention to give up the child at intake.
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub relinquishment_intent: RelinquishmentIntent,
    /// What she agreed to.
    pub consent: Consent,
    /// Why the case was closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"))]
    pub closure_reason: Option<ClosureReason>,
    /// The mother.
    pub mother: Mother,
    /// The children, born or expected (at least one).
    #[schemars(length(min = 1, max = 12))]
    pub children: Vec<Child>,
    /// Risk assessments, oldest first.
    #[serde(default)]
    pub risk_assessments: Vec<RiskAssessment>,
    /// Services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// The stay, once admitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stay: Option<Stay>,
    /// The situation at exit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Follow-ups after exit.
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    /// Country extension codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ExtensionCode>,
    /// Free-text notes. May hold anything, so they are treated as a direct identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "direct"), length(max = 10000))]
    pub notes: Option<String>,
}

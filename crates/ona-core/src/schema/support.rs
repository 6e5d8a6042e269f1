//! What happened in a case: risk assessments, services, the stay, the outcome and follow-ups.

use super::codes_support::{
    ContactMethod, ContactResult, FollowUpPoint, HousingOutcome, IncomeOutcome, Placement,
    RiskFactor, RiskLevel, ServiceDelivery, ServiceStatus, ServiceType, StayType, ViolenceType,
};
use super::date::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A dated assessment of the risks a mother and child face.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    /// Date of the assessment.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub date: Date,
    /// Risk factors found.
    #[serde(default)]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub risk_factors: Vec<RiskFactor>,
    /// Types of gender-based violence disclosed (GBVIMS core types).
    #[serde(default)]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub violence_types: Vec<ViolenceType>,
    /// Overall risk level.
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub risk_level: RiskLevel,
}

/// A service planned, given or arranged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Kind of service.
    #[serde(rename = "type")]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub service_type: ServiceType,
    /// Given by the centre or by referral.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub delivery: ServiceDelivery,
    /// Who provides it (an organisation, never a person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"), length(min = 1, max = 200))]
    pub provider: Option<String>,
    /// Start date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub start_date: Option<Date>,
    /// End date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub end_date: Option<Date>,
    /// State of the service.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub status: ServiceStatus,
}

/// The stay in (or day support from) the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stay {
    /// Admission date.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub admission_date: Date,
    /// Discharge date; absent while she is still there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub discharge_date: Option<Date>,
    /// Residential or day support.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub stay_type: StayType,
}

/// The situation at exit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Where the child(ren) live at exit.
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub child_placement: Placement,
    /// Where the mother lives at exit.
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub housing: HousingOutcome,
    /// The mother's main income at exit.
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub income: IncomeOutcome,
    /// Whether identity documents were restored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"))]
    pub documents_restored: Option<bool>,
    /// Whether the child's birth was registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"))]
    pub birth_registered: Option<bool>,
    /// Whether benefits were obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"))]
    pub benefits_obtained: Option<bool>,
}

/// A follow-up contact after exit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Which follow-up point (3, 6, 12 or 24 months after exit).
    #[schemars(extend("x-disclosure" = "plain"))]
    pub point: FollowUpPoint,
    /// When it is due: the discharge date plus the point's months.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub due_date: Date,
    /// When contact was made or attempted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub date: Option<Date>,
    /// What came of it.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub contact_result: ContactResult,
    /// Where the child lives, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub child_placement: Option<Placement>,
    /// Whether the child is in formal state care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub child_in_formal_care: Option<bool>,
    /// Risk level at the follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub risk_level: Option<RiskLevel>,
    /// How contact was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"))]
    pub method: Option<ContactMethod>,
}

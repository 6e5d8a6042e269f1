//! The mother and her children.

use super::codes_case::NationalIdType;
use super::codes_person::{
    ChildHealthCondition, ChildLocation, Employment, IscedLevel, MaritalStatus, ResidenceStatus,
    Sex,
};
use super::date::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A person's name as written in the source record, in any script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    /// Given name(s).
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 200))]
    pub given: String,
    /// Family name(s); absent where the person has none (e.g. many Malay names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 200))]
    pub family: Option<String>,
    /// Patronymic, where used (Russian, Kazakh, Ukrainian, Uzbek, Kyrgyz naming).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 200))]
    pub patronymic: Option<String>,
}

/// A national identification number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NationalId {
    /// The kind of number.
    #[serde(rename = "type")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub id_type: NationalIdType,
    /// The number as written (spaces and dashes allowed).
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 32))]
    pub value: String,
}

/// Where a person lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street, house and flat, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 400))]
    pub line: Option<String>,
    /// City, town or village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"), length(min = 1, max = 100))]
    pub settlement: Option<String>,
    /// First-level subdivision, ISO 3166-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi", "x-ona-format" = "admin1"), regex(pattern = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"))]
    pub admin1: Option<String>,
    /// Country, ISO 3166-1 alpha-2.
    #[schemars(extend("x-disclosure" = "quasi", "x-ona-format" = "country"), regex(pattern = r"^[A-Z]{2}$"))]
    pub country: String,
}

/// The woman the case is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mother {
    /// Her name.
    pub name: PersonName,
    /// Her national ID, where she has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_id: Option<NationalId>,
    /// Her phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "direct"), length(min = 3, max = 32))]
    pub phone: Option<String>,
    /// Her address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Her date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub birth_date: Option<Date>,
    /// Her citizenship, ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi", "x-ona-format" = "country"), regex(pattern = r"^[A-Z]{2}$"))]
    pub citizenship: Option<String>,
    /// Her residence status in the centre's country.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub residence_status: ResidenceStatus,
    /// Highest education completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub education: Option<IscedLevel>,
    /// Employment at intake.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub employment: Employment,
    /// Marital status at intake.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub marital_status: MaritalStatus,
    /// Whether she has a disability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub disability: Option<bool>,
    /// Number of her other children (not in this case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"), range(max = 30))]
    pub other_children: Option<u32>,
}

/// A child of the case (born or expected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Child {
    /// The child's name, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<PersonName>,
    /// Birth certificate number, once registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "direct"), length(min = 1, max = 40))]
    pub birth_certificate: Option<String>,
    /// Date of birth; absent while the child is not yet born.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub birth_date: Option<Date>,
    /// Sex.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub sex: Sex,
    /// Birth weight in grams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "sensitive"), range(min = 200, max = 7000))]
    pub birth_weight_g: Option<u32>,
    /// Completed weeks of gestation at birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "sensitive"), range(min = 20, max = 45))]
    pub gestation_weeks: Option<u8>,
    /// Whether the birth is registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"))]
    pub birth_registered: Option<bool>,
    /// Where the child was when the case was opened.
    #[schemars(extend("x-disclosure" = "quasi"))]
    pub location_at_intake: ChildLocation,
    /// Health conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-disclosure" = "sensitive"))]
    pub health_conditions: Vec<ChildHealthCondition>,
}

//! The organisation and the centre a case belongs to.

use super::codes_case::OperatorType;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The organisation that runs one or more centres.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Stable id of the organisation in the network, e.g. `ana-uyi`.
    #[schemars(extend("x-disclosure" = "plain"), length(min = 1, max = 64))]
    pub id: String,
    /// Name of the organisation.
    #[schemars(extend("x-disclosure" = "plain"), length(min = 1, max = 200))]
    pub name: String,
}

/// A centre (a Mother's Home or partner shelter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Centre {
    /// Stable id of the centre in the network, e.g. `kz-ala-01`.
    #[schemars(extend("x-disclosure" = "quasi"), length(min = 1, max = 64))]
    pub id: String,
    /// The organisation running the centre.
    pub organisation: Organisation,
    /// Country, ISO 3166-1 alpha-2 (e.g. `KZ`).
    #[schemars(extend("x-disclosure" = "quasi", "x-ona-format" = "country"), regex(pattern = r"^[A-Z]{2}$"))]
    pub country: String,
    /// First-level subdivision, ISO 3166-2 (e.g. `KZ-75` for Almaty).
    #[schemars(extend("x-disclosure" = "quasi", "x-ona-format" = "admin1"), regex(pattern = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"))]
    pub admin1: String,
    /// City, town or village.
    #[schemars(extend("x-disclosure" = "quasi"), length(min = 1, max = 100))]
    pub settlement: String,
    /// Who runs the centre.
    #[schemars(extend("x-disclosure" = "plain"))]
    pub operator_type: OperatorType,
    /// Number of places (mothers) the centre can house.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"), range(min = 0, max = 10000))]
    pub capacity: Option<u32>,
    /// Longest stay the centre offers, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-disclosure" = "plain"), range(min = 1, max = 3660))]
    pub max_stay_days: Option<u32>,
}

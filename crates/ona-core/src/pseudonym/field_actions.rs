//! The action of every field the pseudonymiser reads, resolved from the policy once per
//! pseudonymiser rather than looked up by JSON Pointer for every field of every case.

use super::policy::{Action, Policy};

macro_rules! field_actions {
    ($($name:ident = $pointer:literal),* $(,)?) => {
        /// The policy's action for each field the pseudonymiser reads.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) struct FieldActions {
            $(pub(crate) $name: Action,)*
        }

        impl FieldActions {
            /// Resolves every field's action under `policy`.
            pub(crate) fn resolve(policy: &Policy) -> FieldActions {
                FieldActions { $($name: policy.action($pointer),)* }
            }

            /// Whether any field has action `a`.
            pub(crate) fn any(&self, a: Action) -> bool {
                false $(|| self.$name == a)*
            }
        }
    };
}

field_actions! {
    centre_admin1 = "/centre/admin1",
    centre_id = "/centre/id",
    children_birth_date = "/children/*/birth_date",
    children_birth_registered = "/children/*/birth_registered",
    children_birth_weight_g = "/children/*/birth_weight_g",
    children_gestation_weeks = "/children/*/gestation_weeks",
    children_health_conditions = "/children/*/health_conditions",
    closure_reason = "/closure_reason",
    extensions_code = "/extensions/*/code",
    follow_ups_child_in_formal_care = "/follow_ups/*/child_in_formal_care",
    follow_ups_child_placement = "/follow_ups/*/child_placement",
    follow_ups_date = "/follow_ups/*/date",
    follow_ups_due_date = "/follow_ups/*/due_date",
    follow_ups_method = "/follow_ups/*/method",
    follow_ups_risk_level = "/follow_ups/*/risk_level",
    intake_date = "/intake_date",
    intake_point = "/intake_point",
    mother_address_admin1 = "/mother/address/admin1",
    mother_birth_date = "/mother/birth_date",
    mother_citizenship = "/mother/citizenship",
    mother_disability = "/mother/disability",
    mother_education = "/mother/education",
    mother_employment = "/mother/employment",
    mother_marital_status = "/mother/marital_status",
    mother_name_given = "/mother/name/given",
    mother_national_id_value = "/mother/national_id/value",
    mother_other_children = "/mother/other_children",
    mother_residence_status = "/mother/residence_status",
    referral_source = "/referral_source",
    relinquishment_intent = "/relinquishment_intent",
    risk_assessments_date = "/risk_assessments/*/date",
    risk_assessments_risk_factors = "/risk_assessments/*/risk_factors",
    risk_assessments_violence_types = "/risk_assessments/*/violence_types",
    services_end_date = "/services/*/end_date",
    services_start_date = "/services/*/start_date",
    stay_admission_date = "/stay/admission_date",
    stay_discharge_date = "/stay/discharge_date",
}

//! What crosses between the stages: the records a centre sends and the hub receives.
//!
//! [`packed`] is the compact transport form of pseudonymised records.
pub mod packed;

//! Deterministic synthetic case data for the Mother's Home network.

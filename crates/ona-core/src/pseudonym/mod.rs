//! Pseudonymisation and disclosure control (issue 3).

//! The case data standard (issue 2).

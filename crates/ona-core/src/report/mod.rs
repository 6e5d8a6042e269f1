//! Cross-border anonymised reporting (issue 5).

//! The text form of an [`IdentifierKind`], parsed once here for every front end: `name`,
//! `document`, `text` or `national_id:<type>` (a code of the `national_id_type` codelist).

use super::IdentifierKind;
use crate::error_class::ErrorClass;
use crate::schema::{Codelist, NationalIdType};
use std::fmt;
use std::str::FromStr;

/// The text is not an identifier kind; the message names the valid ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown identifier kind `{0}`: use name, document, text or national_id:<type> \
     with a type of the national_id_type codelist ({types})",
    types = national_id_types()
)]
pub struct UnknownIdentifierKind(pub String);

impl UnknownIdentifierKind {
    /// The class of this failure: always [`ErrorClass::InvalidArgument`].
    pub fn class(&self) -> ErrorClass {
        ErrorClass::InvalidArgument
    }
}

fn national_id_types() -> String {
    NationalIdType::ALL.iter().map(|t| t.id()).collect::<Vec<_>>().join(", ")
}

impl FromStr for IdentifierKind {
    type Err = UnknownIdentifierKind;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text {
            "name" => IdentifierKind::Name,
            "document" => IdentifierKind::Document,
            "text" => IdentifierKind::Text,
            other => match other.strip_prefix("national_id:").and_then(NationalIdType::from_id) {
                Some(t) => IdentifierKind::NationalId(t),
                None => return Err(UnknownIdentifierKind(other.to_string())),
            },
        })
    }
}

impl fmt::Display for IdentifierKind {
    /// The text form [`FromStr`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentifierKind::Name => f.write_str("name"),
            IdentifierKind::Document => f.write_str("document"),
            IdentifierKind::Text => f.write_str("text"),
            IdentifierKind::NationalId(t) => write!(f, "national_id:{}", t.id()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_its_text_form() {
        let mut kinds = vec![IdentifierKind::Name, IdentifierKind::Document, IdentifierKind::Text];
        kinds.extend(NationalIdType::ALL.iter().map(|t| IdentifierKind::NationalId(*t)));
        for k in kinds {
            assert_eq!(k.to_string().parse::<IdentifierKind>(), Ok(k));
        }
    }

    #[test]
    fn an_unknown_kind_is_refused_naming_the_valid_ones() {
        for bad in ["Name", "national_id:", "national_id:XX_NOPE", "national-id:KZ_IIN", ""] {
            let e = bad.parse::<IdentifierKind>().unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(&format!("`{bad}`")), "{msg}");
            assert!(msg.contains("name, document, text"), "{msg}");
            assert!(msg.contains("KZ_IIN"), "{msg}");
            assert_eq!(e.class(), ErrorClass::InvalidArgument);
        }
    }
}

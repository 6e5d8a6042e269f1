//! A validation problem: where (JSON Pointer), what (stable code) and a message in a language.

use super::messages;
use crate::schema::Lang;
use std::fmt;

macro_rules! problem_codes {
    ($( $(#[$m:meta])* $v:ident = $id:literal ),+ $(,)?) => {
        /// The stable code of a validation problem. Codes never change meaning once published.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ProblemCode { $( $(#[$m])* $v ),+ }

        impl ProblemCode {
            /// Every problem code.
            pub const ALL: &'static [ProblemCode] = &[ $( ProblemCode::$v ),+ ];
            /// The stable id of the code, e.g. `unknown_code`.
            pub fn id(self) -> &'static str {
                match self { $( ProblemCode::$v => $id ),+ }
            }
        }
    };
}

problem_codes! {
    /// The line is not well-formed JSON.
    InvalidJson = "invalid_json",
    /// The record has no schema version.
    MissingVersion = "missing_version",
    /// The record's schema version is not supported.
    UnsupportedVersion = "unsupported_version",
    /// A value has the wrong JSON type.
    WrongType = "wrong_type",
    /// A required field is missing.
    MissingField = "missing_field",
    /// A field is not part of the standard.
    UnknownField = "unknown_field",
    /// A code is not in its codelist.
    UnknownCode = "unknown_code",
    /// A date is not a valid YYYY-MM-DD date.
    BadDate = "bad_date",
    /// A text is too short.
    TooShort = "too_short",
    /// A text is too long.
    TooLong = "too_long",
    /// A number is out of its range.
    OutOfRange = "out_of_range",
    /// A list has too few items.
    TooFewItems = "too_few_items",
    /// A list has too many items.
    TooManyItems = "too_many_items",
    /// A case has no child.
    NoChildren = "no_children",
    /// Not an ISO 3166-1 alpha-2 country code.
    BadCountry = "bad_country",
    /// Not an ISO 3166-2 subdivision code.
    BadAdmin1 = "bad_admin1",
    /// A subdivision code belongs to another country.
    Admin1CountryMismatch = "admin1_country_mismatch",
    /// Two dates are in the wrong order.
    DateOrder = "date_order",
    /// An age is implausible.
    ImplausibleAge = "implausible_age",
    /// A national ID has characters other than digits.
    NationalIdCharacters = "national_id_characters",
    /// A national ID has the wrong number of digits.
    NationalIdLength = "national_id_length",
    /// A national ID's check digit does not match.
    NationalIdChecksum = "national_id_checksum",
    /// A national ID's date part is not a valid date or its prefix is not allowed.
    NationalIdStructure = "national_id_structure",
    /// A national ID is a placeholder (one repeated digit, a run, a published test number).
    NationalIdPlaceholder = "national_id_placeholder",
    /// The birth date in a national ID differs from the recorded birth date.
    NationalIdBirthDate = "national_id_birth_date",
    /// A follow-up's due date does not match its point.
    FollowUpDueDate = "follow_up_due_date",
    /// A follow-up point appears twice.
    DuplicateFollowUp = "duplicate_follow_up",
    /// Follow-ups or an outcome are recorded without a discharge date.
    MissingDischarge = "missing_discharge",
    /// A closed case has no closure reason.
    MissingClosureReason = "missing_closure_reason",
    /// An extension codelist does not exist.
    UnknownExtensionList = "unknown_extension_list",
    /// An extension code does not exist in its list.
    UnknownExtensionCode = "unknown_extension_code",
    /// An extension codelist belongs to another country.
    ExtensionCountryMismatch = "extension_country_mismatch",
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One problem found in a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON Pointer (RFC 6901) to the offending value; empty for the whole record.
    pub pointer: String,
    /// The stable problem code.
    pub code: ProblemCode,
    /// Named values the message refers to (e.g. `list`, `value`, `expected`).
    pub params: Vec<(&'static str, String)>,
}

impl Problem {
    /// A problem at `pointer` with `code` and no parameters.
    pub fn new(pointer: impl Into<String>, code: ProblemCode) -> Self {
        Problem { pointer: pointer.into(), code, params: Vec::new() }
    }

    /// Adds a named parameter for the message.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The value of a named parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The problem explained in `lang` (English where no translation exists).
    pub fn message(&self, lang: Lang) -> String {
        messages::render(self, lang)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{at}: {}: {}", self.code, self.message(Lang::En))
    }
}

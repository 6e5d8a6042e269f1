//! A problem of one imported row: where in the export (sheet, row, column, value), where in
//! the record (JSON Pointer), a stable code and a message in the caller's language.

use crate::schema::{Lang, Problem};
use std::collections::BTreeMap;
use std::sync::OnceLock;

macro_rules! import_codes {
    ($( $(#[$m:meta])* $v:ident = $id:literal ),+ $(,)?) => {
        /// The stable code of a problem found while reading a row (before validation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ImportCode { $( $(#[$m])* $v ),+ }

        impl ImportCode {
            /// Every import code.
            pub const ALL: &'static [ImportCode] = &[ $( ImportCode::$v ),+ ];
            /// The stable id, e.g. `unmapped_value`.
            pub fn id(self) -> &'static str {
                match self { $( ImportCode::$v => $id ),+ }
            }
        }
    };
}

import_codes! {
    /// A value matches no code, label or value-map entry of its codelist.
    UnmappedValue = "unmapped_value",
    /// A text is not a date in any of the mapping's formats.
    UnreadableDate = "unreadable_date",
    /// A value is not a whole number.
    NotANumber = "not_a_number",
    /// A value is not a yes/no answer.
    NotABoolean = "not_a_boolean",
    /// A repeat row names a parent row that does not exist.
    OrphanRow = "orphan_row",
    /// Two rows of a table have the same key.
    DuplicateKey = "duplicate_key",
    /// A row has no key where its table needs one.
    MissingKey = "missing_key",
}

const DATA: &str = include_str!("../../data/import_messages.json");

fn templates() -> &'static BTreeMap<String, BTreeMap<String, String>> {
    static T: OnceLock<BTreeMap<String, BTreeMap<String, String>>> = OnceLock::new();
    T.get_or_init(|| serde_json::from_str(DATA).expect("data/import_messages.json is well-formed"))
}

/// What went wrong: a problem of reading the export, or one the validator found in the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Found while reading cells and joining rows.
    Import(ImportCode, Vec<(&'static str, String)>),
    /// Found by the standard's validator in the assembled record.
    Schema(Problem),
}

/// One problem of an imported row, traced back to the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The sheet or file of the export.
    pub sheet: String,
    /// The spreadsheet row number (the header is row 1).
    pub row: usize,
    /// The column, when the problem comes from one cell.
    pub column: Option<String>,
    /// The cell's value as the export wrote it.
    pub value: Option<String>,
    /// JSON Pointer in the standard record (empty for the whole record).
    pub pointer: String,
    /// What went wrong.
    pub kind: ProblemKind,
}

impl RowProblem {
    /// The stable code: an import code or a validation code.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            ProblemKind::Import(c, _) => c.id(),
            ProblemKind::Schema(p) => p.code.id(),
        }
    }

    /// The problem explained in `lang` (English where no translation exists).
    pub fn message(&self, lang: Lang) -> String {
        match &self.kind {
            ProblemKind::Schema(p) => p.message(lang),
            ProblemKind::Import(code, params) => {
                let t = templates().get(code.id());
                let text = t
                    .and_then(|t| t.get(lang.code()).or_else(|| t.get("en")))
                    .map(String::as_str)
                    .unwrap_or(code.id());
                params.iter().fold(text.to_string(), |s, (n, v)| s.replace(&format!("{{{n}}}"), v))
            }
        }
    }

    /// The problem as one JSON object (the rejects file's format), message in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "pointer": self.pointer,
            "code": self.code(),
            "message": self.message(lang),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_import_code_has_a_message_in_every_language_with_the_same_parameters() {
        let params = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for code in ImportCode::ALL {
            let t =
                templates().get(code.id()).unwrap_or_else(|| panic!("no messages for {code:?}"));
            let en = params(&t["en"]);
            for lang in Lang::ALL {
                let m = t.get(lang.code()).unwrap_or_else(|| panic!("{code:?} [{lang}]"));
                assert_eq!(params(m), en, "{code:?} [{lang}]");
            }
        }
        assert_eq!(templates().len(), ImportCode::ALL.len(), "messages for codes the enum lacks");
    }
}

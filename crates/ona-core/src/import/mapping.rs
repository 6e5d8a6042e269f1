//! The mapping file: how one partner system's export becomes standard case records.
//!
//! A mapping is TOML, versioned by `ona_mapping = 1`; `docs/import.md` documents every key.
//! It is read with unknown keys refused, so a misspelt key is an error and not a silent no-op.

use super::error::ImportError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The version of the mapping format this build reads.
pub const MAPPING_VERSION: u32 = 1;

/// A parsed mapping file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Version of the mapping format; must be [`MAPPING_VERSION`].
    pub ona_mapping: u32,
    /// A name for people (e.g. "Kobo intake form, Kyiv").
    #[serde(default)]
    pub name: String,
    /// How to read the export.
    #[serde(default)]
    pub source: SourceOptions,
    /// Values set on every record (JSON Pointer → value), e.g. the centre and schema version.
    #[serde(default)]
    pub constants: BTreeMap<String, toml::Value>,
    /// Values set when a record holds none at that pointer after mapping.
    #[serde(default)]
    pub defaults: BTreeMap<String, toml::Value>,
    /// The tables of the export: the first is the root (one row per case), the others are
    /// repeats joined to a parent table.
    pub tables: Vec<TableMapping>,
}

/// The kind of file an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// One CSV file (one table).
    #[default]
    Csv,
    /// An Excel 2007+ workbook (or XLS / ODS), one sheet per table.
    Xlsx,
    /// A ZIP archive of CSV files, one per table (ODK Central, CommCare).
    Zip,
    /// A DHIS2 Tracker JSON export: tracked entities, enrollments and one table of events per
    /// program stage, columns named by UID (see `docs/import.md`).
    Dhis2,
}

/// How to read the export's cells.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceOptions {
    /// The kind of file.
    #[serde(default)]
    pub format: SourceFormat,
    /// Text encoding of CSV files: `utf-8`, `windows-1251`, `windows-1254` (any WHATWG label).
    /// A byte order mark, when present, wins.
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// CSV field delimiter (one ASCII character).
    #[serde(default = "default_delimiter")]
    pub delimiter: String,
    /// Date formats tried in order on text cells, written with `DD`, `MM`, `YYYY`, `YY` and any
    /// separators, e.g. `DD.MM.YYYY`. ISO `YYYY-MM-DD` is always tried last.
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// Which Excel date system serial numbers count from: 1900 (Windows) or 1904 (old Mac).
    #[serde(default = "default_excel_system")]
    pub excel_date_system: u32,
    /// Separator of a select-multiple cell, e.g. `" "` (Kobo, ODK) or `"|||"` (Primero).
    #[serde(default = "default_multi_separator")]
    pub multi_separator: String,
    /// Extra words read as `true` (besides yes/1/true in the seven languages).
    #[serde(default)]
    pub true_values: Vec<String>,
    /// Extra words read as `false`.
    #[serde(default)]
    pub false_values: Vec<String>,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            format: SourceFormat::default(),
            encoding: default_encoding(),
            delimiter: default_delimiter(),
            date_formats: Vec::new(),
            excel_date_system: default_excel_system(),
            multi_separator: default_multi_separator(),
            true_values: Vec::new(),
            false_values: Vec::new(),
        }
    }
}

fn default_encoding() -> String {
    "utf-8".into()
}
fn default_delimiter() -> String {
    ",".into()
}
fn default_excel_system() -> u32 {
    1900
}
fn default_multi_separator() -> String {
    " ".into()
}

/// One table of the export and where its rows go.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableMapping {
    /// The name other tables use in `parent`.
    pub name: String,
    /// Sheet name (XLSX) or file name inside the ZIP; ignored for a single CSV.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The column holding this table's row key, which child tables refer to.
    #[serde(default)]
    pub key: Option<String>,
    /// The parent table (absent for the root table).
    #[serde(default)]
    pub parent: Option<String>,
    /// The column of this table holding the parent row's key.
    #[serde(default)]
    pub parent_key: Option<String>,
    /// Where each row of a child table is appended, relative to its parent's element
    /// (e.g. `/children`); pointers of its columns are relative to the new element. `""` for
    /// a form of at most one row per parent row, written into the parent's element itself.
    #[serde(default)]
    pub into: Option<String>,
    /// Column name → where its value goes.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnRule>,
}

/// Where one column goes: a bare JSON Pointer, or a rule with options.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ColumnRule {
    /// Just the JSON Pointer.
    Pointer(String),
    /// A pointer with options.
    Full(ColumnSpec),
}

/// The options of a column rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// JSON Pointer of the value (relative to the repeat element for child tables).
    pub to: String,
    /// Source value → code (or any JSON value), matched case-insensitively.
    #[serde(default)]
    pub values: BTreeMap<String, toml::Value>,
    /// A 0/1 column of one choice of a select-multiple: when true, this code is added to the
    /// list at `to`.
    #[serde(default)]
    pub choice: Option<String>,
    /// Separator of a select-multiple cell (overrides the source's `multi_separator`).
    #[serde(default)]
    pub split: Option<String>,
    /// For a national ID column: the ID type set beside the value (e.g. `ua_rnokpp`).
    #[serde(default)]
    pub id_type: Option<String>,
    /// Date formats for this column (override the source's `date_formats`).
    #[serde(default)]
    pub date_formats: Vec<String>,
}

impl ColumnRule {
    /// The rule's options, a bare pointer read as a rule without options.
    pub fn spec(&self) -> ColumnSpec {
        match self {
            ColumnRule::Pointer(p) => ColumnSpec {
                to: p.clone(),
                values: BTreeMap::new(),
                choice: None,
                split: None,
                id_type: None,
                date_formats: Vec::new(),
            },
            ColumnRule::Full(s) => s.clone(),
        }
    }
}

impl Mapping {
    /// Parses a mapping from TOML text, checking its version and the shape of its tables.
    pub fn from_toml(text: &str) -> Result<Mapping, ImportError> {
        let m: Mapping = toml::from_str(text).map_err(|e| ImportError::Mapping(e.to_string()))?;
        if m.ona_mapping != MAPPING_VERSION {
            return Err(ImportError::Mapping(format!(
                "ona_mapping = {} is not supported: this build reads version {MAPPING_VERSION}",
                m.ona_mapping
            )));
        }
        m.check_tables()?;
        Ok(m)
    }

    /// Reads and parses a mapping file.
    pub fn from_path(path: &std::path::Path) -> Result<Mapping, ImportError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ImportError::Mapping(format!("cannot read {}: {e}", path.display())))?;
        Mapping::from_toml(&text).map_err(|e| match e {
            ImportError::Mapping(m) => ImportError::Mapping(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    fn check_tables(&self) -> Result<(), ImportError> {
        let bad = |m: String| Err(ImportError::Mapping(m));
        let Some(root) = self.tables.first() else {
            return bad("the mapping has no [[tables]]".into());
        };
        if root.parent.is_some() || root.into.is_some() {
            return bad(format!("the first table {:?} is the root: it has no parent", root.name));
        }
        for (i, t) in self.tables.iter().enumerate() {
            if self.tables[..i].iter().any(|o| o.name == t.name) {
                return bad(format!("two tables are named {:?}", t.name));
            }
            if i == 0 {
                continue;
            }
            let Some(parent) = &t.parent else {
                return bad(format!(
                    "table {:?} needs `parent` (only the first is the root)",
                    t.name
                ));
            };
            let Some(p) = self.tables[..i].iter().find(|o| &o.name == parent) else {
                return bad(format!(
                    "table {:?}: parent {parent:?} is not a table listed before it",
                    t.name
                ));
            };
            if p.key.is_none() {
                return bad(format!("table {parent:?} has children, so it needs `key`"));
            }
            if t.parent_key.is_none() || t.into.is_none() {
                return bad(format!("table {:?} needs `parent_key` and `into`", t.name));
            }
        }
        for (p, _) in self.constants.iter().chain(&self.defaults) {
            if !p.starts_with('/') {
                return bad(format!("{p:?} is not a JSON Pointer (it must start with /)"));
            }
        }
        for t in &self.tables {
            for (col, rule) in &t.columns {
                if !rule.spec().to.starts_with('/') {
                    return bad(format!(
                        "table {:?}, column {col:?}: {:?} is not a JSON Pointer",
                        t.name,
                        rule.spec().to
                    ));
                }
            }
        }
        Ok(())
    }
}

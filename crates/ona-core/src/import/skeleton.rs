//! Writing a guessed mapping as a TOML file for a person to review (`ona mapping init`).

use super::dates::parse_with_format;
use super::guess::{guess_tables_labelled, ColumnGuess, Reason, TableGuess};
use super::mapping::{SourceFormat, SourceOptions, MAPPING_VERSION};
use super::source::{Cell, Export};
use crate::schema::SCHEMA_VERSION;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The mark every guess carries until a person has checked it.
pub const REVIEW: &str = "# review:";

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Date formats the export's text cells are written in (of the common local ones).
fn guess_date_formats(export: &Export) -> Vec<String> {
    let mut out = Vec::new();
    for f in ["DD.MM.YYYY", "DD/MM/YYYY", "DD-MM-YYYY", "D.M.YYYY", "DD.MM.YY"] {
        let used = export.tables.iter().any(|t| {
            t.rows.iter().take(500).any(|r| {
                r.iter().any(|c| matches!(c, Cell::Text(s) if parse_with_format(s, f).is_some()))
            })
        });
        // D.M.YYYY also reads what DD.MM.YYYY reads: name it only when the other is absent.
        if used && !(f == "D.M.YYYY" && out.iter().any(|o| o == "DD.MM.YYYY")) {
            out.push(f.to_string());
        }
    }
    out
}

/// A mapping skeleton for `export`, read with `options`, as TOML text.
pub fn skeleton(
    source_name: &str,
    export: &Export,
    options: &SourceOptions,
) -> (String, Vec<TableGuess>) {
    skeleton_labelled(source_name, export, options, &BTreeMap::new())
}

/// A mapping skeleton whose guesses read the export's UIDs by the names `labels` gives them
/// (DHIS2: [`dhis2_labels`](super::dhis2_labels)); each such column carries its name.
pub fn skeleton_labelled(
    source_name: &str,
    export: &Export,
    options: &SourceOptions,
    labels: &BTreeMap<String, String>,
) -> (String, Vec<TableGuess>) {
    let tables = guess_tables_labelled(export, options, labels);
    let mut s = String::new();
    let _ = writeln!(s, "# Written by `ona mapping init` from {source_name}.");
    let _ = writeln!(
        s,
        "# Every guess is marked `{REVIEW}`: check it against the form, then remove the mark."
    );
    let _ = writeln!(
        s,
        "# Then run `ona mapping check` for the values no rule reads yet. See docs/import.md."
    );
    let _ = writeln!(s, "ona_mapping = {MAPPING_VERSION}");
    let _ = writeln!(s, "name = {}", q(source_name));
    let _ = writeln!(s, "\n[source]");
    let format = match options.format {
        SourceFormat::Csv => "csv",
        SourceFormat::Xlsx => "xlsx",
        SourceFormat::Zip => "zip",
        SourceFormat::Dhis2 => "dhis2",
    };
    let _ = writeln!(s, "format = {}", q(format));
    if matches!(options.format, SourceFormat::Csv | SourceFormat::Zip) {
        let _ = writeln!(s, "encoding = {}  {REVIEW} guessed from the bytes", q(&options.encoding));
        let _ = writeln!(s, "delimiter = {}", q(&options.delimiter));
    }
    if options.format == SourceFormat::Dhis2 {
        // DHIS2 joins the option codes of a multi-select (MULTI_TEXT) with commas.
        let _ = writeln!(s, "multi_separator = \",\"");
    }
    let dates = guess_date_formats(export);
    if !dates.is_empty() {
        let list: Vec<String> = dates.iter().map(|d| q(d)).collect();
        let _ = writeln!(s, "date_formats = [{}]  {REVIEW} seen in the cells", list.join(", "));
    }
    let _ = writeln!(s, "\n[constants]");
    let _ = writeln!(s, "{} = {}", q("/schema_version"), q(SCHEMA_VERSION));
    let _ =
        writeln!(s, "{REVIEW} the centre this export comes from (see `ona codes`, docs/schema)");
    for p in ["id", "organisation/id", "organisation/name", "country", "admin1", "settlement"] {
        let _ = writeln!(s, "{} = \"\"", q(&format!("/centre/{p}")));
    }
    let _ = writeln!(s, "{} = \"ngo\"", q("/centre/operator_type"));
    let mut names: Vec<String> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let name = match &t.parent {
            None => "main".to_string(),
            Some((_, list)) => {
                let base = match list.trim_start_matches('/') {
                    "" => "form",
                    l => l,
                };
                let n = names.iter().filter(|x| x.starts_with(base)).count();
                if n == 0 {
                    base.to_string()
                } else {
                    format!("{base}_{}", n + 1)
                }
            }
        };
        let _ = writeln!(s, "\n[[tables]]");
        let _ = writeln!(s, "name = {}", q(&name));
        match labels.get(&t.sheet) {
            Some(l) => {
                let _ = writeln!(s, "sheet = {}  # {}", q(&t.sheet), l.replace('\n', " "));
            }
            None => {
                let _ = writeln!(s, "sheet = {}", q(&t.sheet));
            }
        }
        let has_children = tables.iter().any(|o| o.parent_table == Some(i));
        if let (true, Some(k)) = (has_children, &t.key) {
            let _ = writeln!(s, "key = {}", q(k));
        }
        if let (Some((pk, list)), Some(parent)) = (&t.parent, t.parent_table) {
            let _ = writeln!(s, "parent = {}", q(&names[parent]));
            let _ = writeln!(s, "parent_key = {}", q(pk));
            let _ = writeln!(s, "into = {}  {REVIEW} guessed from the sheet name", q(list));
        }
        let _ = writeln!(s, "\n[tables.columns]");
        let named = |h: &str| match labels.get(h) {
            Some(l) => format!(" ({})", l.replace('\n', " ")),
            None => String::new(),
        };
        for c in &t.columns {
            let _ = writeln!(s, "{}{}", column_line(c), named(&c.column));
        }
        for u in &t.unguessed {
            let _ = writeln!(s, "# {} = \"\"  {REVIEW} no guess{}", q(u), named(u));
        }
        names.push(name);
    }
    (s, tables)
}

fn column_line(c: &ColumnGuess) -> String {
    let why = match &c.reason {
        Reason::Header => "from the header".to_string(),
        Reason::Values(list) => format!("its values are codes or labels of {list}"),
        Reason::Choice => "0/1 column of one choice".to_string(),
    };
    let rule = match (&c.choice, c.id_type) {
        (Some(choice), _) => format!("{{ to = {}, choice = {} }}", q(&c.to), q(choice)),
        (None, Some(t)) => format!("{{ to = {}, id_type = {} }}", q(&c.to), q(t)),
        (None, None) => q(&c.to),
    };
    format!("{} = {rule}  {REVIEW} {why}", q(&c.column))
}

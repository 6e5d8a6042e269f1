//! Guessing a mapping from an export (`ona mapping init`): tables and joins from the layouts
//! partner systems use, and for each column the standard's field its header words or its values
//! point to. Every guess is marked for review in the written file.

use super::codematch::{fold, match_code};
use super::dhis2::{is_dhis2_system_column, DHIS2_ENROLLMENTS};
use super::fields::{fields, repeat_lists, Field};
use super::layout::{form_list, is_commcare_meta, is_meta, layout, Layout};
use super::mapping::{SourceFormat, SourceOptions};
use super::source::{Cell, Export, Table};
use super::target::Target;
use super::words::header_words;
use crate::schema::{labels, Lang};
use std::collections::BTreeMap;

/// How a column was guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its header's words name the field.
    Header,
    /// Its values are codes or labels of the field's codelist.
    Values(&'static str),
    /// It is the 0/1 column of one choice of a select-multiple column.
    Choice,
}

/// One column's guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGuess {
    /// The column header.
    pub column: String,
    /// The pointer guessed (relative to the repeat element for repeat tables).
    pub to: String,
    /// For a 0/1 choice column: the code it adds.
    pub choice: Option<String>,
    /// For a national ID column: the ID type its header names.
    pub id_type: Option<&'static str>,
    /// Why.
    pub reason: Reason,
}

/// One table's guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableGuess {
    /// The sheet or file name.
    pub sheet: String,
    /// The key column (for tables with repeats).
    pub key: Option<String>,
    /// For a repeat: the column holding the parent's key and the list it fills (`""` for a
    /// form of one row per parent row).
    pub parent: Option<(String, String)>,
    /// For a repeat: the position of its parent among the guessed tables.
    pub parent_table: Option<usize>,
    /// The guessed columns.
    pub columns: Vec<ColumnGuess>,
    /// Columns without a guess (left for a person).
    pub unguessed: Vec<String>,
}

/// Source options guessed from the file: its format by extension, and for CSV the encoding
/// (UTF-8 when valid, else Windows-1251 or -1254 by which letters appear) and the delimiter.
pub fn guess_source(path: &std::path::Path, bytes: &[u8]) -> SourceOptions {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let format = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => SourceFormat::Xlsx,
        "zip" => SourceFormat::Zip,
        "json" => SourceFormat::Dhis2,
        _ => SourceFormat::Csv,
    };
    let mut o = SourceOptions { format, ..SourceOptions::default() };
    if format != SourceFormat::Csv {
        return o;
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let (cyr, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
            let letters = cyr
                .chars()
                .filter(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(*c)))
                .count();
            o.encoding = if letters * 4 > cyr.chars().filter(|c| c.is_alphabetic()).count() {
                "windows-1251".into()
            } else {
                "windows-1254".into()
            };
            let (t, _, _) = encoding_rs::Encoding::for_label(o.encoding.as_bytes())
                .unwrap_or(encoding_rs::WINDOWS_1252)
                .decode(bytes);
            t.into_owned()
        }
    };
    let first = text.lines().next().unwrap_or("");
    let best = [',', ';', '\t', '|'].into_iter().max_by_key(|d| first.matches(*d).count());
    o.delimiter = match best {
        Some('\t') => "\\t".into(),
        Some(d) => d.to_string(),
        None => ",".into(),
    };
    o
}

/// Guesses every table of an export.
pub fn guess_tables(export: &Export, options: &SourceOptions) -> Vec<TableGuess> {
    guess_tables_labelled(export, options, &BTreeMap::new())
}

/// Guesses every table of an export, reading its columns and tables by the names people
/// read where `labels` gives one (DHIS2 names its columns by UID: see [`dhis2_labels`]).
///
/// [`dhis2_labels`]: super::dhis2_labels
pub fn guess_tables_labelled(
    export: &Export,
    options: &SourceOptions,
    labels: &BTreeMap<String, String>,
) -> Vec<TableGuess> {
    let mut out = Vec::new();
    let layout = layout(export);
    let root_key = export.tables.first().and_then(|t| {
        let keys: &[&str] = match layout {
            Layout::Primero => &["_id"],
            Layout::CommCare => &["number"],
            Layout::Dhis2 => &["trackedEntity"],
            Layout::Forms => &["_index", "KEY", "case_id", "id"],
        };
        keys.iter().copied().find(|k| t.headers.iter().any(|h| h == k))
    });
    for (i, t) in export.tables.iter().enumerate() {
        if i > 0 && t.rows.is_empty() && t.headers.is_empty() {
            continue;
        }
        let name = label(labels, &t.name);
        // (parent-key column, list it fills or "" for a form, parent table, element prefix)
        let parent: Option<(String, String, usize, String)> = (i > 0).then(|| match layout {
            Layout::Primero => match guess_list(name) {
                Some(list) => ("_id".into(), list, 0, String::new()),
                // A form sheet that names a list in the singular fills its first element.
                None => match form_list(name) {
                    Some(list) => ("_id".into(), String::new(), 0, format!("{list}/0")),
                    None => ("_id".into(), String::new(), 0, String::new()),
                },
            },
            Layout::Dhis2 if t.name == DHIS2_ENROLLMENTS => {
                ("trackedEntity".into(), String::new(), 0, String::new())
            }
            Layout::Dhis2 => {
                let list = guess_list(name).unwrap_or_default();
                let enrollments = export.tables.iter().position(|x| x.name == DHIS2_ENROLLMENTS);
                ("enrollment".into(), list, enrollments.unwrap_or(0), String::new())
            }
            Layout::CommCare => (
                "number__0".into(),
                guess_list(name).unwrap_or_else(|| "/children".into()),
                0,
                String::new(),
            ),
            Layout::Forms => {
                let pk = ["_parent_index", "PARENT_KEY", "parent_case_id", "parent_id"]
                    .into_iter()
                    .find(|k| t.headers.iter().any(|h| h == k))
                    .unwrap_or("PARENT_KEY");
                (
                    pk.into(),
                    guess_list(name).unwrap_or_else(|| "/children".into()),
                    0,
                    String::new(),
                )
            }
        });
        let (scope, prefix) = match &parent {
            Some((_, list, _, prefix)) if list.is_empty() && !prefix.is_empty() => {
                (prefix.trim_end_matches("/0").to_string(), prefix.clone())
            }
            Some((_, list, ..)) => (list.clone(), String::new()),
            None => (String::new(), String::new()),
        };
        let candidates: Vec<Field> = fields(&scope)
            .into_iter()
            .map(|f| Field { pointer: format!("{prefix}{}", f.pointer), target: f.target })
            .collect();
        let mut columns = Vec::new();
        let mut unguessed = Vec::new();
        for (c, h) in t.headers.iter().enumerate() {
            // The system's own columns that hold a field of the standard: the case id, and
            // DHIS2's enrollment date, which is the date of intake.
            let system_field = match (layout, h.as_str()) {
                (Layout::Primero, "_id")
                | (Layout::Dhis2, "trackedEntity")
                | (Layout::CommCare, "form.case.@case_id")
                    if i == 0 =>
                {
                    Some("/id")
                }
                (Layout::Dhis2, "enrolledAt") if t.name == DHIS2_ENROLLMENTS => {
                    Some("/intake_date")
                }
                _ => None,
            };
            if let Some(to) = system_field {
                columns.push(ColumnGuess {
                    column: h.clone(),
                    to: to.into(),
                    choice: None,
                    id_type: None,
                    reason: Reason::Header,
                });
                continue;
            }
            let system = match layout {
                Layout::Dhis2 => is_dhis2_system_column(h),
                Layout::CommCare => is_commcare_meta(h),
                _ => false,
            };
            if system || is_meta(h) || h.is_empty() {
                continue;
            }
            match guess_column(t, c, label(labels, h), &candidates, &columns, options) {
                Some(g) => columns.push(g),
                None => unguessed.push(h.clone()),
            }
        }
        let key = match (layout, i) {
            (_, 0) => root_key.map(str::to_string),
            (Layout::Dhis2, _) if t.name == DHIS2_ENROLLMENTS => Some("enrollment".into()),
            _ => None,
        };
        let (parent, parent_table) = match parent {
            Some((pk, list, table, _)) => (Some((pk, list)), Some(table)),
            None => (None, None),
        };
        out.push(TableGuess {
            sheet: t.name.clone(),
            key,
            parent,
            parent_table,
            columns,
            unguessed,
        });
    }
    out
}

/// The name people read for a column or table: its label when `labels` has one.
fn label<'a>(labels: &'a BTreeMap<String, String>, s: &'a str) -> &'a str {
    labels.get(s).map_or(s, String::as_str)
}

/// The list of objects a repeat table named `name` most likely fills, if its name says.
fn guess_list(name: &str) -> Option<String> {
    let words = header_words(name.trim_end_matches(".csv"));
    repeat_lists()
        .into_iter()
        .map(|l| {
            let hits = header_words(&l).iter().filter(|w| words.contains(w)).count();
            (hits, std::cmp::Reverse(l.len()), l)
        })
        .filter(|(hits, ..)| *hits > 0)
        .max()
        .map(|(.., l)| l)
}

fn guess_column(
    t: &Table,
    c: usize,
    label: &str,
    candidates: &[Field],
    done: &[ColumnGuess],
    options: &SourceOptions,
) -> Option<ColumnGuess> {
    let header = &t.headers[c];
    // CommCare splits a select-multiple into `question | choice` columns (1 or blank).
    if let Some((question, choice)) = header.rsplit_once(" | ") {
        return guess_split(question, choice, header, candidates);
    }
    // A 0/1 column `question/choice` of a select-multiple guessed just before.
    if let Some((question, choice)) = header.rsplit_once('/') {
        if let Some(q) = done.iter().find(|g| g.column == question && g.choice.is_none()) {
            if let Some(Target::Codes(list)) =
                candidates.iter().find(|f| f.pointer == q.to).map(|f| f.target)
            {
                if let Some(code) = match_code(list, choice) {
                    return Some(ColumnGuess {
                        column: header.clone(),
                        to: q.to.clone(),
                        choice: Some(code.to_string()),
                        id_type: None,
                        reason: Reason::Choice,
                    });
                }
            }
        }
    }
    let words = header_words(label);
    let lists = value_lists(t, c, options);
    let pool: Vec<&Field> = if lists.is_empty() {
        candidates.iter().collect()
    } else {
        candidates
            .iter()
            .filter(|f| target_list(f.target).is_some_and(|l| lists.contains(&l)))
            .collect()
    };
    // Ties broken by: a codelist field for a column of codes and another for any other
    // column; then the field whose matched words are rarer among the fields (`withdrawn`
    // says more than `date`).
    let fits = |f: &Field| u8::from(target_list(f.target).is_some() != lists.is_empty());
    let mut freq: std::collections::HashMap<String, usize> = Default::default();
    for w in candidates.iter().flat_map(field_words) {
        *freq.entry(w).or_default() += 1;
    }
    let rarity = |f: &Field| -> usize {
        field_words(f)
            .iter()
            .filter(|w| words.contains(w))
            .map(|w| 1000 / freq.get(w).copied().unwrap_or(1).max(1))
            .sum()
    };
    let (best, _, f) = pool
        .iter()
        .map(|f| (score(&words, label, f), (fits(f), rarity(f)), *f))
        .max_by(|a, b| {
            (a.0 .0, a.0 .1, a.1, a.0 .2, a.0 .3).cmp(&(b.0 .0, b.0 .1, b.1, b.0 .2, b.0 .3))
        })?;
    // Without the values' word for it, a header must be at least half explained by the field.
    if lists.is_empty() && best.0 < 500 {
        return None;
    }
    let id_type = f.pointer.ends_with("/national_id/value").then(|| id_type_of(label)).flatten();
    Some(ColumnGuess {
        column: header.clone(),
        to: f.pointer.clone(),
        choice: None,
        id_type,
        reason: match target_list(f.target) {
            Some(l) if !lists.is_empty() => Reason::Values(l),
            _ => Reason::Header,
        },
    })
}

/// The words of a field's pointer (array positions left out).
fn field_words(f: &Field) -> Vec<String> {
    header_words(&f.pointer.replace(|c: char| c.is_ascii_digit(), ""))
}

/// A CommCare split column `question | choice`: the list-of-codes field the question's words
/// name best among those whose codelist has the choice.
fn guess_split(
    question: &str,
    choice: &str,
    header: &str,
    candidates: &[Field],
) -> Option<ColumnGuess> {
    let words = header_words(question);
    let (best, f, code) = candidates
        .iter()
        .filter_map(|f| match f.target {
            Target::Codes(list) => match_code(list, choice).map(|code| (f, code)),
            _ => None,
        })
        .map(|(f, code)| (score(&words, question, f), f, code))
        .max_by(|a, b| a.0.cmp(&b.0))?;
    (best.0 > 0).then(|| ColumnGuess {
        column: header.to_string(),
        to: f.pointer.clone(),
        choice: Some(code.to_string()),
        id_type: None,
        reason: Reason::Choice,
    })
}

/// (share of the header's words the field explains, share of the field's words matched,
/// shallower first, shorter first), each in thousandths.
fn score(
    words: &[String],
    header: &str,
    f: &Field,
) -> (usize, usize, std::cmp::Reverse<usize>, std::cmp::Reverse<usize>) {
    let mut fw = header_words(&f.pointer.replace(|c: char| c.is_ascii_digit(), ""));
    if let Some(list) = target_list(f.target) {
        // A header that is the codelist's title in any language names the field.
        if Lang::ALL.iter().filter_map(|&l| labels::title(list, l)).any(|t| fold(t) == fold(header))
        {
            return (1000, 1000, std::cmp::Reverse(0), std::cmp::Reverse(0));
        }
        fw.dedup();
    }
    let hits = fw.iter().filter(|w| words.contains(w)).count();
    let depth = f.pointer.matches('/').count();
    (
        hits * 1000 / words.len().max(1),
        hits * 1000 / fw.len().max(1),
        std::cmp::Reverse(depth),
        std::cmp::Reverse(f.pointer.len()),
    )
}

fn target_list(t: Target) -> Option<&'static str> {
    match t {
        Target::Code(l) | Target::Codes(l) => Some(l),
        _ => None,
    }
}

/// The codelists whose codes or labels make up at least 80 % of the column's distinct values
/// (a select-multiple cell counts when each of its parts does).
fn value_lists(t: &Table, c: usize, options: &SourceOptions) -> Vec<&'static str> {
    let mut values: Vec<String> = Vec::new();
    for row in &t.rows {
        match row.get(c) {
            Some(Cell::Number(_) | Cell::Date(_) | Cell::Bool(_)) => return Vec::new(),
            Some(cell) if !cell.is_empty() => {
                let text = cell.display().trim().to_string();
                if !values.contains(&text) {
                    values.push(text);
                }
                if values.len() > 200 {
                    return Vec::new();
                }
            }
            _ => {}
        }
    }
    if values.is_empty() {
        return Vec::new();
    }
    let seps = [options.multi_separator.as_str(), "|||", ","];
    let names = |list: &str, v: &str| {
        match_code(list, v).is_some()
            || seps.iter().filter(|s| !s.is_empty() && v.contains(**s)).any(|s| {
                v.split(*s)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .all(|p| match_code(list, p).is_some())
            })
    };
    crate::schema::codelists()
        .into_iter()
        .filter(|l| {
            let hit = values.iter().filter(|v| names(l.id, v)).count();
            hit * 5 >= values.len() * 4
        })
        .map(|l| l.id)
        .collect()
}

fn id_type_of(header: &str) -> Option<&'static str> {
    let h = fold(header);
    [
        ("tckn", "TR_TCKN"),
        ("mykad", "MY_MYKAD"),
        ("rnokpp", "UA_RNOKPP"),
        ("iin", "KZ_IIN"),
        ("pinfl", "UZ_PINFL"),
    ]
    .into_iter()
    .find(|(w, _)| h.split(' ').any(|x| x == *w))
    .map(|(_, t)| t)
}

//! Codelist labels and titles in seven languages, loaded from `data/codelists.json`, and the
//! country extension codelists defined there.

use super::lang::Lang;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// Labels of one code or title in the seven languages, keyed by language code.
pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListData {
    title: Labels,
    codes: BTreeMap<String, Labels>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionCodeData {
    maps_to: String,
    labels: Labels,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionData {
    country: String,
    extends: String,
    title: Labels,
    codes: BTreeMap<String, ExtensionCodeData>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    lists: BTreeMap<String, ListData>,
    extensions: BTreeMap<String, ExtensionData>,
}

/// A country's extension codelist whose codes map onto a core codelist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionList {
    /// The id of the extension list, e.g. `kz_family_map_category`.
    pub id: String,
    /// The country that defines it, ISO 3166-1 alpha-2.
    pub country: String,
    /// The core codelist it maps onto, e.g. `risk_level`.
    pub extends: String,
    /// Each extension code and the core code it maps to.
    pub maps: BTreeMap<String, String>,
}

struct Store {
    file: File,
    index: HashMap<(String, String), [String; 7]>,
    extensions: Vec<ExtensionList>,
}

const DATA: &str = include_str!("../../data/codelists.json");

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        // The file is part of the crate and checked by tests; failing here is a build defect.
        let file: File = serde_json::from_str(DATA).expect("data/codelists.json is well-formed");
        let mut index = HashMap::new();
        let row =
            |l: &Labels| Lang::ALL.map(|lang| l.get(lang.code()).cloned().unwrap_or_default());
        for (list, data) in &file.lists {
            for (code, labels) in &data.codes {
                index.insert((list.clone(), code.clone()), row(labels));
            }
        }
        for (list, data) in &file.extensions {
            for (code, c) in &data.codes {
                index.insert((list.clone(), code.clone()), row(&c.labels));
            }
        }
        let extensions = file
            .extensions
            .iter()
            .map(|(id, e)| ExtensionList {
                id: id.clone(),
                country: e.country.clone(),
                extends: e.extends.clone(),
                maps: e.codes.iter().map(|(c, d)| (c.clone(), d.maps_to.clone())).collect(),
            })
            .collect();
        Store { file, index, extensions }
    })
}

fn lang_index(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// The label of `code` in codelist `list` (core or extension) in `lang`, if there is one.
pub fn label(list: &str, code: &str, lang: Lang) -> Option<&'static str> {
    let row = store().index.get(&(list.to_string(), code.to_string()))?;
    let s = row[lang_index(lang)].as_str();
    (!s.is_empty()).then_some(s)
}

/// The title of codelist `list` (core or extension) in `lang`.
pub fn title(list: &str, lang: Lang) -> Option<&'static str> {
    let f = &store().file;
    let t =
        f.lists.get(list).map(|l| &l.title).or_else(|| f.extensions.get(list).map(|e| &e.title))?;
    t.get(lang.code()).map(String::as_str).filter(|s| !s.is_empty())
}

/// Ids of the core codelists that have labels in the data file.
pub fn labelled_lists() -> Vec<&'static str> {
    store().file.lists.keys().map(String::as_str).collect()
}

/// Codes of `list` as listed in the data file.
pub fn labelled_codes(list: &str) -> Vec<&'static str> {
    store()
        .file
        .lists
        .get(list)
        .map(|l| l.codes.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The country extension codelists.
pub fn extension_lists() -> &'static [ExtensionList] {
    &store().extensions
}

/// The extension list with this id.
pub fn extension_list(id: &str) -> Option<&'static ExtensionList> {
    store().extensions.iter().find(|e| e.id == id)
}

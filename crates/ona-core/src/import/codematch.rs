//! Matching what a partner wrote against a codelist: the code itself, or its label in any of the
//! seven languages, ignoring case, accents, punctuation and script (Cyrillic is folded to Latin,
//! so "Rodilnyi budynok" typed in Latin still finds the Ukrainian label).

use crate::schema::{codelist, labels, Lang};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for matching: lower case (Turkish dotted and dotless i both become `i`), accents
/// dropped, Cyrillic written in Latin letters, every run of other characters one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        let lower: String = match c {
            'İ' | 'I' | 'ı' => "i".into(),
            _ => c.to_lowercase().collect(),
        };
        for l in lower.chars() {
            let piece = cyrillic_in_latin(l);
            let piece = match piece {
                Some(p) => p,
                // Apostrophes inside words (Uzbek oʻ, gʻ; English don't) join, not split.
                None if matches!(l, 'ʻ' | 'ʼ' | '\'' | '’' | '`') => continue,
                None if l.is_alphanumeric() => {
                    out.push(l);
                    space = false;
                    continue;
                }
                None => "",
            };
            if piece.is_empty() {
                if !l.is_alphanumeric() && !space && !matches!(l, 'ъ' | 'ь') {
                    out.push(' ');
                    space = true;
                }
                continue;
            }
            out.push_str(piece);
            space = false;
        }
    }
    out.trim_end().to_string()
}

fn cyrillic_in_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'қ' => "q",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' | 'ў' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' | 'ү' => "u",
        'ф' => "f",
        'х' => "kh",
        'һ' | 'ҳ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ъ' | 'ь' => "",
        _ => return None,
    })
}

type Index = HashMap<String, HashMap<String, Option<&'static str>>>;

/// Folded code or label → code, per codelist; `None` where two codes of a list share a folded
/// label (such a label matches nothing rather than the wrong code).
fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut all: Index = HashMap::new();
        for list in crate::schema::codelists() {
            let entry = all.entry(list.id.to_string()).or_default();
            for &code in list.codes {
                let mut keys = vec![fold(code)];
                keys.extend(
                    Lang::ALL.iter().filter_map(|&l| labels::label(list.id, code, l)).map(fold),
                );
                for k in keys.into_iter().filter(|k| !k.is_empty()) {
                    entry
                        .entry(k)
                        .and_modify(|v| {
                            if *v != Some(code) {
                                *v = None
                            }
                        })
                        .or_insert(Some(code));
                }
            }
        }
        all
    })
}

/// The code of `list` that `text` names (by code or by a label in any language), if exactly one.
pub fn match_code(list: &str, text: &str) -> Option<&'static str> {
    let list_index = index().get(list)?;
    if let Some(code) = codelist(list).and_then(|l| l.codes.iter().find(|c| **c == text)) {
        return Some(code);
    }
    list_index.get(&fold(text)).copied().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_scripts() {
        assert_eq!(fold("Doğumhane"), "dogumhane");
        assert_eq!(fold("İSTANBUL"), fold("istanbul"));
        assert_eq!(fold("Пологовий будинок"), "pologovii budinok");
        assert_eq!(fold("  maternity_ward "), "maternity ward");
        assert_eq!(fold("Sağlık / ocağı"), "saglik ocagi");
        assert_eq!(fold("Tugʻruqxona"), "tugruqxona");
    }

    #[test]
    fn labels_in_every_language_find_their_code() {
        for list in crate::schema::codelists() {
            for &code in list.codes {
                assert_eq!(match_code(list.id, code), Some(code), "{}/{code}", list.id);
                for lang in Lang::ALL {
                    let label = labels::label(list.id, code, lang).unwrap();
                    let found = match_code(list.id, label);
                    // A label two codes share must match neither, never the wrong one.
                    assert!(found.is_none() || found == Some(code), "{}/{code} [{lang}]", list.id);
                    let shouted = label.to_uppercase();
                    assert_eq!(match_code(list.id, &shouted), found, "{label} in capitals");
                }
            }
        }
    }

    #[test]
    fn unknown_text_matches_nothing() {
        assert_eq!(match_code("sex", "F"), None);
        assert_eq!(match_code("sex", "female"), Some("female"));
        assert_eq!(match_code("no_such_list", "female"), None);
    }
}

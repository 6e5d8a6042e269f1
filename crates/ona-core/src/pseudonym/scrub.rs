//! Free-text scrubbing: where a policy keeps notes, phone numbers, e-mail addresses, national IDs
//! of the six types and every name of the same record become typed placeholders — `<PHONE>`,
//! `<EMAIL>`, `<ID>`, `<NAME_1>`, `<NAME_2>` … — the same name always the same number within the
//! record, whatever script or spelling it is written in.
//!
//! Best-effort, and it errs towards removing: the text is NFKC-normalised first (full-width
//! digits and letters become plain ones); digit runs may be broken by spaces, dashes, dots,
//! slashes and brackets (`701/234/5678`); a word holding six digits or more (`N12345678`) is an
//! `<ID>`; a name matches in its inflected and possessive forms (`Ғаниевой`, `Ўғилойга`,
//! `Ghanieva's`: the name's stem followed by at most five letters); and the words of the mother's
//! address line and settlement become `<PLACE>`. Notes stay dropped by default.

use super::canonical::canonical_name;
use crate::schema::{national_id, Case, Codelist, NationalIdType};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// Whether the canonical word `t` is the name token `n` or an inflected or possessive form of
/// it: `n` without a final vowel (at least four letters) followed by at most five letters
/// (Uzbek `Seitkazina-ning`, Kazakh `Динара-ның`, Russian `Сейтказин-ой`).
fn is_form_of(t: &str, n: &str) -> bool {
    if t == n {
        return true;
    }
    let stem = n.strip_suffix(['a', 'e', 'i', 'o', 'u']).unwrap_or(n);
    stem.len() >= 4 && t.len() <= stem.len() + 5 && t.starts_with(stem)
}

/// The canonical tokens of the mother's address line and settlement (words of three letters or
/// more, so that house and flat numbers and abbreviations stay).
fn record_places(case: &Case) -> Vec<String> {
    let Some(a) = &case.mother.address else { return vec![] };
    let mut out: Vec<String> = [a.line.as_deref(), a.settlement.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|p| {
            canonical_name(&[p], false).split(' ').map(str::to_string).collect::<Vec<_>>()
        })
        .filter(|t| t.len() >= 3 && t.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The canonical tokens of every name in the record (mother and children, all parts).
fn record_names(case: &Case) -> Vec<String> {
    let mut parts: Vec<&str> = vec![case.mother.name.given.as_str()];
    parts.extend(case.mother.name.family.as_deref());
    parts.extend(case.mother.name.patronymic.as_deref());
    for c in &case.children {
        if let Some(n) = &c.name {
            parts.push(&n.given);
            parts.extend(n.family.as_deref());
            parts.extend(n.patronymic.as_deref());
        }
    }
    let mut tokens: Vec<String> = parts
        .iter()
        .flat_map(|p| {
            canonical_name(&[p], false).split(' ').map(str::to_string).collect::<Vec<_>>()
        })
        .collect();
    tokens.retain(|t| t.len() >= 2);
    tokens
}

fn is_national_id(digits: &str) -> bool {
    NationalIdType::ALL.iter().any(|t| national_id::check(*t, digits).is_ok())
}

/// Replaces identifiers in `text` by placeholders (see the module docs).
pub fn scrub_notes(text: &str, case: &Case) -> String {
    let text: String = text.nfkc().collect();
    let names = record_names(case);
    let places = record_places(case);
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A run of characters that can belong to a phone number or ID: digits, +, spaces, dashes, brackets.
        if c.is_ascii_digit() || (c == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let mut j = i;
            let mut last_digit = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || " +-()./".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    last_digit = j;
                }
                j += 1;
            }
            let run: String = chars[i..=last_digit].iter().collect();
            let digits: String = run.chars().filter(char::is_ascii_digit).collect();
            if is_national_id(&digits) {
                out.push_str("<ID>");
            } else if digits.len() >= 7 {
                out.push_str("<PHONE>");
            } else {
                out.push_str(&run);
            }
            i = last_digit + 1;
            continue;
        }
        if c.is_alphanumeric() || c == '@' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || "@._-ʻ'’".contains(chars[j]))
            {
                j += 1;
            }
            let mut word: String = chars[i..j].iter().collect();
            // Trailing punctuation belongs to the sentence, not the word.
            while word.ends_with(['.', '_', '-', '\'', '’']) {
                word.pop();
                j -= 1;
            }
            let digits = word.chars().filter(char::is_ascii_digit).count();
            if word.contains('@') && word.split('@').nth(1).is_some_and(|d| d.contains('.')) {
                out.push_str("<EMAIL>");
            } else if digits >= 6 {
                // An ID or document number inside a word: N12345678, ИИН880101300020.
                out.push_str("<ID>");
            } else {
                let canon = canonical_name(&[&word], false);
                let tokens: Vec<&str> = canon.split(' ').filter(|t| !t.is_empty()).collect();
                let name_of = |t: &&str| names.iter().find(|n| is_form_of(t, n));
                if !tokens.is_empty() && tokens.iter().all(|t| name_of(t).is_some()) {
                    // Number the name by the record's own form, so inflections share it.
                    let key: Vec<&str> =
                        tokens.iter().filter_map(|t| name_of(t).map(String::as_str)).collect();
                    let next = numbers.len() + 1;
                    let n = *numbers.entry(key.join(" ")).or_insert(next);
                    out.push_str(&format!("<NAME_{n}>"));
                } else if !tokens.is_empty()
                    && tokens.iter().all(|t| places.iter().any(|p| is_form_of(t, p)))
                {
                    out.push_str("<PLACE>");
                } else {
                    out.push_str(&word);
                }
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{NationalId, PersonName};

    fn case() -> Case {
        let mut c = crate::pseudonym::testing::sample_case();
        c.mother.name = PersonName {
            given: "Динара".into(),
            family: Some("Сейтказина".into()),
            patronymic: Some("Болатовна".into()),
        };
        c.mother.national_id =
            Some(NationalId { id_type: NationalIdType::KzIin, value: "880101300020".into() });
        c
    }

    #[test]
    fn identifiers_become_consistent_placeholders() {
        let text = "Dinara SEITKAZINA came with the baby. Динара asks to call +7 701 234 56 78 or write dinara.s@mail.kz; IIN 8801 0130 0020. Room 12.";
        let out = scrub_notes(text, &case());
        assert_eq!(
            out,
            "<NAME_1> <NAME_2> came with the baby. <NAME_1> asks to call <PHONE> or write <EMAIL>; IIN <ID>. Room 12."
        );
    }
}

//! Free-text scrubbing: where a policy keeps notes, phone numbers, e-mail addresses, messenger
//! handles, national IDs of the six types, dates, and every name and address word of the same
//! record become typed placeholders — `<PHONE>`, `<EMAIL>`, `<HANDLE>`, `<ID>`, `<DATE>`,
//! `<PLACE>`, `<NAME_1>`, `<NAME_2>` … — the same name always the same number within the record,
//! whatever script, spelling or grammatical form it is written in.
//!
//! Best-effort, and it errs towards removing. The attacker is a reader of a released note who
//! knows the woman's name, phone, ID or address and searches for it in whatever form the note's
//! writer used:
//!
//! - the text is NFKC-normalised first (full-width digits, letters and `＠` become plain ones)
//!   and invisible characters (soft hyphen, zero-width space) are taken out;
//! - a digit run may be broken by spaces, dashes, dots, slashes and brackets (`701/234/5678`,
//!   `+7 (701) 234-56-78`) and may begin in the word before it (`т8701 234 56 78`); seven
//!   digits or more are a `<PHONE>` (an `<ID>` when they pass a national ID check), six
//!   digits written together or in dashed pairs (`234567`, `23-45-67`) an `<ID>` or a city
//!   `<PHONE>`; a date (`12.03.2025`, `2025-03-12`) is a `<DATE>`, because
//!   a true date next to shifted ones gives away the record's date shift;
//! - a word holding six digits or more (`N12345678`, `ИИН880101300020`) is an `<ID>`; a word with
//!   `@` and a dotted domain an `<EMAIL>`, `@` and three characters or more a `<HANDLE>`;
//! - a word of which any run of letters (`gulya_ganieva`, `dinara1995`) is a form of one of the
//!   record's names — mother's and children's given, family and patronymic — is a `<NAME_n>`;
//!   forms are the
//!   inflected, possessive and suffixed ones of the seven languages ([`forms`]: `Ғаниевой`,
//!   `Ўғилойга`, `Ghanieva's`, `Dinara'nın`, `Aruzhannya`);
//! - a word that is a form of a word of the mother's address line or settlement (not a word
//!   naming a kind of place, such as `ул.` or `Jalan`) is a `<PLACE>`.
//!
//! What it cannot know stays: another person's name, a nickname or diminutive (`Дина` for
//! `Динара`), a street that is not in the record, a description. Notes stay dropped by default.

mod forms;

use crate::schema::{national_id, Case, Codelist, NationalIdType};
use forms::{is_address_kind, RecordWord, WordForms};
use std::collections::BTreeMap;
use std::rc::Rc;
use unicode_normalization::UnicodeNormalization;

/// The words of the given strings as written (split at anything that is neither a letter nor
/// an apostrophe), each with its record form.
fn record_words<'a>(parts: impl Iterator<Item = &'a str>) -> Vec<(String, RecordWord)> {
    parts
        .flat_map(|p| p.split(|c: char| !(c.is_alphanumeric() || "'’ʻʼ`‘".contains(c))))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter_map(|w| RecordWord::new(w).map(|r| (w.to_lowercase(), r)))
        .collect()
}

/// Every part of every name in the record (mother and children).
fn record_names(case: &Case) -> Vec<RecordWord> {
    let mut names = vec![&case.mother.name];
    names.extend(case.children.iter().filter_map(|c| c.name.as_ref()));
    let parts = names.into_iter().flat_map(|n| {
        std::iter::once(n.given.as_str()).chain(n.family.as_deref()).chain(n.patronymic.as_deref())
    });
    record_words(parts).into_iter().map(|(_, r)| r).collect()
}

/// The words of the mother's address line and settlement that name a place: three letters or
/// more, no digits, not a kind of place.
fn record_places(case: &Case) -> Vec<RecordWord> {
    let Some(a) = &case.mother.address else { return vec![] };
    record_words([a.line.as_deref(), a.settlement.as_deref()].into_iter().flatten())
        .into_iter()
        .filter(|(w, r)| {
            r.full.len() >= 3 && !w.chars().any(|c| c.is_ascii_digit()) && !is_address_kind(w)
        })
        .map(|(_, r)| r)
        .collect()
}

fn is_national_id(digits: &str) -> bool {
    NationalIdType::ALL.iter().any(|t| national_id::check(*t, digits).is_ok())
}

/// Whether a run of digits and separators is a calendar date: `dd.mm.yyyy`, `dd/mm/yyyy`,
/// `dd-mm-yyyy`, `dd.mm.yy` or `yyyy-mm-dd`.
fn is_date(run: &str) -> bool {
    let groups: Vec<&str> = run.split(['.', '/', '-']).collect();
    let [a, b, c] = groups[..] else { return false };
    if !groups.iter().all(|g| !g.is_empty() && g.chars().all(|d| d.is_ascii_digit())) {
        return false;
    }
    let n = |g: &str| g.parse::<u32>().unwrap_or(0);
    let day_month = |d: &str, m: &str| {
        d.len() <= 2 && m.len() <= 2 && (1..=31).contains(&n(d)) && (1..=12).contains(&n(m))
    };
    (a.len() == 4 && day_month(c, b)) || ((c.len() == 4 || c.len() == 2) && day_month(a, b))
}

/// Invisible characters that a copy-paste leaves inside words (soft hyphen, zero-width space and
/// joiners, word joiner, byte-order mark, Mongolian vowel separator, combining grapheme joiner):
/// `Дина\u{AD}ра` reads as a name and must match as one.
const INVISIBLE: &[char] = &[
    '\u{AD}', '\u{34F}', '\u{180E}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}',
    '\u{2060}', '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}', '\u{FEFF}',
];

/// Characters that join the letters of one word: e-mail and handle punctuation, and the
/// apostrophes of Uzbek `oʻ gʻ` and of Turkish and English endings (`Dinara'nın`, `Dinara's`).
const WORD_JOINERS: &str = "@._-+ʻʼ'’‘`";

/// Currency words after which a number grouped in thousands (`1 200 000 сўм`) is an amount.
const CURRENCIES: &[&str] = &[
    "тг",
    "тенге",
    "теңге",
    "₸",
    "сум",
    "сўм",
    "so'm",
    "soʻm",
    "сом",
    "грн",
    "гривень",
    "₴",
    "руб",
    "₽",
    "rm",
    "ringgit",
    "tl",
    "lira",
    "₺",
    "tenge",
    "som",
    "uah",
    "usd",
    "$",
    "€",
];

/// Whether a run is a number grouped in thousands by spaces (`1 200 000`) followed by a currency.
fn is_amount(run: &str, after: &str) -> bool {
    let groups: Vec<&str> = run.split(' ').collect();
    let grouped = groups.len() >= 2
        && (1..=3).contains(&groups[0].len())
        && !groups[0].starts_with('0')
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    let next = after.trim_start().to_lowercase();
    grouped
        && CURRENCIES.iter().any(|c| {
            next.strip_prefix(c).is_some_and(|rest| !rest.starts_with(char::is_alphabetic))
        })
}

/// The placeholder for a run of digits and separators (`after`: the text that follows it), or
/// `None` when it stays.
fn number_placeholder(run: &str, after: &str) -> Option<&'static str> {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    if is_amount(run, after) {
        None
    } else if is_date(run) {
        Some("<DATE>")
    } else if is_national_id(&digits) {
        Some("<ID>")
    } else if digits.len() >= 7 {
        Some("<PHONE>")
    } else if digits.len() == 6 && run.len() == 6 {
        Some("<ID>")
    } else if digits.len() == 6 && run.matches('-').count() >= 2 {
        Some("<PHONE>")
    } else {
        None
    }
}

/// Replaces identifiers in `text` by placeholders (see the module docs).
pub fn scrub_notes(text: &str, case: &Case) -> String {
    let text: String = text.nfkc().filter(|c| !INVISIBLE.contains(c)).collect();
    let names = record_names(case);
    let places = record_places(case);
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A run of characters that can belong to a phone number or ID: digits, +, spaces, dashes, brackets.
        let opens_number = |k: usize| {
            chars.get(k).is_some_and(char::is_ascii_digit)
                || (chars.get(k) == Some(&'(')
                    && chars.get(k + 1).is_some_and(char::is_ascii_digit))
        };
        if c.is_ascii_digit() || ((c == '+' || c == '(') && opens_number(i + 1)) {
            let mut j = i;
            let mut last_digit = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || " +-()./".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    last_digit = j;
                }
                j += 1;
            }
            let run: String = chars[i..=last_digit].iter().collect();
            let after: String = chars[last_digit + 1..].iter().take(12).collect();
            match number_placeholder(&run, &after) {
                Some(p) => out.push_str(p),
                None => out.push_str(&run),
            }
            i = last_digit + 1;
            continue;
        }
        if c.is_alphanumeric() || c == '@' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || WORD_JOINERS.contains(chars[j]))
            {
                j += 1;
            }
            let mut word: String = chars[i..j].iter().collect();
            // Trailing punctuation belongs to the sentence, not the word.
            while word.ends_with(['.', '_', '-', '\'', '’', '‘', '`', 'ʼ', '+']) {
                word.pop();
                j -= 1;
            }
            // A word ending in a few digits that run on into a number (`т8701 234 56 78`,
            // `тел.-701-23 45 67`): its digits belong to the number.
            let first_digit = (i..j).find(|&k| chars[k].is_ascii_digit());
            if let Some(k) = first_digit.filter(|&k| {
                k > i
                    && chars[k..j].iter().filter(|c| c.is_ascii_digit()).count() < 6
                    && chars[k..j].iter().all(|c| c.is_ascii_digit() || "-./+".contains(*c))
                    && {
                        // Separators, then a digit: the number goes on.
                        let gap = chars[j..].iter().take_while(|c| " -()./+".contains(**c)).count();
                        gap >= 1 && chars.get(j + gap).is_some_and(char::is_ascii_digit)
                    }
            }) {
                let head: String = chars[i..k].iter().collect();
                out.push_str(&word_placeholder(&head, &names, &places, &mut numbers));
                i = k;
                continue;
            }
            out.push_str(&word_placeholder(&word, &names, &places, &mut numbers));
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The placeholder for one word of a note, or the word itself when it stays.
fn word_placeholder(
    word: &str,
    names: &[RecordWord],
    places: &[RecordWord],
    numbers: &mut BTreeMap<String, usize>,
) -> String {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    if let Some((_, domain)) = word.split_once('@') {
        if domain.contains('.') && !word.starts_with('@') {
            return "<EMAIL>".into();
        }
        if word.starts_with('@') && word.chars().count() >= 4 {
            return "<HANDLE>".into();
        }
    }
    if digits >= 6 {
        // An ID or document number inside a word: N12345678, ИИН880101300020.
        return "<ID>".into();
    }
    // Lower case; Turkish `İ` lowers to `i` and a combining dot, which is dropped.
    let lower = word.to_lowercase().replace('\u{307}', "");
    let whole = WordForms::of(&lower);
    // Its letter runs, when it has other characters: `gulya_ganieva`, `dinara1995`.
    let in_word = |c: char| c.is_alphabetic() || "'’ʻʼ`‘".contains(c);
    let parts: Vec<Rc<WordForms>> = if lower.chars().all(in_word) {
        Vec::new()
    } else {
        lower.split(|c: char| !in_word(c)).filter(|p| !p.is_empty()).map(WordForms::of).collect()
    };
    // Try the word whole first: a hyphen may join a name and its ending (`Dinara-ning`).
    let name_of = |w: &WordForms| names.iter().find(|n| n.matches(w));
    let found: Vec<&RecordWord> = match name_of(&whole) {
        Some(n) => vec![n],
        None => parts.iter().filter_map(|p| name_of(p)).collect(),
    };
    if !found.is_empty() {
        // Number the name by the record's own form, so that inflections share it.
        let key: Vec<&str> = found.iter().map(|n| n.full.as_str()).collect();
        let next = numbers.len() + 1;
        let n = *numbers.entry(key.join(" ")).or_insert(next);
        return format!("<NAME_{n}>");
    }
    let is_place = |w: &WordForms| places.iter().any(|r| r.matches(w));
    if is_place(&whole) || parts.iter().any(|p| is_place(p)) {
        return "<PLACE>".into();
    }
    word.to_string()
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

    #[test]
    fn every_form_of_one_name_gets_one_number() {
        // The reader learns that the same woman is meant, never her name.
        let text =
            "Сейтказиной звонили; Seitkazina's baby; СЕЙТКАЗИНАНЫҢ құжаты; Seitkazina'ya; Динаре.";
        assert_eq!(
            scrub_notes(text, &case()),
            "<NAME_1> звонили; <NAME_1> baby; <NAME_1> құжаты; <NAME_1>; <NAME_2>."
        );
    }

    #[test]
    fn invisible_characters_do_not_hide_a_name() {
        // A soft hyphen or zero-width space from a copy-paste: the reader sees "Динара".
        for text in
            ["Дина\u{AD}ра пришла", "Дина\u{200B}ра пришла", "\u{FEFF}Дин\u{200D}аре пришла"]
        {
            assert_eq!(scrub_notes(text, &case()), "<NAME_1> пришла", "{text:?}");
        }
    }

    #[test]
    fn upper_case_turkish_endings_are_endings() {
        let mut c = case();
        c.mother.name =
            PersonName {
                given: "Ayşe".into(), family: Some("Yılmazer".into()), patronymic: None
            };
        assert_eq!(
            scrub_notes("AYŞE'NİN kızı, YILMAZER'İN annesi, İLETİŞİM", &c),
            "<NAME_1> kızı, <NAME_2> annesi, İLETİŞİM"
        );
    }

    #[test]
    fn a_name_glued_to_digits_or_underscores_is_found() {
        let out = scrub_notes("login dinara1995, skype seitkazina_88, 1995dinara", &case());
        assert_eq!(out, "login <NAME_1>, skype <NAME_2>, 1995<NAME_1>");
    }

    #[test]
    fn amounts_dates_and_short_numbers() {
        let out = scrub_notes(
            "Пособие 1 200 000 сум, 42 500 тг; 1 200 000 без валюты; приём 14.04.2025; 3 недели; дом 17",
            &case(),
        );
        assert_eq!(
            out,
            "Пособие 1 200 000 сум, 42 500 тг; <PHONE> без валюты; приём <DATE>; 3 недели; дом 17"
        );
    }

    /// A deterministic generator for the two tests below.
    fn next(state: &mut u64, n: usize) -> usize {
        *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (*state >> 33) as usize % n
    }

    #[test]
    fn any_text_is_scrubbed_without_a_panic() {
        let alphabet: Vec<char> =
            "0123456789 -./()+'’ʻaбДNİı@_\u{AD}\u{200B}０７".chars().collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..1_000 {
            let len = 1 + next(&mut state, 40);
            let text: String =
                (0..len).map(|_| alphabet[next(&mut state, alphabet.len())]).collect();
            scrub_notes(&text, &case());
        }
    }

    #[test]
    fn no_phone_length_digit_run_survives_a_note() {
        // The attacker who searches for a phone number by its digits. Notes made of words and
        // numbers in the ways people write them — groups of digits joined by separators,
        // full-width or with an invisible character inside, glued to a word before them — in
        // any order: no run of seven digits (separators allowed) survives.
        let tokens = [
            "Динара",
            "тел",
            "тел.",
            "т",
            "моб",
            "N",
            "ИИН",
            "WhatsApp:",
            "Ayşe'nin",
            "room",
            "12",
            "8",
            "+7",
            "701",
            "(701)",
            "234",
            "56",
            "78",
            "5678",
            "-",
            "/",
            ".",
            " ",
            "０７０１",
            "２\u{AD}３４",
            "2\u{200B}34",
            "14.04.2025",
            "42",
            "500",
            "тг",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let c = case();
        for _ in 0..1_500 {
            let len = 1 + next(&mut state, 12);
            let text: String = (0..len)
                .map(|_| {
                    let t = tokens[next(&mut state, tokens.len())];
                    let sep = [" ", "", " ", "-"][next(&mut state, 4)];
                    format!("{t}{sep}")
                })
                .collect();
            let out = scrub_notes(&text, &c);
            let mut digits = 0;
            for (k, ch) in out.char_indices() {
                if ch.is_ascii_digit() {
                    digits += 1;
                } else if !" -./()+".contains(ch) {
                    // A sum of money before its currency is not a phone.
                    digits = 0;
                }
                let amount = out[k..]
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim_start()
                    .starts_with("тг");
                assert!(digits < 7 || amount, "{text:?} -> {out:?}");
            }
        }
    }
}

#[cfg(test)]
mod corpus_tests;

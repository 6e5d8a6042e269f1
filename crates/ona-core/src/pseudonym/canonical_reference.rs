//! The canonical name as it was first written — one step after another, several allocations per
//! token — kept only for tests: the fast path in `canonical_name.rs` must give byte-identical
//! forms, or every pseudonym made before it would stop linking.

use super::canonical::{cyrillic, PARTICLES, PATRONYMIC_WORDS};
use super::canonical_name::patronymic_shaped;
use super::placeholder::is_placeholder;
use unicode_normalization::UnicodeNormalization;

/// Steps 1–3: lower-case Latin letters and digits, other characters as separators.
pub(super) fn latin(text: &str) -> String {
    if text.is_ascii() {
        return text
            .chars()
            .filter(|c| !matches!(c, '\'' | '`'))
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        let c = match c {
            'İ' | 'I' | 'ı' => 'i',
            _ => c,
        };
        for l in c.to_lowercase() {
            if let Some(t) = cyrillic(l) {
                out.push_str(t);
            } else if matches!(l, 'ʻ' | 'ʼ' | '’' | '\'' | '‘' | '`' | 'ʹ') {
            } else if l == 'ə' {
                out.push('a');
            } else {
                out.push(l);
            }
        }
    }
    out.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect()
}

/// Step 4 on one token of lower-case ASCII letters.
fn fold(token: &str) -> String {
    let mut s = token.to_string();
    for (from, to) in [
        ("shch", "s"),
        ("sch", "s"),
        ("sh", "s"),
        ("ch", "c"),
        ("zh", "j"),
        ("kh", "h"),
        ("ts", "c"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let s: String = s
        .chars()
        .map(|c| match c {
            'x' => 'g',
            'q' => 'k',
            'w' => 'v',
            'y' => 'i',
            'h' => 'g',
            _ => c,
        })
        .collect();
    collapse(&collapse(&s).replace("ie", "e"))
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The canonical name, the first way.
pub(super) fn canonical_name(parts: &[&str], order_independent: bool) -> String {
    let mut raw: Vec<String> = Vec::new();
    for part in parts {
        if is_placeholder(part) {
            continue;
        }
        let l = latin(part);
        raw.extend(
            l.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|t| t.chars().count() >= 2)
                .map(str::to_string),
        );
    }
    let mut patronymic = vec![false; raw.len()];
    for (i, t) in raw.iter().enumerate() {
        if PATRONYMIC_WORDS.contains(&t.as_str()) {
            patronymic[i] = true;
            if i > 0 && !PARTICLES.contains(&raw[i - 1].as_str()) {
                patronymic[i - 1] = true;
            }
        } else if patronymic_shaped(t) {
            patronymic[i] = true;
        }
    }
    let others = raw
        .iter()
        .zip(&patronymic)
        .filter(|(t, p)| !**p && !PARTICLES.contains(&t.as_str()))
        .count();
    let drop_patronymic = others >= 2;
    let mut tokens: Vec<String> = Vec::new();
    for (raw, p) in raw.iter().zip(&patronymic) {
        if PARTICLES.contains(&raw.as_str()) || (*p && drop_patronymic) {
            continue;
        }
        let t = fold(raw);
        if t.len() >= 2 {
            tokens.push(t);
        }
    }
    if order_independent {
        tokens.sort();
    }
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::canonical::canonical_name as fast;
    use super::super::canonical_name::latin_into;
    use super::*;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use unicode_normalization::char::{canonical_combining_class, is_combining_mark};

    /// Pieces random names are made of: every script and trap the canonical form handles —
    /// Cyrillic of five languages, Latin with diacritics, Turkish i, Uzbek apostrophes,
    /// combining marks, full-width and compatibility letters, placeholders, particles,
    /// patronymic words and endings, the digraphs the folds rewrite, other scripts.
    fn pieces() -> Vec<String> {
        let mut p: Vec<String> = [
            " ",
            "  ",
            "-",
            "'",
            "`",
            "/",
            ".",
            ",",
            "ʻ",
            "ʼ",
            "’",
            "‘",
            "ʹ",
            "ə",
            "Ə",
            "İ",
            "I",
            "ı",
            "i",
            "ß",
            "ﬁ",
            "ǅ",
            "Ａ",
            "ｎ／ａ",
            "\u{301}",
            "\u{308}",
            "\u{327}",
            "\u{345}",
            "e\u{301}",
            "\u{2126}",
            "Å",
            "ŉ",
            "ſ",
            "ΐ",
            "Σ",
            "ς",
            "ǰ",
            "ẞ",
            "中",
            "ا",
            "ﺎ",
            "가",
            "ᄀ",
            "\u{1161}",
            "N/A",
            "нет",
            "yok",
            "bin",
            "binti",
            "a/p",
            "qizi",
            "kyzy",
            "uly",
            "o'g'li",
            "ovna",
            "evich",
            "ivna",
            "kyzy",
            "Маратовна",
            "Baxtiyor",
            "shch",
            "sch",
            "sh",
            "ch",
            "zh",
            "kh",
            "ts",
            "ie",
            "ii",
            "ss",
            "tsh",
            "x",
            "q",
            "w",
            "y",
            "h",
            "2",
            "7",
            "Dinara",
            "Сейтказина",
            "Gʻaniyeva",
            "Oʻgʻiloy",
            "Ўғилой",
            "Ayşe",
            "Yılmaz",
            "Öztürk",
            "Юлія",
            "Олійник",
            "Їжак",
            "Щука",
            "Ёлка",
            "Жээнбекова",
            "Қасымова",
            "Әлия",
            "Нұрланқызы",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let ranges = [
            (0x20u32, 0x7f),
            (0xa0, 0x250),
            (0x2b0, 0x370),
            (0x370, 0x400),
            (0x400, 0x530),
            (0x1e00, 0x1f00),
            (0x2000, 0x2070),
            (0xff00, 0xff70),
        ];
        for (a, b) in ranges {
            p.extend((a..b).filter_map(char::from_u32).map(String::from));
        }
        p
    }

    #[test]
    fn the_fast_canonical_name_is_the_first_one_on_random_mixed_script_names() {
        let pieces = pieces();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(14);
        let mut latin_fast = String::new();
        for n in 0..40_000 {
            let len = 1 + rng.next_u32() as usize % 12;
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(&pieces[rng.next_u32() as usize % pieces.len()]);
            }
            latin_into(&text, &mut latin_fast);
            assert_eq!(latin_fast, latin(&text), "latin of {text:?}");
            let order = n % 2 == 0;
            assert_eq!(fast(&[&text], order), canonical_name(&[&text], order), "{text:?}");
            let (a, b) = text.split_at(text.char_indices().nth(len / 2).map_or(0, |(i, _)| i));
            assert_eq!(fast(&[a, b], order), canonical_name(&[a, b], order), "{a:?} + {b:?}");
        }
    }

    #[test]
    fn the_fast_canonical_name_is_the_first_one_on_the_synthetic_networks_names() {
        let mut seen = 0;
        for case in ona_synth::cases(11, 3_000) {
            let n = &case.mother.name;
            let mut parts = vec![n.given.as_str()];
            parts.extend(n.family.as_deref());
            parts.extend(n.patronymic.as_deref());
            let joined = parts.join(" ");
            for order in [true, false] {
                assert_eq!(fast(&parts, order), canonical_name(&parts, order), "{parts:?}");
                assert_eq!(fast(&[&joined], order), canonical_name(&[&joined], order));
            }
            seen += usize::from(!joined.is_ascii());
        }
        assert!(seen > 1_000, "the synthetic names should be mostly non-ASCII: {seen}");
    }

    #[test]
    fn the_character_table_gives_the_first_latin_for_every_character_it_holds() {
        // Every character of the table's range alone, after a Cyrillic letter (so the text is
        // not ASCII), before a combining mark and a compatibility character (which send the
        // text the long way), and doubled: the table path and the long path both equal the
        // first implementation, so the table can never change a pseudonym.
        let mut out = String::new();
        for c in (0..0x600u32).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("д{c}a{c}"),
                format!("{c}\u{301}"),
                format!("{c}ﬁ"),
                format!("Ж{c}{c}ё"),
            ] {
                latin_into(&text, &mut out);
                assert_eq!(out, latin(&text), "U+{:04X} in {text:?}", c as u32);
            }
        }
        // The quick check through the table agrees with Unicode's on the same texts.
        for c in (0..0x600u32).filter_map(char::from_u32) {
            for text in [format!("д{c}"), format!("{c}\u{301}"), format!("\u{301}{c}")] {
                let want = unicode_normalization::is_nfkc_quick(text.chars())
                    == unicode_normalization::IsNormalized::Yes;
                assert_eq!(
                    super::super::canonical_name::nfkc_quick_yes(&text),
                    want,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn no_particle_or_patronymic_word_is_longer_than_the_short_cut_allows() {
        use super::super::canonical::{PARTICLES, PATRONYMIC_WORDS};
        let longest = PARTICLES.iter().chain(PATRONYMIC_WORDS).map(|w| w.len()).max();
        assert_eq!(longest, Some(super::super::canonical_name::SHORT_WORD));
    }

    #[test]
    fn every_character_with_a_combining_class_is_a_combining_mark() {
        // What lets the fast path drop marks one character at a time instead of after NFD's
        // reordering of the whole text.
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            if canonical_combining_class(c) != 0 {
                assert!(is_combining_mark(c), "{c:?} U+{:04X}", c as u32);
            }
        }
    }
}

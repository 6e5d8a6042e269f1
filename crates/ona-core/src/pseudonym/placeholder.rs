//! Values that say "there is no value": blanks, punctuation and the placeholders people type
//! into a required field in the network's seven languages. Such a value has no canonical form
//! and so no pseudonym: were it given one, every woman whose name was left as "-" would become
//! one woman.

use unicode_normalization::UnicodeNormalization;

/// Placeholders after [`key`]: lower case, letters and digits only, one space between words.
/// English, Russian, Kazakh, Kyrgyz, Uzbek (Latin and Cyrillic), Ukrainian, Malay, Turkish.
const PLACEHOLDERS: &[&str] = &[
    // English and generic
    "na",
    "n a",
    "nd",
    "none",
    "null",
    "nil",
    "nan",
    "unknown",
    "not known",
    "not applicable",
    "no name",
    "noname",
    "unnamed",
    "anonymous",
    "anon",
    "no",
    "x",
    "xx",
    "xxx",
    "xxxx",
    // Russian
    "нет",
    "нету",
    "нет данных",
    "неизвестно",
    "неизвестна",
    "не известно",
    "не указано",
    "не указан",
    "нд",
    "н д",
    "аноним",
    "анонимно",
    "без имени",
    "ххх",
    // Ukrainian
    "немає",
    "немає даних",
    "невідомо",
    "невідома",
    "не вказано",
    // Kazakh and Kyrgyz
    "жоқ",
    "белгісіз",
    "belgisiz",
    "jok",
    "joq",
    "жок",
    "белгисиз",
    "көрсетілмеген",
    // Uzbek
    "yoq",
    "йўқ",
    "йук",
    "nomalum",
    "номаълум",
    "номалум",
    // Malay
    "tiada",
    "tidak diketahui",
    "tidak ada",
    "tiada maklumat",
    "tak diketahui",
    "tanpa nama",
    // Turkish
    "yok",
    "bilinmiyor",
    "bilinmeyen",
    "belirtilmemiş",
    "belirtilmemis",
    "isimsiz",
];

/// The longest entry of [`PLACEHOLDERS`] in bytes: a longer key is no placeholder.
const MAX_KEY: usize = 32;

/// `value` in NFKC lower case with everything but letters, digits and spaces removed (so
/// `N/A`, `n.a.` and `yoʻq` meet their entries), words joined by one space, written into `buf`;
/// `None` as soon as it is longer than any placeholder. Allocates nothing: this runs on every
/// value of a column.
fn key(value: &str, buf: &mut [u8; MAX_KEY]) -> Option<usize> {
    // A text that Unicode's quick check finds in NFKC already (all ASCII, most names) is read
    // as it is: the NFKC iterator costs more than the rest of the key.
    if value.is_ascii() || super::canonical_name::nfkc_quick_yes(value) {
        key_of_table(value, buf).unwrap_or_else(|| key_of(value.chars(), buf))
    } else {
        key_of(value.nfkc(), buf)
    }
}

/// What [`key_of`] does with one character, for every character below [`KEY_TABLE_END`] whose
/// lower case is one character: computed once by [`key_step`] itself, so that the table cannot
/// disagree with it. It saves the Unicode look-ups of `to_lowercase` and `is_alphanumeric` on
/// every non-ASCII name of a column (the most expensive part of the canonical name before).
#[derive(Clone, Copy)]
enum KeyStep {
    /// Vanishes without separating (apostrophes, marks, other symbols).
    Vanish,
    /// Separates words.
    Space,
    /// A letter or digit of the key: this (lower-case) character.
    Keep(char),
    /// Lower case of more than one character: the whole text goes through [`key_of`].
    Slow,
}

/// Characters below this are in the key table: Latin, Greek and Cyrillic (as `CharTable`).
const KEY_TABLE_END: u32 = 0x530;

/// [`key_of`]'s decision for one lower-case character.
fn key_step(c: char) -> KeyStep {
    if matches!(c, 'ʻ' | 'ʼ' | 'ʹ' | 'ʽ' | 'ˈ') {
        KeyStep::Vanish
    } else if c.is_alphanumeric() {
        KeyStep::Keep(c)
    } else if c.is_whitespace() || matches!(c, '/' | '-' | '.' | '_') {
        KeyStep::Space
    } else {
        KeyStep::Vanish
    }
}

fn key_table() -> &'static [KeyStep] {
    static TABLE: std::sync::OnceLock<Vec<KeyStep>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..KEY_TABLE_END)
            .map(|u| {
                let Some(c) = char::from_u32(u) else {
                    return KeyStep::Slow;
                };
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => key_step(l),
                    _ => KeyStep::Slow,
                }
            })
            .collect()
    })
}

/// [`key_of`] of the characters of `text` (already in NFKC) by the key table; `None` when a
/// character is not in it (then [`key_of`] decides).
fn key_of_table(text: &str, buf: &mut [u8; MAX_KEY]) -> Option<Option<usize>> {
    let table = key_table();
    let mut len = 0;
    let mut space = false;
    for c in text.chars() {
        match *table.get(c as usize)? {
            KeyStep::Slow => return None,
            KeyStep::Vanish => {}
            KeyStep::Space => space = true,
            KeyStep::Keep(l) => {
                let need = l.len_utf8() + usize::from(space && len > 0);
                if len + need > MAX_KEY {
                    // Longer than any placeholder — unless a later character needs the slow
                    // way, which would not change this: the key only grows.
                    return Some(None);
                }
                if space && len > 0 {
                    buf[len] = b' ';
                    len += 1;
                }
                space = false;
                len += l.encode_utf8(&mut buf[len..]).len();
            }
        }
    }
    Some(Some(len))
}

/// [`key`] of the characters of a text in NFKC.
fn key_of(nfkc: impl Iterator<Item = char>, buf: &mut [u8; MAX_KEY]) -> Option<usize> {
    let mut len = 0;
    let mut space = false;
    for c in nfkc.flat_map(char::to_lowercase) {
        // Modifier letters used as apostrophes (Uzbek yoʻq), apostrophes and other marks
        // vanish without separating (yo'q = yoq).
        match key_step(c) {
            KeyStep::Keep(c) => {
                let need = c.len_utf8() + usize::from(space && len > 0);
                if len + need > MAX_KEY {
                    return None;
                }
                if space && len > 0 {
                    buf[len] = b' ';
                    len += 1;
                }
                space = false;
                len += c.encode_utf8(&mut buf[len..]).len();
            }
            KeyStep::Space => space = true,
            KeyStep::Vanish | KeyStep::Slow => {}
        }
    }
    Some(len)
}

/// Whether `value` carries no identifying content: blank, punctuation only, or a placeholder.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let mut buf = [0u8; MAX_KEY];
    match key(value, &mut buf) {
        None => false,
        Some(0) => true,
        Some(n) => std::str::from_utf8(&buf[..n]).is_ok_and(|k| PLACEHOLDERS.contains(&k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_punctuation_and_placeholders_in_seven_languages() {
        for v in [
            "",
            " ",
            "\t\n",
            "-",
            "--",
            "?",
            "???",
            ".",
            "/",
            "N/A",
            "n/a",
            "NA",
            "n.a.",
            "None",
            "NULL",
            "unknown",
            "Unknown",
            "x",
            "X",
            "XXX",
            "нет",
            "НЕТ",
            "неизвестно",
            "Н/Д",
            "немає",
            "невідомо",
            "жоқ",
            "белгісіз",
            "belgisiz",
            "yok",
            "bilinmiyor",
            "tiada",
            "tidak diketahui",
            "yo'q",
            "yoʻq",
            "Yo‘q",
            "noma'lum",
            "номаълум",
            "жок",
            "Belirtilmemiş",
            "—",
            "…",
            "(?)",
            "«нет»",
            "ｎ／ａ",
        ] {
            assert!(is_placeholder(v), "{v:?}");
        }
    }

    #[test]
    fn the_quick_check_short_cut_gives_the_nfkc_key() {
        let samples = [
            "N/A",
            "ｎ／ａ",
            "Нет",
            "yoʻq",
            "ﬁ",
            "e\u{301}",
            "İ",
            "ǅ",
            "Ⅸ",
            "①",
            "㈠",
            "Ayşe Yılmaz",
            "Сейтказина Динара",
            "\u{1161}",
            "가",
            "xx\u{308}",
            "Dinara Seitkazina Maratovna Long",
        ];
        for v in samples {
            let (mut fast, mut slow) = ([0u8; MAX_KEY], [0u8; MAX_KEY]);
            let a = key(v, &mut fast);
            let b = key_of(v.nfkc(), &mut slow);
            assert_eq!(a, b, "{v:?}");
            let n = a.unwrap_or(0);
            assert_eq!(fast[..n], slow[..n], "{v:?}");
        }
    }

    #[test]
    fn every_placeholder_fits_the_key_buffer() {
        for p in PLACEHOLDERS {
            assert!(p.len() <= MAX_KEY, "{p}");
            assert!(is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn names_and_ids_are_not_placeholders() {
        for v in [
            "Dinara",
            "Нет Ерланова",
            "Ayşe",
            "Yoqub",
            "Nadia",
            "Xenia",
            "880101300020",
            "KZ-578059882",
            "Tiadani",
            "A-17",
            "Dinara Seitkazina Maratovna Longer Than Twenty",
        ] {
            assert!(!is_placeholder(v), "{v:?}");
        }
    }

    /// The key table gives what the character-by-character key gives: every character below
    /// the table's end alone, between letters, doubled, after a space, and at the length where
    /// the key stops (31, 32, 33 bytes), plus mixed-script names.
    #[test]
    fn the_key_table_gives_the_key_of_every_character() {
        let mut texts: Vec<String> = Vec::new();
        for c in (0..KEY_TABLE_END + 8).filter_map(char::from_u32) {
            for t in [
                format!("{c}"),
                format!("a{c}b"),
                format!("{c}{c}"),
                format!("n {c}/a"),
                format!("{}{c}", "x".repeat(30)),
                format!("{}{c}", "x".repeat(31)),
                format!("{} {c}", "ж".repeat(15)),
                format!("{c}{}", "я".repeat(16)),
            ] {
                texts.push(t);
            }
        }
        texts.extend(
            ["Сейтказина Динара", "yoʻq", "YO'Q", "N/A", "İsimsiz", "Ǆ", "  --  ", "Ayşe Yılmaz"]
                .map(String::from),
        );
        let mut answered = 0;
        for t in &texts {
            let (mut fast, mut slow) = ([0u8; MAX_KEY], [0u8; MAX_KEY]);
            let Some(got) = key_of_table(t, &mut fast) else {
                continue;
            };
            let want = key_of(t.chars(), &mut slow);
            assert_eq!(got, want, "{t:?}");
            if let Some(n) = want {
                assert_eq!(fast[..n], slow[..n], "{t:?}");
            }
            answered += usize::from(!t.is_ascii());
        }
        // The table answered for most non-ASCII texts (it is not skipped altogether).
        assert!(answered > 5_000, "{answered}");
    }
}

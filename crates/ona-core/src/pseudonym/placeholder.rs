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
        key_of(value.chars(), buf)
    } else {
        key_of(value.nfkc(), buf)
    }
}

/// [`key`] of the characters of a text in NFKC.
fn key_of(nfkc: impl Iterator<Item = char>, buf: &mut [u8; MAX_KEY]) -> Option<usize> {
    let mut len = 0;
    let mut space = false;
    for c in nfkc.flat_map(char::to_lowercase) {
        if matches!(c, 'ʻ' | 'ʼ' | 'ʹ' | 'ʽ' | 'ˈ') {
            // Modifier letters used as apostrophes (Uzbek yoʻq): vanish like apostrophes.
        } else if c.is_alphanumeric() {
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
        } else if c.is_whitespace() || matches!(c, '/' | '-' | '.' | '_') {
            space = true;
        }
        // Apostrophes and other marks vanish without separating (yo'q = yoq).
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
}

//! Canonical forms: the same woman gets the same pseudonym however her name or ID is written.
//!
//! A canonical name is a *matching skeleton*, not a transliteration to show anyone. The steps, in
//! order (each table is tested with real-world spellings, see the tests and
//! `tests/vectors/pseudonym/`):
//!
//! 1. Unicode NFKC; every form of i — `İ`, `I`, `ı`, `i` — becomes `i`, so Turkish and
//!    non-Turkish case folding agree (`DİNARA` = `Dinara` = `DINARA`); then lower case.
//! 2. Cyrillic letters (Russian, Ukrainian, Kazakh, Kyrgyz, Uzbek) to Latin, close to ICAO Doc 9303
//!    passport spelling: `ж→zh`, `х→kh`, `ц→ts`, `ч→ch`, `ш→sh`, `щ→shch`, `ю→iu`, `я→ia`, `й→i`,
//!    `ы→y`, `ё→io` (as Uzbek and phonetic spellings write it: Бахтиёр = Baxtiyor), soft and hard
//!    signs dropped; `ә→a`, `ө→o`, `ү ұ→u`, `і→i`, `қ→k`, `ғ→g`, `ң→n`,
//!    `һ ҳ→h`, `ў→o`.
//! 3. Diacritics stripped (NFD, marks removed: `ş→s`, `ç→c`, `ğ→g`, `ö→o`, `ü→u`, `ä→a`, `ñ→n`),
//!    `ə→a`; apostrophes and modifier letters (`ʻ ’ ' ‘ \``, as in Uzbek `oʻ gʻ`) removed.
//! 4. Folds that make the scripts' spellings meet: `shch sch sh→s`, `ch→c`, `zh→j`, `kh→h`,
//!    `ts→c`, `q→k`, `w→v`, `y→i`, and `h x→g` (Ukrainian г is h: Богдан = Bohdan; Uzbek х is x); doubled letters collapse (`ss→s`, `ii→i`); then
//!    `ie→e`, and doubles collapse once more.
//! 5. Tokens split on anything that is not a letter or digit; one-letter tokens and name particles
//!    dropped: Malay `bin binti bt bte binte ap al` (`a/p`, `a/l` split into single letters),
//!    Central Asian `qizi kizi kyzy uly ugli ogli`.
//!    Placeholder parts (`-`, `N/A`, `нет`, `yok`…, see `placeholder.rs`) are left out;
//!    patronymics are dropped when two other words are left (see [`canonical_name`]).
//! 6. With name-order independence (the default), tokens are sorted, so `Seitkazina Dinara` =
//!    `Dinara Seitkazina`; without it, their order is kept.
//!
//! National IDs: digits only, checked against the ID type's structure and check digits
//! (`KZ_IIN 880101300020`); an ID that fails its check is not used for linking.

use crate::schema::national_id;
use crate::schema::NationalIdType;
use unicode_normalization::UnicodeNormalization;

pub use super::canonical_name::canonical_name_into;
use super::canonical_name::latin_into;

/// The Latin letters of one lower-case Cyrillic letter (step 2).
pub(super) fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "io",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'ї' | 'й' => "i",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' | 'ў' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' | 'ұ' => "u",
        'ф' => "f",
        'х' | 'һ' | 'ҳ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "iu",
        'я' => "ia",
        'ә' => "a",
        'ғ' => "g",
        _ => return None,
    })
}

/// Name particles (step 5), dropped.
pub(super) const PARTICLES: &[&str] = &[
    "bin", "binti", "bt", "bte", "binte", "ap", "al", "qizi", "kizi", "kyzy", "qyzy", "uly",
    "ugli", "ogli", "oglu",
];

/// Words that say "child of" after the father's name (Kazakh, Kyrgyz, Uzbek, Azerbaijani):
/// `Baxtiyor qizi`, `Marat uly`, `Almazbek kyzy`, `Rustam o'g'li`.
pub(super) const PATRONYMIC_WORDS: &[&str] =
    &["qizi", "kizi", "kyzy", "qyzy", "uly", "uli", "uulu", "ugli", "ogli", "ogly", "oglu"];

/// Endings of a patronymic written as one word, on the Latin form of step 3: Russian and
/// Ukrainian `-овна -евна -івна -ична -ович -евич -йович` (`maratovna`, `oleksandrivna`,
/// `andriiovych`) and Kazakh `-қызы -ұлы` (`maratkyzy`, `nurlanuly`).
pub(super) const PATRONYMIC_ENDINGS: &[&str] = &[
    "ovna", "evna", "ivna", "ichna", "ovich", "evich", "ovych", "evych", "ovic", "evic", "kyzy",
    "qyzy", "kizi", "qizi", "uly", "uulu",
];

/// The canonical form of a name (any number of parts: given, family, …), for matching. Parts
/// that are placeholders (`-`, `N/A`, `нет`…) are left out; the result is empty when nothing
/// identifying is left.
///
/// A patronymic is an optional part: official CIS records carry it, many partner systems drop
/// it. When at least two other words are left, patronymic-shaped words (see
/// `PATRONYMIC_ENDINGS`) and a father's name before `qizi`/`uly`/`kyzy`… are dropped, so
/// `Сейтказина Динара Маратовна` = `Dinara Seitkazina`. With fewer words they are kept: a
/// Kazakh family name such as `Nurlanqyzy` may be the only other word besides the given name.
pub fn canonical_name(parts: &[&str], order_independent: bool) -> String {
    let mut out = String::new();
    canonical_name_into(parts, order_independent, &mut out);
    out
}

/// The canonical form of a national ID: its digits, if it passes its type's checks.
pub fn canonical_id(id_type: NationalIdType, value: &str) -> Option<String> {
    national_id::check(id_type, value).ok()
}

/// The canonical form of a document number (birth certificate): upper-case letters and digits;
/// `None` for a placeholder (`-`, `N/A`, `нет`…) or a value without letters or digits.
pub fn canonical_document(value: &str) -> Option<String> {
    if super::placeholder::is_placeholder(value) {
        return None;
    }
    let mut latin = String::with_capacity(value.len());
    latin_into(value, &mut latin);
    let d: String =
        latin.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
    (!d.is_empty()).then_some(d)
}

/// The canonical form of any other identifier: NFKC, lower case, spaces collapsed; `None` for a
/// placeholder (`-`, `N/A`, `нет`…) or a value without letters or digits.
pub fn canonical_text(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    canonical_text_into(value, &mut out).then_some(out)
}

/// [`canonical_text`] written into `out` (cleared first), without allocating for ASCII input;
/// returns `false` when the value has no canonical form.
pub fn canonical_text_into(value: &str, out: &mut String) -> bool {
    out.clear();
    if super::placeholder::is_placeholder(value) {
        return false;
    }
    if !value.is_ascii() {
        out.push_str(&canonical_text_unicode(value));
        return true;
    }
    // Fast path for the common case (case numbers, codes): NFKC leaves ASCII as it is, so
    // lower-casing and collapsing whitespace in one pass gives the same text.
    for word in value.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    true
}

fn canonical_text_unicode(value: &str) -> String {
    value
        .nfkc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::placeholder::is_placeholder;
    use super::*;

    fn same(variants: &[&str]) {
        let first = canonical_name(&[variants[0]], true);
        for v in variants {
            assert_eq!(canonical_name(&[v], true), first, "{v:?} vs {:?}", variants[0]);
        }
    }

    #[test]
    fn ascii_fast_path_equals_the_unicode_path() {
        let mut samples: Vec<String> = vec![
            "".into(),
            "  ".into(),
            "KZ-000123/2025".into(),
            " Case\t12 \n\x0b\x0c\r Ab ".into(),
            "\x1c\x1dA\x1fB".into(),
        ];
        samples.extend((0u8..128).map(|b| format!("x{}Y{}z", b as char, b as char)));
        for s in &samples {
            let want = Some(canonical_text_unicode(s)).filter(|_| !is_placeholder(s));
            assert_eq!(canonical_text(s), want, "{s:?}");
        }
    }

    #[test]
    fn kazakhstan() {
        same(&[
            "Динара Сейтказина",
            "Dinara Seitkazina",
            "DİNARA SEİTKAZİNA",
            "Seitkazina Dinara",
            "SEITKAZINA  Dinara",
        ]);
        same(&["Жанар Жумабаева", "Zhanar Zhumabaeva", "Janar Jumabaeva", "ZHANAR ZHUMABAEVA"]);
        same(&["Әлия Қасымова", "Aliya Kasymova", "Alia Kasymova", "ӘЛИЯ ҚАСЫМОВА"]);
        same(&["Асель Ахметова", "Assel Akhmetova", "Asel Ahmetova"]);
        same(&["Елена Ержанова", "Yelena Yerzhanova", "Elena Erzhanova"]);
        same(&["Наталья Иванова", "Natalia Ivanova", "Natalya Ivanova"]);
        same(&["Гүлназ Нурланова", "Gulnaz Nurlanova"]);
    }

    #[test]
    fn uzbekistan() {
        same(&[
            "Gʻaniyeva Dilnoza",
            "Ғаниева Дилноза",
            "G'aniyeva Dilnoza",
            "G‘aniyeva Dilnoza",
            "GANIYEVA DILNOZA",
        ]);
        same(&["Oʻrinboyeva Shahnoza", "Ўринбоева Шаҳноза", "O'rinboyeva Shahnoza"]);
        same(&["Xolmatova Oʻgʻiloy", "Холматова Ўғилой", "Kholmatova Ogiloy"]);
        same(&["Rahimova Feruza", "Раҳимова Феруза"]);
    }

    #[test]
    fn kyrgyzstan() {
        same(&["Жылдыз Жээнбекова", "Zhyldyz Zheenbekova", "ZHYLDYZ ZHEENBEKOVA"]);
        same(&["Айжан Абдыкадырова", "Aizhan Abdykadyrova"]);
        same(&["Нургүл Токтогулова", "Nurgul Toktogulova"]);
    }

    #[test]
    fn ukraine() {
        same(&["Юлія Олійник", "Yuliia Oliinyk", "Iuliia Oliinyk", "Юлия Олийник"]);
        same(&["Ірина Ткаченко", "Iryna Tkachenko", "Irina Tkachenko"]);
        same(&["Наталія Мельник", "Nataliia Melnyk"]);
        same(&["Марія Шевченко", "Mariia Shevchenko", "Мария Шевченко"]);
    }

    #[test]
    fn malaysia() {
        same(&[
            "Nur Aisyah binti Ahmad",
            "NUR AISYAH BT AHMAD",
            "Nur Aisyah bte Ahmad",
            "Ahmad Nur Aisyah",
        ]);
        same(&["Kavitha a/p Subramaniam", "Kavitha AP Subramaniam", "Kavitha Subramaniam"]);
        same(&["Tan Mei Ling", "Mei Ling Tan", "TAN MEI LING"]);
        same(&["Siti Nurhaliza binti Ismail", "Siti Nurhaliza Ismail"]);
    }

    #[test]
    fn turkiye() {
        same(&["Ayşe Yılmaz", "Ayse Yilmaz", "AYŞE YILMAZ", "Yılmaz Ayşe"]);
        same(&["Işıl Öztürk", "Isil Ozturk", "IŞIL ÖZTÜRK"]);
        same(&["İrem Kılıç", "Irem Kilic", "İREM KILIÇ"]);
        same(&["Gülşen Şahin", "Gulsen Sahin"]);
    }

    #[test]
    fn different_people_stay_different() {
        let names = [
            "Dinara Seitkazina",
            "Dina Seitkazina",
            "Dinara Seitkazieva",
            "Aigerim Seitkazina",
            "Ayşe Kaya",
        ];
        let forms: std::collections::BTreeSet<String> =
            names.iter().map(|n| canonical_name(&[n], true)).collect();
        assert_eq!(forms.len(), names.len());
        assert_ne!(
            canonical_name(&["Seitkazina Dinara"], false),
            canonical_name(&["Dinara Seitkazina"], false)
        );
    }

    #[test]
    fn patronymics_are_optional() {
        same(&[
            "Сейтказина Динара Маратовна",
            "Dinara Seitkazina",
            "SEITKAZINA DINARA MARATOVNA",
            "Seitkazina Dinara Maratkyzy",
            "Сейтказина Динара Маратқызы",
        ]);
        same(&["Иванова Наталья Сергеевна", "Natalia Ivanova", "Ivanova Natalya Sergeevna"]);
        same(&["Олійник Юлія Олександрівна", "Yuliia Oliinyk", "Oliinyk Yuliia Oleksandrivna"]);
        same(&["Ткаченко Ірина Андріївна", "Iryna Tkachenko"]);
        same(&[
            "Жээнбекова Жылдыз Алмазбековна",
            "Zhyldyz Zheenbekova",
            "Zhyldyz Zheenbekova Almazbek kyzy",
        ]);
        same(&[
            "Gʻaniyeva Dilnoza Baxtiyor qizi",
            "Ғаниева Дилноза Бахтиёр қизи",
            "Dilnoza Ganiyeva",
        ]);
        same(&["Gʻaniyeva Dilnoza Akmalovna", "Dilnoza Gʻaniyeva"]);
        same(&["Мусин Арман Маратұлы", "Arman Musin", "Musin Arman Maratuly"]);
        same(&["Rustam Aliyev Anvar o'g'li", "Rustam Aliyev"]);
        same(&["Кузнецова Анна Ильинична", "Anna Kuznetsova"]);
    }

    #[test]
    fn a_patronymic_shaped_word_stays_when_it_is_all_there_is() {
        // Kazakh family names made from the father's name; a surname ending like a patronymic.
        assert_eq!(canonical_name(&["Айгерім Нұрланқызы"], true), "aigerim nurlankizi");
        assert_eq!(canonical_name(&["Roman Abramovich"], true), "abramovic roman");
        assert_eq!(canonical_name(&["Baxtiyor qizi"], true), "bagtior");
        assert_ne!(
            canonical_name(&["Айгерім Нұрланқызы"], true),
            canonical_name(&["Айгерім"], true)
        );
    }

    #[test]
    fn no_identifying_content_no_canonical_form() {
        for v in [
            "",
            " ",
            "-",
            "?",
            "N/A",
            "нет",
            "немає",
            "yok",
            "tiada",
            "unknown",
            "неизвестно",
            "belgisiz",
            "невідомо",
            "tidak diketahui",
            "bilinmiyor",
            "жоқ",
            "yo'q",
            "x",
            "x y",
            "bin",
            "a/p",
            "binti",
            "qizi",
            "A. B.",
            "...",
            "— —",
        ] {
            assert_eq!(canonical_name(&[v], true), "", "{v:?}");
        }
        // A placeholder part does not hide the rest of the name.
        assert_eq!(canonical_name(&["Dinara", "N/A"], true), "dinara");
        assert_eq!(canonical_name(&["Dinara", "Seitkazina"], true), "dinara seitkazina");
    }

    #[test]
    fn ids_and_documents() {
        assert_eq!(
            canonical_id(NationalIdType::KzIin, "8801 0130-0020").as_deref(),
            Some("880101300020")
        );
        assert_eq!(canonical_id(NationalIdType::KzIin, "880101300021"), None);
        assert_eq!(canonical_document("kz-578 059 882").as_deref(), Some("KZ578059882"));
        assert_eq!(canonical_document("-"), None);
        assert_eq!(canonical_document("N/A"), None);
        assert_eq!(canonical_text(" ? "), None);
        assert_eq!(canonical_text("неизвестно"), None);
    }
}

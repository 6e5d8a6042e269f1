//! The forms a note writer gives the record's names and places: inflected, possessive, with a
//! suffix glued on, in Cyrillic or Latin letters.
//!
//! A word of a note is a form of a record word when, after taking off at most two endings of the
//! lists below (two only when neither is a lone letter) (in the word's own script, lower case, apostrophes and hyphens before the ending
//! dropped), its canonical skeleton ([`canonical_name`]) equals the record word's. Two kinds of
//! endings:
//!
//! - **Added** to the whole word (Kazakh, Uzbek, Turkish, Malay, English): `Динара+ның`,
//!   `Ўғилой+га`, `Dinara'+nın`, `Ghanieva'+s`, `Aruzhan+ning`. Only for record words of three
//!   letters or more, so that a two-letter name does not swallow ordinary words.
//! - **Replacing** the final vowel or soft sign (Russian, Ukrainian): `Ғаниев+ой` for `Ғаниева`,
//!   `Динар+у`, `Асел+и` for `Асель`, `Сейтказін+ою`. The stem left must be three letters or more;
//!   a consonant-final word takes them as well (`Шымкент+е`).
//!
//! The lists are the case, possessive and plural endings a social worker's note uses with a
//! person's or a town's name; they are deliberately short: every ending is a chance for an
//! ordinary word to look like a name.

use crate::pseudonym::canonical::canonical_name;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

/// Russian and Ukrainian endings that replace a name's final vowel (`Динар-ой`, `Марі-єю`).
#[rustfmt::skip]
const SLAVIC: &[&str] = &[
    // Case endings.
    "а", "я", "ы", "и", "і", "ї", "е", "є", "у", "ю", "о", "й", "ой", "ей", "ою", "ею", "ої", "ій",
    "ий", "ью", "єю", "ем", "ом", "ові", "еві", "єві",
    // Possessive adjectives: Динарин ребёнок, Оксанин син, Динариной маме.
    "ин", "ина", "ину", "ины", "иной", "иного", "ином", "иному", "ине", "ино", "иної", "иній",
];

/// Russian case endings typed in Latin letters (SMS transliteration: `Ganievoy`, `Dinaroi`); only
/// those of two letters or more, since `Siti+e` would be "site".
const SLAVIC_LATIN: &[&str] =
    &["oy", "oi", "oj", "ey", "ei", "ej", "oyu", "oju", "oiu", "eyu", "eju"];

/// Kazakh and Uzbek (Cyrillic) endings added to a whole name: genitive, dative, accusative,
/// locative, ablative, instrumental, possessive, plural (`Динара-ның`, `Айгерім-ге`,
/// `Ўғилой-га`, `Динара-дағы`), and Uzbek endearments (`Ўғилой-хон`, `Сардор-жон`).
#[rustfmt::skip]
const TURKIC_CYRILLIC: &[&str] = &[
    // Kazakh.
    "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "ны", "ні", "ды",
    "ді", "ты", "ті", "да", "де", "та", "те", "нда", "нде", "дан", "ден", "тан", "тен", "нан",
    "нен", "мен", "бен", "пен", "сы", "сі", "лар", "лер", "дар", "дер", "тар", "тер", "дағы",
    "дегі", "тағы", "тегі", "нікі",
    // Uzbek.
    "нинг", "ни", "га", "ка", "ники", "даги", "си", "гача", "хон", "жон", "хоним",
];

/// Latin-script endings added to a whole name: Uzbek (`Dinara-ning`, `-ga`, `-ni`), Turkish
/// after the apostrophe (`Dinara'nın`, `Seitkazina'ya`, `Aruzhan'ın`), Kazakh Latin, Malay
/// (`-nya`, `-lah`) and the English possessive (`Ghanieva's`, `Ghanievas'`).
#[rustfmt::skip]
const TURKIC_LATIN: &[&str] = &[
    // Uzbek.
    "ning", "ni", "ga", "ka", "qa", "da", "dan", "lar", "niki", "dagi", "si", "gacha", "ng",
    "xon", "jon", "xonim",
    // Turkish.
    "nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "ya", "ye", "yı", "yi", "yu", "yü", "a",
    "e", "ı", "i", "u", "ü", "de", "ta", "te", "den", "tan", "ten", "la", "le", "yla", "yle",
    "nda", "nde", "ndan", "nden", "na", "ne", "ler", "ları", "leri", "nınki", "ninki", "daki",
    "deki", "taki", "teki", "ki", "yken", "dır", "dir",
    // Kazakh Latin.
    "nyń", "niń", "nyn", "dyń", "din", "ge", "qa", "ke", "ny", "dy", "di", "men", "ben",
    // Malay.
    "nya", "lah", "kah", "pun",
    // English possessive.
    "s",
];

/// Apostrophes and hyphens that may stand between a name and its ending.
const JOINERS: &[char] = &['\'', '’', 'ʼ', '`', '-', '‘'];

/// A word of the record (one part of a name, or of the address) in the forms it is matched by.
#[derive(Debug)]
pub(super) struct RecordWord {
    /// The canonical skeleton of the whole word; also the key that numbers a name.
    pub(super) full: String,
    /// The skeleton without the final vowel or soft sign, when three letters or more are left.
    stem: Option<String>,
}

impl RecordWord {
    /// The record word for one word as written in the record; `None` when it has no skeleton.
    pub(super) fn new(word: &str) -> Option<RecordWord> {
        let full = canonical_name(&[word], false);
        if full.is_empty() || full.contains(' ') {
            return None;
        }
        let lower = word.to_lowercase();
        let stem = lower
            .strip_suffix(['а', 'я', 'е', 'о', 'ь', 'й', 'a', 'e', 'o', 'i', 'y'])
            .map(|s| canonical_name(&[s], false))
            .filter(|s| s.len() >= 3 && !s.contains(' '));
        Some(RecordWord { full, stem })
    }

    /// Whether a word of a note is a form of this one.
    pub(super) fn matches(&self, word: &WordForms) -> bool {
        word.whole == self.full
            || (self.full.len() >= 3 && word.added.contains(&self.full))
            || word.replaced.iter().any(|s| *s == self.full || self.stem.as_ref() == Some(s))
    }
}

/// A word of a note in the skeletons it may be a form of, computed once and compared with every
/// record word.
#[derive(Debug)]
pub(super) struct WordForms {
    /// The skeleton of the whole word.
    whole: String,
    /// Skeletons after taking off one or two added endings.
    added: Vec<String>,
    /// Skeletons after taking off a replacing (Russian, Ukrainian) ending.
    replaced: Vec<String>,
}

impl WordForms {
    /// The forms of one word of a note, lower case, as written. Notes share most of their words
    /// ("the", "и", "bilan"), so each thread keeps the forms of the words it has seen, up to
    /// [`CACHED_WORDS`] of them.
    pub(super) fn of(word: &str) -> Rc<WordForms> {
        CACHE.with_borrow_mut(|cache| {
            if let Some(f) = cache.get(word) {
                return Rc::clone(f);
            }
            if cache.len() >= CACHED_WORDS {
                cache.clear();
            }
            let f = Rc::new(WordForms::compute(word));
            cache.insert(word.to_string(), Rc::clone(&f));
            f
        })
    }

    fn compute(word: &str) -> WordForms {
        let skeleton = |w: &str| canonical_name(&[w], false);
        let cyrillic = word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
        let endings: &[&str] = if cyrillic { TURKIC_CYRILLIC } else { TURKIC_LATIN };
        let mut added = Vec::new();
        for first in strip(word, endings) {
            added.push(skeleton(first));
            // Two endings only when neither is a lone vowel: `Mert+u+a` is Malay `mertua`
            // ("in-law"), not a form of Mert.
            if word.chars().count() - first.chars().count() >= 2 {
                added.extend(
                    strip(first, endings)
                        .filter(|second| first.chars().count() - second.chars().count() >= 2)
                        .map(skeleton),
                );
            }
        }
        let replaced =
            strip(word, if cyrillic { SLAVIC } else { SLAVIC_LATIN }).map(skeleton).collect();
        WordForms { whole: skeleton(word), added, replaced }
    }
}

/// How many words' forms a thread keeps (a few megabytes at most).
const CACHED_WORDS: usize = 16_384;

thread_local! {
    static CACHE: RefCell<HashMap<String, Rc<WordForms>>> = RefCell::new(HashMap::new());
}

/// What is left of `word` after each ending of `endings` it ends with (and any joiner before
/// it), when something is left.
fn strip<'a>(word: &'a str, endings: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    endings.iter().filter_map(move |e| {
        let rest = word.strip_suffix(e)?.trim_end_matches(JOINERS);
        (!rest.is_empty()).then_some(rest)
    })
}

/// Words of an address that name a kind of place, not a place (`ул.`, `көшесі`, `Jalan`,
/// `Mahallesi`): left out of the record's place words, so that a note saying "street" keeps it.
const ADDRESS_KINDS: &[&str] = &[
    "ул",
    "улица",
    "пр",
    "проспект",
    "пер",
    "переулок",
    "мкр",
    "микрорайон",
    "дом",
    "д",
    "кв",
    "квартира",
    "корпус",
    "район",
    "город",
    "г",
    "село",
    "посёлок",
    "пос",
    "область",
    "обл",
    "көше",
    "көшесі",
    "даңғылы",
    "шағын",
    "ауданы",
    "аудан",
    "ауыл",
    "ауылы",
    "үй",
    "пәтер",
    "облысы",
    "қаласы",
    "вулиця",
    "вул",
    "провулок",
    "будинок",
    "буд",
    "місто",
    "селище",
    "кўча",
    "кўчаси",
    "маҳалла",
    "маҳалласи",
    "туман",
    "тумани",
    "уй",
    "хонадон",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "flat",
    "apt",
    "house",
    "district",
    "village",
    "city",
    "jalan",
    "jln",
    "lorong",
    "taman",
    "kampung",
    "kg",
    "lot",
    "no",
    "blok",
    "tingkat",
    "mahalle",
    "mahallesi",
    "mah",
    "sokak",
    "sokağı",
    "sk",
    "cadde",
    "caddesi",
    "cad",
    "bulvar",
    "bulvarı",
    "daire",
    "apartmanı",
    "kat",
    "köyü",
    "mahalla",
    "mahallasi",
    "ko'cha",
    "ko'chasi",
    "koʻchasi",
    "uy",
    "xonadon",
    "tuman",
    "tumani",
    "shahar",
    "shahri",
    "qishloq",
];

/// Whether a word of an address names a kind of place (see [`ADDRESS_KINDS`]).
pub(super) fn is_address_kind(word: &str) -> bool {
    static KINDS: LazyLock<Vec<String>> =
        LazyLock::new(|| ADDRESS_KINDS.iter().map(|k| canonical_name(&[k], false)).collect());
    KINDS.contains(&canonical_name(&[word], false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(record: &str, yes: &[&str], no: &[&str]) {
        let w = RecordWord::new(record).unwrap();
        for f in yes {
            assert!(
                w.matches(&WordForms::of(&f.to_lowercase())),
                "{f} should be a form of {record}"
            );
        }
        for f in no {
            assert!(
                !w.matches(&WordForms::of(&f.to_lowercase())),
                "{f} should not be a form of {record}"
            );
        }
    }

    #[test]
    fn inflected_and_possessive_forms_in_each_language() {
        forms(
            "Ғаниева",
            &["Ғаниевой", "Ганиевой", "Ганиеву", "Ғаниеваның", "Ghanieva's", "Ganieva'ya"],
            &["Ганиевский", "Ghanim"],
        );
        forms("Ўғилой", &["Ўғилойга", "Oʻgʻiloyning", "O'g'iloy'un"], &["Ўғил"]);
        forms("Асель", &["Асели", "Асель", "Асельдің", "Asel'in"], &["Асемгүл"]);
        forms(
            "Сейтказина",
            &["Сейтказіною", "Сейтказиной", "Seitkazinanyń", "Seitkazinoy", "SEITKAZINOI"],
            &["Сейтказ"],
        );
        forms("Aruzhan", &["Аружанға", "Aruzhan'ın", "Aruzhannya", "Аружаннинг"], &["Аруна"]);
        forms("Шымкент", &["Шымкенте", "Шымкентте", "Шымкенттегі", "Şımkent'te"], &["Шым"]);
    }

    #[test]
    fn a_short_name_does_not_swallow_words() {
        // "Ай" (moon) is a Kazakh name; "айда" is "in the month".
        forms("Ай", &["Ай"], &["айда", "айлар"]);
        // Latin Slavic endings are two letters or more: Malay "Siti" does not make "site".
        forms("Siti", &["Sitinya", "Sitoy"], &["site", "situ"]);
        // Two one-letter endings do not chain: Malay "mertua" (in-law) is not Turkish "Mert".
        forms("Mert", &["Mert'in", "Mert'e", "Mertlerin"], &["mertua"]);
    }

    #[test]
    fn possessive_adjectives_and_endearments() {
        forms("Динара", &["Динарин", "Динариной", "Динарина"], &["Динамо"]);
        forms("Оксана", &["Оксанин", "Оксаниного"], &[]);
        forms("Ўғилой", &["Ўғилойхон", "Oʻgʻiloyxon", "Ўғилойхонга"], &[]);
        forms("Сардор", &["Сардоржон", "Sardorjonning"], &[]);
        // A stem of two letters takes no Slavic ending: "Ия" does not make "ие" or "ию" names.
        forms("Ия", &["Ия"], &["ию", "ие"]);
    }

    #[test]
    fn kinds_of_place_are_not_places() {
        for w in ["ул", "көшесі", "Jalan", "Mahallesi", "ko‘chasi", "вулиця"] {
            assert!(is_address_kind(w), "{w}");
        }
        assert!(!is_address_kind("Абая"));
    }
}

//! Words that partners' column headers use for the standard's fields, in the network's
//! languages, each translated to the word the standard's field names use. Used only to guess a
//! mapping (`ona mapping init`), whose every guess a person reviews.

/// Folded header word → the standard's words it stands for.
pub const WORDS: &[(&str, &[&str])] = &[
    // English variants and abbreviations
    ("dob", &["birth", "date"]),
    ("first", &["given"]),
    ("firstname", &["given", "name"]),
    ("surname", &["family", "name"]),
    ("lastname", &["family", "name"]),
    ("last", &["family"]),
    ("middle", &["patronymic"]),
    ("child", &["children"]),
    ("baby", &["children"]),
    ("kid", &["children"]),
    ("service", &["services"]),
    ("risk", &["risk"]),
    ("gender", &["sex"]),
    ("weight", &["weight"]),
    ("uuid", &["id"]),
    ("no", &["id"]),
    ("nomer", &["id"]),
    ("instanceid", &["id"]),
    ("mobile", &["phone"]),
    ("telephone", &["phone"]),
    ("registration", &["intake"]),
    ("occupation", &["employment"]),
    ("disclosure", &["referral", "sharing"]),
    ("tel", &["phone"]),
    ("nationality", &["citizenship"]),
    ("referral", &["referral"]),
    ("aggregate", &["aggregate"]),
    // national IDs
    ("tckn", &["national", "id", "value"]),
    ("tc", &["national", "id"]),
    ("mykad", &["national", "id", "value"]),
    ("rnokpp", &["national", "id", "value"]),
    ("inn", &["national", "id", "value"]),
    ("iin", &["national", "id", "value"]),
    ("pinfl", &["national", "id", "value"]),
    ("passport", &["national", "id", "value"]),
    // Russian / Ukrainian (folded to Latin letters)
    ("data", &["date"]),
    ("rozhdeniya", &["birth"]),
    ("narodzhennya", &["birth"]),
    ("imya", &["given", "name"]),
    ("imia", &["given", "name"]),
    ("familiya", &["family", "name"]),
    ("prizvishche", &["family", "name"]),
    ("otchestvo", &["patronymic"]),
    ("po", &[]),
    // structural words of system exports (CommCare's `form.` paths)
    ("form", &[]),
    ("batkovi", &["patronymic"]),
    ("rebenka", &["children"]),
    ("rebionka", &["children"]),
    ("ditini", &["children"]),
    ("pol", &["sex"]),
    ("stat", &["sex"]),
    ("ves", &["weight"]),
    ("vaga", &["weight"]),
    ("srok", &["gestation", "weeks"]),
    ("nedel", &["weeks"]),
    ("telefon", &["phone"]),
    ("grazhdanstvo", &["citizenship"]),
    ("gromadyanstvo", &["citizenship"]),
    ("postupleniya", &["intake"]),
    ("obrashchenii", &["intake"]),
    ("soglasie", &["consent"]),
    ("zgoda", &["consent"]),
    ("soglasiya", &["consent"]),
    ("uslugi", &["services"]),
    ("peredachu", &["referral", "sharing"]),
    ("otchety", &["aggregate", "reporting"]),
    ("otchiety", &["aggregate", "reporting"]),
    ("invalidnost", &["disability"]),
    ("drugikh", &["other"]),
    ("detei", &["children"]),
    ("zaseleniya", &["stay", "admission"]),
    ("vyseleniya", &["stay", "discharge"]),
    ("prozhivaniya", &["stay"]),
    ("obrazovanie", &["education"]),
    ("zdorove", &["health", "conditions"]),
    ("gde", &["location"]),
    ("rebenok", &["children"]),
    ("rozhdenie", &["birth"]),
    ("zaregistrirovano", &["registered"]),
    ("usluga", &["services"]),
    ("nachala", &["start"]),
    ("okonchaniya", &["end"]),
    ("rebionok", &["children"]),
    // Turkish
    ("tarih", &["date"]),
    ("tarihi", &["date"]),
    ("dogum", &["birth"]),
    ("ad", &["given", "name"]),
    ("adi", &["given", "name"]),
    ("soyad", &["family", "name"]),
    ("soyadi", &["family", "name"]),
    ("cocuk", &["children"]),
    ("cinsiyet", &["sex"]),
    ("kilo", &["weight"]),
    ("onam", &["consent"]),
    ("uyruk", &["citizenship"]),
    // Malay
    ("tarikh", &["date"]),
    ("lahir", &["birth"]),
    ("nama", &["name"]),
    ("anak", &["children"]),
    ("jantina", &["sex"]),
    ("berat", &["weight"]),
    ("persetujuan", &["consent"]),
    ("kewarganegaraan", &["citizenship"]),
    ("ibu", &["mother"]),
    ("keluarga", &["family"]),
    ("perkhidmatan", &["services"]),
];

/// The standard's words a header stands for: its folded words, each also translated.
pub fn header_words(header: &str) -> Vec<String> {
    let folded = super::codematch::fold(&header.replace(['/', '-', '_', '.'], " "));
    let mut out = Vec::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        match WORDS.iter().find(|(k, _)| *k == w) {
            Some((_, to)) => out.extend(to.iter().map(|s| s.to_string())),
            None => out.push(w.to_string()),
        }
    }
    out.sort();
    out.dedup();
    out
}

//! A corpus of hand-written notes in the network's seven languages, each with the identifiers
//! the scrubber must remove. The attacker: a reader of a released note who knows the woman's
//! name, phone or ID and searches for it, in whatever form the note writer used.

use super::scrub::scrub_notes;
use crate::schema::{Case, NationalId, NationalIdType, PersonName};

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

/// (note, what must not survive in it)
const CORPUS: &[(&str, &[&str])] = &[
    // Russian
    ("Динара пришла с ребёнком.", &["Динара"]),
    ("Звонила Динаре Сейтказиной, не ответила.", &["Динаре", "Сейтказиной"]),
    (
        "Сейтказина Динара Болатовна, ИИН 880101300020.",
        &["Сейтказина", "Динара", "Болатовна", "880101300020"],
    ),
    ("Передать вещи Динары в комнату 4.", &["Динары"]),
    ("Тел. +7 701 111 22 33, звонить после 18.", &["701 111 22 33"]),
    ("Телефон 8(701)1112233, мать Динары.", &["1112233", "Динары"]),
    ("Живёт на ул. Абая в Алматы.", &["Абая", "Алматы"]),
    ("Почта dinara.s@mail.kz", &["dinara.s@mail.kz"]),
    ("Документ N12345678 у Сейтказиной.", &["12345678", "Сейтказиной"]),
    ("ИИН８８０１０１３０００２０ записан неверно.", &["８８０１０１３０００２０", "880101300020"]),
    // Kazakh
    ("Динараның баласы ауырып қалды.", &["Динараның"]),
    ("Сейтказинаға хабарласу керек, тел 701/111/2233.", &["Сейтказинаға", "701/111/2233"]),
    ("Аружан дәрігерге барды.", &["Аружан"]),
    ("Алматыда тұрады, Абая көшесі.", &["Алматыда", "Абая"]),
    // Uzbek (Latin and Cyrillic)
    ("Dinaraga qo'ng'iroq qilindi.", &["Dinaraga"]),
    ("Seitkazinaning telefoni +7 701 111 22 33.", &["Seitkazinaning", "701 111 22 33"]),
    ("Динарага ёрдам берилди.", &["Динарага"]),
    ("Aruzhanning onasi Dinara.", &["Aruzhanning", "Dinara"]),
    // Ukrainian
    ("Динару направили до лікаря.", &["Динару"]),
    ("Сейтказіна Динара прийшла о 10:00.", &["Сейтказіна", "Динара"]),
    ("Номер телефону 701-111-22-33.", &["701-111-22-33"]),
    ("Дитина Аружан здорова.", &["Аружан"]),
    // Malay
    ("Dinara datang bersama bayi.", &["Dinara"]),
    ("Hubungi Puan Seitkazina di 701 111 2233.", &["Seitkazina", "701 111 2233"]),
    ("Alamat: Jalan Abaya, Almaty.", &["Abaya", "Almaty"]),
    ("E-mel dinara.s@mail.kz, IC 880101-30-0020.", &["dinara.s@mail.kz", "880101-30-0020"]),
    // Turkish
    ("Dinara'nın bebeği hastaneye götürüldü.", &["Dinara'nın", "Dinara"]),
    ("Seitkazina'ya ulaşılamadı.", &["Seitkazina'ya", "Seitkazina"]),
    (
        "Dinara Hanım ile görüşüldü, telefon ０７０１ １１１ ２２ ３３.",
        &["Dinara", "０７０１", "111 22 33"],
    ),
    ("Aruzhan'ın aşıları yapıldı.", &["Aruzhan'ın"]),
    // English
    ("Dinara's baby was seen by the nurse.", &["Dinara's", "Dinara"]),
    ("Called SEITKAZINA, no answer; try 701.111.22.33.", &["SEITKAZINA", "701.111.22.33"]),
    ("Passport N12345678 kept in the safe.", &["N12345678", "12345678"]),
    ("Seitkazina's flat on Abaya street, Almaty.", &["Seitkazina's", "Abaya", "Almaty"]),
    ("IIN 8801 0130 0020 checked.", &["8801 0130 0020"]),
];

#[test]
fn the_corpus_loses_every_identifier() {
    let c = case();
    let mut caught = 0;
    let mut missed = Vec::new();
    let total: usize = CORPUS.iter().map(|(_, ids)| ids.len()).sum();
    for (note, ids) in CORPUS {
        let out = scrub_notes(note, &c);
        for id in *ids {
            if out.contains(id) {
                missed.push(format!("{id:?} in {out:?}"));
            } else {
                caught += 1;
            }
        }
    }
    assert!(missed.is_empty(), "{caught} of {total} caught; missed:\n{}", missed.join("\n"));
    assert!(total >= 60, "{total}");
}

#[test]
fn ordinary_words_survive() {
    let c = case();
    for note in [
        "Came with the baby, room 12, follow-up in March.",
        "Ребёнок здоров, комната 4.",
        "Bayi sihat. Bilik 12.",
    ] {
        assert_eq!(scrub_notes(note, &c), note);
    }
}

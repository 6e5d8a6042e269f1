//! The column loop gives every value what `pseudonym_of` gives it, however the column is cut
//! into parts and whatever the name cache does (kept, cleared, switched off).

use super::column::ColumnValues;
use super::{IdentifierKind, MasterKey, Policy, Pseudonymiser};
use crate::schema::NationalIdType;

fn ps() -> Pseudonymiser {
    let master = MasterKey::from_bytes(&[7; 32], 1).unwrap();
    Pseudonymiser::new(&master, "kz/column-test", Policy::default()).unwrap()
}

/// Names in every script, their spelling variants, placeholders, particles only, blanks,
/// national IDs valid and not, document numbers — each several times, with nulls between.
fn mixed_column() -> Vec<Option<String>> {
    let base = [
        "Сейтказина Динара Маратовна",
        "Dinara Seitkazina",
        "SEITKAZINA Dinara",
        "Ғаниева Ўғилой",
        "Oʻgʻiloy Gʻaniyeva",
        "Коваленко Олена Андріївна",
        "Siti Aminah binti Abdullah",
        "Ayşe Yılmaz",
        "Ｄｉｎａｒａ　Ｓｅｉｔｋａｚｉｎａ",
        "-",
        "N/A",
        "нет",
        "yok",
        "bin",
        "",
        "   ",
        "x y",
        "880101300020",
        "880101300021",
        "000000000000",
        "I-АЛ 123456",
        "KZ-123456789",
        "e\u{301}lodie Mu\u{308}ller",
    ];
    let mut out = Vec::new();
    for round in 0..7 {
        for (i, v) in base.iter().enumerate() {
            if (i + round) % 5 == 0 {
                out.push(None);
            }
            out.push(Some((*v).to_string()));
            if round % 3 == 1 {
                // A value seen once only: distinct names between the repeats.
                out.push(Some(format!("{v} Nurlanova{round}x{i}")));
            }
        }
    }
    out
}

const KINDS: [IdentifierKind; 4] = [
    IdentifierKind::Name,
    IdentifierKind::Text,
    IdentifierKind::Document,
    IdentifierKind::NationalId(NationalIdType::KzIin),
];

#[test]
fn every_part_count_and_cache_bound_gives_pseudonym_of_for_each_value() {
    let p = ps();
    let column = mixed_column();
    let values: &[Option<String>] = &column;
    for kind in KINDS {
        let want: Vec<Option<String>> = column
            .iter()
            .map(|v| v.as_deref().and_then(|v| p.pseudonym_of(kind, v)).map(|p| p.to_string()))
            .collect();
        let nulled: Vec<usize> =
            (0..column.len()).filter(|&i| column[i].is_some() && want[i].is_none()).collect();
        assert!(!nulled.is_empty() && want.iter().any(Option::is_some), "{kind:?}");
        // Cache bounds: large (kept), 3 (cleared again and again, or switched off when the
        // first names seen do not repeat).
        for (parts, cache) in [(1, 1 << 18), (2, 1 << 18), (3, 3), (7, 3), (200, 2), (1, 1)] {
            let got = p.column_in_parts(kind, values, parts, cache);
            assert_eq!(got.len(), column.len());
            for (i, w) in want.iter().enumerate() {
                assert_eq!(got.get(i), w.as_deref(), "{kind:?} {parts} parts, value {i}");
                assert_eq!(got.is_present(i), w.is_some());
            }
            assert_eq!(got.nulled(), nulled.len(), "{kind:?} {parts}");
            assert_eq!(got.first_nulled(), nulled.first().copied(), "{kind:?} {parts}");
        }
    }
}

#[test]
fn a_column_of_distinct_names_switches_the_cache_off_and_stays_right() {
    let p = ps();
    let names: Vec<String> =
        (0..400).map(|i| format!("Aigerim{} Nurlanova{}", i * 7 % 400, i)).collect();
    let got = p.column_in_parts(IdentifierKind::Name, names.as_slice(), 2, 16);
    for (i, v) in names.iter().enumerate() {
        let want = p.pseudonym_of(IdentifierKind::Name, v).map(|p| p.to_string());
        assert_eq!(got.get(i), want.as_deref(), "{v}");
    }
}

#[test]
fn the_public_column_call_is_cut_over_the_cores_and_gives_the_same() {
    // Large enough for several parts with the feature `parallel`.
    let column: Vec<Option<String>> = mixed_column().into_iter().cycle().take(9_000).collect();
    let p = ps();
    let got = p.pseudonymise_column(IdentifierKind::Name, column.as_slice());
    let serial = p.column_in_parts(IdentifierKind::Name, column.as_slice(), 1, 1 << 18);
    assert_eq!(got, serial);
    for (i, v) in column.iter().enumerate().step_by(97) {
        let want = v.as_deref().and_then(|v| p.pseudonym_of(IdentifierKind::Name, v));
        assert_eq!(got.get(i), want.as_ref().map(|w| w.as_str()), "{v:?}");
    }
    let refs: Vec<&str> = column.iter().flatten().map(String::as_str).collect();
    let strs: Vec<String> = refs.iter().map(|s| s.to_string()).collect();
    let a = p.pseudonymise_column(IdentifierKind::Text, refs.as_slice());
    let b = p.pseudonymise_column(IdentifierKind::Text, strs.as_slice());
    assert_eq!(a, b);
    assert_eq!(ColumnValues::len(refs.as_slice()), a.len());
    let (text, present) = a.into_parts();
    assert_eq!((text.len(), present.len()), (refs.len() * super::PSEUDONYM_LEN, refs.len()));
    let empty: &[&str] = &[];
    assert!(p.pseudonymise_column(IdentifierKind::Name, empty).is_empty());
}

/// The attacker: someone who writes a partner's export and knows our code. With a fixed hash
/// function (std's `DefaultHasher::new()`, `BuildHasherDefault<…>`) she could compute, offline,
/// thousands of names that land in one bucket and make every look-up of the column a scan.
/// The cache's hasher is keyed at random per cache: the same name hashes differently in two
/// caches, so no offline list of colliding names exists.
#[test]
fn the_name_cache_hashes_with_keys_nobody_can_know_in_advance() {
    let names = ["Dinara Seitkazina", "Ғаниева Ўғилой", "a", ""];
    let caches: Vec<super::column::CacheHasher> =
        (0..4).map(|_| super::column::CacheHasher::new()).collect();
    for name in names {
        let hashes: std::collections::HashSet<u64> =
            caches.iter().map(|c| c.hash_one(name)).collect();
        assert_eq!(hashes.len(), caches.len(), "{name:?} hashed alike by two caches");
    }
}

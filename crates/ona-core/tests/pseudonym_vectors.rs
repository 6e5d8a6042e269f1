//! The shared pseudonym test vectors (`tests/vectors/pseudonym/*.json`), which every binding runs:
//! canonical forms and pseudonyms must be byte-identical in every language.
//! Regenerate after a deliberate change: `ONA_REGEN_VECTORS=1 cargo test -p ona-core --test pseudonym_vectors`.

use ona_core::pseudonym::{IdentifierKind, MasterKey, Policy, Pseudonymiser};
use ona_core::schema::NationalIdType;
use serde_json::{json, Value};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/pseudonym")
}

fn kind(s: &str) -> IdentifierKind {
    match s {
        "name" => IdentifierKind::Name,
        "document" => IdentifierKind::Document,
        "text" => IdentifierKind::Text,
        other => {
            let t = other.strip_prefix("national_id:").expect("known kind");
            IdentifierKind::NationalId(t.parse::<NationalIdType>().expect("id type"))
        }
    }
}

/// (country, kind, inputs that must share one pseudonym)
const GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "KZ",
        "name",
        &["Динара Сейтказина", "Dinara Seitkazina", "DİNARA SEİTKAZİNA", "Seitkazina Dinara"],
    ),
    ("KZ", "name", &["Жанар Жумабаева", "Zhanar Zhumabaeva", "Janar Jumabaeva"]),
    ("KZ", "name", &["Әлия Қасымова", "Aliya Kasymova", "ӘЛИЯ ҚАСЫМОВА"]),
    ("KZ", "national_id:KZ_IIN", &["880101300020", "8801 0130 0020", "880101-300020"]),
    ("UZ", "name", &["Gʻaniyeva Dilnoza", "Ғаниева Дилноза", "G'aniyeva Dilnoza"]),
    ("UZ", "name", &["Oʻrinboyeva Shahnoza", "Ўринбоева Шаҳноза"]),
    ("UZ", "national_id:UZ_PINFL", &["31503901234562", "3150390 1234562"]),
    ("KG", "name", &["Жылдыз Жээнбекова", "Zhyldyz Zheenbekova"]),
    ("KG", "name", &["Айжан Абдыкадырова", "Aizhan Abdykadyrova"]),
    ("UA", "name", &["Юлія Олійник", "Yuliia Oliinyk", "Iuliia Oliinyk"]),
    ("UA", "name", &["Ірина Ткаченко", "Iryna Tkachenko"]),
    ("UA", "national_id:UA_RNOKPP", &["3005607770", "30056-07770"]),
    ("MY", "name", &["Nur Aisyah binti Ahmad", "NUR AISYAH BT AHMAD", "Nur Aisyah bte Ahmad"]),
    ("MY", "name", &["Kavitha a/p Subramaniam", "Kavitha AP Subramaniam"]),
    ("MY", "name", &["Tan Mei Ling", "Mei Ling Tan"]),
    ("MY", "national_id:MY_MYKAD", &["900101-14-5678", "900101145678"]),
    ("TR", "name", &["Ayşe Yılmaz", "Ayse Yilmaz", "AYŞE YILMAZ"]),
    ("TR", "name", &["Işıl Öztürk", "Isil Ozturk"]),
    ("TR", "national_id:TR_TCKN", &["28461937550", "284 619 375 50"]),
    ("KZ", "document", &["KZ-578059882", "kz 578 059 882"]),
    ("KZ", "text", &["  Case Ref  A-17 ", "case ref a-17"]),
    // Patronymics are optional parts of a name (Cyrillic and Latin).
    (
        "KZ",
        "name",
        &[
            "Сейтказина Динара Маратовна",
            "SEITKAZINA DINARA MARATOVNA",
            "Сейтказина Динара Маратқызы",
        ],
    ),
    ("RU", "name", &["Иванова Наталья Сергеевна", "Ivanova Natalya Sergeevna", "Наталья Иванова"]),
    ("UA", "name", &["Олійник Юлія Олександрівна", "Oliinyk Yuliia Oleksandrivna"]),
    ("KG", "name", &["Жээнбекова Жылдыз Алмазбековна", "Zhyldyz Zheenbekova Almazbek kyzy"]),
    (
        "UZ",
        "name",
        &["Gʻaniyeva Dilnoza Baxtiyor qizi", "Ғаниева Дилноза Бахтиёр қизи", "Ganiyeva Dilnoza"],
    ),
];

/// Inputs with no canonical form, hence no pseudonym: (kind, inputs).
const NO_FORM: &[(&str, &[&str])] = &[
    (
        "name",
        &[
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
            "noma'lum",
            "x",
            "x y",
            "bin",
            "binti",
            "a/p",
            "...",
            "—",
        ],
    ),
    ("text", &["", "  ", "-", "?", "N/A", "нет", "unknown", "tiada", "yok"]),
    ("document", &["", "-", "N/A", "нет", "—"]),
    ("national_id:KZ_IIN", &["000000000000", "123456789012", "880101300021"]),
    ("national_id:UA_RNOKPP", &["0000000000", "1234567890"]),
    ("national_id:TR_TCKN", &["11111111110", "10000000146"]),
];

const DOMAINS: &[&str] = &["kz/case-management", "regional-report-2026"];
const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn generate() -> Value {
    let master = MasterKey::from_key_file(&format!("ona-pseudonym-key-v1 1 {KEY_HEX}")).unwrap();
    let mut vectors = Vec::new();
    for domain in DOMAINS {
        let p = Pseudonymiser::new(&master, domain, Policy::default()).unwrap();
        for (country, k, inputs) in GROUPS {
            for input in *inputs {
                let canonical = p.canonical(kind(k), input).unwrap();
                let pseudonym = p.pseudonym_of(kind(k), input).unwrap();
                vectors.push(json!({
                    "country": country, "domain": domain, "kind": k, "input": input,
                    "canonical": canonical, "pseudonym": pseudonym.as_str(),
                }));
            }
        }
    }
    // Blanks, placeholders, particles and invalid or placeholder IDs: no canonical form, no
    // pseudonym, in every binding.
    for (k, inputs) in NO_FORM {
        for input in *inputs {
            vectors.push(json!({"country": "", "domain": DOMAINS[0], "kind": k,
                "input": input, "canonical": null, "pseudonym": null}));
        }
    }
    json!({
        "description": "ona keyed pseudonyms. master_key is an `ona pseudonym-key` file line; for each vector, canonical(kind, input) must equal `canonical` and pseudonym(domain, kind, input) must equal `pseudonym` (null: the input has no canonical form). Name-order independence is on (the default policy).",
        "master_key": format!("ona-pseudonym-key-v1 1 {KEY_HEX}"),
        "name_order_independent": true,
        "vectors": vectors,
    })
}

#[test]
fn shared_vectors_pass() {
    let path = dir().join("pseudonyms.json");
    if std::env::var_os("ONA_REGEN_VECTORS").is_some() {
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&generate()).unwrap() + "\n").unwrap();
    }
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let master = MasterKey::from_key_file(file["master_key"].as_str().unwrap()).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 150, "{}", vectors.len());
    let nulls = vectors.iter().filter(|v| v["pseudonym"].is_null()).count();
    assert!(nulls >= 40, "{nulls} vectors without a pseudonym");
    for v in vectors {
        let p =
            Pseudonymiser::new(&master, v["domain"].as_str().unwrap(), Policy::default()).unwrap();
        let (k, input) = (kind(v["kind"].as_str().unwrap()), v["input"].as_str().unwrap());
        assert_eq!(p.canonical(k, input).as_deref(), v["canonical"].as_str(), "{v}");
        assert_eq!(
            p.pseudonym_of(k, input).as_ref().map(|x| x.as_str()),
            v["pseudonym"].as_str(),
            "{v}"
        );
    }
    // The properties the vectors stand for: one pseudonym per group and domain; domains differ.
    for domain in DOMAINS {
        for (_, k, inputs) in GROUPS {
            let ps: std::collections::BTreeSet<&str> = vectors
                .iter()
                .filter(|v| {
                    v["domain"] == *domain
                        && v["kind"] == *k
                        && inputs.contains(&v["input"].as_str().unwrap())
                })
                .map(|v| v["pseudonym"].as_str().unwrap())
                .collect();
            assert_eq!(ps.len(), 1, "{domain} {inputs:?}");
        }
    }
    let first = |d: &str| vectors.iter().find(|v| v["domain"] == d).unwrap()["pseudonym"].clone();
    assert_ne!(first(DOMAINS[0]), first(DOMAINS[1]));
}

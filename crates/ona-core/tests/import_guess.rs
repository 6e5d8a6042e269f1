//! `ona mapping init`'s guesses, measured on each fixture export against the mapping shipped
//! for it: the share of the shipped mapping's columns guessed to the same field must be at
//! least 80 %.

use ona_core::import::{dhis2_labels, guess_source, skeleton_labelled, Export, Mapping, REVIEW};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// (right, total) for one fixture, with the misses listed; `labels` names a DHIS2 export's
/// UIDs; `check_joins` requires each repeat's parent key and list to be guessed right.
fn accuracy(
    export_name: &str,
    mapping_name: &str,
    labels: &BTreeMap<String, String>,
    check_joins: bool,
) -> (usize, usize, Vec<String>) {
    let path = root().join("tests/fixtures/import").join(export_name);
    let bytes = std::fs::read(&path).unwrap();
    let options = guess_source(&path, &bytes);
    let shipped = Mapping::from_path(&root().join("examples/mappings").join(mapping_name)).unwrap();
    assert_eq!(options.format, shipped.source.format, "{export_name}: format");
    assert_eq!(options.encoding, shipped.source.encoding, "{export_name}: encoding");
    assert_eq!(options.delimiter, shipped.source.delimiter, "{export_name}: delimiter");
    let export = Export::read(&path, &options).unwrap();
    let (text, guessed) = skeleton_labelled(export_name, &export, &options, labels);
    // The skeleton is a mapping this build reads, every guess marked for review.
    let parsed = Mapping::from_toml(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.tables.len(), shipped.tables.len(), "{export_name}: tables\n{text}");
    for line in text.lines().filter(|l| l.contains(" = ") && l.starts_with('"')) {
        if !line.starts_with("\"/") {
            assert!(line.contains(REVIEW), "unmarked guess: {line}");
        }
    }
    let (mut right, mut total, mut misses) = (0, 0, Vec::new());
    for t in &shipped.tables {
        let sheet = t.sheet.clone().unwrap_or_else(|| export.tables[0].name.clone());
        let g = guessed
            .iter()
            .find(|g| export.table(&sheet).is_some_and(|x| x.name == g.sheet))
            .unwrap_or_else(|| panic!("{export_name}: no guess for sheet {sheet}"));
        if let (Some(pk), true) = (&t.parent_key, check_joins) {
            assert_eq!(g.parent.as_ref().map(|p| &p.0), Some(pk), "{sheet}: parent key");
            assert_eq!(g.parent.as_ref().map(|p| &p.1), t.into.as_ref(), "{sheet}: into");
        }
        for (column, rule) in &t.columns {
            let want = rule.spec();
            total += 1;
            let got = g.columns.iter().find(|c| &c.column == column);
            match got {
                Some(c) if c.to == want.to && c.choice == want.choice => right += 1,
                other => misses.push(format!(
                    "{sheet} {column:?}: want {}, got {:?}",
                    want.to,
                    other.map(|c| &c.to)
                )),
            }
        }
    }
    (right, total, misses)
}

#[test]
fn mapping_init_guesses_at_least_80_percent_of_each_fixture() {
    for (export, mapping) in [
        ("kobo-tr.xlsx", "kobo-tr.toml"),
        ("odk-my.zip", "odk-my.toml"),
        ("primero-uz.xlsx", "primero-uz.toml"),
        ("excel-ua.csv", "excel-ua.toml"),
        ("commcare-my.xlsx", "commcare-my.toml"),
    ] {
        let (right, total, misses) = accuracy(export, mapping, &BTreeMap::new(), true);
        println!("{export}: {right}/{total} columns guessed right; misses: {misses:#?}");
        assert!(right * 100 >= total * 80, "{export}: {right}/{total}: {misses:#?}");
    }
}

/// DHIS2 names its columns by UID: the guesses read the names from the program's metadata
/// (and the attributes' displayName in the export). Without the metadata, only the attributes
/// and the columns whose values are codes of a codelist can be guessed.
#[test]
fn mapping_init_on_dhis2_reads_the_uids_names_from_the_metadata() {
    let dir = root().join("tests/fixtures/import");
    let export = std::fs::read(dir.join("dhis2-kz.json")).unwrap();
    let meta = std::fs::read(dir.join("dhis2-kz.metadata.json")).unwrap();
    let labels = dhis2_labels(&export, Some(&meta)).unwrap();
    let (right, total, misses) = accuracy("dhis2-kz.json", "dhis2-kz.toml", &labels, true);
    println!("dhis2-kz.json with metadata: {right}/{total}; misses: {misses:#?}");
    assert!(right * 100 >= total * 80, "{right}/{total}: {misses:#?}");
    let bare = dhis2_labels(&export, None).unwrap();
    let (without, _, _) = accuracy("dhis2-kz.json", "dhis2-kz.toml", &bare, false);
    println!("dhis2-kz.json without metadata: {without}/{total}");
    assert!(without < right, "the metadata's names are what the guesses need");
}

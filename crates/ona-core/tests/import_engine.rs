//! The import engine on small in-memory exports: joins, keys, and the rows a careless or
//! malicious export could slip through (duplicate keys, missing keys, orphans, unknown fields).

use ona_core::import::{
    import_export, import_export_each, Cell, Export, ImportError, Mapping, Table,
};
use ona_core::schema::Lang;

fn t(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

fn table(name: &str, headers: &[&str], rows: &[&[&str]]) -> Table {
    Table {
        name: name.into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().map(|r| r.iter().map(|c| t(c)).collect()).collect(),
    }
}

const MAPPING: &str = r#"
ona_mapping = 1
[source]
format = "xlsx"
date_formats = ["DD.MM.YYYY"]
[constants]
"/schema_version" = "1.0"
"/centre/id" = "ua-kyiv-01"
"/centre/organisation/id" = "dim-materi"
"/centre/organisation/name" = "Дім матері"
"/centre/country" = "UA"
"/centre/admin1" = "UA-30"
"/centre/settlement" = "Київ"
"/centre/operator_type" = "ngo"
"/consent/services" = true
"/consent/referral_sharing" = false
"/consent/aggregate_reporting" = true
[defaults]
"/status" = "open"
"/relinquishment_intent" = "unknown"
"/mother/residence_status" = "unknown"
"/mother/employment" = "unknown"
"/mother/marital_status" = "unknown"
[[tables]]
name = "main"
sheet = "main"
key = "k"
[tables.columns]
"id" = "/id"
"date" = "/intake_date"
"consent" = "/consent/date"
"from" = "/referral_source"
"point" = "/intake_point"
"name" = "/mother/name/given"
"status" = "/status"
[[tables]]
name = "kids"
sheet = "kids"
parent = "main"
parent_key = "pk"
into = "/children"
[tables.columns]
"sex" = "/sex"
"where" = "/location_at_intake"
"#;

fn export(main_rows: &[&[&str]], kid_rows: &[&[&str]]) -> Export {
    Export {
        tables: vec![
            table(
                "main",
                &["k", "id", "date", "consent", "from", "point", "name", "status"],
                main_rows,
            ),
            table("kids", &["pk", "sex", "where"], kid_rows),
        ],
    }
}

#[test]
fn repeats_join_their_parent_and_defaults_fill_the_gaps() {
    let m = Mapping::from_toml(MAPPING).unwrap();
    let e = export(
        &[
            &["1", "a", "07.03.2024", "07.03.2024", "Роддом", "Pregnant", "Олена", ""],
            &["2", "b", "08.03.2024", "08.03.2024", "police", "pregnant", "Ayşe", "closed"],
        ],
        &[
            &["2", "F", "with_mother"],
            &["1", "female", "Not yet born"],
            &["1", "Жіноча", "not_yet_born"],
        ],
    );
    let out = import_export(&m, &e).unwrap();
    // Case b is closed without a closure reason (a field no column maps): rejected, traced to
    // its row.
    assert_eq!(out.cases.len(), 1);
    let (at, case) = &out.cases[0];
    assert_eq!((at.sheet.as_str(), at.row), ("main", 2));
    assert_eq!(case.children.len(), 2, "both of case a's children, in sheet order");
    assert_eq!(case.status.to_string(), "open", "default");
    let [r] = &out.rejects[..] else { panic!("{:?}", out.rejects) };
    let codes: Vec<(&str, Option<&str>, usize)> =
        r.problems.iter().map(|p| (p.code(), p.column.as_deref(), p.row)).collect();
    assert!(codes.contains(&("unmapped_value", Some("sex"), 2)), "{codes:?}: kids row 2 holds F");
    assert!(codes.contains(&("missing_closure_reason", None, 3)), "{codes:?}");
}

#[test]
fn a_duplicated_key_is_rejected_and_its_repeats_go_to_the_first_row() {
    let m = Mapping::from_toml(MAPPING).unwrap();
    let e = export(
        &[
            &["1", "a", "07.03.2024", "07.03.2024", "police", "pregnant", "A", ""],
            &["1", "b", "07.03.2024", "07.03.2024", "police", "pregnant", "B", ""],
        ],
        &[&["1", "female", "with_mother"]],
    );
    let out = import_export(&m, &e).unwrap();
    assert_eq!(out.cases.len(), 1);
    assert_eq!(out.cases[0].1.id, "a");
    let r = &out.rejects[0];
    assert_eq!(r.id.as_deref(), Some("b"));
    let dup = r.problems.iter().find(|p| p.code() == "duplicate_key").unwrap();
    assert_eq!((dup.row, dup.column.as_deref()), (3, Some("k")));
    assert!(dup.message(Lang::Uk).contains("рядку 2"), "{}", dup.message(Lang::Uk));
}

#[test]
fn a_parent_without_a_key_and_an_orphan_are_both_reported() {
    let m = Mapping::from_toml(MAPPING).unwrap();
    let e = export(
        &[&["", "a", "07.03.2024", "07.03.2024", "police", "pregnant", "A", ""]],
        &[&["", "female", "with_mother"]],
    );
    let out = import_export(&m, &e).unwrap();
    assert!(out.cases.is_empty());
    let all: Vec<&str> =
        out.rejects.iter().flat_map(|r| r.problems.iter().map(|p| p.code())).collect();
    assert!(all.contains(&"missing_key") && all.contains(&"orphan_row"), "{all:?}");
    // The case has no child: reported once, as the validator's problem on the case row.
    assert_eq!(out.rejects.len(), 2, "the case and the orphan child row");
}

#[test]
fn mappings_that_do_not_fit_fail_before_any_row() {
    let bad_field = MAPPING.replace("\"/mother/name/given\"", "\"/mother/nickname\"");
    let m = Mapping::from_toml(&bad_field).unwrap();
    let e = export(&[], &[]);
    assert!(
        matches!(import_export(&m, &e), Err(ImportError::Mapping(s)) if s.contains("/mother/nickname"))
    );
    let missing_column = MAPPING.replace("\"where\" =", "\"wo\" =");
    let m = Mapping::from_toml(&missing_column).unwrap();
    assert!(matches!(import_export(&m, &e), Err(ImportError::Mismatch(s)) if s.contains("\"wo\"")));
    let typo = MAPPING.replace("parent_key", "parent_kye");
    assert!(Mapping::from_toml(&typo).is_err(), "unknown keys are refused");
    let future = MAPPING.replace("ona_mapping = 1", "ona_mapping = 2");
    assert!(Mapping::from_toml(&future).unwrap_err().to_string().contains("version 1"));
}

/// `ona import` writes cases as they are made: the streaming entry point must hand on exactly
/// what the collecting one returns, in export order, across batch boundaries (9,000 rows are
/// three batches), with each repeat row joined to its own case, and an orphan
/// after the cases.
#[test]
fn cases_handed_on_as_made_equal_the_collected_ones_in_order() {
    let n = 9_000;
    let keys: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
    let ids: Vec<String> = (0..n).map(|i| format!("case-{i}")).collect();
    let names: Vec<String> = (0..n).map(|i| format!("Оксана {i}")).collect();
    let rows: Vec<Vec<&str>> = (0..n)
        .map(|i| {
            // Every 1000th row lacks its intake point: a reject in the middle of a batch.
            let point = if i % 1000 == 999 { "" } else { "pregnant" };
            vec![&*keys[i], &*ids[i], "01.02.2024", "01.02.2024", "self", point, &*names[i], ""]
        })
        .collect();
    let main: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    // One child each (the standard wants one), the child of k8500 a girl, and an orphan.
    let mut kid_rows: Vec<Vec<&str>> = (0..n)
        .map(|i| vec![&*keys[i], if i == 8500 { "female" } else { "male" }, "with_mother"])
        .collect();
    kid_rows.push(vec!["k-gone", "male", "with_mother"]);
    let kids: Vec<&[&str]> = kid_rows.iter().map(Vec::as_slice).collect();
    let ex = export(&main, &kids);
    let m = Mapping::from_toml(MAPPING).unwrap();
    let collected = import_export(&m, &ex).unwrap();
    let mut handed = Vec::new();
    let done = import_export_each(&m, &ex, |r| {
        handed.push(r);
        Ok::<(), ()>(())
    })
    .unwrap();
    assert!(done.is_ok());
    let cases: Vec<_> = handed.iter().filter_map(|r| r.as_ref().ok()).cloned().collect();
    let rejects: Vec<_> = handed.iter().filter_map(|r| r.as_ref().err()).cloned().collect();
    assert_eq!(cases.len(), n - 9);
    assert_eq!(cases.len(), collected.cases.len());
    assert!(cases.iter().zip(&collected.cases).all(|(a, b)| a.0 == b.0 && a.1 == b.1));
    assert!(cases.windows(2).all(|w| w[0].0.row < w[1].0.row), "export order");
    assert_eq!(rejects, collected.rejects);
    assert_eq!(rejects.len(), 10, "9 rows without intake point, 1 orphan");
    assert_eq!(rejects.last().unwrap().at.sheet, "kids", "the orphan comes after the cases");
    let girls: Vec<usize> = cases
        .iter()
        .filter(|(_, c)| c.children.iter().any(|k| k.sex.to_string() == "female"))
        .map(|(at, _)| at.row)
        .collect();
    assert_eq!(girls, [8502], "the repeat joined its own case in the last batch");

    // An error of the receiver (a full disk) stops the import at once.
    let mut calls = 0;
    let stopped = import_export_each(&m, &ex, |_| {
        calls += 1;
        Err("disk full")
    })
    .unwrap();
    assert_eq!((stopped, calls), (Err("disk full"), 1));
}

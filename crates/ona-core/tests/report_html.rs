//! The HTML page of reports built from synthetic cases: centres under their country, names and
//! numbers in the reader's language, the date produced and the disclosure rule in plain words.

mod common;

use ona_core::report::{build_report, Dimension, Indicator, ReportSpec, TOTAL};
use ona_core::schema::{Date, Lang};

fn spec(by: &[Dimension], k: u64) -> ReportSpec {
    // The single-relation rule: these tests are about rendering, and certified suppression on
    // centre-level breakdowns takes minutes in a debug build (report_certified.rs tests it).
    ReportSpec { by: by.to_vec(), threshold: k, lp_protection: false, ..ReportSpec::default() }
}

#[test]
fn a_report_by_centre_lists_each_centre_under_its_country() {
    let cases = common::pseudo_cases(5, 1500);
    let r =
        build_report(&cases, &spec(&[Dimension::Country, Dimension::Centre, Dimension::Year], 5))
            .unwrap();
    let html = r.to_html_on(Lang::Kk, Date::new(2026, 12, 7).unwrap());
    let mut centres: Vec<(String, String)> = r
        .of(Indicator::WomenServed)
        .filter_map(|o| {
            let (cc, c) = (o.dims.get("country")?, o.dims.get("centre")?);
            (cc != TOTAL && c != TOTAL).then(|| (cc.clone(), c.clone()))
        })
        .collect();
    centres.sort();
    centres.dedup();
    assert!(centres.len() >= 6, "{centres:?}");
    for (cc, c) in &centres {
        // Each centre is a row of its own, placed after its country's row.
        let row =
            html.find(&format!("<td class=\"centre\">{c}</td>")).unwrap_or_else(|| panic!("{c}"));
        let name = match cc.as_str() {
            "KZ" => "Қазақстан",
            "UZ" => "Өзбекстан",
            "KG" => "Қырғызстан",
            "UA" => "Украина",
            "MY" => "Малайзия",
            "TR" => "Түркия",
            other => panic!("unexpected country {other}"),
        };
        let country =
            html.find(&format!("<tr><td>{name}</td>")).unwrap_or_else(|| panic!("{name}"));
        assert!(country < row, "{c} before {name}");
    }
    assert!(html.contains("2026-12-07"));
    assert!(html.contains("<html lang=\"kk\">"));
}

#[test]
fn the_disclosure_rule_is_stated_with_the_reports_own_threshold() {
    let cases = common::pseudo_cases(6, 600);
    let r = build_report(&cases, &spec(&[Dimension::Country, Dimension::Year], 11)).unwrap();
    let en = r.to_html_on(Lang::En, Date::new(2026, 1, 2).unwrap());
    assert!(en.contains("No count from 1 to 10 is published"), "threshold 11 hides 1..10");
    assert!(en.contains("No noise was added"));
    let open = build_report(&cases, &spec(&[Dimension::Country, Dimension::Year], 1)).unwrap();
    let tr = open.to_html_on(Lang::Tr, Date::new(2026, 1, 2).unwrap());
    assert!(tr.contains("Bu raporda küçük hücre gizlemesi uygulanmadı."));
    // No script, nothing fetched: the page is one self-contained file.
    for page in [&en, &tr] {
        assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("url("));
        assert!(!page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http"));
    }
}

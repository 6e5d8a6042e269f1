//! A figure a report cannot give — the regional median stay of a merged report, which is not
//! merged from country medians — is missing (`OBS_STATUS` M, `CONF_STATUS` F), not suppressed
//! (Q): in the JSON, in both CSV forms and on the HTML page, in every language.

mod common;

use ona_core::report::{build_report, merge, ConfStatus, Dimension, Indicator, ObsStatus, Report};
use ona_core::report::{ReportSpec, TOTAL};
use ona_core::schema::Lang;
use std::collections::BTreeMap;

fn country_reports() -> Vec<Report> {
    let cases = common::pseudo_cases(21, 4000);
    let spec = ReportSpec {
        by: vec![Dimension::Country, Dimension::Quarter],
        lp_protection: false,
        ..ReportSpec::default()
    };
    let mut per_country: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for c in cases {
        per_country.entry(c.centre.country.clone()).or_default().push(c);
    }
    per_country.values().map(|cs| build_report(cs, &spec).unwrap()).collect()
}

/// The HTML key-figure tile of median stay: its shown text.
fn median_tile(html: &str, label: &str) -> String {
    let end = html.find(&format!("</b><span>{label}</span>")).expect("the median tile");
    let start = html[..end].rfind("<b>").expect("its figure") + 3;
    html[start..end].to_string()
}

#[test]
fn a_merged_median_is_missing_not_suppressed() {
    let reports = country_reports();
    // A country's own median is a figure (or suppressed with its exits, where the audit-driven
    // suppression hid them: never missing).
    let mut figures = 0;
    for r in &reports {
        let o = r.cell(
            Indicator::LengthOfStayMedian,
            &[(Dimension::Country, &r.provenance.countries[0])],
        );
        let o = o.expect("a country median");
        if o.is_suppressed() {
            assert!(o.value.is_none() && !o.is_missing(), "{o:?}");
            continue;
        }
        assert_eq!((o.obs_status, o.conf_status), (ObsStatus::A, ConfStatus::F));
        assert!(o.value.is_some());
        figures += 1;
    }
    assert!(figures >= 3, "most countries publish their median stay");
    let regional = merge(&reports).unwrap();
    let medians: Vec<_> =
        regional.of(Indicator::LengthOfStayMedian).filter(|o| o.dims["country"] == TOTAL).collect();
    assert!(!medians.is_empty());
    for o in &medians {
        assert_eq!((o.obs_status, o.conf_status), (ObsStatus::M, ConfStatus::F), "{o:?}");
        assert!(o.value.is_none() && o.is_missing() && !o.is_suppressed());
    }
    // The canonical JSON says M, and reads back as M.
    let again = Report::from_json(&regional.to_json()).unwrap();
    assert!(again
        .of(Indicator::LengthOfStayMedian)
        .filter(|o| o.dims["country"] == TOTAL)
        .all(|o| o.is_missing()));

    // SDMX-CSV and HXL CSV: empty value, OBS_STATUS M, CONF_STATUS F on every regional median row.
    for csv in [regional.to_sdmx_csv(), regional.to_hxl_csv()] {
        let rows: Vec<&str> = csv
            .lines()
            .filter(|l| {
                l.contains(",length_of_stay_median,_T,")
                    || l.starts_with("length_of_stay_median,_T,")
            })
            .collect();
        assert_eq!(rows.len(), medians.len(), "{csv}");
        for row in rows {
            assert!(row.trim_end().ends_with(",,DAYS,M,F"), "{row}");
        }
    }

    // HTML: the key figure says "not available", and the note says what that means.
    let html = regional.to_html(Lang::En);
    assert_eq!(median_tile(&html, "Median stay (days)"), "not available");
    assert!(html.contains("“Not available”: a figure this report cannot give"));
    let ru = regional.to_html(Lang::Ru);
    assert_eq!(median_tile(&ru, "Медиана пребывания (дней)"), "недоступно");
    // A country report's median is a number, and its page has no such note.
    let country = reports[0].to_html(Lang::En);
    assert!(median_tile(&country, "Median stay (days)").parse::<u64>().is_ok());
    assert!(!country.contains("Not available"));
}

#[test]
fn suppressed_figures_still_say_suppressed() {
    // A tiny merged network: small counts are suppressed (Q), and the page says so.
    let cases = common::pseudo_cases(22, 60);
    let spec = ReportSpec {
        by: vec![Dimension::Country, Dimension::Quarter],
        lp_protection: false,
        ..ReportSpec::default()
    };
    let r = build_report(&cases, &spec).unwrap();
    let suppressed = r.observations.iter().filter(|o| o.is_suppressed()).count();
    assert!(suppressed > 0);
    assert!(r
        .observations
        .iter()
        .filter(|o| o.is_suppressed())
        .all(|o| o.conf_status != ConfStatus::F));
    assert!(r.to_html(Lang::En).contains("suppressed"));
}

//! Reports over synthetic cases: indicators against a direct recomputation, suppression,
//! differential privacy, merge and outputs.

mod common;

use ona_core::report::{
    build_report, merge, ConfStatus, Dimension, Indicator, ObsStatus, Report, ReportSpec,
};
use ona_core::schema::{Lang, Placement};
use std::collections::BTreeMap;

fn spec(by: &[Dimension], k: u64) -> ReportSpec {
    // The single-relation rule (fast); certified suppression below and in report_certified.rs.
    ReportSpec { by: by.to_vec(), threshold: k, lp_protection: false, ..ReportSpec::default() }
}

fn value(r: &Report, i: Indicator, at: &[(Dimension, &str)]) -> Option<u64> {
    r.cell(i, at).and_then(|o| o.value.as_ref()).and_then(|v| v.as_u64())
}

#[test]
fn totals_match_a_direct_count() {
    let cases = common::pseudo_cases(3, 3000);
    let r = build_report(&cases, &spec(&[Dimension::Country, Dimension::Year], 1)).unwrap();
    let counted: Vec<_> = cases.iter().filter(|c| c.consent_aggregate_reporting).collect();
    assert_eq!(r.provenance.cases_counted, Some(counted.len() as u64));
    let exits =
        counted.iter().filter(|c| c.stay.as_ref().is_some_and(|s| s.discharge.is_some())).count();
    assert_eq!(value(&r, Indicator::Exits, &[]), Some(exits as u64));
    let with: usize = counted
        .iter()
        .filter(|c| c.stay.as_ref().is_some_and(|s| s.discharge.is_some()))
        .filter(|c| c.outcome.as_ref().is_some_and(|o| o.child_placement.with_mother()))
        .map(|c| c.children.len())
        .sum();
    assert_eq!(value(&r, Indicator::WithMotherAtExit, &[]), Some(with as u64));
    let women: std::collections::BTreeSet<_> =
        counted.iter().map(|c| c.mother.pseudonym.clone().unwrap()).collect();
    assert_eq!(value(&r, Indicator::WomenServed, &[]), Some(women.len() as u64));
    let placements: BTreeMap<Placement, u64> = counted
        .iter()
        .filter(|c| c.stay.as_ref().is_some_and(|s| s.discharge.is_some()))
        .filter_map(|c| c.outcome.as_ref().map(|o| o.child_placement))
        .fold(BTreeMap::new(), |mut m, p| {
            *m.entry(p).or_default() += 1;
            m
        });
    for (p, n) in placements {
        assert_eq!(
            value(&r, Indicator::PlacementAtExit, &[(Dimension::Outcome, &p.to_string())]),
            Some(n)
        );
    }
}

fn check_protected(r: &Report) {
    let k = r.threshold;
    for o in &r.observations {
        if o.unit == "NUMBER" {
            if let Some(v) = o.value.as_ref().and_then(|v| v.as_u64()) {
                assert!(v == 0 || v >= k, "{} {:?} = {v}", o.indicator, o.dims);
            }
        }
        assert_eq!(o.value.is_some(), o.obs_status == ObsStatus::A, "{o:?}");
        assert_eq!(o.conf_status == ConfStatus::F, o.obs_status != ObsStatus::Q, "{o:?}");
    }
    // Every relation total = Σ cells along one dimension: never exactly one unknown.
    let dims: Vec<String> = r.observations[0].dims.keys().cloned().collect();
    let mut by_ind: BTreeMap<&str, BTreeMap<Vec<&str>, bool>> = BTreeMap::new();
    for o in r.observations.iter().filter(|o| o.unit == "NUMBER") {
        let key: Vec<&str> = dims.iter().map(|d| o.dims[d].as_str()).collect();
        by_ind.entry(&o.indicator).or_default().insert(key, o.obs_status == ObsStatus::Q);
    }
    for (ind, cells) in &by_ind {
        let mut rel: BTreeMap<(Vec<&str>, usize), Vec<bool>> = BTreeMap::new();
        for (key, hidden) in cells {
            for (i, d) in dims.iter().enumerate() {
                if key[i] != "_T" && d != "risk_factor" {
                    let mut t = key.clone();
                    t[i] = "_T";
                    if let Some(th) = cells.get(&t) {
                        rel.entry((t, i)).or_insert_with(|| vec![*th]).push(*hidden);
                    }
                }
            }
        }
        for ((t, i), hs) in rel {
            let n = hs.iter().filter(|h| **h).count();
            assert_ne!(n, 1, "{ind}: total {t:?} over {} gives a suppressed cell away", dims[i]);
        }
    }
}

#[test]
fn suppression_leaves_nothing_small_or_recoverable() {
    // Both rules; certified suppression on fewer cases (it solves LPs: slow in debug builds).
    for (lp_protection, n) in [(false, 4000), (true, 80)] {
        let cases = common::pseudo_cases(5, n);
        for by in [
            vec![Dimension::Country, Dimension::Quarter],
            vec![Dimension::Country, Dimension::Centre, Dimension::Year],
            vec![Dimension::Country, Dimension::Year, Dimension::MotherAge, Dimension::ChildAge],
        ] {
            let r = build_report(&cases, &ReportSpec { lp_protection, ..spec(&by, 5) }).unwrap();
            assert!(r.observations.iter().any(|o| o.conf_status == ConfStatus::C));
            assert!(r.observations.iter().any(|o| o.conf_status == ConfStatus::D));
            check_protected(&r);
        }
    }
}

#[test]
fn json_round_trip_is_canonical_and_outputs_render() {
    let cases = common::pseudo_cases(8, 1500);
    let r = build_report(&cases, &spec(&[Dimension::Country, Dimension::Quarter], 5)).unwrap();
    let j = r.to_json();
    let back = Report::from_json(&j).unwrap();
    assert_eq!(back.to_json(), j);
    let again = build_report(&cases, &spec(&[Dimension::Country, Dimension::Quarter], 5)).unwrap();
    assert_eq!(again.to_json(), j, "same input, same bytes");
    let sdmx = r.to_sdmx_csv();
    assert!(sdmx.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,"));
    assert!(sdmx.contains(",TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,CONF_STATUS"));
    let hxl = r.to_hxl_csv();
    assert!(hxl.lines().nth(1).unwrap().starts_with("#indicator+code,#country+code"));
    let html = r.to_html(Lang::Ru);
    assert!(html.contains("<svg"));
    assert!(!html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http"));
    assert!(!html.contains("<script") && !html.contains("src=\""));
}

#[test]
fn merge_keeps_suppression_and_refuses_mismatches() {
    let cases = common::pseudo_cases(4, 6000);
    let s = spec(&[Dimension::Country, Dimension::Year], 5);
    let per_country: BTreeMap<String, Vec<_>> = cases.iter().fold(BTreeMap::new(), |mut m, c| {
        m.entry(c.centre.country.clone()).or_insert_with(Vec::new).push(c.clone());
        m
    });
    let reports: Vec<Report> =
        per_country.values().map(|cs| build_report(cs, &s).unwrap()).collect();
    let merged = merge(&reports).unwrap();
    check_protected(&merged);
    assert_eq!(merged.provenance.countries.len(), per_country.len());
    let whole = build_report(&cases, &s).unwrap();
    // Regional totals that are published agree with a report over all cases.
    for o in merged.of(Indicator::Admissions).filter(|o| o.dims["country"] == "_T") {
        if let Some(v) = &o.value {
            let w = whole
                .observations
                .iter()
                .find(|w| w.indicator == o.indicator && w.dims == o.dims)
                .unwrap();
            assert_eq!(w.value.as_ref(), Some(v));
        }
    }
    // Country cells suppressed in the input stay suppressed.
    for r in &reports {
        for o in r
            .observations
            .iter()
            .filter(|o| o.obs_status == ObsStatus::Q && o.dims["country"] != "_T")
        {
            let m = merged
                .observations
                .iter()
                .find(|m| m.indicator == o.indicator && m.dims == o.dims)
                .unwrap();
            assert_eq!(m.obs_status, ObsStatus::Q);
        }
    }
    assert!(merge(&[reports[0].clone(), reports[0].clone()]).is_err());
    let other = build_report(
        &per_country.values().next().unwrap()[..],
        &spec(&[Dimension::Country, Dimension::Quarter], 5),
    )
    .unwrap();
    let err = merge(&[reports[1].clone(), other]).unwrap_err().to_string();
    assert!(err.contains("breakdowns differ"), "{err}");
    assert!(merge(&[]).is_err());
}

#[test]
fn an_empty_input_is_refused_without_noise() {
    let none: Vec<ona_core::pseudonym::PseudoCase> = Vec::new();
    let err = build_report(&none, &spec(&[], 5)).unwrap_err();
    assert!(matches!(err, ona_core::report::ReportError::NoCases(_)), "{err}");
}

//! Differential privacy that holds: the released structure comes from the declared domain only
//! (neighbouring datasets give the same cells, keys and provenance), every release is charged to
//! each population's ledger and nothing noisy comes out without one, the budget goes only to the
//! chosen indicators, every noisy count carries its 95 % half-width and every noisy share its
//! 95 % interval.

mod common;

use ona_core::pseudonym::{GenDate, PseudoCase};
use ona_core::report::dp::accuracy::{laplace_half_width_at, share_interval, LEVEL_97_5};
use ona_core::report::dp::{DomainCentre, Ledger, LedgerKey, PublicDomain, SeededNoise};
use ona_core::report::{
    build_report, Dimension, DpSpec, Indicator, Population, Report, ReportBuilder, ReportError,
    ReportSpec,
};
use std::collections::BTreeSet;

/// The domain the caller declares: these centres and years, the test population.
fn domain(cases: &[PseudoCase]) -> PublicDomain {
    let centres: BTreeSet<DomainCentre> = cases
        .iter()
        .map(|c| DomainCentre {
            country: c.centre.country.clone(),
            admin1: Some(c.centre.admin1.clone().unwrap_or_else(|| "unknown".into())),
            centre: Some(c.centre.id.clone().unwrap_or_else(|| "unknown".into())),
        })
        .collect();
    PublicDomain {
        populations: vec![Population::of(&cases[0])],
        centres: centres.into_iter().collect(),
        periods: vec!["2024".into(), "2025".into()],
        mother_age_bands: vec![],
    }
}

fn spec(dp: DpSpec, by: &[Dimension]) -> ReportSpec {
    ReportSpec { by: by.to_vec(), dp: Some(dp), ..ReportSpec::default() }
}

fn release(spec: &ReportSpec, cases: &[PseudoCase], seed: u64) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let key = LedgerKey::generate().unwrap();
    let mut ledgers = ledgers(spec, dir.path(), &key, "10");
    let r = release_into(spec, cases, seed, &mut ledgers);
    assert_eq!(ledgers[0].entries().len(), 1);
    r
}

/// A ledger of budget ε = `budget` for each population of the specification's domain.
fn ledgers(spec: &ReportSpec, dir: &std::path::Path, key: &LedgerKey, budget: &str) -> Vec<Ledger> {
    let dp = spec.dp.as_ref().unwrap();
    dp.domain
        .populations
        .iter()
        .map(|p| Ledger::open(&Ledger::path_in(dir, p), p, key, (budget, "0.001")).unwrap())
        .collect()
}

fn release_into(spec: &ReportSpec, cases: &[PseudoCase], seed: u64, l: &mut [Ledger]) -> Report {
    let mut b = ReportBuilder::new(spec).unwrap();
    cases.iter().for_each(|c| b.add(c));
    b.finish_dp_with(l, "test", &mut SeededNoise::new(seed)).unwrap()
}

/// Everything but the noisy values.
fn structure(r: &Report) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap();
    for o in v["observations"].as_array_mut().unwrap() {
        let o = o.as_object_mut().unwrap();
        for k in
            ["value", "low_95", "high_95", "numerator", "denominator", "obs_status", "conf_status"]
        {
            o.remove(k);
        }
    }
    v
}

/// The attacker knows everything but whether one woman (with all her cases) is in the data:
/// here she brings a case in a year nobody else has, at a centre nobody else has, and a second
/// case at a declared centre. The two releases must differ only in noisy values.
#[test]
fn neighbouring_datasets_release_the_same_structure() {
    let base = common::pseudo_cases(21, 400);
    let d = domain(&base);
    let mut her = base[0].clone();
    her.mother.pseudonym = Some(serde_json::from_str("\"zzzzzzzzzzzzzzzzzzzzzzzzzz\"").unwrap());
    let mut far = her.clone();
    far.intake = GenDate::Month { year: 2031, month: 5 };
    far.centre.id = Some("XX-NEW-CENTRE".into());
    far.stay = None;
    far.follow_ups.clear();
    far.services.clear();
    let mut near = her.clone();
    near.intake = GenDate::Month { year: 2025, month: 2 };
    let neighbour: Vec<PseudoCase> =
        base.iter().cloned().chain([far.clone(), near.clone(), far]).collect();
    let by = [Dimension::Country, Dimension::Centre, Dimension::Year];
    for dp in
        [DpSpec::laplace("1", d.clone()), DpSpec::with_budget("1", Some("1e-6"), 2, d.clone())]
    {
        let s = spec(dp, &by);
        let a = release(&s, &base, 5);
        let b = release(&s, &neighbour, 6);
        assert_eq!(structure(&a), structure(&b), "{}", s.describe());
        assert_ne!(a.to_json(), b.to_json(), "the noise differs");
        let text = b.to_json();
        assert!(!text.contains("XX-NEW-CENTRE") && !text.contains("2031"));
        // Zero cells are released with noise like any other: the full product of the domain.
        let years = 2;
        let centres = d.centres.len();
        let admissions = a.of(Indicator::Admissions).filter(|o| {
            o.dims["centre"] != "_T" && o.dims["year"] != "_T" && o.dims["country"] != "_T"
        });
        assert_eq!(admissions.count(), centres * years);
        assert_eq!(a.provenance.periods.len(), years);
        assert!(a.provenance.cases_counted.is_none() && a.provenance.excluded.is_empty());
    }
}

#[test]
fn nothing_noisy_comes_out_without_a_ledger() {
    let cases = common::pseudo_cases(22, 300);
    let s = spec(DpSpec::laplace("0.5", domain(&cases)), &[Dimension::Country]);
    let mut b = ReportBuilder::new(&s).unwrap();
    cases.iter().for_each(|c| b.add(c));
    assert!(matches!(b.finish(), Err(ReportError::Ledger { .. })));
    assert!(matches!(build_report(&cases, &s), Err(ReportError::Ledger { .. })));
    // A ledger for another population does not do.
    let dir = tempfile::tempdir().unwrap();
    let key = LedgerKey::generate().unwrap();
    let other = Population { domain: "other".into(), key_id: "k".into() };
    let mut wrong =
        vec![Ledger::open(&dir.path().join("o.jsonl"), &other, &key, ("1", "0.001")).unwrap()];
    let mut b = ReportBuilder::new(&s).unwrap();
    cases.iter().for_each(|c| b.add(c));
    let err = b.finish_dp(&mut wrong, "x").unwrap_err();
    assert!(err.to_string().contains("exactly one ledger"), "{err}");
    assert!(wrong[0].entries().is_empty());
    // Past the budget: refused, nothing charged.
    let p = Population::of(&cases[0]);
    let path = dir.path().join("p.jsonl");
    let mut l = vec![Ledger::open(&path, &p, &key, ("0.7", "0.001")).unwrap()];
    let mut b = ReportBuilder::new(&s).unwrap();
    cases.iter().for_each(|c| b.add(c));
    b.finish_dp(&mut l, "first").unwrap();
    let mut b = ReportBuilder::new(&s).unwrap();
    cases.iter().for_each(|c| b.add(c));
    let err = b.finish_dp(&mut l, "second").unwrap_err();
    assert!(matches!(err, ReportError::BudgetExceeded { .. }), "{err}");
    assert_eq!(l[0].entries().len(), 1);
}

/// Two tables chosen: the budget is split over them only, each gets the scale ΣΔ/ε, the plan
/// predicts the report's half-widths, and every noisy count carries one.
#[test]
fn the_budget_goes_to_the_chosen_indicators_and_counts_carry_their_accuracy() {
    let cases = common::pseudo_cases(23, 600);
    let mut s = spec(DpSpec::laplace("0.4", domain(&cases)), &[Dimension::Country]);
    s.indicators = vec![Indicator::WomenServed, Indicator::ChildrenServed];
    let plan = ReportBuilder::new(&s).unwrap().dp_plan().unwrap();
    assert_eq!(plan.len(), 2);
    // Sensitivities 1 and 3: scale (1 + 3) / 0.4 = 10 for both, not 21·3/0.4 = 157.5.
    for t in &plan {
        assert!((t.scale - 10.0).abs() < 1e-9, "{t:?}");
    }
    let r = release(&s, &cases, 9);
    let dp = r.dp.as_ref().unwrap();
    assert_eq!(dp.noise.len(), 2);
    let ids: BTreeSet<&str> = r.observations.iter().map(|o| o.indicator.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["women_served", "children_served"]));
    assert_eq!(r.indicators.len(), 2);
    for o in &r.observations {
        let m = o.margin_95.expect("every noisy count has its half-width");
        if o.dims.values().all(|v| v != "_T") {
            assert_eq!(m, plan[0].margin_95, "{o:?}");
        }
    }
    // A mean is not released under DP: choosing one is an error, before anything is spent.
    s.indicators = vec![Indicator::LengthOfStayMean];
    assert!(matches!(ReportBuilder::new(&s), Err(ReportError::BadDpParameter(_))));
}

/// Under DP a record without a mother pseudonym is refused, naming it.
#[test]
fn unbounded_records_are_refused() {
    let mut cases = common::pseudo_cases(24, 50);
    let s = spec(DpSpec::laplace("1", domain(&cases)), &[Dimension::Country]);
    cases[7].mother.pseudonym = None;
    let mut b = ReportBuilder::new(&s).unwrap();
    cases.iter().for_each(|c| b.add(c));
    let dir = tempfile::tempdir().unwrap();
    let key = LedgerKey::generate().unwrap();
    let p = Population::of(&cases[0]);
    let mut l = vec![Ledger::open(&dir.path().join("l"), &p, &key, ("1", "0.001")).unwrap()];
    let err = b.finish_dp(&mut l, "x").unwrap_err();
    assert!(err.to_string().contains("record 8") && err.to_string().contains("mother"), "{err}");
    assert!(l[0].entries().is_empty(), "refused before anything is charged");
}

/// A reader trusts a noisy share's interval: over repeated releases of the same cases it must
/// hold the true share (from the exact report) in at least 95 % of the published shares. Each
/// interval is the one [`share_interval`] makes from the 97.5 % half-widths of its numerator
/// and denominator, holds its own value, and reaches the SDMX-CSV and HXL forms unchanged.
#[test]
fn noisy_shares_carry_an_interval_that_holds_the_true_share() {
    let cases = common::pseudo_cases(25, 400);
    let shares = [Indicator::ShareWithMotherAtExit, Indicator::ShareRelinquishmentPrevented];
    let mut s = spec(DpSpec::laplace("1", domain(&cases)), &[Dimension::Country]);
    s.indicators = shares.to_vec();
    let exact = build_report(&cases, &ReportSpec { threshold: 1, ..spec_exact(&s) }).unwrap();
    let scale = ReportBuilder::new(&s).unwrap().dp_plan().unwrap()[0].scale;
    let h = laplace_half_width_at(scale, 1, LEVEL_97_5);
    let dir = tempfile::tempdir().unwrap();
    let key = LedgerKey::generate().unwrap();
    let mut l = ledgers(&s, dir.path(), &key, "1000");
    let (mut published, mut covered) = (0u32, 0u32);
    for seed in 0..60 {
        let r = release_into(&s, &cases, seed, &mut l);
        for o in r.observations.iter().filter(|o| o.unit == "PERCENT" && o.value.is_some()) {
            let tenths = |n: &Option<serde_json::Number>| {
                (n.as_ref().and_then(serde_json::Number::as_f64).unwrap() * 10.0).round() as u64
            };
            let (low, value, high) = (tenths(&o.low_95), tenths(&o.value), tenths(&o.high_95));
            assert!(low <= value && value <= high && high <= 1000, "{o:?}");
            // At least as wide as the interval of counts with one noise sample each (a cell
            // summed over years has more noise, and a wider interval).
            let (n, d) = (o.numerator.unwrap(), o.denominator.unwrap());
            let (low_1, high_1) = share_interval(n, d, h, h);
            assert!(low <= low_1 && high >= high_1, "{o:?}");
            let truth = exact
                .observations
                .iter()
                .find(|e| e.indicator == o.indicator && e.dims == o.dims)
                .expect("the exact report has the cell");
            let (n, d) = (truth.numerator.unwrap(), truth.denominator.unwrap());
            published += 1;
            if low * d <= 1000 * n && 1000 * n <= high * d {
                covered += 1;
            }
        }
        if seed == 0 {
            let csv = r.to_sdmx_csv();
            let mut rows = csv::Reader::from_reader(csv.as_bytes());
            let head = rows.headers().unwrap().clone();
            let col = |name: &str| head.iter().position(|h| h == name).unwrap();
            let (unit, lower, upper) = (col("UNIT_MEASURE"), col("LOWER_95"), col("UPPER_95"));
            let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
            let text = |n: &Option<serde_json::Number>| n.as_ref().map(ToString::to_string);
            for (row, o) in rows.iter().zip(&r.observations) {
                assert_eq!(row[unit], o.unit);
                assert_eq!(Some(row[lower].to_string()), text(&o.low_95).or(Some(String::new())));
                assert_eq!(Some(row[upper].to_string()), text(&o.high_95).or(Some(String::new())));
            }
            assert!(rows.iter().any(|row| !row[lower].is_empty()));
            assert!(r.to_hxl_csv().contains("#value+lower,#value+upper"));
            assert_eq!(Report::from_json(&r.to_json()).unwrap(), r);
        }
    }
    let c = f64::from(covered) / f64::from(published);
    assert!(published >= 100 && c >= 0.95, "{covered} of {published}");
}

/// The exact (noiseless) specification of the same breakdown.
fn spec_exact(s: &ReportSpec) -> ReportSpec {
    ReportSpec { by: s.by.clone(), ..ReportSpec::default() }
}

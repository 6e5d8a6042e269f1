//! The contribution bound holds in the aggregator: a woman added with many cases, duplicate
//! follow-up points, many children and services changes each table by at most its recorded
//! sensitivity; a record without a mother pseudonym is refused.

use super::domain::{DomainCentre, PublicDomain};
use super::DpSpec;
use crate::pseudonym::testing::sample_case;
use crate::pseudonym::{MasterKey, Policy, PseudoCase, Pseudonymiser};
use crate::report::aggregate::{unit_cap, Aggregator, HashMap, Key, COUNTS, WOMEN};
use crate::report::dimensions::Dimension;
use crate::report::population::Population;
use crate::report::ReportSpec;

fn case() -> PseudoCase {
    let key = MasterKey::from_bytes(&[42; 32], 1).unwrap();
    Pseudonymiser::new(&key, "kz/test", Policy::default())
        .unwrap()
        .pseudonymise(&sample_case())
        .unwrap()
}

fn spec(bound: u32, c: &PseudoCase) -> ReportSpec {
    let domain = PublicDomain {
        populations: vec![Population::of(c)],
        centres: vec![DomainCentre { country: "KZ".into(), admin1: None, centre: None }],
        periods: vec!["2025".into(), "2026".into()],
        mother_age_bands: vec![],
    };
    let mut dp = DpSpec::laplace("1", domain);
    dp.max_cases_per_woman = bound;
    ReportSpec {
        by: vec![Dimension::Country, Dimension::Quarter, Dimension::ChildAge],
        dp: Some(dp),
        ..ReportSpec::default()
    }
}

/// Detail tables (women served as distinct women per cell).
fn tables(spec: &ReportSpec, cases: &[PseudoCase]) -> Vec<HashMap<Key, u64>> {
    let mut agg = Aggregator::new(spec.plan().unwrap());
    for c in cases {
        agg.add(c).unwrap();
    }
    let (mut detail, _) = agg.finish().unwrap();
    let women = std::mem::take(&mut detail.women).counts(&[vec![]]).unwrap();
    detail.counts[WOMEN] = women.into_iter().collect();
    detail.counts
}

fn l1(a: &HashMap<Key, u64>, b: &HashMap<Key, u64>) -> u64 {
    let keys: std::collections::BTreeSet<&Key> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .map(|k| a.get(k).copied().unwrap_or(0).abs_diff(b.get(k).copied().unwrap_or(0)))
        .sum()
}

#[test]
fn one_woman_moves_each_table_by_at_most_its_sensitivity() {
    let base = case();
    // Someone else, for the neighbouring dataset to differ from.
    let mut other = base.clone();
    other.mother.pseudonym = Some(serde_json::from_str("\"aaaaaaaaaaaaaaaaaaaaaaaaaa\"").unwrap());
    // The woman: five cases, each with six children, twenty services and the 6-month
    // follow-up recorded three times.
    let mut heavy = base.clone();
    heavy.children = std::iter::repeat_n(base.children[0].clone(), 6).collect();
    heavy.services = std::iter::repeat_n(base.services[0].clone(), 20).collect();
    heavy.follow_ups = std::iter::repeat_n(base.follow_ups[0].clone(), 3).collect();
    let bound = 2;
    let s = spec(bound, &base);
    let without = tables(&s, std::slice::from_ref(&other));
    let with_her: Vec<PseudoCase> =
        std::iter::once(other.clone()).chain(std::iter::repeat_n(heavy, 5)).collect();
    let with = tables(&s, &with_her);
    let mut moved = 0;
    for (t, ind) in COUNTS.iter().enumerate() {
        let d = l1(&without[t], &with[t]);
        let sens = u64::from(bound) * unit_cap(*ind);
        assert!(d <= sens, "{}: moved by {d}, sensitivity {sens}", ind.id());
        if d == sens {
            moved += 1;
        }
    }
    // The bound is tight where it should be: children, services, follow-ups reach it.
    let at = |id: &str| {
        let t = COUNTS.iter().position(|i| i.id() == id).unwrap();
        l1(&without[t], &with[t])
    };
    assert_eq!(at("followup_6m_due"), 2 * 3, "duplicate follow-up points count once per case");
    assert_eq!(at("services_delivered"), 2 * 10);
    assert_eq!(at("children_served"), 2 * 3);
    assert_eq!(at("women_served"), 1, "one woman is one woman, whatever her cases");
    assert!(moved >= 3);
}

#[test]
fn a_record_without_mother_pseudonym_is_refused() {
    let mut c = case();
    c.mother.pseudonym = None;
    let mut agg = Aggregator::new(spec(1, &c).plan().unwrap());
    let err = agg.add(&c).unwrap_err();
    assert!(err.contains("mother pseudonym"), "{err}");
    // Outside DP it is counted as before.
    let mut plain = Aggregator::new(ReportSpec::default().plan().unwrap());
    plain.add(&c).unwrap();
}

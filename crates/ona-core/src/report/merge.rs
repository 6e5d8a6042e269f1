//! Merging country reports into a regional report.
//!
//! Country cells are carried over as published (suppressed cells stay suppressed, their values
//! unknown); regional totals (`country = _T`) are summed from the country cells — unknown, and
//! suppressed, when any of their cells is — and secondary suppression is run again on the merged
//! tables. Noisy reports are summed, never noised again, and the result is flagged.

use super::aggregate::{count_index, Plan, COUNTS};
use super::cell_key::{Key, TOT};
use super::codes::{Codes, Interner};
use super::dimensions::{Dimension, TOTAL};
use super::dp::{format_nano, parse_nano};
use super::error::ReportError;
use super::indicators::{Indicator, INDICATOR_SET};
use super::length_of_stay::Los;
use super::model::{ConfStatus, ObsStatus, Observation, Provenance, Report, REPORT_FORMAT};
use super::observations::{obs_dims, observations};
use super::ratio::ratio;
use super::slots::{Domain, Slot, CHILD_BANDS, SLOTS, UNKNOWN};
use super::suppress::{suppress, Cell, Supp};
use crate::schema::{Codelist, Placement, ReferralSource, RiskFactor, ServiceType};
use std::collections::{BTreeMap, BTreeSet};

fn check_same(reports: &[Report]) -> Result<(), ReportError> {
    let first = &reports[0];
    for r in reports {
        if r.format != REPORT_FORMAT {
            return Err(ReportError::Mismatch(format!("unknown report format {:?}", r.format)));
        }
        if r.indicator_set != INDICATOR_SET || r.indicator_set != first.indicator_set {
            return Err(ReportError::Mismatch(format!(
                "indicator sets differ ({:?} and {:?})",
                first.indicator_set, r.indicator_set
            )));
        }
        if r.schema_version != first.schema_version {
            return Err(ReportError::Mismatch(format!(
                "schema versions differ ({:?} and {:?})",
                first.schema_version, r.schema_version
            )));
        }
        if r.by != first.by {
            return Err(ReportError::Mismatch(format!(
                "breakdowns differ ({:?} and {:?})",
                first.by, r.by
            )));
        }
        if r.threshold != first.threshold {
            return Err(ReportError::Mismatch(format!(
                "suppression thresholds differ ({} and {})",
                first.threshold, r.threshold
            )));
        }
        if r.period != first.period {
            return Err(ReportError::Mismatch(format!(
                "periods differ ({:?} and {:?})",
                first.period, r.period
            )));
        }
        if r.dp.is_some() != first.dp.is_some() {
            return Err(ReportError::Mismatch(
                "some reports have differential privacy and some do not".into(),
            ));
        }
        if let (Some(a), Some(b)) = (&r.dp, &first.dp) {
            if a.mechanism != b.mechanism || a.max_cases_per_woman != b.max_cases_per_woman {
                return Err(ReportError::Mismatch("differential-privacy mechanisms differ".into()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for r in reports {
        for c in &r.provenance.countries {
            if !seen.insert(c.clone()) {
                return Err(ReportError::Mismatch(format!(
                    "country {c} is in more than one report; merge country reports, one per country"
                )));
            }
        }
    }
    Ok(())
}

/// Codes of a report's dimension texts (interned as they come).
pub(crate) struct Decoder {
    pub(crate) strings: [Interner; 3],
    pub(crate) ages: Interner,
}

impl Decoder {
    fn code(&mut self, d: Dimension, text: &str) -> Result<u32, ReportError> {
        if text == TOTAL {
            return Ok(TOT);
        }
        let bad = || ReportError::BadReport(format!("unknown {} code {text:?}", d.id()));
        fn pos<'a>(mut ids: impl Iterator<Item = &'a str>, text: &str) -> Option<u32> {
            ids.position(|c| c == text).map(|i| i as u32)
        }
        Ok(match d.key_slot().info().domain {
            Domain::Place(p) => self.strings[p].intern(text),
            Domain::Period => {
                let y: u32 = text.get(..4).and_then(|y| y.parse().ok()).ok_or_else(bad)?;
                let rest = text.get(4..).unwrap_or("");
                let r: u32 = if let Some(q) = rest.strip_prefix("-Q") {
                    q.parse().map_err(|_| bad())?
                } else if let Some(m) = rest.strip_prefix('-') {
                    m.parse().map_err(|_| bad())?
                } else {
                    0
                };
                y * 100 + r
            }
            Domain::AgeBands => self.ages.intern(text),
            Domain::ChildBands => pos(CHILD_BANDS.iter().copied(), text).ok_or_else(bad)?,
            Domain::ReferralSources if text == UNKNOWN => ReferralSource::ALL.len() as u32,
            Domain::ReferralSources => {
                pos(ReferralSource::ALL.iter().map(|c| c.id()), text).ok_or_else(bad)?
            }
            Domain::RiskFactors => {
                pos(RiskFactor::ALL.iter().map(|c| c.id()), text).ok_or_else(bad)?
            }
            Domain::ServiceTypes => {
                pos(ServiceType::ALL.iter().map(|c| c.id()), text).ok_or_else(bad)?
            }
            Domain::Placements => {
                pos(Placement::ALL.iter().map(|c| c.id()), text).ok_or_else(bad)?
            }
        })
    }

    /// The key of an observation.
    pub(crate) fn key(&mut self, dims: &[Dimension], o: &Observation) -> Result<Key, ReportError> {
        let mut k = [TOT; SLOTS];
        for d in dims {
            let t = o.dims.get(d.id()).ok_or_else(|| {
                ReportError::BadReport(format!(
                    "observation of {} lacks dimension {}",
                    o.indicator,
                    d.id()
                ))
            })?;
            k[d.slot()] = self.code(*d, t)?;
        }
        Ok(k)
    }
}

/// Merges country reports (same schema version, indicator set, breakdown, threshold and period;
/// one report per country) into a regional report.
pub fn merge(reports: &[Report]) -> Result<Report, ReportError> {
    if reports.is_empty() {
        return Err(ReportError::NothingToMerge);
    }
    check_same(reports)?;
    let first = &reports[0];
    let dims: Vec<Dimension> = first.by.iter().map(|d| d.parse()).collect::<Result<_, _>>()?;
    let period_dim = dims.iter().copied().find(|d| d.is_period()).unwrap_or(Dimension::Year);
    let plan = Plan { dims: dims.clone(), period_dim, filter: None, dp: None };
    let all_dims = obs_dims(&dims);
    let mut dec = Decoder { strings: Default::default(), ages: Interner::default() };
    let masks: Vec<[bool; SLOTS]> = COUNTS.iter().map(|i| plan.mask(*i)).collect();
    let mut cells: Vec<BTreeMap<Key, Cell>> = vec![BTreeMap::new(); COUNTS.len()];
    let mut means: BTreeMap<Key, Vec<Option<(u64, u64)>>> = BTreeMap::new();
    let mut carried = Vec::new();
    let mut periods = BTreeSet::new();
    let (country, period) = (Slot::Country.index(), Slot::Period.index());
    for r in reports {
        for o in &r.observations {
            let ind = Indicator::from_id(&o.indicator).ok_or_else(|| {
                ReportError::BadReport(format!("unknown indicator {:?}", o.indicator))
            })?;
            let k = dec.key(&all_dims, o)?;
            if k[country] == TOT {
                continue; // regional totals are recomputed
            }
            if k[period] != TOT {
                periods.insert(k[period]);
            }
            if let Some(idx) = count_index(ind) {
                let value = o.value.as_ref().and_then(serde_json::Number::as_u64);
                let supp = match o.conf_status {
                    ConfStatus::F => Supp::Free,
                    ConfStatus::C => Supp::Primary,
                    ConfStatus::D => Supp::Secondary,
                };
                cells[idx]
                    .insert(k, Cell { value: if supp == Supp::Free { value } else { None }, supp });
            } else if matches!(ind, Indicator::LengthOfStayMean | Indicator::LengthOfStayMedian) {
                if ind == Indicator::LengthOfStayMean {
                    let mut tk = k;
                    tk[country] = TOT;
                    let v = match (o.obs_status, o.numerator, o.denominator) {
                        (ObsStatus::A, Some(n), Some(d)) => Some((n, d)),
                        _ => None,
                    };
                    means.entry(tk).or_default().push(v);
                }
                carried.push(o.clone());
            }
        }
    }
    // Regional totals over countries.
    for (idx, table) in cells.iter_mut().enumerate() {
        let _ = idx;
        let mut totals: BTreeMap<Key, Cell> = BTreeMap::new();
        for (k, c) in table.iter() {
            let mut tk = *k;
            tk[country] = TOT;
            let t = totals.entry(tk).or_insert(Cell { value: Some(0), supp: Supp::Free });
            match (t.value, c.value, c.supp) {
                (Some(a), Some(b), Supp::Free) => t.value = Some(a + b),
                _ => {
                    t.value = None;
                    t.supp = Supp::Secondary;
                }
            }
        }
        table.extend(totals);
    }
    for (idx, table) in cells.iter_mut().enumerate() {
        suppress(table, &masks[idx], first.threshold);
    }
    let codes = Codes { strings: dec.strings.map(|i| i.names), ages: dec.ages.names, period_dim };
    let mut obs = observations(
        &plan,
        &codes,
        &mut cells,
        &BTreeMap::<Key, Los>::new(),
        first.threshold,
        None,
    );
    // Length of stay: country cells carried, regional mean from numerators and denominators,
    // regional median missing (a median cannot be merged).
    let exits = count_index(Indicator::Exits).unwrap_or(3);
    let dims_of = |k: &Key| -> BTreeMap<String, String> {
        all_dims
            .iter()
            .map(|d| (d.id().to_string(), codes.text(d.key_slot(), k[d.slot()])))
            .collect()
    };
    let mut regional = Vec::new();
    for (k, parts) in &means {
        let exit_free = cells[exits].get(k).is_some_and(|c| c.supp == Supp::Free);
        let known: Option<(u64, u64)> =
            parts.iter().try_fold((0, 0), |(a, b), p| p.map(|(n, d)| (a + n, b + d)));
        let mean = known.filter(|(_, d)| exit_free && *d > 0);
        regional.push(Observation {
            indicator: Indicator::LengthOfStayMean.id().into(),
            dims: dims_of(k),
            value: mean.map(|(n, d)| ratio(n, d, 1)),
            margin_95: None,
            low_95: None,
            high_95: None,
            numerator: mean.map(|m| m.0),
            denominator: mean.map(|m| m.1),
            unit: "DAYS".into(),
            obs_status: if mean.is_some() { ObsStatus::A } else { ObsStatus::Q },
            conf_status: if mean.is_some() { ConfStatus::F } else { ConfStatus::C },
        });
        regional.push(Observation {
            indicator: Indicator::LengthOfStayMedian.id().into(),
            dims: dims_of(k),
            value: None,
            margin_95: None,
            low_95: None,
            high_95: None,
            numerator: None,
            denominator: None,
            unit: "DAYS".into(),
            obs_status: ObsStatus::M,
            conf_status: ConfStatus::F,
        });
    }
    obs.extend(carried);
    obs.extend(regional);
    let order = |id: &str| {
        super::indicators::DEFINITIONS.iter().position(|d| d.id == id).unwrap_or(usize::MAX)
    };
    obs.sort_by(|a, b| {
        order(&a.indicator).cmp(&order(&b.indicator)).then_with(|| {
            let ka: Vec<(bool, &String)> = all_dims
                .iter()
                .map(|d| {
                    let v = &a.dims[d.id()];
                    (v == TOTAL, v)
                })
                .collect();
            let kb: Vec<(bool, &String)> = all_dims
                .iter()
                .map(|d| {
                    let v = &b.dims[d.id()];
                    (v == TOTAL, v)
                })
                .collect();
            ka.cmp(&kb)
        })
    });

    let mut prov = Provenance::default();
    let mut counted = Some(0u64);
    for r in reports {
        prov.countries.extend(r.provenance.countries.iter().cloned());
        prov.centres.extend(r.provenance.centres.iter().cloned());
        prov.periods.extend(r.provenance.periods.iter().cloned());
        counted = counted.zip(r.provenance.cases_counted).map(|(a, b)| a + b);
        for (k, v) in &r.provenance.excluded {
            *prov.excluded.entry(k.clone()).or_default() += v;
        }
        prov.populations.extend(r.provenance.populations.iter().cloned());
        prov.merged_from.push(format!(
            "{} {}",
            r.provenance.countries.join("+"),
            r.period.clone().unwrap_or_else(|| r.provenance.periods.join(","))
        ));
    }
    for v in [&mut prov.countries, &mut prov.centres, &mut prov.periods] {
        v.sort();
        v.dedup();
    }
    prov.populations.sort();
    prov.populations.dedup();
    prov.cases_counted = counted;
    let dp = match &first.dp {
        None => None,
        Some(d) => {
            // Countries hold disjoint women: parallel composition, the regional ε is the largest.
            let mut eps = 0;
            for r in reports {
                if let Some(x) = &r.dp {
                    eps = eps.max(parse_nano(&x.epsilon)?);
                }
            }
            let mut d = d.clone();
            d.epsilon = format_nano(eps);
            d.merged = true;
            Some(d)
        }
    };
    Ok(Report {
        format: REPORT_FORMAT.into(),
        schema_version: first.schema_version.clone(),
        indicator_set: first.indicator_set.clone(),
        period: first.period.clone(),
        by: first.by.clone(),
        threshold: first.threshold,
        dp,
        provenance: prov,
        indicators: first.indicators.clone(),
        observations: obs,
    })
}

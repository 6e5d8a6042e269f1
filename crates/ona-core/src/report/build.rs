//! Building a report: the specification, the streaming builder, noise, margins, suppression and
//! the observations.

use super::aggregate::{
    count_index, los_margins, unit_cap, with_margins, Aggregator, HashMap, Key, Plan, CHILD_BANDS,
    COUNTS, SLOTS, TOT,
};
use super::dimensions::{period_text, Dimension, Period, TOTAL};
use super::dp::{format_nano, parse_nano, DpSpec, NoiseSource, OsNoise};
use super::error::ReportError;
use super::indicators::{Indicator, Kind, DEFINITIONS, INDICATOR_SET};
use super::model::{
    ConfStatus, DpRecord, IndicatorInfo, NoiseRecord, ObsStatus, Observation, Provenance, Report,
    REPORT_FORMAT,
};
use super::suppress::{suppress, Cell, Supp};
use super::women::women_margins;
use crate::pseudonym::PseudoCase;
use crate::schema::{Codelist, Placement, ReferralSource, RiskFactor, ServiceType};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// What to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    /// Count only events in this period (`2025`, `2025-Q3`, `2025-07`).
    pub period: Option<String>,
    /// Breakdown dimensions. Country is always added first; if no period dimension is given,
    /// `year` is added.
    pub by: Vec<Dimension>,
    /// Suppression threshold k: counts 1..k−1 are suppressed (0 is published). 1 turns
    /// suppression off.
    pub threshold: u64,
    /// Differential privacy, if wanted.
    pub dp: Option<DpSpec>,
}

impl Default for ReportSpec {
    fn default() -> Self {
        ReportSpec {
            period: None,
            by: vec![Dimension::Country, Dimension::Year],
            threshold: 5,
            dp: None,
        }
    }
}

/// Dimensions carried by every observation besides the breakdown: the inherent ones.
const INHERENT: [Dimension; 4] =
    [Dimension::ReferralSource, Dimension::RiskFactor, Dimension::ServiceType, Dimension::Outcome];

impl ReportSpec {
    fn plan(&self) -> Result<Plan, ReportError> {
        if self.threshold == 0 {
            return Err(ReportError::BadThreshold);
        }
        if let Some(dp) = &self.dp {
            dp.validate()?;
        }
        let mut dims = vec![Dimension::Country];
        for d in &self.by {
            if !dims.contains(d) {
                dims.push(*d);
            }
        }
        let periods: Vec<Dimension> = dims.iter().copied().filter(|d| d.is_period()).collect();
        if periods.len() > 1 {
            return Err(ReportError::SeveralPeriodDimensions);
        }
        let period_dim = periods.first().copied().unwrap_or(Dimension::Year);
        if periods.is_empty() {
            dims.insert(1, Dimension::Year);
        }
        let filter = self.period.as_deref().map(str::parse::<Period>).transpose()?;
        Ok(Plan {
            dims,
            period_dim,
            filter,
            bound: self.dp.as_ref().map(|d| d.max_cases_per_woman),
        })
    }
}

/// A report under construction: add cases one by one (memory does not grow with the number of
/// cases, only with the number of cells and of distinct women), then [`ReportBuilder::finish`].
#[derive(Debug)]
pub struct ReportBuilder {
    spec: ReportSpec,
    plan: Plan,
    agg: Aggregator,
}

impl ReportBuilder {
    /// A builder for `spec`.
    pub fn new(spec: &ReportSpec) -> Result<ReportBuilder, ReportError> {
        let plan = spec.plan()?;
        Ok(ReportBuilder { spec: spec.clone(), agg: Aggregator::new(plan.clone()), plan })
    }

    /// Counts one case (cases without consent to aggregate reporting are left out).
    pub fn add(&mut self, case: &PseudoCase) {
        self.agg.add(case);
    }

    /// Finishes the report, drawing any noise from the operating system.
    pub fn finish(self) -> Result<Report, ReportError> {
        self.finish_with(&mut OsNoise::new())
    }

    /// Finishes the report, drawing any noise from `rng` (seeded in tests).
    pub fn finish_with<R: NoiseSource + ?Sized>(self, rng: &mut R) -> Result<Report, ReportError> {
        finish(self.spec, self.plan, self.agg, rng)
    }
}

/// Builds a report from pseudonymised cases in one pass, noise (if any) from the OS.
pub fn build_report<I>(cases: I, spec: &ReportSpec) -> Result<Report, ReportError>
where
    I: IntoIterator,
    I::Item: Borrow<PseudoCase>,
{
    let mut b = ReportBuilder::new(spec)?;
    for c in cases {
        b.add(c.borrow());
    }
    b.finish()
}

/// Text of a code in a slot.
pub(crate) struct Codes {
    pub(crate) strings: [Vec<String>; 3],
    pub(crate) ages: Vec<String>,
    pub(crate) period_dim: Dimension,
}

impl Codes {
    pub(crate) fn text(&self, slot: usize, code: u32) -> String {
        if code == TOT {
            return TOTAL.to_string();
        }
        let i = code as usize;
        let s = |v: &[String]| v.get(i).cloned().unwrap_or_default();
        match slot {
            0..=2 => s(&self.strings[slot]),
            3 => period_text(self.period_dim, code),
            4 => s(&self.ages),
            5 => CHILD_BANDS.get(i).unwrap_or(&"").to_string(),
            6 => ReferralSource::ALL.get(i).map_or("unknown", |c| c.id()).to_string(),
            7 => RiskFactor::ALL.get(i).map_or("", |c| c.id()).to_string(),
            8 => ServiceType::ALL.get(i).map_or("", |c| c.id()).to_string(),
            _ => Placement::ALL.get(i).map_or("", |c| c.id()).to_string(),
        }
    }

    fn domain(&self, slot: usize, periods: &[u32]) -> Vec<u32> {
        let n = |k: usize| (0..k as u32).collect();
        match slot {
            0..=2 => n(self.strings[slot].len()),
            3 => periods.to_vec(),
            4 => n(self.ages.len()),
            5 => n(CHILD_BANDS.len()),
            6 => n(ReferralSource::ALL.len() + 1),
            7 => n(RiskFactor::ALL.len()),
            8 => n(ServiceType::ALL.len()),
            _ => n(Placement::ALL.len()),
        }
    }
}

/// Number of cells above which a DP table is refused (the noise domain is enumerated).
const MAX_DP_CELLS: usize = 2_000_000;

/// The codes a noisy table ranges over.
struct NoiseDomain<'a> {
    codes: &'a Codes,
    periods: &'a [u32],
    geo: &'a std::collections::BTreeSet<[u32; 3]>,
}

fn noisy_table<R: NoiseSource + ?Sized>(
    detail: &HashMap<Key, u64>,
    mask: &[bool; SLOTS],
    domain: &NoiseDomain<'_>,
    dp: &DpSpec,
    param: (u128, u128),
    rng: &mut R,
) -> Result<HashMap<Key, u64>, ReportError> {
    // Geography as it is (a centre lies in one country and subdivision), not a cross product.
    let (codes, periods) = (domain.codes, domain.periods);
    let mut geo: Vec<Key> = domain
        .geo
        .iter()
        .map(|g| {
            let mut k = [TOT; SLOTS];
            for s in 0..3 {
                if mask[s] {
                    k[s] = g[s];
                }
            }
            k
        })
        .collect();
    geo.sort_unstable();
    geo.dedup();
    let mut keys: Vec<Key> = geo;
    for s in (3..SLOTS).filter(|s| mask[*s]) {
        let dom = codes.domain(s, periods);
        if keys.len().saturating_mul(dom.len().max(1)) > MAX_DP_CELLS {
            return Err(ReportError::BadDpParameter(format!(
                "the breakdown has more than {MAX_DP_CELLS} cells per table; choose fewer dimensions"
            )));
        }
        keys = keys
            .iter()
            .flat_map(|k| {
                dom.iter().map(move |v| {
                    let mut k2 = *k;
                    k2[s] = *v;
                    k2
                })
            })
            .collect();
    }
    Ok(keys
        .into_iter()
        .map(|k| {
            let v = detail.get(&k).copied().unwrap_or(0) as i128 + dp.sample(rng, param);
            (k, v.max(0) as u64)
        })
        .filter(|(_, v)| *v > 0)
        .collect())
}

fn finish<R: NoiseSource + ?Sized>(
    spec: ReportSpec,
    plan: Plan,
    agg: Aggregator,
    rng: &mut R,
) -> Result<Report, ReportError> {
    let (mut detail, meta) = agg.finish()?;
    if meta.counted == 0 {
        return Err(ReportError::NoCases(
            "no case has consent to aggregate reporting (or the input is empty)".into(),
        ));
    }
    let codes = Codes {
        strings: meta.strings.clone().map(|i| i.names),
        ages: meta.ages.names.clone(),
        period_dim: plan.period_dim,
    };
    let periods: Vec<u32> = meta.periods.iter().copied().collect();
    let masks: Vec<[bool; SLOTS]> = COUNTS.iter().map(|i| plan.mask(*i)).collect();

    // Count tables with margins (noise first, on detail cells, under DP).
    let mut tables: Vec<BTreeMap<Key, u64>> = Vec::with_capacity(COUNTS.len());
    let mut dp_record = None;
    if let Some(dp) = &spec.dp {
        let women = std::mem::take(&mut detail.women).counts(&[vec![]])?;
        detail.counts[0] = women.into_iter().collect();
        let mut noise = Vec::new();
        for (idx, ind) in COUNTS.iter().enumerate() {
            let sens = u64::from(dp.max_cases_per_woman) * unit_cap(*ind);
            let param = dp.parameter(sens, COUNTS.len() as u64)?;
            let noisy = noisy_table(
                &detail.counts[idx],
                &masks[idx],
                &NoiseDomain { codes: &codes, periods: &periods, geo: &meta.geo },
                dp,
                param,
                rng,
            )?;
            tables.push(with_margins(&noisy, &masks[idx]));
            noise.push(NoiseRecord {
                indicator: ind.id().to_string(),
                sensitivity: sens,
                parameter: format!("{}/{}", param.1, param.0),
            });
        }
        dp_record = Some(DpRecord {
            mechanism: dp.mechanism_id().to_string(),
            epsilon: format_nano(parse_nano(&dp.epsilon)?),
            delta: dp.delta.as_deref().map(parse_nano).transpose()?.map(format_nano),
            max_cases_per_woman: dp.max_cases_per_woman,
            noise,
            merged: false,
        });
    } else {
        for (idx, _) in COUNTS.iter().enumerate() {
            if idx == 0 {
                tables.push(women_margins(std::mem::take(&mut detail.women), &masks[0])?);
            } else {
                tables.push(with_margins(&detail.counts[idx], &masks[idx]));
            }
        }
    }
    let mut cells: Vec<BTreeMap<Key, Cell>> = tables
        .into_iter()
        .enumerate()
        .map(|(idx, t)| {
            let mut c: BTreeMap<Key, Cell> = t
                .into_iter()
                .map(|(k, v)| (k, Cell { value: Some(v), supp: Supp::Free }))
                .collect();
            suppress(&mut c, &masks[idx], spec.threshold);
            c
        })
        .collect();
    let los = if spec.dp.is_some() {
        BTreeMap::new()
    } else {
        los_margins(&detail.los, &plan.mask(Indicator::LengthOfStayMean))
    };
    let observations = observations(&plan, &codes, &mut cells, &los, spec.threshold);

    let mut excluded = BTreeMap::new();
    if spec.dp.is_none() {
        for (k, v) in &meta.excluded {
            if *v >= spec.threshold {
                excluded.insert(k.clone(), *v);
            }
        }
    }
    let mut countries = codes.strings[0].clone();
    countries.sort();
    let mut centres = codes.strings[2].clone();
    centres.sort();
    let schema_version = meta.schema_versions.iter().next_back().cloned().unwrap_or_default();
    if meta.schema_versions.len() > 1 {
        return Err(ReportError::Mismatch(format!(
            "the input mixes schema versions {:?}; migrate first",
            meta.schema_versions
        )));
    }
    Ok(Report {
        format: REPORT_FORMAT.to_string(),
        schema_version,
        indicator_set: INDICATOR_SET.to_string(),
        period: plan.filter.map(|p| p.to_string()),
        by: plan.dims.iter().map(|d| d.id().to_string()).collect(),
        threshold: spec.threshold,
        dp: dp_record,
        provenance: Provenance {
            countries,
            centres,
            periods: periods.iter().map(|p| period_text(plan.period_dim, *p)).collect(),
            cases_counted: spec.dp.is_none().then_some(meta.counted),
            excluded,
            merged_from: Vec::new(),
            populations: meta.populations.iter().cloned().collect(),
        },
        indicators: IndicatorInfo::all(),
        observations,
    })
}

/// Dimensions of every observation: the breakdown, then the inherent ones.
pub(crate) fn obs_dims(plan_dims: &[Dimension]) -> Vec<Dimension> {
    let mut v = plan_dims.to_vec();
    for d in INHERENT {
        if !v.contains(&d) {
            v.push(d);
        }
    }
    v
}

fn status(supp: Supp) -> (ObsStatus, ConfStatus) {
    match supp {
        Supp::Free => (ObsStatus::A, ConfStatus::F),
        Supp::Primary => (ObsStatus::Q, ConfStatus::C),
        Supp::Secondary => (ObsStatus::Q, ConfStatus::D),
    }
}

/// One decimal of `num / den × scale`, rounded half up, as a JSON number.
pub(crate) fn ratio(num: u64, den: u64, scale: u64) -> serde_json::Number {
    let tenths =
        (u128::from(num) * u128::from(scale) * 20 + u128::from(den)) / (2 * u128::from(den));
    if tenths % 10 == 0 {
        serde_json::Number::from((tenths / 10) as u64)
    } else {
        serde_json::Number::from_f64(tenths as f64 / 10.0).unwrap_or_else(|| 0.into())
    }
}

/// Builds the observations from suppressed count tables (`cells`, in [`COUNTS`] order) and
/// length-of-stay margins; shares, means and medians are derived here.
pub(crate) fn observations(
    plan: &Plan,
    codes: &Codes,
    cells: &mut [BTreeMap<Key, Cell>],
    los: &BTreeMap<Key, super::aggregate::Los>,
    threshold: u64,
) -> Vec<Observation> {
    let dims = obs_dims(&plan.dims);
    let dims_of = |k: &Key| -> BTreeMap<String, String> {
        dims.iter().map(|d| (d.id().to_string(), codes.text(d.slot(), k[d.slot()]))).collect()
    };
    let mut out = Vec::new();
    for def in DEFINITIONS {
        let unit = def.unit.code().to_string();
        match def.kind {
            Kind::Count => {
                let Some(idx) = count_index(def.indicator) else { continue };
                for (k, c) in &cells[idx] {
                    let (o, cs) = status(c.supp);
                    out.push(Observation {
                        indicator: def.id.to_string(),
                        dims: dims_of(k),
                        value: (c.supp == Supp::Free).then(|| c.value.map(Into::into)).flatten(),
                        numerator: None,
                        denominator: None,
                        unit: unit.clone(),
                        obs_status: if c.supp == Supp::Free && c.value.is_none() {
                            ObsStatus::M
                        } else {
                            o
                        },
                        conf_status: cs,
                    });
                }
            }
            Kind::Share => {
                let (Some(ni), Some(di)) =
                    (def.numerator_of.and_then(count_index), def.denominator.and_then(count_index))
                else {
                    continue;
                };
                let inherent = def.inherent.map(|d| d.slot());
                let keys: Vec<Key> = if inherent.is_some() {
                    cells[ni].keys().copied().collect()
                } else {
                    cells[di].keys().copied().collect()
                };
                for k in keys {
                    let mut dk = k;
                    if let Some(s) = inherent {
                        dk[s] = TOT;
                    }
                    let Some(den) = cells[di].get(&dk).copied() else { continue };
                    let num = cells[ni]
                        .get(&k)
                        .copied()
                        .unwrap_or(Cell { value: Some(0), supp: Supp::Free });
                    if den.value == Some(0) {
                        continue;
                    }
                    let free = num.supp == Supp::Free && den.supp == Supp::Free;
                    let known = free && num.value.is_some() && den.value.is_some();
                    let (value, n, d) = match (known, num.value, den.value) {
                        (true, Some(n), Some(d)) => {
                            (Some(ratio(n.min(d), d, 100)), Some(n), Some(d))
                        }
                        _ => (None, None, None),
                    };
                    out.push(Observation {
                        indicator: def.id.to_string(),
                        dims: dims_of(&k),
                        value,
                        numerator: n,
                        denominator: d,
                        unit: unit.clone(),
                        obs_status: if free && !known {
                            ObsStatus::M
                        } else if free {
                            ObsStatus::A
                        } else {
                            ObsStatus::Q
                        },
                        conf_status: if free { ConfStatus::F } else { ConfStatus::C },
                    });
                }
            }
            Kind::Mean | Kind::Median => {
                let exits = count_index(Indicator::Exits).unwrap_or(3);
                for (k, l) in los {
                    let exit_free = cells[exits].get(k).is_some_and(|c| c.supp == Supp::Free);
                    let free = exit_free && l.n >= threshold;
                    let value = if !free {
                        None
                    } else if def.kind == Kind::Mean {
                        Some(ratio(l.sum, l.n, 1))
                    } else {
                        l.median().map(|m| serde_json::Number::from(u64::from(m)))
                    };
                    let mean = def.kind == Kind::Mean && free;
                    out.push(Observation {
                        indicator: def.id.to_string(),
                        dims: dims_of(k),
                        value,
                        numerator: mean.then_some(l.sum),
                        denominator: mean.then_some(l.n),
                        unit: unit.clone(),
                        obs_status: if free { ObsStatus::A } else { ObsStatus::Q },
                        conf_status: if free { ConfStatus::F } else { ConfStatus::C },
                    });
                }
            }
        }
    }
    out
}

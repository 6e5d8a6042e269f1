//! Building a report: the specification, the streaming builder, noise, margins, suppression and
//! the observations.

use super::aggregate::{Aggregator, Plan, COUNTS, WOMEN};
use super::audit::protect::protect;
use super::audit::system::Origin;
use super::cell_key::Key;
use super::codes::Codes;
use super::dimensions::{period_text, Dimension, Period};
use super::dp::accuracy::{Margins, LEVEL_97_5};
use super::dp::release::{needed_tables, noisy_cells, noisy_margins, table_keys, NoisePlan};
use super::dp::scope::DpScope;
use super::dp::{format_nano, parse_nano, DpSpec, Ledger, NoiseSource, OsNoise};
use super::error::ReportError;
use super::indicators::{Indicator, INDICATOR_SET};
use super::margins::{los_margins, with_margins};
use super::model::{DpRecord, IndicatorInfo, Provenance, Report, REPORT_FORMAT};
use super::observations::observations;
// `audit::decode` reads the dimensions of observations from here.
pub(crate) use super::observations::obs_dims;
use super::slots::{CENTRE_NAMES, COUNTRY_NAMES, SLOTS};
use super::suppress::{primary, secondary, suppress, Cell, Supp};
use super::women::women_margins;
use crate::pseudonym::PseudoCase;
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
    /// Differential privacy, if wanted (released only through [`ReportBuilder::finish_dp`],
    /// which charges the populations' ledgers).
    pub dp: Option<DpSpec>,
    /// The indicators to publish (empty: all). Under differential privacy the budget is spent
    /// only on the count tables these need.
    pub indicators: Vec<Indicator>,
    /// Secondary suppression certified against the LP attacker of `ona audit`
    /// ([`ReportSpec::DEFAULT_LP_PROTECTION`] when not chosen): every small count keeps at
    /// least the interval its flags give, proven by a feasible point of the attacker's system at
    /// each end, with the cells hidden chosen cheapest in information lost (see
    /// docs/reporting.md). Off: the single-relation rule only (each relation with a suppressed
    /// cell has two), which an LP attacker can defeat. Not used under differential privacy.
    pub lp_protection: bool,
}

impl ReportSpec {
    /// The breakdown when none is given, as the CLI's `--by`, Python's `by` and uniffi's `by`
    /// read it.
    pub const DEFAULT_BY: &'static str = "country,year";
    /// The suppression threshold when none is given: `--k` in the CLI, `k` in every binding.
    pub const DEFAULT_K: u64 = 5;
    /// Whether certified protection ([`ReportSpec::lp_protection`]) runs when the caller does
    /// not say (no `--lp-protect`/`--no-lp-protect`, `lp_protect=None`, `lpProtect = null`).
    pub const DEFAULT_LP_PROTECTION: bool = false;

    /// The protection choice of a front end: `None` is [`ReportSpec::DEFAULT_LP_PROTECTION`].
    pub fn lp_protection_or_default(choice: Option<bool>) -> bool {
        choice.unwrap_or(Self::DEFAULT_LP_PROTECTION)
    }
}

impl Default for ReportSpec {
    fn default() -> Self {
        ReportSpec {
            period: None,
            by: vec![Dimension::Country, Dimension::Year],
            threshold: Self::DEFAULT_K,
            dp: None,
            indicators: Vec::new(),
            lp_protection: Self::DEFAULT_LP_PROTECTION,
        }
    }
}

impl ReportSpec {
    pub(crate) fn plan(&self) -> Result<Plan, ReportError> {
        if self.threshold == 0 {
            return Err(ReportError::BadThreshold);
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
        let dp = match &self.dp {
            None => None,
            Some(dp) => {
                dp.validate()?;
                needed_tables(&self.indicators)?;
                let periods = dp.domain.resolve(&dims, period_dim, filter)?;
                let by_age = dims.contains(&Dimension::MotherAge);
                Some(DpScope::new(&dp.domain, dp.max_cases_per_woman, periods, by_age))
            }
        };
        Ok(Plan { dims, period_dim, filter, dp })
    }

    /// One line naming this specification, for the privacy-budget ledger.
    pub fn describe(&self) -> String {
        let ids: Vec<&str> = self.indicators.iter().map(|i| i.id()).collect();
        let by: Vec<&str> = self.by.iter().map(|d| d.id()).collect();
        let mut s = format!("by={}", by.join(","));
        if let Some(p) = &self.period {
            s.push_str(&format!(" period={p}"));
        }
        s.push_str(&format!(
            " indicators={}",
            if ids.is_empty() { "all".to_string() } else { ids.join(",") }
        ));
        if let Some(dp) = &self.dp {
            s.push_str(&format!(
                " mechanism={} epsilon={} delta={} max_cases_per_woman={}",
                dp.mechanism_id(),
                dp.epsilon,
                dp.delta.as_deref().unwrap_or("0"),
                dp.max_cases_per_woman
            ));
        }
        s
    }
}

/// A report under construction: add cases one by one (memory does not grow with the number of
/// cases, only with the number of cells and of distinct women), then [`ReportBuilder::finish`].
#[derive(Debug)]
pub struct ReportBuilder {
    spec: ReportSpec,
    plan: Plan,
    agg: Aggregator,
    records: u64,
    /// The first record refused (reported by `finish`).
    refused: Option<ReportError>,
}

impl ReportBuilder {
    /// A builder for `spec`.
    pub fn new(spec: &ReportSpec) -> Result<ReportBuilder, ReportError> {
        let plan = spec.plan()?;
        Ok(ReportBuilder {
            spec: spec.clone(),
            agg: Aggregator::new(plan.clone()),
            plan,
            records: 0,
            refused: None,
        })
    }

    /// Counts one case (cases without consent to aggregate reporting are left out). A case that
    /// cannot be counted under differential privacy is remembered and `finish` fails, naming it
    /// by its position among the cases added.
    pub fn add(&mut self, case: &PseudoCase) {
        self.records += 1;
        let at = self.records;
        if let Err(e) = self.try_add(case, || format!("record {at}")) {
            self.refused.get_or_insert(e);
        }
    }

    /// Counts one case, or refuses it with [`ReportError::DpRefused`] naming it `at()` (e.g.
    /// `line 12`): under differential privacy, a case without a mother pseudonym.
    pub fn try_add(
        &mut self,
        case: &PseudoCase,
        at: impl FnOnce() -> String,
    ) -> Result<(), ReportError> {
        self.agg.add(case).map_err(|reason| ReportError::DpRefused { at: at(), reason })
    }

    /// Cases left out so far, by reason — for the operator only, never published under
    /// differential privacy (`dp_outside_domain`, `dp_contribution_bound`, `no_consent`, …).
    pub fn left_out(&self) -> &BTreeMap<String, u64> {
        &self.agg.excluded
    }

    /// Finishes a report without noise. A differentially private specification is refused: it
    /// is released only by [`ReportBuilder::finish_dp`], which charges the ledgers.
    pub fn finish(self) -> Result<Report, ReportError> {
        if self.spec.dp.is_some() {
            return Err(ReportError::Ledger {
                path: String::new(),
                reason: "a differentially private report is released only through finish_dp, \
                         which charges each population's privacy-budget ledger"
                    .into(),
            });
        }
        if let Some(e) = self.refused {
            return Err(e);
        }
        finish(self.spec, self.plan, self.agg, &mut OsNoise::new())
    }

    /// Finishes a differentially private report: checks that `ledgers` holds exactly one open
    /// ledger per declared population and that each has (ε, δ) left, charges every one
    /// (described by `label` and the specification), and only then draws the noise from the
    /// operating system. The budget is spent even if the release is then lost.
    pub fn finish_dp(self, ledgers: &mut [Ledger], label: &str) -> Result<Report, ReportError> {
        self.finish_dp_with(ledgers, label, &mut OsNoise::new())
    }

    /// [`ReportBuilder::finish_dp`] with noise from `rng` (seeded in tests).
    pub fn finish_dp_with<R: NoiseSource + ?Sized>(
        self,
        ledgers: &mut [Ledger],
        label: &str,
        rng: &mut R,
    ) -> Result<Report, ReportError> {
        let Some(dp) = &self.spec.dp else {
            return Err(ReportError::BadDpParameter(
                "finish_dp needs a specification with differential privacy".into(),
            ));
        };
        if let Some(e) = self.refused {
            return Err(e);
        }
        let need = &dp.domain.populations;
        for p in need {
            if ledgers.iter().filter(|l| l.population() == p).count() != 1 {
                return Err(ReportError::Ledger {
                    path: String::new(),
                    reason: format!("give exactly one ledger for population {p}"),
                });
            }
        }
        if let Some(extra) = ledgers.iter().find(|l| !need.contains(l.population())) {
            return Err(ReportError::Ledger {
                path: extra.path().display().to_string(),
                reason: format!("population {} is not declared in the domain", extra.population()),
            });
        }
        let eps = parse_nano(&dp.epsilon)?;
        let delta = dp.delta.as_deref().map(parse_nano).transpose()?.unwrap_or(0);
        for l in ledgers.iter() {
            l.check(eps, delta)?;
        }
        let what = format!("{label}: {}", self.spec.describe());
        for l in ledgers.iter_mut() {
            l.charge(&what, eps, delta)?;
        }
        finish(self.spec, self.plan, self.agg, rng)
    }

    /// Under differential privacy: each needed table's noise and 95 % accuracy, computed from
    /// the specification alone (no case is read, nothing is spent).
    pub fn dp_plan(&self) -> Result<Vec<super::dp::TablePlan>, ReportError> {
        let Some(dp) = &self.spec.dp else {
            return Err(ReportError::BadDpParameter("no ε given: nothing to plan".into()));
        };
        let scope = self.plan.dp.as_ref().ok_or_else(|| {
            ReportError::BadDpParameter("no differential privacy in the plan".into())
        })?;
        let tables = needed_tables(&self.spec.indicators)?;
        let noise = NoisePlan::new(dp, &tables)?;
        let codes = Codes {
            strings: self.agg.strings.clone().map(|i| i.names),
            ages: self.agg.ages.names.clone(),
            period_dim: self.plan.period_dim,
        };
        let mut out = Vec::new();
        for t in tables {
            let mask = self.plan.mask(COUNTS[t]);
            let cells = table_keys(&mask, &codes, &scope.period_list, &self.agg.places)?.len();
            out.push(super::dp::TablePlan {
                indicator: COUNTS[t].id().to_string(),
                sensitivity: noise.sensitivity[&t],
                scale: noise.scale(dp),
                cells: cells as u64,
                margin_95: noise.half_width(dp, 1),
                total_margin_95: noise.half_width(dp, cells as u64),
            });
        }
        Ok(out)
    }
}

/// Builds a report from pseudonymised cases in one pass. A differentially private
/// specification is refused here: use [`ReportBuilder::finish_dp`], which charges the ledgers.
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

fn finish<R: NoiseSource + ?Sized>(
    spec: ReportSpec,
    plan: Plan,
    agg: Aggregator,
    rng: &mut R,
) -> Result<Report, ReportError> {
    let places = agg.places.clone();
    let (mut detail, meta) = agg.finish()?;
    // Under DP nothing about the data may decide whether a report comes out.
    if meta.counted == 0 && spec.dp.is_none() {
        return Err(ReportError::NoCases(
            "no case has consent to aggregate reporting (or the input is empty)".into(),
        ));
    }
    let codes = Codes {
        strings: meta.strings.clone().map(|i| i.names),
        ages: meta.ages.names.clone(),
        period_dim: plan.period_dim,
    };
    let periods: Vec<u32> = match &plan.dp {
        Some(scope) => scope.period_list.clone(),
        None => meta.periods.iter().copied().collect(),
    };
    let masks: Vec<[bool; SLOTS]> = COUNTS.iter().map(|i| plan.mask(*i)).collect();

    // Count tables with margins (noise first, on every public detail cell, under DP).
    let mut cells: Vec<BTreeMap<Key, Cell>> = Vec::with_capacity(COUNTS.len());
    let mut margins_95: Option<Vec<BTreeMap<Key, Margins>>> = None;
    let mut dp_record = None;
    // Primary cells the audit-driven suppression could not show protected (not under DP).
    let mut unprotected = None;
    if let Some(dp) = &spec.dp {
        let women = std::mem::take(&mut detail.women).counts(&[vec![]])?;
        detail.counts[WOMEN] = women.into_iter().collect();
        let tables = needed_tables(&spec.indicators)?;
        let noise = NoisePlan::new(dp, &tables)?;
        let mut widths: BTreeMap<u64, Margins> = BTreeMap::new();
        let mut all_margins = Vec::with_capacity(COUNTS.len());
        let mut records = Vec::new();
        for (idx, mask) in masks.iter().enumerate() {
            if !tables.contains(&idx) {
                cells.push(BTreeMap::new());
                all_margins.push(BTreeMap::new());
                continue;
            }
            let keys = table_keys(mask, &codes, &periods, &places)?;
            let noisy = noisy_cells(keys, &detail.counts[idx], dp, noise.param, rng);
            let mut c = BTreeMap::new();
            let mut m = BTreeMap::new();
            for (k, (v, n)) in noisy_margins(&noisy, mask) {
                // Published counts are clamped at 0; totals sum the unclamped cells.
                c.insert(k, Cell { value: Some(v.max(0) as u64), supp: Supp::Free });
                let h = *widths.entry(n).or_insert_with(|| Margins {
                    at_95: noise.half_width(dp, n),
                    at_97_5: noise.half_width_at(dp, n, LEVEL_97_5),
                });
                m.insert(k, h);
            }
            cells.push(c);
            all_margins.push(m);
            records.push(noise.record(dp, idx));
        }
        margins_95 = Some(all_margins);
        dp_record = Some(DpRecord {
            mechanism: dp.mechanism_id().to_string(),
            epsilon: format_nano(parse_nano(&dp.epsilon)?),
            delta: dp.delta.as_deref().map(parse_nano).transpose()?.map(format_nano),
            max_cases_per_woman: dp.max_cases_per_woman,
            noise: records,
            merged: false,
        });
    } else {
        for (idx, mask) in masks.iter().enumerate() {
            let t = if idx == WOMEN {
                women_margins(std::mem::take(&mut detail.women), mask)?
            } else {
                with_margins(&detail.counts[idx], mask)
            };
            let mut c: BTreeMap<Key, Cell> = t
                .into_iter()
                .map(|(k, v)| (k, Cell { value: Some(v), supp: Supp::Free }))
                .collect();
            if spec.lp_protection {
                // The certificates imply the single-relation rule for every primary cell, and
                // choose the cells to hide at less cost (BENCHMARKS.md, issue 13).
                primary(&mut c, spec.threshold);
            } else {
                suppress(&mut c, mask, spec.threshold);
            }
            cells.push(c);
        }
        // Then, when asked, the secondary cells certified against the LP attacker of `ona audit`.
        if spec.lp_protection {
            let origin = Origin { noisy: false, merged: false };
            let done = protect(&mut cells, &masks, spec.threshold, origin)
                .map_err(ReportError::Unprotected)?;
            unprotected = Some(done.left as u64);
            // A cell left without certificates must not be alone in a total either: the
            // single-relation rule, which the certified cells already meet.
            for (c, mask) in cells.iter_mut().zip(&masks) {
                secondary(c, mask);
            }
        }
    }
    let los = if spec.dp.is_some() {
        BTreeMap::new()
    } else {
        los_margins(&detail.los, &plan.mask(Indicator::LengthOfStayMean))
    };
    let threshold = if spec.dp.is_some() { 1 } else { spec.threshold };
    let mut observations =
        observations(&plan, &codes, &mut cells, &los, threshold, margins_95.as_deref());
    let chosen = super::dp::release::chosen(&spec.indicators);
    if !spec.indicators.is_empty() {
        observations.retain(|o| chosen.iter().any(|i| i.id() == o.indicator));
    }
    let mut indicators = IndicatorInfo::all();
    if !spec.indicators.is_empty() {
        indicators.retain(|d| chosen.iter().any(|i| i.id() == d.id));
    }

    let provenance = match &spec.dp {
        // Under DP, provenance is the declaration itself.
        Some(dp) => {
            let d = &dp.domain;
            let mut countries: Vec<String> = d.centres.iter().map(|c| c.country.clone()).collect();
            let mut centres: Vec<String> =
                d.centres.iter().filter_map(|c| c.centre.clone()).collect();
            let mut populations = d.populations.clone();
            for v in [&mut countries, &mut centres] {
                v.sort();
                v.dedup();
            }
            populations.sort();
            populations.dedup();
            Provenance {
                countries,
                centres,
                periods: periods.iter().map(|p| period_text(plan.period_dim, *p)).collect(),
                cases_counted: None,
                excluded: BTreeMap::new(),
                merged_from: Vec::new(),
                populations,
                unprotected_cells: None,
            }
        }
        None => {
            let mut excluded = BTreeMap::new();
            for (k, v) in &meta.excluded {
                if *v >= spec.threshold {
                    excluded.insert(k.clone(), *v);
                }
            }
            let mut countries = codes.strings[COUNTRY_NAMES].clone();
            countries.sort();
            let mut centres = codes.strings[CENTRE_NAMES].clone();
            centres.sort();
            Provenance {
                countries,
                centres,
                periods: periods.iter().map(|p| period_text(plan.period_dim, *p)).collect(),
                cases_counted: Some(meta.counted),
                excluded,
                merged_from: Vec::new(),
                populations: meta.populations.iter().cloned().collect(),
                unprotected_cells: unprotected,
            }
        }
    };
    let schema_version = if spec.dp.is_some() {
        crate::schema::SCHEMA_VERSION.to_string()
    } else {
        if meta.schema_versions.len() > 1 {
            return Err(ReportError::Mismatch(format!(
                "the input mixes schema versions {:?}; migrate first",
                meta.schema_versions
            )));
        }
        meta.schema_versions.iter().next_back().cloned().unwrap_or_default()
    };
    Ok(Report {
        format: REPORT_FORMAT.to_string(),
        schema_version,
        indicator_set: INDICATOR_SET.to_string(),
        period: plan.filter.map(|p| p.to_string()),
        by: plan.dims.iter().map(|d| d.id().to_string()).collect(),
        threshold,
        dp: dp_record,
        provenance,
        indicators,
        observations,
    })
}

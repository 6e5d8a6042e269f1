//! Streaming aggregation: one pass over pseudonymised cases into count tables, holding per case
//! nothing but counters (and, for distinct women, one 64-bit hash per woman, in bounded memory:
//! see [`super::women`]).

use super::cell_key::{unpack, Packed, SlotMask};
use super::codes::Interner;
use super::dimensions::{child_age_band, period_code, Dimension, Period, Within};
use super::hasher::woman_hash;
use super::indicators::Indicator;
use super::length_of_stay::Los;
use super::population::Population;
use super::slots::{ADMIN1_NAMES, CENTRE_NAMES, CHILD_BANDS, COUNTRY_NAMES, UNKNOWN};
use super::women::DistinctWomen;
use crate::pseudonym::{GenDate, PseudoCase};
use crate::schema::{
    Codelist, ContactResult, FollowUpPoint, Placement, ReferralSource, RelinquishmentIntent,
    RiskFactor, ServiceStatus, ServiceType,
};
use std::collections::{BTreeMap, BTreeSet};

// Re-exported for the modules that import the key types from here (`audit`, `dp`, `suppress`).
pub(crate) use super::cell_key::{Key, TOT};
pub(crate) use super::hasher::{HashMap, HashSet};
pub(crate) use super::slots::SLOTS;

/// The count tables, in a fixed order.
pub(crate) const COUNTS: [Indicator; 21] = [
    Indicator::WomenServed,
    Indicator::ChildrenServed,
    Indicator::Admissions,
    Indicator::Exits,
    Indicator::ExitChildren,
    Indicator::WithMotherAtExit,
    Indicator::FollowUp6Due,
    Indicator::FollowUp6WithMother,
    Indicator::FollowUp6Lost,
    Indicator::FollowUp12Due,
    Indicator::FollowUp12WithMother,
    Indicator::FollowUp12Lost,
    Indicator::IntentExits,
    Indicator::RelinquishmentPrevented,
    Indicator::BabyHomeExits,
    Indicator::Reunified,
    Indicator::ServicesDelivered,
    Indicator::Referrals,
    Indicator::RiskAssessed,
    Indicator::RiskFactorCases,
    Indicator::PlacementAtExit,
];

/// Position in [`COUNTS`] of the distinct-women table (counted apart: see [`super::women`]).
pub(crate) const WOMEN: usize = 0;
const _: () = assert!(matches!(COUNTS[WOMEN], Indicator::WomenServed));

/// Position of a count indicator in [`COUNTS`].
pub(crate) fn count_index(i: Indicator) -> Option<usize> {
    COUNTS.iter().position(|c| *c == i)
}

/// Units one case may add to a table under differential privacy (children, services and risk
/// factors beyond these are not counted), so one woman's influence is bounded.
pub(crate) fn unit_cap(i: Indicator) -> u64 {
    use Indicator as I;
    match i {
        I::ChildrenServed
        | I::ExitChildren
        | I::WithMotherAtExit
        | I::FollowUp6Due
        | I::FollowUp6WithMother
        | I::FollowUp6Lost
        | I::FollowUp12Due
        | I::FollowUp12WithMother
        | I::FollowUp12Lost
        | I::BabyHomeExits
        | I::Reunified => 3,
        I::ServicesDelivered => 10,
        I::RiskFactorCases => 5,
        _ => 1,
    }
}

/// What the aggregator is asked to compute.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) dims: Vec<Dimension>,
    pub(crate) period_dim: Dimension,
    pub(crate) filter: Option<Period>,
    /// Differential privacy: the public domain and the cases per woman counted at most (with
    /// unit caps).
    pub(crate) dp: Option<super::dp::scope::DpScope>,
}

impl Plan {
    /// Active slots of an indicator's table.
    pub(crate) fn mask(&self, i: Indicator) -> [bool; SLOTS] {
        let mut m = [false; SLOTS];
        for d in self.dims.iter().copied().chain(i.definition().inherent) {
            if i.applies(d) {
                m[d.slot()] = true;
            }
        }
        m
    }
}

/// The streaming aggregator: feed it cases one at a time, then [`Aggregator::finish`].
#[derive(Debug)]
pub(crate) struct Aggregator {
    plan: Plan,
    masks: Vec<SlotMask>,
    /// Position in [`COUNTS`] of each indicator (by discriminant; `None` for the indicators
    /// that are not counted).
    index_of: [Option<usize>; Indicator::ALL.len()],
    los_mask: SlotMask,
    pub(crate) strings: [Interner; 3],
    pub(crate) ages: Interner,
    age_codes: HashMap<(u8, Option<u8>), u32>,
    seen_periods: HashSet<u32>,
    last_period: u32,
    counts: Vec<HashMap<u128, u64>>,
    women: DistinctWomen,
    /// The first failure to keep women's ids on disk (reported by `finish`).
    women_failed: Option<std::io::Error>,
    los: HashMap<u128, Los>,
    per_woman: HashMap<u64, u32>,
    /// Under DP: the (country, admin1, centre) codes of each declared place.
    pub(crate) places: Vec<[u32; 3]>,
    pub(crate) excluded: BTreeMap<String, u64>,
    pub(crate) counted: u64,
    pub(crate) schema_versions: BTreeSet<String>,
    /// Every population (domain, key id) whose records were counted.
    pub(crate) populations: BTreeSet<Population>,
}

/// Tables after aggregation: detail cells only (margins come later).
#[derive(Debug)]
pub(crate) struct Detail {
    pub(crate) counts: Vec<HashMap<Key, u64>>,
    pub(crate) women: DistinctWomen,
    pub(crate) los: HashMap<Key, Los>,
}

impl Aggregator {
    pub(crate) fn new(plan: Plan) -> Aggregator {
        let masks = COUNTS.iter().map(|i| SlotMask::new(&plan.mask(*i))).collect();
        let los_mask = SlotMask::new(&plan.mask(Indicator::LengthOfStayMean));
        let index_of = Indicator::ALL.map(count_index);
        let mut strings: [Interner; 3] = Default::default();
        let mut ages = Interner::default();
        let mut places = Vec::new();
        if let Some(scope) = &plan.dp {
            for place in scope.places() {
                let parts = [COUNTRY_NAMES, ADMIN1_NAMES, CENTRE_NAMES];
                places.push(parts.map(|s| strings[s].intern(place[s])));
            }
            for band in scope.ages.iter().flatten() {
                ages.intern(band);
            }
            ages.intern(UNKNOWN);
        }
        Aggregator {
            plan,
            masks,
            index_of,
            los_mask,
            strings,
            ages,
            age_codes: HashMap::default(),
            seen_periods: HashSet::default(),
            last_period: TOT,
            counts: vec![HashMap::default(); COUNTS.len()],
            women: DistinctWomen::default(),
            women_failed: None,
            los: HashMap::default(),
            per_woman: HashMap::default(),
            places,
            excluded: BTreeMap::new(),
            counted: 0,
            schema_versions: BTreeSet::new(),
            populations: BTreeSet::new(),
        }
    }

    fn exclude(&mut self, why: &str) {
        *self.excluded.entry(why.to_string()).or_default() += 1;
    }

    /// The period code of an event, or `None` when outside the filter or too coarse.
    fn place(&mut self, d: GenDate) -> Option<u32> {
        if let Some(p) = self.plan.filter {
            match p.locate(d) {
                Within::Inside => {}
                Within::Outside => return None,
                Within::Unknown => {
                    self.exclude("event_date_too_coarse");
                    return None;
                }
            }
        }
        let code = period_code(self.plan.period_dim, d);
        if let (Some(scope), Some(c)) = (&self.plan.dp, code) {
            if !scope.periods.contains(&c) {
                // Outside the declared periods: not counted, and never published.
                return None;
            }
        }
        match code {
            Some(c) if c != self.last_period => {
                self.last_period = c;
                self.seen_periods.insert(c);
            }
            Some(_) => {}
            None => self.exclude("event_date_too_coarse"),
        }
        code
    }

    #[inline]
    fn bump(&mut self, i: Indicator, key: Packed, n: u64) {
        if n == 0 {
            return;
        }
        let Some(&Some(idx)) = self.index_of.get(i as usize) else { return };
        *self.counts[idx].entry(self.masks[idx].apply(key)).or_default() += n;
    }

    /// Counts one case. Cases without consent to aggregate reporting are left out; under
    /// differential privacy, so are cases outside the public domain and a woman's cases beyond
    /// the bound, and a case without a mother pseudonym is refused (`Err` says why).
    pub(crate) fn add(&mut self, c: &PseudoCase) -> Result<(), String> {
        use super::dp::scope::Admit;
        use Indicator as I;
        let mut place = None;
        if let Some(scope) = &self.plan.dp {
            match scope.admit(c) {
                Admit::Count(i) => place = Some(self.places[i]),
                Admit::Outside => {
                    self.exclude("dp_outside_domain");
                    return Ok(());
                }
                Admit::Refuse(why) => return Err(why),
            }
        }
        if !c.consent_aggregate_reporting {
            self.exclude("no_consent");
            return Ok(());
        }
        let woman = woman_hash(
            c.mother.pseudonym.as_ref().map_or(c.case_pseudonym.as_str(), |p| p.as_str()),
        );
        let dp = self.plan.dp.is_some();
        if let Some(scope) = &self.plan.dp {
            let n = self.per_woman.entry(woman).or_default();
            if *n >= scope.bound {
                self.exclude("dp_contribution_bound");
                return Ok(());
            }
            *n += 1;
        }
        if !self.schema_versions.contains(&c.schema_version) {
            self.schema_versions.insert(c.schema_version.clone());
        }
        let meta = &c.pseudonymisation;
        if !self.populations.iter().any(|p| p.domain == meta.domain && p.key_id == meta.key_id) {
            self.populations.insert(Population::of(c));
        }
        self.counted += 1;
        let cap = |i: Indicator| if dp { unit_cap(i) as usize } else { usize::MAX };

        let geo = match place {
            Some(declared) => declared,
            None => [
                self.strings[COUNTRY_NAMES].intern(&c.centre.country),
                self.strings[ADMIN1_NAMES].intern(c.centre.admin1.as_deref().unwrap_or(UNKNOWN)),
                self.strings[CENTRE_NAMES].intern(c.centre.id.as_deref().unwrap_or(UNKNOWN)),
            ],
        };
        let [country, admin1, centre] = geo;
        let age = match c.mother.age_band {
            Some(b) => match self.age_codes.get(&(b.min, b.max)) {
                Some(code) => *code,
                None => {
                    let code = self.ages.intern(&b.to_string());
                    self.age_codes.insert((b.min, b.max), code);
                    code
                }
            },
            None => self.ages.intern(UNKNOWN),
        };
        let referral = c
            .referral_source
            .and_then(|r| ReferralSource::ALL.iter().position(|x| *x == r))
            .unwrap_or(ReferralSource::ALL.len()) as u32;
        let placement = c.outcome.as_ref().map(|o| o.child_placement);
        let outcome = Placement::ALL
            .iter()
            .position(|p| Some(*p) == placement.or(Some(Placement::Unknown)))
            .unwrap_or(0) as u32;
        let base = Packed::total()
            .with(Dimension::Country, country)
            .with(Dimension::Admin1, admin1)
            .with(Dimension::Centre, centre)
            .with(Dimension::MotherAge, age)
            .with(Dimension::ReferralSource, referral)
            .with(Dimension::Outcome, outcome);
        let mut band_buf = [0u32; 16];
        let n_children = c.children.len().min(band_buf.len());
        for (slot, ch) in band_buf.iter_mut().zip(&c.children) {
            let b = child_age_band(ch.age_at_intake);
            *slot = CHILD_BANDS.iter().position(|x| *x == b).unwrap_or(0) as u32;
        }
        let bands = &band_buf[..n_children];
        let period = self.plan.period_dim;

        // Events dated by intake.
        if let Some(p) = self.place(c.intake) {
            let k = base.with(period, p);
            if let Err(e) = self.women.insert(self.masks[WOMEN].apply(k), woman) {
                self.women_failed.get_or_insert(e);
            }
            for &b in bands.iter().take(cap(I::ChildrenServed)) {
                self.bump(I::ChildrenServed, k.with(Dimension::ChildAge, b), 1);
            }
            self.bump(I::Referrals, k, 1);
            if !c.risk_assessments.is_empty() {
                self.bump(I::RiskAssessed, k, 1);
                let mut seen = 0u64;
                for a in &c.risk_assessments {
                    for f in &a.risk_factors {
                        if let Some(pos) = RiskFactor::ALL.iter().position(|x| x == f) {
                            seen |= 1 << pos;
                        }
                    }
                }
                let mut taken = 0;
                for pos in 0..RiskFactor::ALL.len() {
                    if seen & (1 << pos) != 0 && taken < cap(I::RiskFactorCases) {
                        taken += 1;
                        self.bump(I::RiskFactorCases, k.with(Dimension::RiskFactor, pos as u32), 1);
                    }
                }
            }
        }
        // Services, dated by their start (or the intake).
        let mut services = 0;
        for s in &c.services {
            if s.status != ServiceStatus::Implemented || services >= cap(I::ServicesDelivered) {
                continue;
            }
            services += 1;
            if let Some(p) = self.place(s.start.unwrap_or(c.intake)) {
                let kind =
                    ServiceType::ALL.iter().position(|x| *x == s.service_type).unwrap_or(0) as u32;
                self.bump(
                    I::ServicesDelivered,
                    base.with(period, p).with(Dimension::ServiceType, kind),
                    1,
                );
            }
        }
        let Some(stay) = &c.stay else { return Ok(()) };
        if let Some(p) = self.place(stay.admission) {
            self.bump(I::Admissions, base.with(period, p), 1);
        }
        if let Some(p) = stay.discharge.and_then(|d| self.place(d)) {
            let k = base.with(period, p);
            self.bump(I::Exits, k, 1);
            if let Some(len) = stay.length_days {
                let l = self.los.entry(self.los_mask.apply(k)).or_default();
                l.n += 1;
                l.sum += u64::from(len);
                *l.hist.entry(len).or_default() += 1;
            }
            if let Some(pl) = placement {
                self.bump(I::PlacementAtExit, k, 1);
                let with = pl.with_mother();
                let intent = matches!(
                    c.relinquishment_intent,
                    Some(RelinquishmentIntent::SignedRefusal | RelinquishmentIntent::Considering)
                );
                if intent {
                    self.bump(I::IntentExits, k, 1);
                    self.bump(I::RelinquishmentPrevented, k, u64::from(with));
                }
                for (ch, &b) in c.children.iter().zip(bands).take(cap(I::ExitChildren)) {
                    let kb = k.with(Dimension::ChildAge, b);
                    self.bump(I::ExitChildren, kb, 1);
                    self.bump(I::WithMotherAtExit, kb, u64::from(with));
                    if ch.location_at_intake == crate::schema::ChildLocation::BabyHome {
                        self.bump(I::BabyHomeExits, kb, 1);
                        self.bump(I::Reunified, kb, u64::from(with));
                    }
                }
            }
        }
        // Under DP each follow-up point of a case counts once (a duplicate adds nothing).
        let mut points_seen = [false; 2];
        for f in &c.follow_ups {
            let point = match f.point {
                FollowUpPoint::M6 => 0,
                FollowUpPoint::M12 => 1,
                _ => continue,
            };
            if dp && std::mem::replace(&mut points_seen[point], true) {
                continue;
            }
            let (due, with, lost) = match f.point {
                FollowUpPoint::M6 => (I::FollowUp6Due, I::FollowUp6WithMother, I::FollowUp6Lost),
                FollowUpPoint::M12 => {
                    (I::FollowUp12Due, I::FollowUp12WithMother, I::FollowUp12Lost)
                }
                _ => continue,
            };
            let Some(p) = self.place(f.due) else { continue };
            let reached = f.contact_result == ContactResult::Reached;
            let with_mother = reached && f.child_placement.is_some_and(Placement::with_mother);
            let k = base.with(period, p);
            for &b in bands.iter().take(cap(due)) {
                let kb = k.with(Dimension::ChildAge, b);
                self.bump(due, kb, 1);
                self.bump(with, kb, u64::from(with_mother));
                self.bump(lost, kb, u64::from(!reached));
            }
        }
        Ok(())
    }

    /// The detail tables (an error if women's ids could not be kept on disk).
    pub(crate) fn finish(self) -> std::io::Result<(Detail, AggMeta)> {
        if let Some(e) = self.women_failed {
            return Err(e);
        }
        let meta = AggMeta {
            strings: self.strings,
            ages: self.ages,
            periods: self.seen_periods.into_iter().collect(),
            excluded: self.excluded,
            counted: self.counted,
            schema_versions: self.schema_versions,
            populations: self.populations,
        };
        let unpack_map =
            |m: HashMap<u128, u64>| m.into_iter().map(|(k, v)| (unpack(k), v)).collect();
        let detail = Detail {
            counts: self.counts.into_iter().map(unpack_map).collect(),
            women: self.women,
            los: self.los.into_iter().map(|(k, v)| (unpack(k), v)).collect(),
        };
        Ok((detail, meta))
    }
}

/// What the aggregation learnt besides the counts: the codes seen and the cases left out.
#[derive(Debug)]
pub(crate) struct AggMeta {
    pub(crate) strings: [Interner; 3],
    pub(crate) ages: Interner,
    pub(crate) periods: BTreeSet<u32>,
    pub(crate) excluded: BTreeMap<String, u64>,
    pub(crate) counted: u64,
    pub(crate) schema_versions: BTreeSet<String>,
    /// Every population whose records were counted.
    pub(crate) populations: BTreeSet<Population>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_counts_in_its_own_table_or_nowhere() {
        let dims = vec![Dimension::Country, Dimension::Year];
        let plan = Plan { dims, period_dim: Dimension::Year, filter: None, dp: None };
        let mut agg = Aggregator::new(plan);
        let key = Packed::total().with(Dimension::Country, 1).with(Dimension::Year, 202_500);
        for (n, i) in Indicator::ALL.into_iter().enumerate() {
            assert_eq!(i as usize, n, "Indicator::ALL is in the order of the enum");
            agg.bump(i, key, 1);
        }
        // Each count table got its own indicator's count, once; shares, means and medians
        // (not counted) went nowhere.
        for (idx, table) in agg.counts.iter().enumerate() {
            assert_eq!(table.values().sum::<u64>(), 1, "{}", COUNTS[idx].id());
        }
        assert_eq!(COUNTS.iter().filter(|i| count_index(**i).is_some()).count(), COUNTS.len());
    }
}

//! Streaming aggregation: one pass over pseudonymised cases into count tables, holding per case
//! nothing but counters (and, for distinct women, one 64-bit hash per woman, in bounded memory:
//! see [`super::women`]).

pub(crate) use super::cell_key::unpack;
use super::cell_key::{Packed, SlotMask};
use super::dimensions::{child_age_band, period_code, Dimension, Period, Within};
use super::indicators::Indicator;
use super::population::Population;
use super::women::DistinctWomen;
use crate::pseudonym::{GenDate, PseudoCase};
use crate::schema::{
    Codelist, ContactResult, FollowUpPoint, Placement, ReferralSource, RelinquishmentIntent,
    RiskFactor, ServiceStatus, ServiceType,
};
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, non-cryptographic hasher for cell keys and small strings (the keys are our own
/// codes, not attacker-chosen: no need for SipHash's flood resistance).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The multiply mixes upwards only; rotate the well-mixed high bits down for bucket index.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.write_u64(u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            self.write_u64(rest.iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b)));
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

/// A hash map with [`FastHasher`].
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A hash set with [`FastHasher`].
pub(crate) type HashSet<T> = std::collections::HashSet<T, BuildHasherDefault<FastHasher>>;

/// Number of key slots (one per kind of dimension; the three period dimensions share one).
pub(crate) const SLOTS: usize = 10;
/// A cell key: a value code per slot, [`TOT`] for a total or a dimension not in the table.
pub(crate) type Key = [u32; SLOTS];
/// The code of a total.
pub(crate) const TOT: u32 = u32::MAX;

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

/// Position of a count indicator in [`COUNTS`].
pub(crate) fn count_index(i: Indicator) -> Option<usize> {
    COUNTS.iter().position(|c| *c == i)
}

/// Bands of the child-age dimension, in order.
pub(crate) const CHILD_BANDS: [&str; 5] = ["0-5m", "6-11m", "12-23m", "24m+", "unborn"];
/// The `unknown` code in string slots and after the last code of a codelist.
pub(crate) const UNKNOWN: &str = "unknown";

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

/// Interned strings of one string slot.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    pub(crate) names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// Length-of-stay accumulator of one cell.
#[derive(Debug, Default, Clone)]
pub(crate) struct Los {
    pub(crate) n: u64,
    pub(crate) sum: u64,
    pub(crate) hist: BTreeMap<u32, u64>,
}

impl Los {
    fn add(&mut self, other: &Los) {
        self.n += other.n;
        self.sum += other.sum;
        for (k, v) in &other.hist {
            *self.hist.entry(*k).or_default() += v;
        }
    }

    /// The lower median.
    pub(crate) fn median(&self) -> Option<u32> {
        let target = self.n.checked_sub(1)? / 2;
        let mut seen = 0;
        for (k, v) in &self.hist {
            seen += v;
            if seen > target {
                return Some(*k);
            }
        }
        None
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
    /// Position in [`COUNTS`] of each indicator (by discriminant).
    index_of: [usize; 32],
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

fn woman_hash(s: &str) -> u64 {
    // A 64-bit id for distinct counting: the pseudonym's bytes a word at a time, then the
    // MurmurHash3 finaliser so every input bit reaches every output bit (collisions among a
    // million women: about one chance in thirty million).
    let mut h = FastHasher(s.len() as u64);
    h.write(s.as_bytes());
    let mut x = h.0;
    x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    x = (x ^ (x >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

impl Aggregator {
    pub(crate) fn new(plan: Plan) -> Aggregator {
        let masks = COUNTS.iter().map(|i| SlotMask::new(&plan.mask(*i))).collect();
        let los_mask = SlotMask::new(&plan.mask(Indicator::LengthOfStayMean));
        let mut index_of = [0; 32];
        for (pos, i) in COUNTS.iter().enumerate() {
            index_of[*i as usize] = pos;
        }
        let mut strings: [Interner; 3] = Default::default();
        let mut ages = Interner::default();
        let mut places = Vec::new();
        if let Some(scope) = &plan.dp {
            for place in scope.places() {
                places.push([0, 1, 2].map(|s| strings[s].intern(place[s])));
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
        let idx = self.index_of[i as usize];
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
                self.strings[0].intern(&c.centre.country),
                self.strings[1].intern(c.centre.admin1.as_deref().unwrap_or(UNKNOWN)),
                self.strings[2].intern(c.centre.id.as_deref().unwrap_or(UNKNOWN)),
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
            .with(0, country)
            .with(1, admin1)
            .with(2, centre)
            .with(4, age)
            .with(6, referral)
            .with(9, outcome);
        let mut band_buf = [0u32; 16];
        let n_children = c.children.len().min(band_buf.len());
        for (slot, ch) in band_buf.iter_mut().zip(&c.children) {
            let b = child_age_band(ch.age_at_intake);
            *slot = CHILD_BANDS.iter().position(|x| *x == b).unwrap_or(0) as u32;
        }
        let bands = &band_buf[..n_children];

        // Events dated by intake.
        if let Some(p) = self.place(c.intake) {
            let k = base.with(3, p);
            if let Err(e) = self.women.insert(self.masks[0].apply(k), woman) {
                self.women_failed.get_or_insert(e);
            }
            for &b in bands.iter().take(cap(I::ChildrenServed)) {
                self.bump(I::ChildrenServed, k.with(5, b), 1);
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
                        self.bump(I::RiskFactorCases, k.with(7, pos as u32), 1);
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
                self.bump(I::ServicesDelivered, base.with(3, p).with(8, kind), 1);
            }
        }
        let Some(stay) = &c.stay else { return Ok(()) };
        if let Some(p) = self.place(stay.admission) {
            self.bump(I::Admissions, base.with(3, p), 1);
        }
        if let Some(p) = stay.discharge.and_then(|d| self.place(d)) {
            let k = base.with(3, p);
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
                    let kb = k.with(5, b);
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
            let k = base.with(3, p);
            for &b in bands.iter().take(cap(due)) {
                let kb = k.with(5, b);
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

/// Every subset of the additive active slots, as lists of slots to total over.
pub(crate) fn margin_sets(mask: &[bool; SLOTS]) -> Vec<Vec<usize>> {
    let slots: Vec<usize> =
        (0..SLOTS).filter(|s| mask[*s] && *s != Dimension::RiskFactor.slot()).collect();
    (0u32..(1 << slots.len()))
        .map(|m| {
            slots.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, s)| *s).collect()
        })
        .collect()
}

/// A table with its margins: every detail cell summed into every total it belongs to.
pub(crate) fn with_margins(detail: &HashMap<Key, u64>, mask: &[bool; SLOTS]) -> BTreeMap<Key, u64> {
    let sets = margin_sets(mask);
    let mut out = BTreeMap::new();
    for (k, v) in detail {
        for set in &sets {
            let mut k2 = *k;
            for s in set {
                k2[*s] = TOT;
            }
            *out.entry(k2).or_default() += v;
        }
    }
    out
}

/// Length of stay with margins.
pub(crate) fn los_margins(detail: &HashMap<Key, Los>, mask: &[bool; SLOTS]) -> BTreeMap<Key, Los> {
    let sets = margin_sets(mask);
    let mut out: BTreeMap<Key, Los> = BTreeMap::new();
    for (k, v) in detail {
        for set in &sets {
            let mut k2 = *k;
            for s in set {
                k2[*s] = TOT;
            }
            out.entry(k2).or_default().add(v);
        }
    }
    out
}

//! Streaming aggregation: one pass over pseudonymised cases into count tables, holding per case
//! nothing but counters (and, for distinct women, one 64-bit hash per woman).

use super::dimensions::{child_age_band, period_code, Dimension, Period, Within};
use super::indicators::Indicator;
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

#[cfg(test)]
mod tests {
    #[test]
    fn keys_pack_and_unpack() {
        let mut k = [super::TOT; super::SLOTS];
        k[0] = 5;
        k[3] = 202_512;
        k[7] = 19;
        assert_eq!(super::unpack(super::pack(&k)), k);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The multiply mixes upwards only; rotate the well-mixed high bits down for bucket index.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
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
    /// Cases per woman counted at most (differential privacy), with unit caps.
    pub(crate) bound: Option<u32>,
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
    masks: Vec<[bool; SLOTS]>,
    /// Position in [`COUNTS`] of each indicator (by discriminant).
    index_of: [usize; 32],
    los_mask: [bool; SLOTS],
    pub(crate) strings: [Interner; 3],
    pub(crate) ages: Interner,
    age_codes: HashMap<(u8, Option<u8>), u32>,
    seen_periods: HashSet<u32>,
    last_period: u32,
    geo: BTreeSet<[u32; 3]>,
    last_geo: [u32; 3],
    counts: Vec<HashMap<u128, u64>>,
    women: HashMap<u128, HashSet<u64>>,
    los: HashMap<u128, Los>,
    per_woman: HashMap<u64, u32>,
    pub(crate) excluded: BTreeMap<String, u64>,
    pub(crate) counted: u64,
    pub(crate) schema_versions: BTreeSet<String>,
}

/// Tables after aggregation: detail cells only (margins come later).
#[derive(Debug)]
pub(crate) struct Detail {
    pub(crate) counts: Vec<HashMap<Key, u64>>,
    pub(crate) women: HashMap<Key, HashSet<u64>>,
    pub(crate) los: HashMap<Key, Los>,
}

fn woman_hash(s: &str) -> u64 {
    // FNV-1a over the pseudonym: a compact, stable id for distinct counting.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Bits per slot of a packed key; all ones stands for [`TOT`]. 124 bits in all.
const WIDTHS: [u32; SLOTS] = [20, 20, 20, 20, 8, 4, 5, 6, 6, 5];

/// Packs a key into 128 bits for fast hashing and comparison in the hot loop. Codes are far
/// below their widths (interned strings < 2^20 − 1, periods YYYYMM < 2^20 − 1, codelists small).
fn pack(k: &Key) -> u128 {
    let mut out: u128 = 0;
    for (v, w) in k.iter().zip(WIDTHS) {
        let max = (1u32 << w) - 1;
        let code = if *v == TOT { max } else { (*v).min(max - 1) };
        out = (out << w) | u128::from(code);
    }
    out
}

/// The key of [`pack`].
fn unpack(mut p: u128) -> Key {
    let mut k = [TOT; SLOTS];
    for s in (0..SLOTS).rev() {
        let w = WIDTHS[s];
        let max = (1u32 << w) - 1;
        let code = (p & u128::from(max)) as u32;
        k[s] = if code == max { TOT } else { code };
        p >>= w;
    }
    k
}

fn masked(base: &Key, mask: &[bool; SLOTS]) -> Key {
    let mut k = [TOT; SLOTS];
    for s in 0..SLOTS {
        if mask[s] {
            k[s] = base[s];
        }
    }
    k
}

impl Aggregator {
    pub(crate) fn new(plan: Plan) -> Aggregator {
        let masks = COUNTS.iter().map(|i| plan.mask(*i)).collect();
        let los_mask = plan.mask(Indicator::LengthOfStayMean);
        let mut index_of = [0; 32];
        for (pos, i) in COUNTS.iter().enumerate() {
            index_of[*i as usize] = pos;
        }
        Aggregator {
            plan,
            masks,
            index_of,
            los_mask,
            strings: Default::default(),
            ages: Interner::default(),
            age_codes: HashMap::default(),
            seen_periods: HashSet::default(),
            last_period: TOT,
            geo: BTreeSet::new(),
            last_geo: [TOT; 3],
            counts: vec![HashMap::default(); COUNTS.len()],
            women: HashMap::default(),
            los: HashMap::default(),
            per_woman: HashMap::default(),
            excluded: BTreeMap::new(),
            counted: 0,
            schema_versions: BTreeSet::new(),
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

    fn bump(&mut self, i: Indicator, base: &Key, n: u64) {
        if n == 0 {
            return;
        }
        let idx = self.index_of[i as usize];
        let k = masked(base, &self.masks[idx]);
        *self.counts[idx].entry(pack(&k)).or_default() += n;
    }

    /// Counts one case. Cases without consent to aggregate reporting are left out.
    pub(crate) fn add(&mut self, c: &PseudoCase) {
        use Indicator as I;
        if !c.consent_aggregate_reporting {
            self.exclude("no_consent");
            return;
        }
        let woman = woman_hash(
            c.mother.pseudonym.as_ref().map_or(c.case_pseudonym.as_str(), |p| p.as_str()),
        );
        let dp = self.plan.bound.is_some();
        if let Some(bound) = self.plan.bound {
            let n = self.per_woman.entry(woman).or_default();
            if *n >= bound {
                self.exclude("dp_contribution_bound");
                return;
            }
            *n += 1;
        }
        if !self.schema_versions.contains(&c.schema_version) {
            self.schema_versions.insert(c.schema_version.clone());
        }
        self.counted += 1;
        let cap = |i: Indicator| if dp { unit_cap(i) as usize } else { usize::MAX };

        let mut base = [TOT; SLOTS];
        base[0] = self.strings[0].intern(&c.centre.country);
        base[1] = self.strings[1].intern(c.centre.admin1.as_deref().unwrap_or(UNKNOWN));
        base[2] = self.strings[2].intern(c.centre.id.as_deref().unwrap_or(UNKNOWN));
        let geo = [base[0], base[1], base[2]];
        if geo != self.last_geo {
            self.last_geo = geo;
            self.geo.insert(geo);
        }
        base[4] = match c.mother.age_band {
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
        base[6] = c
            .referral_source
            .and_then(|r| ReferralSource::ALL.iter().position(|x| *x == r))
            .unwrap_or(ReferralSource::ALL.len()) as u32;
        let placement = c.outcome.as_ref().map(|o| o.child_placement);
        base[9] = Placement::ALL
            .iter()
            .position(|p| Some(*p) == placement.or(Some(Placement::Unknown)))
            .unwrap_or(0) as u32;
        let mut band_buf = [0u32; 16];
        let n_children = c.children.len().min(band_buf.len());
        for (slot, ch) in band_buf.iter_mut().zip(&c.children) {
            let b = child_age_band(ch.age_at_intake);
            *slot = CHILD_BANDS.iter().position(|x| *x == b).unwrap_or(0) as u32;
        }
        let bands = &band_buf[..n_children];

        // Events dated by intake.
        if let Some(p) = self.place(c.intake) {
            let mut k = base;
            k[3] = p;
            let wk = masked(&k, &self.masks[0]);
            self.women.entry(pack(&wk)).or_default().insert(woman);
            for &b in bands.iter().take(cap(I::ChildrenServed)) {
                k[5] = b;
                self.bump(I::ChildrenServed, &k, 1);
            }
            k[5] = TOT;
            self.bump(I::Referrals, &k, 1);
            if !c.risk_assessments.is_empty() {
                self.bump(I::RiskAssessed, &k, 1);
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
                        k[7] = pos as u32;
                        self.bump(I::RiskFactorCases, &k, 1);
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
                let mut k = base;
                k[3] = p;
                k[8] =
                    ServiceType::ALL.iter().position(|x| *x == s.service_type).unwrap_or(0) as u32;
                self.bump(I::ServicesDelivered, &k, 1);
            }
        }
        let Some(stay) = &c.stay else { return };
        if let Some(p) = self.place(stay.admission) {
            let mut k = base;
            k[3] = p;
            self.bump(I::Admissions, &k, 1);
        }
        if let Some(p) = stay.discharge.and_then(|d| self.place(d)) {
            let mut k = base;
            k[3] = p;
            self.bump(I::Exits, &k, 1);
            if let Some(len) = stay.length_days {
                let l = self.los.entry(pack(&masked(&k, &self.los_mask))).or_default();
                l.n += 1;
                l.sum += u64::from(len);
                *l.hist.entry(len).or_default() += 1;
            }
            if let Some(pl) = placement {
                self.bump(I::PlacementAtExit, &k, 1);
                let with = pl.with_mother();
                let intent = matches!(
                    c.relinquishment_intent,
                    Some(RelinquishmentIntent::SignedRefusal | RelinquishmentIntent::Considering)
                );
                if intent {
                    self.bump(I::IntentExits, &k, 1);
                    self.bump(I::RelinquishmentPrevented, &k, u64::from(with));
                }
                for (ch, &b) in c.children.iter().zip(bands).take(cap(I::ExitChildren)) {
                    k[5] = b;
                    self.bump(I::ExitChildren, &k, 1);
                    self.bump(I::WithMotherAtExit, &k, u64::from(with));
                    if ch.location_at_intake == crate::schema::ChildLocation::BabyHome {
                        self.bump(I::BabyHomeExits, &k, 1);
                        self.bump(I::Reunified, &k, u64::from(with));
                    }
                }
            }
        }
        for f in &c.follow_ups {
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
            let mut k = base;
            k[3] = p;
            for &b in bands.iter().take(cap(due)) {
                k[5] = b;
                self.bump(due, &k, 1);
                self.bump(with, &k, u64::from(with_mother));
                self.bump(lost, &k, u64::from(!reached));
            }
        }
    }

    /// The detail tables.
    pub(crate) fn finish(self) -> (Detail, AggMeta) {
        let meta = AggMeta {
            strings: self.strings,
            ages: self.ages,
            periods: self.seen_periods.into_iter().collect(),
            excluded: self.excluded,
            counted: self.counted,
            schema_versions: self.schema_versions,
            geo: self.geo,
        };
        let unpack_map =
            |m: HashMap<u128, u64>| m.into_iter().map(|(k, v)| (unpack(k), v)).collect();
        let detail = Detail {
            counts: self.counts.into_iter().map(unpack_map).collect(),
            women: self.women.into_iter().map(|(k, v)| (unpack(k), v)).collect(),
            los: self.los.into_iter().map(|(k, v)| (unpack(k), v)).collect(),
        };
        (detail, meta)
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
    /// Every (country, admin1, centre) seen.
    pub(crate) geo: BTreeSet<[u32; 3]>,
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

/// Distinct women with margins (a woman counts once in every total).
pub(crate) fn women_margins(
    detail: &HashMap<Key, HashSet<u64>>,
    mask: &[bool; SLOTS],
) -> BTreeMap<Key, u64> {
    let sets = margin_sets(mask);
    let mut acc: HashMap<Key, HashSet<u64>> = HashMap::default();
    for (k, v) in detail {
        for set in &sets {
            let mut k2 = *k;
            for s in set {
                k2[*s] = TOT;
            }
            acc.entry(k2).or_default().extend(v.iter().copied());
        }
    }
    acc.into_iter().map(|(k, v)| (k, v.len() as u64)).collect()
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

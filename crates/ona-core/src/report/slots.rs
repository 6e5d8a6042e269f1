//! The slots of a cell key: for each, its bit width in the packed key and its domain (how its
//! codes are enumerated). The dimensions' own table (`dimensions::DIMENSIONS`) gives each
//! dimension its slot; the three period dimensions share one, as a report has one period
//! dimension.
//!
//! Packing (`cell_key`), aggregation, margins, the texts of codes (`codes`), merging and the
//! differential-privacy domain read these tables; no other file says which position a dimension
//! takes, or how wide or how enumerated it is.

use crate::schema::{Codelist, Placement, ReferralSource, RiskFactor, ServiceType};

/// Number of slots of a cell key.
pub(crate) const SLOTS: usize = 10;

/// A slot of a cell key, in key order (its discriminant is its position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Country of the centre.
    Country,
    /// Subdivision of the centre.
    Admin1,
    /// Centre id.
    Centre,
    /// The period, at the report's period dimension (month, quarter or year).
    Period,
    /// The mother's age band.
    MotherAge,
    /// The child's age band.
    ChildAge,
    /// Referral source.
    ReferralSource,
    /// Risk factor (several per case).
    RiskFactor,
    /// Service type.
    ServiceType,
    /// Where the child lives at exit.
    Outcome,
}

/// How the codes of a slot are enumerated (code `i` is the `i`th value; `TOT` is a total).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Domain {
    /// Names interned in the order met — under differential privacy, the declared centres first —
    /// in the place interner of this index (0 country, 1 admin1, 2 centre).
    Place(usize),
    /// Period codes `YYYY00` (year), `YYYYQ` (quarter) or `YYYYMM` (month) of the report's period
    /// dimension, chronological.
    Period,
    /// Mother age bands interned in the order met (under differential privacy, the declared
    /// bands, then `unknown`).
    AgeBands,
    /// [`CHILD_BANDS`], in order.
    ChildBands,
    /// Codelist `referral_source` in its order, then `unknown` (a case without a source).
    ReferralSources,
    /// Codelist `risk_factor` in its order.
    RiskFactors,
    /// Codelist `service_type` in its order.
    ServiceTypes,
    /// Codelist `placement` in its order.
    Placements,
}

/// One row of [`TABLE`].
#[derive(Debug)]
pub(crate) struct SlotInfo {
    /// The slot (its position in the key).
    pub(crate) slot: Slot,
    /// Bits of the slot in a packed key; all ones stands for a total.
    pub(crate) width: u32,
    /// How its codes are enumerated.
    pub(crate) domain: Domain,
}

/// The slots of a cell key, in key order. The widths add up to 124 bits (a packed key is a
/// `u128`); codes stay far below them (interned strings < 2^20 − 1, periods < 2^20 − 1,
/// codelists small), and a larger one would be clamped to the widest code.
pub(crate) const TABLE: [SlotInfo; SLOTS] = [
    SlotInfo { slot: Slot::Country, width: 20, domain: Domain::Place(COUNTRY_NAMES) },
    SlotInfo { slot: Slot::Admin1, width: 20, domain: Domain::Place(ADMIN1_NAMES) },
    SlotInfo { slot: Slot::Centre, width: 20, domain: Domain::Place(CENTRE_NAMES) },
    SlotInfo { slot: Slot::Period, width: 20, domain: Domain::Period },
    SlotInfo { slot: Slot::MotherAge, width: 8, domain: Domain::AgeBands },
    SlotInfo { slot: Slot::ChildAge, width: 4, domain: Domain::ChildBands },
    SlotInfo { slot: Slot::ReferralSource, width: 5, domain: Domain::ReferralSources },
    SlotInfo { slot: Slot::RiskFactor, width: 6, domain: Domain::RiskFactors },
    SlotInfo { slot: Slot::ServiceType, width: 6, domain: Domain::ServiceTypes },
    SlotInfo { slot: Slot::Outcome, width: 5, domain: Domain::Placements },
];

/// The place interner of the country slot (the `n` of [`Domain::Place`]).
pub(crate) const COUNTRY_NAMES: usize = 0;
/// The place interner of the subdivision slot.
pub(crate) const ADMIN1_NAMES: usize = 1;
/// The place interner of the centre slot.
pub(crate) const CENTRE_NAMES: usize = 2;

/// Bands of the child-age dimension, in order.
pub(crate) const CHILD_BANDS: [&str; 5] = ["0-5m", "6-11m", "12-23m", "24m+", "unborn"];
/// The `unknown` code in string slots and after the last code of a codelist.
pub(crate) const UNKNOWN: &str = "unknown";

impl Slot {
    /// Position of the slot in a cell key.
    #[inline]
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The slot's row of [`TABLE`].
    pub(crate) const fn info(self) -> &'static SlotInfo {
        &TABLE[self.index()]
    }
}

impl Domain {
    /// The number of codes of a domain with a fixed list (`None` for interned names and periods).
    pub(crate) fn fixed_len(self) -> Option<usize> {
        match self {
            Domain::Place(_) | Domain::Period | Domain::AgeBands => None,
            Domain::ChildBands => Some(CHILD_BANDS.len()),
            Domain::ReferralSources => Some(ReferralSource::ALL.len() + 1),
            Domain::RiskFactors => Some(RiskFactor::ALL.len()),
            Domain::ServiceTypes => Some(ServiceType::ALL.len()),
            Domain::Placements => Some(Placement::ALL.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_key_order() {
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.slot.index(), i, "{row:?}");
            assert_eq!(row.slot.info().slot, row.slot);
        }
    }

    #[test]
    fn the_widths_fit_a_u128_and_every_fixed_domain_with_its_total() {
        assert!(TABLE.iter().map(|r| r.width).sum::<u32>() <= 128);
        for row in &TABLE {
            // All ones is the total: the codes of a fixed list must stay below it.
            if let Some(n) = row.domain.fixed_len() {
                assert!((n as u64) < (1u64 << row.width) - 1, "{row:?} holds {n} codes");
            }
        }
        // Periods: December of year 9999 as a code.
        assert!(999_912 < (1u64 << Slot::Period.info().width) - 1);
    }
}

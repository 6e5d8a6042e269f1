//! Dimensions a report can break its indicators down by, and reporting periods.

use super::error::ReportError;
use super::slots::Slot;
use crate::pseudonym::GenDate;
use std::fmt;
use std::str::FromStr;

/// The code of a total over a dimension (SDMX convention).
pub const TOTAL: &str = "_T";

/// A dimension of a report table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Dimension {
    /// Country of the centre (ISO 3166-1 alpha-2). Always present in a report.
    Country,
    /// Subdivision of the centre (ISO 3166-2), `unknown` when the policy removed it.
    Admin1,
    /// Centre id, `unknown` when the policy removed it.
    Centre,
    /// Calendar month of the indicator's reference date (`2025-07`).
    Month,
    /// Calendar quarter of the indicator's reference date (`2025-Q3`).
    Quarter,
    /// Calendar year of the indicator's reference date (`2025`).
    Year,
    /// The mother's age band at intake (`18-24`).
    MotherAge,
    /// The child's age band at intake (`0-5m`, `6-11m`, `12-23m`, `24m+`, `unborn`).
    ChildAge,
    /// Referral source (codelist `referral_source`).
    ReferralSource,
    /// Risk factor (codelist `risk_factor`); a case may have several.
    RiskFactor,
    /// Service type (codelist `service_type`).
    ServiceType,
    /// Where the child lives at exit (codelist `placement`).
    Outcome,
}

impl Dimension {
    /// Every dimension, in the fixed column order of outputs.
    pub const ALL: [Dimension; 12] = [
        Dimension::Country,
        Dimension::Admin1,
        Dimension::Centre,
        Dimension::Month,
        Dimension::Quarter,
        Dimension::Year,
        Dimension::MotherAge,
        Dimension::ChildAge,
        Dimension::ReferralSource,
        Dimension::RiskFactor,
        Dimension::ServiceType,
        Dimension::Outcome,
    ];

    /// The id used on the command line and in JSON (`country`, `quarter`, …).
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The SDMX column name (`REF_AREA`, `TIME_PERIOD`, `AGE_MOTHER`, …).
    pub fn sdmx_column(self) -> &'static str {
        self.info().sdmx_column
    }

    /// The HXL hashtag of the column.
    pub fn hxl(self) -> &'static str {
        self.info().hxl
    }

    /// The dimension's row of [`DIMENSIONS`].
    fn info(self) -> &'static DimensionInfo {
        &DIMENSIONS[self as usize]
    }

    /// The slot of the dimension in a cell key.
    #[inline]
    pub(crate) fn key_slot(self) -> Slot {
        self.info().slot
    }

    /// Position of the dimension in a cell key.
    #[inline]
    pub(crate) fn slot(self) -> usize {
        self.key_slot().index()
    }

    /// Whether this is one of the period dimensions.
    pub fn is_period(self) -> bool {
        matches!(self, Dimension::Month | Dimension::Quarter | Dimension::Year)
    }

    /// Whether a unit can take several values of the dimension at once (then the total over the
    /// dimension is not the sum of its cells, and no total is published).
    pub fn multi_valued(self) -> bool {
        matches!(self, Dimension::RiskFactor)
    }
}

/// One row of the table of report dimensions ([`DIMENSIONS`]).
#[derive(Debug)]
pub(crate) struct DimensionInfo {
    /// The dimension.
    pub(crate) dimension: Dimension,
    /// Its id on the command line and in JSON.
    pub(crate) id: &'static str,
    /// Its SDMX column.
    pub(crate) sdmx_column: &'static str,
    /// The HXL hashtag of its column.
    pub(crate) hxl: &'static str,
    /// Its slot in a cell key (bit width and domain in [`super::slots::TABLE`]).
    pub(crate) slot: Slot,
}

/// The table of report dimensions, in the order of the enum (and of [`Dimension::ALL`]): each
/// dimension's labels (id, SDMX column, HXL hashtag) and its slot in a cell key, whose bit width
/// and domain are in [`super::slots::TABLE`]. Outputs, aggregation, margins and merging read it.
pub(crate) const DIMENSIONS: [DimensionInfo; 12] = [
    DimensionInfo {
        dimension: Dimension::Country,
        id: "country",
        sdmx_column: "REF_AREA",
        hxl: "#country+code",
        slot: Slot::Country,
    },
    DimensionInfo {
        dimension: Dimension::Admin1,
        id: "admin1",
        sdmx_column: "ADMIN1",
        hxl: "#adm1+code",
        slot: Slot::Admin1,
    },
    DimensionInfo {
        dimension: Dimension::Centre,
        id: "centre",
        sdmx_column: "CENTRE",
        hxl: "#org+centre+code",
        slot: Slot::Centre,
    },
    DimensionInfo {
        dimension: Dimension::Month,
        id: "month",
        sdmx_column: "TIME_PERIOD",
        hxl: "#date",
        slot: Slot::Period,
    },
    DimensionInfo {
        dimension: Dimension::Quarter,
        id: "quarter",
        sdmx_column: "TIME_PERIOD",
        hxl: "#date",
        slot: Slot::Period,
    },
    DimensionInfo {
        dimension: Dimension::Year,
        id: "year",
        sdmx_column: "TIME_PERIOD",
        hxl: "#date",
        slot: Slot::Period,
    },
    DimensionInfo {
        dimension: Dimension::MotherAge,
        id: "mother_age",
        sdmx_column: "AGE_MOTHER",
        hxl: "#affected+f+adults+age",
        slot: Slot::MotherAge,
    },
    DimensionInfo {
        dimension: Dimension::ChildAge,
        id: "child_age",
        sdmx_column: "AGE_CHILD",
        hxl: "#affected+children+age",
        slot: Slot::ChildAge,
    },
    DimensionInfo {
        dimension: Dimension::ReferralSource,
        id: "referral_source",
        sdmx_column: "REFERRAL_SOURCE",
        hxl: "#indicator+referral+code",
        slot: Slot::ReferralSource,
    },
    DimensionInfo {
        dimension: Dimension::RiskFactor,
        id: "risk_factor",
        sdmx_column: "RISK_FACTOR",
        hxl: "#indicator+risk+code",
        slot: Slot::RiskFactor,
    },
    DimensionInfo {
        dimension: Dimension::ServiceType,
        id: "service_type",
        sdmx_column: "SERVICE_TYPE",
        hxl: "#service+code",
        slot: Slot::ServiceType,
    },
    DimensionInfo {
        dimension: Dimension::Outcome,
        id: "outcome",
        sdmx_column: "OUTCOME",
        hxl: "#indicator+outcome+code",
        slot: Slot::Outcome,
    },
];

// A row per dimension, at the position of its discriminant.
const _: () = {
    let mut i = 0;
    while i < DIMENSIONS.len() {
        assert!(DIMENSIONS[i].dimension as usize == i);
        assert!(Dimension::ALL[i] as usize == i);
        i += 1;
    }
};

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Dimension {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Dimension::ALL
            .into_iter()
            .find(|d| d.id() == t || (t == "period" && *d == Dimension::Quarter))
            .ok_or_else(|| ReportError::UnknownDimension(s.to_string()))
    }
}

/// Parses a comma-separated list of dimensions (`country,quarter`).
pub fn parse_dimensions(s: &str) -> Result<Vec<Dimension>, ReportError> {
    s.split(',').filter(|p| !p.trim().is_empty()).map(str::parse).collect()
}

/// The child's age band at intake.
pub fn child_age_band(age: Option<crate::pseudonym::ChildAge>) -> &'static str {
    use crate::pseudonym::ChildAge;
    let months = match age {
        None => return "unborn",
        Some(ChildAge::Weeks(w)) => w * 7 / 30,
        Some(ChildAge::Months(m)) => m,
    };
    match months {
        0..=5 => "0-5m",
        6..=11 => "6-11m",
        12..=23 => "12-23m",
        _ => "24m+",
    }
}

/// A reporting period: a year, a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// First month covered, counted as `year * 12 + month - 1`.
    first: i32,
    /// Last month covered, same count.
    last: i32,
    /// The text form (`2025`, `2025-Q3`, `2025-07`).
    kind: PeriodKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PeriodKind {
    Year,
    Quarter,
    Month,
}

/// Span of a generalised date in months since year 0: (first, last).
pub(crate) fn month_span(d: GenDate) -> (i32, i32) {
    match d {
        GenDate::Day(day) => {
            let m = day.year() * 12 + i32::from(day.month()) - 1;
            (m, m)
        }
        GenDate::Month { year, month } => {
            let m = year * 12 + i32::from(month) - 1;
            (m, m)
        }
        GenDate::Quarter { year, quarter } => {
            let m = year * 12 + (i32::from(quarter) - 1) * 3;
            (m, m + 2)
        }
        GenDate::Year(y) => (y * 12, y * 12 + 11),
    }
}

/// Where a date falls relative to a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Within {
    /// Entirely inside.
    Inside,
    /// Entirely outside.
    Outside,
    /// The date is too coarse to tell.
    Unknown,
}

impl Period {
    /// The months the period covers, counted as `year × 12 + month − 1`.
    pub(crate) fn months(self) -> std::ops::RangeInclusive<i32> {
        self.first..=self.last
    }

    /// Where `d` falls relative to this period.
    pub(crate) fn locate(self, d: GenDate) -> Within {
        let (a, b) = month_span(d);
        if a >= self.first && b <= self.last {
            Within::Inside
        } else if b < self.first || a > self.last {
            Within::Outside
        } else {
            Within::Unknown
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = self.first.div_euclid(12);
        let month = self.first.rem_euclid(12) + 1;
        match self.kind {
            PeriodKind::Year => write!(f, "{year:04}"),
            PeriodKind::Quarter => write!(f, "{year:04}-Q{}", (month - 1) / 3 + 1),
            PeriodKind::Month => write!(f, "{year:04}-{month:02}"),
        }
    }
}

impl FromStr for Period {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d: GenDate = s.trim().parse().map_err(|_| ReportError::BadPeriod(s.to_string()))?;
        let (first, last) = month_span(d);
        let kind = match d {
            GenDate::Year(_) => PeriodKind::Year,
            GenDate::Quarter { .. } => PeriodKind::Quarter,
            GenDate::Month { .. } => PeriodKind::Month,
            GenDate::Day(_) => return Err(ReportError::BadPeriod(s.to_string())),
        };
        Ok(Period { first, last, kind })
    }
}

/// The code of the period of `d` at the granularity of the period dimension `dim`, or `None` when
/// the date is too coarse. Codes sort chronologically; [`period_text`] writes them.
pub(crate) fn period_code(dim: Dimension, d: GenDate) -> Option<u32> {
    let y = u32::try_from(d.year()).ok()?;
    match dim {
        Dimension::Year => Some(y * 100),
        Dimension::Quarter => d.quarter().map(|q| y * 100 + u32::from(q)),
        Dimension::Month => d.month().map(|m| y * 100 + u32::from(m)),
        _ => None,
    }
}

/// Writes a period code of [`period_code`].
pub(crate) fn period_text(dim: Dimension, code: u32) -> String {
    let (y, r) = (code / 100, code % 100);
    match dim {
        Dimension::Quarter => format!("{y:04}-Q{r}"),
        Dimension::Month => format!("{y:04}-{r:02}"),
        _ => format!("{y:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_dimension_and_every_slot() {
        // Adding a dimension breaks this match: add it to `Dimension::ALL` and `DIMENSIONS` too.
        for d in Dimension::ALL {
            match d {
                Dimension::Country
                | Dimension::Admin1
                | Dimension::Centre
                | Dimension::Month
                | Dimension::Quarter
                | Dimension::Year
                | Dimension::MotherAge
                | Dimension::ChildAge
                | Dimension::ReferralSource
                | Dimension::RiskFactor
                | Dimension::ServiceType
                | Dimension::Outcome => assert_eq!(d.info().dimension, d),
            }
        }
        // Every slot holds a dimension; only the period dimensions share one.
        for row in &super::super::slots::TABLE {
            let dims: Vec<Dimension> =
                Dimension::ALL.into_iter().filter(|d| d.key_slot() == row.slot).collect();
            assert!(!dims.is_empty(), "{row:?}");
            assert!(dims.len() == 1 || dims.iter().all(|d| d.is_period()), "{dims:?}");
        }
        let ids: std::collections::BTreeSet<&str> = DIMENSIONS.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), DIMENSIONS.len(), "ids are distinct");
    }

    #[test]
    fn the_architecture_document_shows_this_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ARCHITECTURE.md");
        let doc = std::fs::read_to_string(path).unwrap();
        for row in &super::super::slots::TABLE {
            let ids: Vec<&str> =
                DIMENSIONS.iter().filter(|d| d.slot == row.slot).map(|d| d.id).collect();
            let line = format!("| {} | {} | {} |", row.slot.index(), ids.join(", "), row.width);
            assert!(doc.contains(&line), "ARCHITECTURE.md lacks the row {line:?}");
        }
    }

    #[test]
    fn periods_locate_dates() {
        let q3: Period = "2025-Q3".parse().unwrap();
        assert_eq!(q3.to_string(), "2025-Q3");
        assert_eq!(q3.locate("2025-08-14".parse().unwrap()), Within::Inside);
        assert_eq!(q3.locate("2025-Q3".parse().unwrap()), Within::Inside);
        assert_eq!(q3.locate("2025-06".parse().unwrap()), Within::Outside);
        assert_eq!(q3.locate("2025".parse().unwrap()), Within::Unknown);
        assert!("2025-07-01".parse::<Period>().is_err());
        assert_eq!(
            parse_dimensions("country,quarter").unwrap(),
            [Dimension::Country, Dimension::Quarter]
        );
        assert!(parse_dimensions("country,colour").is_err());
        assert_eq!(Dimension::Quarter.sdmx_column(), "TIME_PERIOD");
        assert_eq!(Dimension::Centre.hxl(), "#org+centre+code");
        let c = period_code(Dimension::Quarter, "2025-08".parse().unwrap()).unwrap();
        assert_eq!(period_text(Dimension::Quarter, c), "2025-Q3");
        assert_eq!(period_code(Dimension::Month, "2025-Q3".parse().unwrap()), None);
    }
}

//! Dimensions a report can break its indicators down by, and reporting periods.

use super::error::ReportError;
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
        match self {
            Dimension::Country => "country",
            Dimension::Admin1 => "admin1",
            Dimension::Centre => "centre",
            Dimension::Month => "month",
            Dimension::Quarter => "quarter",
            Dimension::Year => "year",
            Dimension::MotherAge => "mother_age",
            Dimension::ChildAge => "child_age",
            Dimension::ReferralSource => "referral_source",
            Dimension::RiskFactor => "risk_factor",
            Dimension::ServiceType => "service_type",
            Dimension::Outcome => "outcome",
        }
    }

    /// The SDMX column name (`REF_AREA`, `TIME_PERIOD`, `AGE_MOTHER`, …).
    pub fn sdmx_column(self) -> &'static str {
        match self {
            Dimension::Country => "REF_AREA",
            Dimension::Admin1 => "ADMIN1",
            Dimension::Centre => "CENTRE",
            Dimension::Month | Dimension::Quarter | Dimension::Year => "TIME_PERIOD",
            Dimension::MotherAge => "AGE_MOTHER",
            Dimension::ChildAge => "AGE_CHILD",
            Dimension::ReferralSource => "REFERRAL_SOURCE",
            Dimension::RiskFactor => "RISK_FACTOR",
            Dimension::ServiceType => "SERVICE_TYPE",
            Dimension::Outcome => "OUTCOME",
        }
    }

    /// The HXL hashtag of the column.
    pub fn hxl(self) -> &'static str {
        match self {
            Dimension::Country => "#country+code",
            Dimension::Admin1 => "#adm1+code",
            Dimension::Centre => "#org+centre+code",
            Dimension::Month | Dimension::Quarter | Dimension::Year => "#date",
            Dimension::MotherAge => "#affected+f+adults+age",
            Dimension::ChildAge => "#affected+children+age",
            Dimension::ReferralSource => "#indicator+referral+code",
            Dimension::RiskFactor => "#indicator+risk+code",
            Dimension::ServiceType => "#service+code",
            Dimension::Outcome => "#indicator+outcome+code",
        }
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

    /// Position of the dimension in a cell key.
    pub(crate) fn slot(self) -> usize {
        match self {
            Dimension::Country => 0,
            Dimension::Admin1 => 1,
            Dimension::Centre => 2,
            Dimension::Month | Dimension::Quarter | Dimension::Year => 3,
            Dimension::MotherAge => 4,
            Dimension::ChildAge => 5,
            Dimension::ReferralSource => 6,
            Dimension::RiskFactor => 7,
            Dimension::ServiceType => 8,
            Dimension::Outcome => 9,
        }
    }
}

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
        let c = period_code(Dimension::Quarter, "2025-08".parse().unwrap()).unwrap();
        assert_eq!(period_text(Dimension::Quarter, c), "2025-Q3");
        assert_eq!(period_code(Dimension::Month, "2025-Q3".parse().unwrap()), None);
    }
}

//! Generalised values of quasi-identifiers: dates coarsened to a month, quarter or year (or
//! shifted), ages as bands, child ages as ISO 8601 durations, counts top-coded.

use crate::schema::{from_text, write_date, Date};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A date as precise as the policy allows: `2025-03-14` (a day, exact or shifted),
/// `2025-03` (month), `2025-Q1` (quarter) or `2025` (year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GenDate {
    /// A day: exact, or shifted by the per-person offset (the record's metadata says which).
    Day(Date),
    /// A month of a year.
    Month {
        /// The year.
        year: i32,
        /// The month, 1–12.
        month: u8,
    },
    /// A quarter of a year.
    Quarter {
        /// The year.
        year: i32,
        /// The quarter, 1–4.
        quarter: u8,
    },
    /// A year.
    Year(i32),
}

impl GenDate {
    /// The year.
    pub fn year(self) -> i32 {
        match self {
            GenDate::Day(d) => d.year(),
            GenDate::Month { year, .. } | GenDate::Quarter { year, .. } | GenDate::Year(year) => {
                year
            }
        }
    }

    /// The quarter, when the value is at least that precise.
    pub fn quarter(self) -> Option<u8> {
        match self {
            GenDate::Day(d) => Some(d.quarter()),
            GenDate::Month { month, .. } => Some((month - 1) / 3 + 1),
            GenDate::Quarter { quarter, .. } => Some(quarter),
            GenDate::Year(_) => None,
        }
    }

    /// The month, when the value is at least that precise.
    pub fn month(self) -> Option<u8> {
        match self {
            GenDate::Day(d) => Some(d.month()),
            GenDate::Month { month, .. } => Some(month),
            _ => None,
        }
    }

    /// The day, when the value is that precise.
    pub fn day(self) -> Option<Date> {
        match self {
            GenDate::Day(d) => Some(d),
            _ => None,
        }
    }
}

impl fmt::Display for GenDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenDate::Day(d) => d.fmt(f),
            GenDate::Month { year, month } => write_date(f, *year, &[*month], None),
            GenDate::Quarter { year, quarter } => write_date(f, *year, &[], Some(*quarter)),
            GenDate::Year(y) => write_date(f, *y, &[], None),
        }
    }
}

/// The text is not a generalised date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a generalised date (YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY): {0:?}")]
pub struct BadGenDate(pub String);

impl FromStr for GenDate {
    type Err = BadGenDate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadGenDate(s.to_string());
        let b = s.as_bytes();
        // Digits by hand: this runs for every date of every record read.
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            b.get(r)?.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let year = digits(0..4).map(|y| y as i32).ok_or_else(bad)?;
        match (b.len(), b.get(4), b.get(5)) {
            (10, ..) => Date::parse(s).map(GenDate::Day).map_err(|_| bad()),
            (7, Some(b'-'), Some(b'Q')) => match digits(6..7) {
                Some(q @ 1..=4) => Ok(GenDate::Quarter { year, quarter: q as u8 }),
                _ => Err(bad()),
            },
            (7, Some(b'-'), _) => match digits(5..7) {
                Some(m @ 1..=12) => Ok(GenDate::Month { year, month: m as u8 }),
                _ => Err(bad()),
            },
            (4, ..) => Ok(GenDate::Year(year)),
            _ => Err(bad()),
        }
    }
}

macro_rules! string_serde {
    ($t:ty, $name:literal, $pattern:literal, $desc:literal) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        string_serde!(@read $t, $name, $pattern, $desc);
    };
    (@read $t:ty, $name:literal, $pattern:literal, $desc:literal) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                from_text(d, $desc)
            }
        }
        impl JsonSchema for $t {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "pattern": $pattern, "description": $desc })
            }
        }
    };
}

/// The text of a [`GenDate`] in a stack buffer: every record written holds about twenty, and
/// the formatting machinery cost more than the rest of writing one.
struct DateText {
    buf: [u8; 10],
    len: usize,
}

impl DateText {
    fn push(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.buf[..self.len]).ok()
    }
}

/// Two decimal digits of `v` (< 100).
fn two(v: u8) -> [u8; 2] {
    [b'0' + v / 10, b'0' + v % 10]
}

impl GenDate {
    /// The [`Display`](fmt::Display) text, for four-digit years.
    fn text(self) -> Option<DateText> {
        let y = u32::try_from(self.year()).ok().filter(|y| *y <= 9999)?;
        let mut t = DateText { buf: [0; 10], len: 0 };
        t.push(&two((y / 100) as u8));
        t.push(&two((y % 100) as u8));
        match self {
            GenDate::Day(d) => {
                t.push(b"-");
                t.push(&two(d.month()));
                t.push(b"-");
                t.push(&two(d.day()));
            }
            GenDate::Month { month, .. } if month < 100 => {
                t.push(b"-");
                t.push(&two(month));
            }
            GenDate::Quarter { quarter, .. } if quarter < 10 => {
                t.push(&[b'-', b'Q', b'0' + quarter])
            }
            GenDate::Year(_) => {}
            _ => return None,
        }
        Some(t)
    }
}

impl Serialize for GenDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.text() {
            Some(t) => s.serialize_str(t.as_str().unwrap_or_default()),
            None => s.collect_str(self),
        }
    }
}

string_serde!(
    @read
    GenDate,
    "GenDate",
    r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-Q[1-4])?$",
    "A date generalised to a day, month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY)."
);

/// An age band in whole years: `18-24`, or open-ended `40+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgeBand {
    /// Lowest age in the band.
    pub min: u8,
    /// Highest age in the band; `None` for an open-ended top band.
    pub max: Option<u8>,
}

impl AgeBand {
    /// Whether `age` falls in the band.
    pub fn contains(self, age: i32) -> bool {
        age >= i32::from(self.min) && self.max.is_none_or(|m| age <= i32::from(m))
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) => write!(f, "{}-{max}", self.min),
            None => write!(f, "{}+", self.min),
        }
    }
}

/// The text is not an age band.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an age band (like 18-24 or 40+): {0:?}")]
pub struct BadAgeBand(pub String);

impl FromStr for AgeBand {
    type Err = BadAgeBand;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadAgeBand(s.to_string());
        if let Some(min) = s.strip_suffix('+') {
            return Ok(AgeBand { min: min.parse().map_err(|_| bad())?, max: None });
        }
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let (min, max): (u8, u8) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
        (min <= max).then_some(AgeBand { min, max: Some(max) }).ok_or_else(bad)
    }
}

string_serde!(
    AgeBand,
    "AgeBand",
    r"^[0-9]{1,3}(-[0-9]{1,3}|\+)$",
    "An age band in years: 18-24, or 40+."
);

/// A child's age at an event as an ISO 8601 duration in whole weeks (`P3W`) or months (`P5M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChildAge {
    /// Completed weeks.
    Weeks(u32),
    /// Completed months.
    Months(u32),
}

impl fmt::Display for ChildAge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildAge::Weeks(w) => write!(f, "P{w}W"),
            ChildAge::Months(m) => write!(f, "P{m}M"),
        }
    }
}

/// The text is not a child age.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a child age (like P3W or P5M): {0:?}")]
pub struct BadChildAge(pub String);

impl FromStr for ChildAge {
    type Err = BadChildAge;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadChildAge(s.to_string());
        let body = s.strip_prefix('P').ok_or_else(bad)?;
        if let Some(w) = body.strip_suffix('W') {
            return w.parse().map(ChildAge::Weeks).map_err(|_| bad());
        }
        if let Some(m) = body.strip_suffix('M') {
            return m.parse().map(ChildAge::Months).map_err(|_| bad());
        }
        Err(bad())
    }
}

string_serde!(
    ChildAge,
    "ChildAge",
    r"^P[0-9]+[WM]$",
    "A child's age as an ISO 8601 duration: P3W or P5M."
);

/// A count, top-coded: `3`, or `4+` for four and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopCoded {
    /// The count, or the top code.
    pub value: u32,
    /// Whether `value` stands for "this many or more".
    pub top: bool,
}

impl fmt::Display for TopCoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, if self.top { "+" } else { "" })
    }
}

/// The text is not a top-coded count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a top-coded count (like 3 or 4+): {0:?}")]
pub struct BadTopCoded(pub String);

impl FromStr for TopCoded {
    type Err = BadTopCoded;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (n, top) = s.strip_suffix('+').map_or((s, false), |n| (n, true));
        n.parse().map(|value| TopCoded { value, top }).map_err(|_| BadTopCoded(s.to_string()))
    }
}

string_serde!(
    TopCoded,
    "TopCoded",
    r"^[0-9]+\+?$",
    "A count, top-coded: 3, or 4+ for four and more."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["2025-03-14", "2025-03", "2025-Q1", "2025"] {
            assert_eq!(s.parse::<GenDate>().unwrap().to_string(), s);
        }
        for bad in
            ["2025-13", "2025-Q5", "25", "2025-3", "2025-00", "2025-Q0", "2025-+3", "202a", "+025"]
        {
            assert!(bad.parse::<GenDate>().is_err(), "{bad}");
        }
        for s in ["18-24", "40+"] {
            assert_eq!(s.parse::<AgeBand>().unwrap().to_string(), s);
        }
        for s in ["P3W", "P11M"] {
            assert_eq!(s.parse::<ChildAge>().unwrap().to_string(), s);
        }
        for s in ["3", "4+"] {
            assert_eq!(s.parse::<TopCoded>().unwrap().to_string(), s);
        }
        assert_eq!("2025-05".parse::<GenDate>().unwrap().quarter(), Some(2));
        // The serialised text is the Display text, whatever the value.
        let day = |y, m, d| GenDate::Day(Date::new(y, m, d).unwrap());
        for g in [
            day(2025, 3, 14),
            day(1000, 12, 31),
            GenDate::Month { year: 7, month: 1 },
            GenDate::Quarter { year: 2025, quarter: 4 },
            GenDate::Year(0),
            GenDate::Year(-5),
            GenDate::Year(12_345),
            GenDate::Month { year: 2025, month: 123 },
        ] {
            assert_eq!(serde_json::to_string(&g).unwrap(), format!("{:?}", g.to_string()), "{g:?}");
        }
    }
}

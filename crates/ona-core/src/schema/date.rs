//! Calendar dates (proleptic Gregorian, ISO 8601 `YYYY-MM-DD`), with the arithmetic the standard
//! needs: days between dates, adding days and months.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A calendar date without time or zone, written `YYYY-MM-DD`.
///
/// Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// The text is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid YYYY-MM-DD date: {0:?}")]
pub struct BadDate(pub String);

/// Whether `year` is a leap year in the Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date from its parts, or `None` if the parts do not name a real day (years 1000–9999).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The quarter of the year, 1–4.
    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01, if it lies in years 1000–9999.
    pub fn from_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days on unsigned numbers (days since 0000-03-01): a date
        // before year 0 is out of range anyway, and unsigned division by a constant is cheap.
        let z = u64::try_from(days.checked_add(719_468)?).ok()?;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + u64::from(month <= 2);
        // Month and day are a real calendar day by construction; only the year is checked.
        (1000..=9999).contains(&year).then_some(Date { year: year as i32, month, day })
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_days(self.to_days() + n)
    }

    /// The same day `n` months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
    pub fn add_months(self, n: i32) -> Option<Date> {
        let total = self.year * 12 + i32::from(self.month) - 1 + n;
        let year = total.div_euclid(12);
        let month = (total.rem_euclid(12) + 1) as u8;
        let day = self.day.min(days_in_month(year, month));
        Date::new(year, month, day)
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }

    /// Completed years of age on `on` for someone born on `self`.
    pub fn age_years_on(self, on: Date) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }

    /// Completed months of age on `on` for someone born on `self`.
    pub fn age_months_on(self, on: Date) -> i32 {
        let mut months = (on.year - self.year) * 12 + i32::from(on.month) - i32::from(self.month);
        if on.day < self.day {
            months -= 1;
        }
        months
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, BadDate> {
        let b = s.as_bytes();
        let bad = || BadDate(s.to_string());
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let (y, m, d) =
            (num(0..4).ok_or_else(bad)?, num(5..7).ok_or_else(bad)?, num(8..10).ok_or_else(bad)?);
        Date::new(y as i32, m as u8, d as u8).ok_or_else(bad)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_date(f, self.year, &[self.month, self.day], None)
    }
}

impl FromStr for Date {
    type Err = BadDate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::from_text(d, "a date YYYY-MM-DD")
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, ISO 8601 YYYY-MM-DD."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn days_round_trip_and_agree_with_the_signed_algorithm() {
        fn signed(days: i64) -> Option<Date> {
            let z = days + 719_468;
            let era = z.div_euclid(146_097);
            let doe = z - era * 146_097;
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            let mp = (5 * doy + 2) / 153;
            let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
            let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
            let year = yoe + era * 400 + i64::from(month <= 2);
            Date::new(i32::try_from(year).ok()?, month, day)
        }
        // Years 0 to 10,000 and beyond both ends, every 7th day.
        for days in (-800_000i64..3_000_000).step_by(7) {
            let d = Date::from_days(days);
            assert_eq!(d, signed(days), "{days}");
            if let Some(d) = d {
                assert_eq!(d.to_days(), days);
            }
        }
        assert_eq!((Date::from_days(i64::MIN), Date::from_days(i64::MAX)), (None, None));
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in
            ["2023-02-29", "2024-13-01", "2024-00-10", "24-01-01", "2024-1-01", "2024-01-0a", ""]
        {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(d("1970-01-01").to_days(), 0);
        assert_eq!(d("2000-03-01").to_days(), 11_017);
        for n in (-200_000..200_000).step_by(997) {
            assert_eq!(Date::from_days(n).unwrap().to_days(), n);
        }
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(d("2024-01-31").add_months(1).unwrap(), d("2024-02-29"));
        assert_eq!(d("2023-11-15").add_months(3).unwrap(), d("2024-02-15"));
        assert_eq!(d("2024-03-15").add_months(-3).unwrap(), d("2023-12-15"));
    }

    #[test]
    fn ages() {
        assert_eq!(d("2000-06-15").age_years_on(d("2024-06-14")), 23);
        assert_eq!(d("2000-06-15").age_years_on(d("2024-06-15")), 24);
        assert_eq!(d("2024-01-31").age_months_on(d("2024-03-30")), 1);
        assert_eq!(d("2024-01-01").days_until(d("2024-03-01")), 60);
    }
}

//! Dates as partner exports write them: local text formats and Excel serial numbers.

use crate::schema::Date;

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Parses `text` with a format written with `DD`, `D`, `MM`, `M`, `MMM` (English month
/// abbreviation), `YYYY`, `YY` and literal separators (e.g. `DD.MM.YYYY`, `M/D/YYYY`,
/// `DD-MMM-YYYY`). `D` and `M` take one or two digits. Returns
/// `None` when the text does not follow the format or is not a real date.
pub fn parse_with_format(text: &str, format: &str) -> Option<Date> {
    let (mut year, mut month, mut day) = (None, None, None);
    let mut t = text.trim().as_bytes();
    let mut f = format.as_bytes();
    while !f.is_empty() {
        let (token, width): (&[u8], (usize, usize)) = match f {
            [b'Y', b'Y', b'Y', b'Y', ..] => (b"YYYY", (4, 4)),
            [b'Y', b'Y', ..] => (b"YY", (2, 2)),
            [b'M', b'M', b'M', ..] => {
                // English month abbreviation (Primero writes `07-Mar-2024`).
                let word = t.get(..3)?.to_ascii_lowercase();
                let m = MONTHS.iter().position(|m| m.as_bytes() == word.as_slice())?;
                month = Some(m as i32 + 1);
                t = &t[3..];
                f = &f[3..];
                continue;
            }
            [b'D', b'D', ..] => (b"DD", (2, 2)),
            [b'M', b'M', ..] => (b"MM", (2, 2)),
            [b'D', ..] => (b"D", (1, 2)),
            [b'M', ..] => (b"M", (1, 2)),
            [c, ..] => {
                // A literal separator must match exactly.
                if t.first() != Some(c) {
                    return None;
                }
                t = &t[1..];
                f = &f[1..];
                continue;
            }
            [] => break,
        };
        let digits = t.iter().take(width.1).take_while(|b| b.is_ascii_digit()).count();
        if digits < width.0 {
            return None;
        }
        let n: i32 = std::str::from_utf8(&t[..digits]).ok()?.parse().ok()?;
        t = &t[digits..];
        f = &f[token.len()..];
        match token {
            b"YYYY" => year = Some(n),
            // Two-digit years: 00–49 are 2000–2049, 50–99 are 1950–1999.
            b"YY" => year = Some(if n < 50 { 2000 + n } else { 1900 + n }),
            b"DD" | b"D" => day = Some(n),
            _ => month = Some(n),
        }
    }
    if !t.is_empty() {
        return None;
    }
    Date::new(year?, u8::try_from(month?).ok()?, u8::try_from(day?).ok()?)
}

/// Converts an Excel serial day number to a date in the 1900 or 1904 date system. Fractions
/// (the time of day) are dropped. Serial 60 of the 1900 system is Excel's non-existent
/// 1900-02-29 and is refused.
pub fn from_excel_serial(serial: f64, system: u32) -> Option<Date> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    let epoch = |y, m, d| Date::new(y, m, d).map(Date::to_days);
    let days = match system {
        1904 => epoch(1904, 1, 1)? + whole,
        1900 => match whole {
            0 | 60 => return None,
            1..=59 => epoch(1899, 12, 31)? + whole,
            _ => epoch(1899, 12, 30)? + whole,
        },
        _ => return None,
    };
    Date::from_days(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn local_formats() {
        assert_eq!(parse_with_format("07.03.1994", "DD.MM.YYYY"), Some(d("1994-03-07")));
        assert_eq!(parse_with_format("3/7/1994", "M/D/YYYY"), Some(d("1994-03-07")));
        assert_eq!(parse_with_format("07/03/94", "DD/MM/YY"), Some(d("1994-03-07")));
        assert_eq!(parse_with_format("07/03/04", "DD/MM/YY"), Some(d("2004-03-07")));
        assert_eq!(parse_with_format("07-Mar-1994", "DD-MMM-YYYY"), Some(d("1994-03-07")));
        assert_eq!(parse_with_format("07-MAR-1994", "DD-MMM-YYYY"), Some(d("1994-03-07")));
        assert_eq!(parse_with_format("07-Mrz-1994", "DD-MMM-YYYY"), None);
        assert_eq!(parse_with_format("1994-03-07", "DD.MM.YYYY"), None);
        assert_eq!(parse_with_format("31.02.1994", "DD.MM.YYYY"), None, "not a real date");
        assert_eq!(parse_with_format("07.03.1994x", "DD.MM.YYYY"), None, "trailing text");
    }

    #[test]
    fn excel_serials_in_both_systems() {
        // Excel shows 45000 as 2023-03-15 (1900 system) and as 2027-03-16 (1904 system).
        assert_eq!(from_excel_serial(45000.0, 1900), Some(d("2023-03-15")));
        assert_eq!(from_excel_serial(45000.75, 1900), Some(d("2023-03-15")));
        assert_eq!(from_excel_serial(45000.0, 1904), Some(d("2027-03-16")));
        assert_eq!(from_excel_serial(1.0, 1900), Some(d("1900-01-01")));
        assert_eq!(from_excel_serial(61.0, 1900), Some(d("1900-03-01")));
        assert_eq!(from_excel_serial(60.0, 1900), None, "Excel's phantom 1900-02-29");
        assert_eq!(from_excel_serial(0.0, 1904), Some(d("1904-01-01")));
        assert_eq!(from_excel_serial(-1.0, 1900), None);
        assert_eq!(from_excel_serial(45000.0, 2000), None);
    }
}

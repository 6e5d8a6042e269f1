//! Times in the directory: seconds since the Unix epoch, shown and read as RFC 3339 UTC. The
//! calendar arithmetic is the standard's own (`schema::Date`), not a second copy.

use crate::schema::Date;

/// The current time in seconds since the Unix epoch (0 if the clock is before it).
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `2026-12-07T10:00:00Z` for a time in seconds.
pub fn format_time(secs: u64) -> String {
    let rem = secs % 86_400;
    // `Date` covers the years 1000–9999; a time outside them is shown as seconds.
    let (y, m, d) = match Date::from_days((secs / 86_400) as i64) {
        Some(date) => (date.year(), date.month(), date.day()),
        None => return format!("{secs}s"),
    };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// Reads `now`, seconds since the epoch, `YYYY-MM-DD` (midnight UTC) or
/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse_time(text: &str) -> Result<u64, String> {
    let err = || format!("`{text}` is not a time: use YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or seconds");
    if text == "now" {
        return Ok(now());
    }
    if text.bytes().all(|c| c.is_ascii_digit()) {
        return text.parse().map_err(|_| err());
    }
    let (date, clock) = match text.split_once('T') {
        Some((d, c)) => (d, Some(c.strip_suffix('Z').ok_or_else(err)?)),
        None => (text, None),
    };
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
            .ok_or_else(err)
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts[..] else { return Err(err()) };
    let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
    let day = Date::new(y as i32, m as u8, d as u8).ok_or_else(err)?;
    let secs_of_day = match clock {
        None => 0,
        Some(c) => {
            let parts: Vec<&str> = c.split(':').collect();
            let [h, mi, s] = parts[..] else { return Err(err()) };
            let (h, mi, s) = (num(h, 2)?, num(mi, 2)?, num(s, 2)?);
            if h > 23 || mi > 59 || s > 59 {
                return Err(err());
            }
            h * 3600 + mi * 60 + s
        }
    };
    let secs = day.to_days() * 86_400 + secs_of_day;
    u64::try_from(secs).map_err(|_| err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_and_bad_ones_are_refused() {
        assert_eq!(parse_time("1970-01-01").unwrap(), 0);
        assert_eq!(parse_time("2026-01-01").unwrap(), 1_767_225_600);
        assert_eq!(parse_time("2024-02-29T23:59:59Z").unwrap(), 1_709_251_199);
        assert_eq!(format_time(1_709_251_199), "2024-02-29T23:59:59Z");
        for t in [0u64, 951_782_400, 1_767_225_600, 4_102_444_800] {
            assert_eq!(parse_time(&format_time(t)).unwrap(), t);
        }
        for bad in ["2026-02-30", "2026-13-01", "26-01-01", "2026-01-01T25:00:00Z", "x", ""] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}

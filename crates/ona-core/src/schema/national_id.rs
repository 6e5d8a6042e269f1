//! National identification numbers of the six network countries: structure, embedded birth date
//! and check digits.
//!
//! | type | digits | structure | check |
//! | --- | --- | --- | --- |
//! | `KZ_IIN` | 12 | YYMMDD, century/sex digit, 4 serial, check | mod 11, two weight passes |
//! | `UZ_PINFL` | 14 | century/sex digit, DDMMYY, 3 district, 3 serial, check | weights 7,3,1 mod 10 |
//! | `KG_PIN` | 14 | sex digit (1 female, 2 male), DDMMYYYY, 5 serial | no public check digit |
//! | `UA_RNOKPP` | 10 | days since 1899-12-31, 3 serial, sex digit, check | weights −1,5,7,9,4,6,10,5,7 mod 11 mod 10 |
//! | `MY_MYKAD` | 12 | YYMMDD, 2 place of birth, 3 serial, sex digit | none; the date part is checked |
//! | `TR_TCKN` | 11 | 9 digits (first non-zero), two check digits | the two TCKN rules |

use super::codes_case::NationalIdType;
use super::date::Date;

/// Why a national ID number is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NationalIdError {
    /// The number holds a character that is neither a digit nor a separator (space, `-`, `.`, `/`).
    #[error("contains characters other than digits")]
    NotDigits,
    /// The number has the wrong number of digits.
    #[error("has {found} digits, expected {expected}")]
    WrongLength {
        /// Digits required.
        expected: usize,
        /// Digits found.
        found: usize,
    },
    /// The embedded birth date is not a real date.
    #[error("its date part is not a valid date")]
    BadDate,
    /// A check digit does not match.
    #[error("its check digit does not match")]
    BadChecksum,
    /// The leading digit is not allowed (e.g. a TCKN starting with 0).
    #[error("its leading digit is not allowed")]
    BadPrefix,
    /// A placeholder typed where the number was not known — one repeated digit, a run such as
    /// `123456789…` or a published test number — even if its check digit happens to match.
    #[error("is a placeholder, not a real number")]
    Placeholder,
}

/// Published test numbers that pass their checks but belong to no one.
const TEST_NUMBERS: &[(NationalIdType, &str)] = &[(NationalIdType::TrTckn, "10000000146")];

/// Whether `ds` (the digits of a number of type `t`, of the right length) is a placeholder:
/// the part before the check digits is one repeated digit or a run up or down
/// (`0123456789…`, `987654…`, wrapping round at 9/0), or it is a known test number.
pub fn is_placeholder(t: NationalIdType, ds: &str) -> bool {
    let b = ds.as_bytes();
    let body = &b[..b.len().saturating_sub(check_len(t))];
    let steps = |step: u8| body.windows(2).all(|w| w[1] == (w[0] - b'0' + step) % 10 + b'0');
    (body.len() >= 2 && (steps(0) || steps(1) || steps(9)))
        || TEST_NUMBERS.iter().any(|(tt, n)| *tt == t && *n == ds)
}

/// The digits of a number written with spaces, dashes, dots or slashes.
pub fn digits(value: &str) -> Result<String, NationalIdError> {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '/' | '\u{a0}' => {}
            _ => return Err(NationalIdError::NotDigits),
        }
    }
    Ok(out)
}

/// Number of digits of this kind of ID.
pub fn length(t: NationalIdType) -> usize {
    match t {
        NationalIdType::KzIin | NationalIdType::MyMykad => 12,
        NationalIdType::UzPinfl | NationalIdType::KgPin => 14,
        NationalIdType::UaRnokpp => 10,
        NationalIdType::TrTckn => 11,
    }
}

fn d(s: &[u8], i: usize) -> u32 {
    u32::from(s[i] - b'0')
}

fn num(s: &[u8], r: std::ops::Range<usize>) -> u32 {
    r.fold(0, |acc, i| acc * 10 + d(s, i))
}

/// Checks a number and returns its canonical form: digits only.
pub fn check(t: NationalIdType, value: &str) -> Result<String, NationalIdError> {
    let ds = digits(value)?;
    let expected = length(t);
    if ds.len() != expected {
        return Err(NationalIdError::WrongLength { expected, found: ds.len() });
    }
    if is_placeholder(t, &ds) {
        return Err(NationalIdError::Placeholder);
    }
    let body = &ds[..expected - check_len(t)];
    if complete(t, body)?.as_deref() != Some(ds.as_str()) {
        return Err(NationalIdError::BadChecksum);
    }
    Ok(ds)
}

fn check_len(t: NationalIdType) -> usize {
    match t {
        NationalIdType::KzIin | NationalIdType::UzPinfl | NationalIdType::UaRnokpp => 1,
        NationalIdType::TrTckn => 2,
        NationalIdType::KgPin | NationalIdType::MyMykad => 0,
    }
}

/// Completes `body` (the number without its check digits) with its check digits.
///
/// Checks the body's structure and date part first. Returns `Ok(None)` for a Kazakh IIN body
/// that has no valid check digit (both weight passes give 10: such numbers are never issued).
pub fn complete(t: NationalIdType, body: &str) -> Result<Option<String>, NationalIdError> {
    let b = body.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) {
        return Err(NationalIdError::NotDigits);
    }
    let expected = length(t) - check_len(t);
    if b.len() != expected {
        return Err(NationalIdError::WrongLength {
            expected: length(t),
            found: b.len() + check_len(t),
        });
    }
    birth_date_of(t, b)?;
    let check = match t {
        NationalIdType::KzIin => {
            let w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
            let w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
            let pass = |w: &[u32; 11]| (0..11).map(|i| d(b, i) * w[i]).sum::<u32>() % 11;
            let mut c = pass(&w1);
            if c == 10 {
                c = pass(&w2);
            }
            if c == 10 {
                return Ok(None);
            }
            c.to_string()
        }
        NationalIdType::UzPinfl => {
            let w = [7, 3, 1];
            ((0..13).map(|i| d(b, i) * w[i % 3]).sum::<u32>() % 10).to_string()
        }
        NationalIdType::UaRnokpp => {
            let w: [i32; 9] = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
            let s: i32 = (0..9).map(|i| d(b, i) as i32 * w[i]).sum();
            (s.rem_euclid(11) % 10).to_string()
        }
        NationalIdType::TrTckn => {
            if b[0] == b'0' {
                return Err(NationalIdError::BadPrefix);
            }
            let odd: i32 = [0, 2, 4, 6, 8].iter().map(|&i| d(b, i) as i32).sum();
            let even: i32 = [1, 3, 5, 7].iter().map(|&i| d(b, i) as i32).sum();
            let c10 = (odd * 7 - even).rem_euclid(10) as u32;
            let c11 = ((0..9).map(|i| d(b, i)).sum::<u32>() + c10) % 10;
            format!("{c10}{c11}")
        }
        NationalIdType::KgPin | NationalIdType::MyMykad => String::new(),
    };
    Ok(Some(format!("{body}{check}")))
}

/// The birth date embedded in a checked number's digits, where the kind of ID carries one.
///
/// MyKad and Kazakh IINs of foreigners write two-digit years; MyKad's century is inferred as
/// the most recent one that does not put the date in the future of `today`, which callers pass.
pub fn birth_date(t: NationalIdType, digits: &str) -> Option<Date> {
    let b = digits.as_bytes();
    (b.len() >= length(t) - check_len(t) && b.iter().all(u8::is_ascii_digit))
        .then(|| birth_date_of(t, b).ok().flatten())
        .flatten()
}

/// Female (`Some(true)`), male (`Some(false)`), or not encoded (`None`).
pub fn is_female(t: NationalIdType, digits: &str) -> Option<bool> {
    let b = digits.as_bytes();
    if b.len() != length(t) {
        return None;
    }
    match t {
        NationalIdType::KzIin => Some(d(b, 6).is_multiple_of(2)),
        NationalIdType::UzPinfl => Some(d(b, 0).is_multiple_of(2)),
        NationalIdType::KgPin => Some(d(b, 0) == 1),
        NationalIdType::UaRnokpp => Some(d(b, 8).is_multiple_of(2)),
        NationalIdType::MyMykad => Some(d(b, 11).is_multiple_of(2)),
        NationalIdType::TrTckn => None,
    }
}

fn birth_date_of(t: NationalIdType, b: &[u8]) -> Result<Option<Date>, NationalIdError> {
    let date = |y: u32, m: u32, dd: u32| {
        Date::new(y as i32, m as u8, dd as u8).map(Some).ok_or(NationalIdError::BadDate)
    };
    match t {
        NationalIdType::KzIin => {
            let century = match d(b, 6) {
                1 | 2 => 1800,
                3 | 4 => 1900,
                5 | 6 => 2000,
                0 => return Ok(None), // foreign residents: no century digit
                _ => return Err(NationalIdError::BadPrefix),
            };
            date(century + num(b, 0..2), num(b, 2..4), num(b, 4..6))
        }
        NationalIdType::UzPinfl => {
            let century = match d(b, 0) {
                1 | 2 => 1800,
                3 | 4 => 1900,
                5 | 6 => 2000,
                _ => return Err(NationalIdError::BadPrefix),
            };
            date(century + num(b, 5..7), num(b, 3..5), num(b, 1..3))
        }
        NationalIdType::KgPin => {
            if !matches!(d(b, 0), 1 | 2) {
                return Err(NationalIdError::BadPrefix);
            }
            date(num(b, 5..9), num(b, 3..5), num(b, 1..3))
        }
        NationalIdType::UaRnokpp => {
            let base = Date::new(1899, 12, 31).map(Date::to_days).unwrap_or_default();
            Ok(Date::from_days(base + i64::from(num(b, 0..5))))
        }
        NationalIdType::MyMykad => {
            let yy = num(b, 0..2);
            // Two-digit year: 00–29 read as 2000s, 30–99 as 1900s (mothers are adults today).
            let y = if yy < 30 { 2000 + yy } else { 1900 + yy };
            date(y, num(b, 2..4), num(b, 4..6))
        }
        NationalIdType::TrTckn => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NationalIdType::*;

    #[test]
    fn known_valid_numbers() {
        // Computed by hand (and cross-checked in Python) from each rule.
        for (t, v) in [
            (TrTckn, "28461937550"),
            (KzIin, "880101300020"),
            (KzIin, "8801 0130 0020"),
            (UzPinfl, "31503901234562"),
            (UaRnokpp, "3005607770"),
            (MyMykad, "900101-14-5678"),
            (KgPin, "21503199012345"),
        ] {
            assert!(check(t, v).is_ok(), "{t} {v}: {:?}", check(t, v));
        }
    }

    #[test]
    fn completion_round_trips_and_single_digit_errors_are_caught() {
        for (t, body) in [
            (KzIin, "88010130002"),
            (UzPinfl, "3150390123456"),
            (UaRnokpp, "300560777"),
            (TrTckn, "284619375"),
        ] {
            let full = complete(t, body).unwrap().unwrap();
            assert_eq!(check(t, &full).unwrap(), full);
            // Every substitution of one digit by another. PINFL (weights 7,3,1 mod 10) and TCKN
            // catch all of them; the mod-11 schemes have known blind spots (IIN: weight 11 on the
            // 11th digit; RNOKPP: remainder 10 folds onto 0), so they catch most.
            let (mut caught, mut total) = (0, 0);
            for i in 0..full.len() {
                for digit in b'0'..=b'9' {
                    let mut b = full.clone().into_bytes();
                    if b[i] == digit {
                        continue;
                    }
                    b[i] = digit;
                    total += 1;
                    caught += usize::from(check(t, &String::from_utf8(b).unwrap()).is_err());
                }
            }
            let rate = caught as f64 / total as f64;
            match t {
                UzPinfl | TrTckn => assert_eq!(caught, total, "{t}"),
                _ => assert!(rate > 0.85, "{t}: {rate}"),
            }
        }
    }

    #[test]
    fn structure_errors() {
        assert_eq!(check(TrTckn, "02846193755"), Err(NationalIdError::BadPrefix));
        assert_eq!(
            check(KzIin, "8801013000"),
            Err(NationalIdError::WrongLength { expected: 12, found: 10 })
        );
        assert_eq!(check(KzIin, "88013130002x"), Err(NationalIdError::NotDigits));
        assert_eq!(check(KzIin, "880101300021"), Err(NationalIdError::BadChecksum));
        assert_eq!(check(MyMykad, "901301-14-5678"), Err(NationalIdError::BadDate));
        assert_eq!(check(KgPin, "31503199012345"), Err(NationalIdError::BadPrefix));
    }

    #[test]
    fn placeholders_are_refused_even_when_their_check_digit_matches() {
        let placeholder = Err(NationalIdError::Placeholder);
        for (t, v) in [
            (KzIin, "000000000000"),
            (KzIin, "111111111111"),
            (KzIin, "123456789012"),
            (UaRnokpp, "0000000000"),
            (UaRnokpp, "1234567890"),
            (UaRnokpp, "9876543210"),
            (UzPinfl, "12345678901234"),
            (UzPinfl, "33333333333333"),
            (KgPin, "11111111111111"),
            (MyMykad, "000000-00-0000"),
            (TrTckn, "11111111110"),
            (TrTckn, "12345678950"),
            (TrTckn, "10000000146"),
            (TrTckn, "98765432100"),
        ] {
            assert_eq!(check(t, v), placeholder, "{t} {v}");
        }
        // The check digit of these placeholders does pass: only the new rule stops them.
        assert_eq!(complete(TrTckn, "111111111").unwrap().as_deref(), Some("11111111110"));
        assert_eq!(complete(TrTckn, "123456789").unwrap().as_deref(), Some("12345678950"));
        assert_eq!(complete(UaRnokpp, "000000000").unwrap().as_deref(), Some("0000000000"));
    }

    #[test]
    fn birth_dates_and_sex() {
        assert_eq!(birth_date(KzIin, "880101300020"), Date::new(1988, 1, 1));
        assert_eq!(birth_date(UzPinfl, "31503901234562"), Date::new(1990, 3, 15));
        assert_eq!(birth_date(UaRnokpp, "3005607770"), Date::new(1982, 4, 16));
        assert_eq!(birth_date(KgPin, "21503199012345"), Date::new(1990, 3, 15));
        assert_eq!(is_female(UaRnokpp, "3005607770"), Some(false));
        assert_eq!(is_female(KgPin, "11503199012345"), Some(true));
    }
}

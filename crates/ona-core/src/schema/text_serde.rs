//! Values written as text (codes, dates, bands): reading them without copying the text, and
//! writing dates without the formatting machinery. Both are on the hot path of every record
//! read or written, in JSON and in the packed form.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Deserialises a `T` from a string by [`FromStr`], straight from the borrowed or transient
/// text (no `String` is made on the way).
pub(crate) fn from_text<'de, D, T>(d: D, expecting: &'static str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    d.deserialize_str(TextVisitor(expecting, PhantomData))
}

struct TextVisitor<T>(&'static str, PhantomData<T>);

impl<T> serde::de::Visitor<'_> for TextVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
        s.parse().map_err(E::custom)
    }
}

/// Writes `YYYY`, then each of `rest` as `-` and two digits (or, for a quarter, `-Qn` when
/// `quarter` is set), the way `write!(f, "{:04}-{:02}…")` would.
pub(crate) fn write_date(
    f: &mut fmt::Formatter<'_>,
    year: i32,
    rest: &[u8],
    quarter: Option<u8>,
) -> fmt::Result {
    let Some(y) = u32::try_from(year).ok().filter(|y| *y <= 9999) else {
        // Not a four-digit year: the general path.
        write!(f, "{year:04}")?;
        for part in rest {
            write!(f, "-{part:02}")?;
        }
        return quarter.map_or(Ok(()), |q| write!(f, "-Q{q}"));
    };
    let mut buf = [0u8; 16];
    buf[..4].copy_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ]);
    let mut n = 4;
    for &part in rest.iter().take(4) {
        if part > 99 {
            return write!(f, "{}-{part}", std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?);
        }
        buf[n..n + 3].copy_from_slice(&[b'-', b'0' + part / 10, b'0' + part % 10]);
        n += 3;
    }
    let text = std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?;
    f.write_str(text)?;
    quarter.map_or(Ok(()), |q| write!(f, "-Q{q}"))
}

#[cfg(test)]
mod tests {
    use super::write_date;
    use std::fmt;

    struct D(i32, Vec<u8>, Option<u8>);
    impl fmt::Display for D {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_date(f, self.0, &self.1, self.2)
        }
    }

    #[test]
    fn dates_are_written_like_the_format_macro() {
        assert_eq!(D(2025, vec![3, 14], None).to_string(), "2025-03-14");
        assert_eq!(D(2025, vec![11], None).to_string(), "2025-11");
        assert_eq!(D(7, vec![], Some(2)).to_string(), "0007-Q2");
        assert_eq!(D(-5, vec![1], None).to_string(), format!("{:04}-{:02}", -5, 1));
        assert_eq!(D(12345, vec![], None).to_string(), "12345");
    }
}

//! The one decimal of a share or a mean, as a JSON number.

/// One decimal of `num / den × scale`, rounded half up, as a JSON number.
pub(crate) fn ratio(num: u64, den: u64, scale: u64) -> serde_json::Number {
    let tenths =
        (u128::from(num) * u128::from(scale) * 20 + u128::from(den)) / (2 * u128::from(den));
    if tenths % 10 == 0 {
        serde_json::Number::from((tenths / 10) as u64)
    } else {
        serde_json::Number::from_f64(tenths as f64 / 10.0).unwrap_or_else(|| 0.into())
    }
}

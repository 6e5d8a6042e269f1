//! Numbers, percentages and country names in the reader's language, from the Unicode CLDR data
//! compiled into ICU4X: grouping and decimal separators (`56,411` / `56 411` / `56.411`),
//! percent patterns (`86.1%`, `86,1 %`, `%86,1`) and territory names (`Қазақстан`, `Türkiye`).
//! Nothing here is written by hand: a wrong separator would be a wrong figure to a reader.

use super::periods::period_label;
use crate::schema::Lang;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::subtags::Region;
use icu_locale_core::Locale;

/// The formatters of one language, made once per page.
pub(in crate::report::output) struct Local {
    /// The language of the page.
    pub lang: Lang,
    decimal: Option<DecimalFormatter>,
    percent: Option<PercentFormatter<DecimalFormatter>>,
    regions: Option<RegionDisplayNames>,
}

impl Local {
    /// The formatters for `lang`. ICU4X's compiled data holds all seven languages (a test checks
    /// it); should a formatter still be missing, numbers fall back to plain digits and countries to
    /// their codes, never to a wrong figure.
    pub fn new(lang: Lang) -> Local {
        let locale: Option<Locale> = lang.code().parse().ok();
        let decimal = locale
            .clone()
            .and_then(|l| DecimalFormatter::try_new(l.into(), Default::default()).ok());
        let percent = locale
            .clone()
            .and_then(|l| PercentFormatter::try_new(l.into(), Default::default()).ok());
        let regions =
            locale.and_then(|l| RegionDisplayNames::try_new(l.into(), Default::default()).ok());
        Local { lang, decimal, percent, regions }
    }

    /// Whether every formatter was found for the language.
    #[cfg(test)]
    fn complete(&self) -> bool {
        self.decimal.is_some() && self.percent.is_some() && self.regions.is_some()
    }

    /// A whole number (`56,411`).
    pub fn count(&self, n: i64) -> String {
        let d = Decimal::from(n);
        self.decimal.as_ref().map_or_else(|| d.to_string(), |f| f.format(&d).to_string())
    }

    /// A number given in tenths, written with exactly one decimal (`86.1`, `87.0`): the page
    /// shows every share and mean with the same number of decimals.
    pub fn tenths(&self, tenths: i64) -> String {
        let d = one_decimal(tenths);
        self.decimal.as_ref().map_or_else(|| d.to_string(), |f| f.format(&d).to_string())
    }

    /// A percentage given in tenths of a percent, with one decimal (`86.1%`, `%86,1`).
    pub fn percent_tenths(&self, tenths: i64) -> String {
        let d = one_decimal(tenths);
        self.percent.as_ref().map_or_else(|| format!("{d}%"), |f| f.format(&d).to_string())
    }

    /// A whole percentage, for chart axes (`50%`, `%50`).
    pub fn percent_whole(&self, n: i64) -> String {
        let d = Decimal::from(n);
        self.percent.as_ref().map_or_else(|| format!("{d}%"), |f| f.format(&d).to_string())
    }

    /// A decimal given as text (`0.5`) in the reader's language (`0,5`), if it is one.
    pub fn decimal_text(&self, text: &str) -> Option<String> {
        let d = Decimal::try_from_str(text.trim()).ok()?;
        Some(self.decimal.as_ref().map_or_else(|| d.to_string(), |f| f.format(&d).to_string()))
    }

    /// The name of a country (ISO 3166-1 alpha-2) in the reader's language, or its code.
    pub fn country(&self, code: &str) -> String {
        code.parse::<Region>()
            .ok()
            .and_then(|r| self.regions.as_ref()?.of(r))
            .map_or_else(|| code.to_string(), str::to_string)
    }

    /// A period code in the reader's language (`Q3 2025`, `3 кв. 2025`).
    pub fn period(&self, code: &str) -> String {
        period_label(code, self.lang)
    }
}

/// `tenths / 10` as a decimal with exactly one fraction digit.
fn one_decimal(tenths: i64) -> Decimal {
    let mut d = Decimal::from(tenths);
    d.multiply_pow10(-1);
    d
}

/// A value in tenths (rounded half away from zero), as the page writes shares and means.
pub(super) fn to_tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const NBSP: char = '\u{a0}';

    #[test]
    fn every_language_has_its_formatters() {
        for lang in Lang::ALL {
            assert!(Local::new(lang).complete(), "{lang}");
        }
    }

    #[test]
    fn numbers_carry_the_readers_separators() {
        let f = |lang: Lang| Local::new(lang);
        assert_eq!(f(Lang::En).count(56_411), "56,411");
        assert_eq!(f(Lang::Ms).count(56_411), "56,411");
        assert_eq!(f(Lang::Tr).count(56_411), "56.411");
        for lang in [Lang::Ru, Lang::Kk, Lang::Uz, Lang::Uk] {
            assert_eq!(f(lang).count(56_411), format!("56{NBSP}411"), "{lang}");
            assert_eq!(f(lang).tenths(861), "86,1", "{lang}");
        }
        assert_eq!(f(Lang::En).tenths(870), "87.0");
        assert_eq!(f(Lang::En).count(-3), "-3");
    }

    #[test]
    fn percentages_follow_the_locales_pattern() {
        assert_eq!(Local::new(Lang::En).percent_tenths(861), "86.1%");
        assert_eq!(Local::new(Lang::Tr).percent_tenths(861), "%86,1");
        assert_eq!(Local::new(Lang::Ru).percent_tenths(861), format!("86,1{NBSP}%"));
        assert_eq!(Local::new(Lang::Uk).percent_tenths(870), "87,0%");
        assert_eq!(Local::new(Lang::Tr).percent_whole(50), "%50");
    }

    #[test]
    fn countries_are_named_in_the_readers_language() {
        assert_eq!(Local::new(Lang::En).country("KZ"), "Kazakhstan");
        assert_eq!(Local::new(Lang::Kk).country("KZ"), "Қазақстан");
        assert_eq!(Local::new(Lang::Tr).country("UA"), "Ukrayna");
        assert_eq!(Local::new(Lang::Uk).country("UA"), "Україна");
        // An unknown or malformed code is shown as it is, not dropped.
        assert_eq!(Local::new(Lang::En).country("unknown"), "unknown");
    }
}

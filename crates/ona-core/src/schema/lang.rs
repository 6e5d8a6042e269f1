//! The seven languages of codelist labels and validation messages.

use std::fmt;
use std::str::FromStr;

/// A language in which ona labels codes and explains problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English (`en`).
    #[default]
    En,
    /// Russian (`ru`).
    Ru,
    /// Kazakh (`kk`), Cyrillic script.
    Kk,
    /// Uzbek (`uz`), Latin script.
    Uz,
    /// Ukrainian (`uk`).
    Uk,
    /// Malay (`ms`).
    Ms,
    /// Turkish (`tr`).
    Tr,
}

impl Lang {
    /// Every supported language, in a fixed order.
    pub const ALL: [Lang; 7] =
        [Lang::En, Lang::Ru, Lang::Kk, Lang::Uz, Lang::Uk, Lang::Ms, Lang::Tr];

    /// The ISO 639-1 code of the language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::Uz => "uz",
            Lang::Uk => "uk",
            Lang::Ms => "ms",
            Lang::Tr => "tr",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The language code given is not one of the seven supported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?}: use one of en, ru, kk, uz, uk, ms, tr")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let base = lower.split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|l| l.code() == base).ok_or_else(|| UnknownLang(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_regional_tags() {
        assert_eq!("ru".parse::<Lang>().unwrap(), Lang::Ru);
        assert_eq!("uz-Latn".parse::<Lang>().unwrap(), Lang::Uz);
        assert_eq!("KK".parse::<Lang>().unwrap(), Lang::Kk);
        assert!("de".parse::<Lang>().is_err());
        for l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>().unwrap(), l);
        }
    }
}

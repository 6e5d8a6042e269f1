//! A self-contained HTML page for the people who read the network's results — programme
//! directors, ministries, donors — in any of the seven languages.
//!
//! In this order: the key figures (women and children served, children with their mother at exit,
//! at 6 and at 12 months, relinquishment prevented, each share with its numerator and
//! denominator); the trend of each headline share over periods, admissions and exits, and the
//! table behind the charts; a table by country (and centre); services, referral sources and risk
//! factors; the definition of every indicator; the period covered, the date produced, the source
//! and how disclosure control was applied, in plain words.
//!
//! Every number is written by CLDR's rules for the language (ICU4X): separators, decimal mark,
//! percent pattern; countries carry their CLDR names; periods and codes their labels. Charts are
//! inline SVG with axes from zero, partial periods shaded, withheld figures as gaps (never zeros)
//! and a title and description for screen readers. No script, no network access, one file; a
//! print stylesheet lays it out on A4.
//!
//! Suppressed figures (`OBS_STATUS` Q) read “suppressed”, figures the report cannot give (M, e.g.
//! a merged median) “not available” — never as numbers.

pub(super) mod about;
mod breakdowns;
mod charts;
mod figure;
mod headline;
pub(super) mod locale;
pub(super) mod notes;
mod partial;
mod periods;
mod style;
pub(super) mod words;

use crate::report::model::Report;
use crate::schema::{Date, Lang};
use locale::Local;
use std::fmt::Write;
use words::{word, Word};

/// The colours of the page's charts: the Okabe–Ito palette, told apart with any common form of
/// colour blindness. Each headline share keeps its colour from the tiles to the trend charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Children with their mother at exit; the by-country chart.
    Blue,
    /// With their mother at 6 months.
    Green,
    /// With their mother at 12 months.
    Orange,
    /// Relinquishment prevented.
    Purple,
    /// Admissions; referral sources.
    Sky,
    /// Exits; risk factors.
    Vermillion,
    /// Services.
    Yellow,
}

impl Colour {
    /// Every colour of the page's charts.
    pub const ALL: [Colour; 7] = [
        Colour::Blue,
        Colour::Green,
        Colour::Orange,
        Colour::Purple,
        Colour::Sky,
        Colour::Vermillion,
        Colour::Yellow,
    ];

    /// The colour as `#rrggbb`.
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Blue => "#0072b2",
            Colour::Green => "#009e73",
            Colour::Orange => "#e69f00",
            Colour::Purple => "#cc79a7",
            Colour::Sky => "#56b4e9",
            Colour::Vermillion => "#d55e00",
            Colour::Yellow => "#f0e442",
        }
    }
}

/// Escapes text for HTML and SVG.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Today's date (UTC).
pub(super) fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    Date::from_days(days).unwrap_or_else(|| Date::new(1970, 1, 1).expect("1970-01-01 is a date"))
}

impl Report {
    /// A self-contained HTML page in `lang`, produced today.
    pub fn to_html(&self, lang: Lang) -> String {
        self.to_html_on(lang, today())
    }

    /// A self-contained HTML page in `lang`, stating `produced` as the date it was produced.
    pub fn to_html_on(&self, lang: Lang, produced: Date) -> String {
        let l = Local::new(lang);
        let title = word(Word::Title, lang);
        let mut h = String::with_capacity(64 * 1024);
        let _ = write!(
            h,
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{}</style></head><body><main>",
            lang.code(),
            esc(title),
            style::CSS
        );
        let names: Vec<String> = self.provenance.countries.iter().map(|c| l.country(c)).collect();
        let _ =
            write!(h, "<h1>{}</h1><p class=\"meta\">{}</p>", esc(title), esc(&names.join(", ")));
        let _ = write!(
            h,
            "<p class=\"meta\">{}: {} · {}: {}</p>",
            esc(word(Word::Covered, lang)),
            esc(&about::covered(self, &l)),
            esc(word(Word::Produced, lang)),
            produced
        );
        h.push_str(&headline::key_figures(self, &l));
        h.push_str(&headline::trends(self, &l));
        h.push_str(&breakdowns::by_country(self, &l));
        h.push_str(&breakdowns::mixes(self, &l));
        h.push_str(&about::definitions(self, &l));
        h.push_str(&about::about(self, &l, produced));
        h.push_str("</main></body></html>\n");
        h
    }
}

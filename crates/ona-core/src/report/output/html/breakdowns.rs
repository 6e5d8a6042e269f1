//! The breakdowns: a table by country (and by centre where the report has centres), the share
//! kept with their mothers by country, and the mix of services, referral sources and risk
//! factors — every country and code named in the reader's language.

use super::charts::BarChart;
use super::figure::Figure;
use super::headline::{n_of, HEADLINES};
use super::locale::Local;
use super::words::{word, Word};
use super::{esc, Colour};
use crate::report::dimensions::{Dimension, TOTAL};
use crate::report::indicators::Indicator as I;
use crate::report::model::Report;
use crate::schema::{labels, Codelist, Lang, ReferralSource, RiskFactor, ServiceType};
use std::fmt::Write;

/// A row of the country table: where, its label, and whether it is a centre under a country.
struct Row {
    at: Vec<(Dimension, String)>,
    label: String,
    class: &'static str,
}

/// The countries of the report with their names in the reader's language, in the report's
/// order (by ISO code: the same order in every language, where sorting by name would need each
/// language's collation — `Қ` after `У` by code point).
fn countries(r: &Report, l: &Local) -> Vec<(String, String)> {
    r.provenance.countries.iter().map(|c| (c.clone(), l.country(c))).collect()
}

/// The centres of a country that have cells of their own (a report broken down by centre).
fn centres(r: &Report, country: &str) -> Vec<String> {
    let mut v: Vec<String> = r
        .of(I::WomenServed)
        .filter(|o| o.dims.get("country").map(String::as_str) == Some(country))
        .filter_map(|o| o.dims.get("centre").filter(|c| *c != TOTAL).cloned())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The table by country (and centre), with the region's total when there are several countries.
pub(super) fn by_country(r: &Report, l: &Local) -> String {
    let mut rows = Vec::new();
    for (code, name) in countries(r, l) {
        rows.push(Row { at: vec![(Dimension::Country, code.clone())], label: name, class: "" });
        for c in centres(r, &code) {
            rows.push(Row {
                at: vec![(Dimension::Country, code.clone()), (Dimension::Centre, c.clone())],
                label: c,
                class: "centre",
            });
        }
    }
    if r.provenance.countries.len() > 1 {
        rows.push(Row {
            at: Vec::new(),
            label: word(Word::AllCountries, l.lang).to_string(),
            class: "total",
        });
    }
    let mut s = format!(
        "<h2>{}</h2><table><thead><tr><th>{}</th>",
        esc(word(Word::ByCountry, l.lang)),
        esc(word(Word::Country, l.lang))
    );
    for w in [Word::Women, Word::Children] {
        let _ = write!(s, "<th>{}</th>", esc(word(w, l.lang)));
    }
    for h in &HEADLINES {
        let _ = write!(s, "<th>{}</th>", esc(word(h.word, l.lang)));
    }
    s.push_str("</tr></thead><tbody>");
    for row in &rows {
        let at: Vec<(Dimension, &str)> = row.at.iter().map(|(d, v)| (*d, v.as_str())).collect();
        let (tr, td) = match row.class {
            "total" => (" class=\"total\"", ""),
            "centre" => ("", " class=\"centre\""),
            _ => ("", ""),
        };
        let _ = write!(s, "<tr{tr}><td{td}>{}</td>", esc(&row.label));
        for i in [I::WomenServed, I::ChildrenServed] {
            let _ = write!(s, "<td>{}</td>", esc(&Figure::at(r, i, &at).text_pm(l)));
        }
        for h in &HEADLINES {
            let f = Figure::at(r, h.share, &at);
            let sub = n_of(r, h, &at, l)
                .map(|t| format!("<br><small>{}</small>", esc(&t)))
                .unwrap_or_default();
            let _ = write!(s, "<td>{}{sub}</td>", esc(&f.text_pm(l)));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    let rows: Vec<(String, Figure)> = countries(r, l)
        .into_iter()
        .map(|(code, name)| {
            (name, Figure::at(r, I::ShareWithMotherAtExit, &[(Dimension::Country, &code)]))
        })
        .collect();
    let title = word(Word::KeptChart, l.lang);
    let chart =
        BarChart { id: "kept", title, colour: Colour::Blue.hex(), rows: &rows, percent: true };
    let _ = write!(s, "<figure><figcaption>{}</figcaption>{}</figure>", esc(title), chart.svg(l));
    s
}

/// The label of `code` of codelist `list` in `lang` (English, then the code, when missing).
fn code_label(list: &str, code: &str, lang: Lang) -> String {
    labels::label(list, code, lang)
        .or_else(|| labels::label(list, code, Lang::En))
        .unwrap_or(code)
        .to_string()
}

/// A chart of an indicator broken down by a codelist dimension.
struct Mix {
    id: &'static str,
    word: Word,
    indicator: I,
    dim: Dimension,
    list: &'static str,
    colour: Colour,
}

/// Services, referral sources and risk factors, in the order of the page.
const MIXES: [Mix; 3] = [
    Mix {
        id: "services",
        word: Word::Services,
        indicator: I::ServicesDelivered,
        dim: Dimension::ServiceType,
        list: ServiceType::LIST,
        colour: Colour::Yellow,
    },
    Mix {
        id: "referrals",
        word: Word::Referrals,
        indicator: I::Referrals,
        dim: Dimension::ReferralSource,
        list: ReferralSource::LIST,
        colour: Colour::Sky,
    },
    Mix {
        id: "risks",
        word: Word::Risks,
        indicator: I::RiskPrevalence,
        dim: Dimension::RiskFactor,
        list: RiskFactor::LIST,
        colour: Colour::Vermillion,
    },
];

/// One chart of `m`, largest first (nothing when the report has no such cells).
fn mix(r: &Report, l: &Local, m: &Mix) -> String {
    let codes = crate::schema::codelist(m.list).map(|c| c.codes).unwrap_or_default();
    let mut rows: Vec<(String, Figure)> = codes
        .iter()
        .filter_map(|c| {
            let o = r.cell(m.indicator, &[(m.dim, c)])?;
            Some((code_label(m.list, c, l.lang), Figure::of(Some(o))))
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    rows.sort_by(|a, b| b.1.shown().unwrap_or(-1.0).total_cmp(&a.1.shown().unwrap_or(-1.0)));
    let title = word(m.word, l.lang);
    let percent = rows.iter().any(|r| r.1.unit == "PERCENT");
    let chart = BarChart { id: m.id, title, colour: m.colour.hex(), rows: &rows, percent };
    format!("<figure><h3>{}</h3>{}</figure>", esc(title), chart.svg(l))
}

/// Services, referral sources and risk factors.
pub(super) fn mixes(r: &Report, l: &Local) -> String {
    let mut s = format!("<h2>{}</h2>", esc(word(Word::Mix, l.lang)));
    for m in &MIXES {
        s.push_str(&mix(r, l, m));
    }
    s
}

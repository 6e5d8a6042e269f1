//! The top of the page: the key figures (with their denominators) and the trend of each headline
//! share over periods, with the table of the figures behind the charts.

use super::charts::{legend, LineChart, PairChart};
use super::figure::{Figure, State};
use super::locale::Local;
use super::notes::{note, Note};
use super::partial::partial_periods;
use super::words::{fill, word, Word};
use super::{esc, Colour};
use crate::report::dimensions::Dimension;
use crate::report::indicators::Indicator as I;
use crate::report::model::Report;
use std::fmt::Write;

/// A headline share: its words, colour, and the counts it is made of.
pub(super) struct Headline {
    /// Its name on the page.
    pub word: Word,
    /// Its colour in tiles and charts.
    pub colour: Colour,
    /// The share.
    pub share: I,
    /// Its numerator count.
    pub numerator: I,
    /// Its denominator count.
    pub denominator: I,
    /// How “n of d” reads.
    pub of: Word,
}

/// The four headline shares, in the order of the page.
pub(super) const HEADLINES: [Headline; 4] = [
    Headline {
        word: Word::AtExit,
        colour: Colour::Blue,
        share: I::ShareWithMotherAtExit,
        numerator: I::WithMotherAtExit,
        denominator: I::ExitChildren,
        of: Word::NOfChildren,
    },
    Headline {
        word: Word::At6m,
        colour: Colour::Green,
        share: I::ShareWithMother6,
        numerator: I::FollowUp6WithMother,
        denominator: I::FollowUp6Due,
        of: Word::NOfChildren,
    },
    Headline {
        word: Word::At12m,
        colour: Colour::Orange,
        share: I::ShareWithMother12,
        numerator: I::FollowUp12WithMother,
        denominator: I::FollowUp12Due,
        of: Word::NOfChildren,
    },
    Headline {
        word: Word::Prevented,
        colour: Colour::Purple,
        share: I::ShareRelinquishmentPrevented,
        numerator: I::RelinquishmentPrevented,
        denominator: I::IntentExits,
        of: Word::NOfPrevented,
    },
];

/// “25,101 of 29,018 women who intended to give up their child”, when both counts are published.
pub(super) fn n_of(
    r: &Report,
    h: &Headline,
    at: &[(Dimension, &str)],
    l: &Local,
) -> Option<String> {
    let (n, d) = (Figure::at(r, h.numerator, at), Figure::at(r, h.denominator, at));
    n.shown()?;
    d.shown()?;
    Some(fill(h.of, l.lang, &[("n", &n.text_pm(l)), ("d", &d.text_pm(l))]))
}

/// The key figures as tiles.
pub(super) fn key_figures(r: &Report, l: &Local) -> String {
    let mut s = format!("<h2>{}</h2><div class=\"tiles\">", esc(word(Word::KeyFigures, l.lang)));
    for (w, i) in [
        (Word::Women, I::WomenServed),
        (Word::Children, I::ChildrenServed),
        (Word::MedianStay, I::LengthOfStayMedian),
    ] {
        let f = Figure::at(r, i, &[]);
        let _ = write!(
            s,
            "<div class=\"tile\"><b>{}</b><span>{}</span></div>",
            tile_value(&f, l),
            esc(word(w, l.lang))
        );
    }
    s.push_str("</div><div class=\"tiles shares\">");
    for h in &HEADLINES {
        let f = Figure::at(r, h.share, &[]);
        let sub =
            n_of(r, h, &[], l).map(|t| format!("<small>{}</small>", esc(&t))).unwrap_or_default();
        let _ = write!(s, "<div class=\"tile\" style=\"border-left-color:{}\"><b>{}</b><span>{}</span>{sub}</div>", h.colour.hex(), tile_value(&f, l), esc(word(h.word, l.lang)));
    }
    s.push_str("</div>");
    s
}

/// A tile's figure as HTML: the value, and under it, smaller, its 95 % interval when noise was
/// added.
fn tile_value(f: &Figure, l: &Local) -> String {
    match f.interval_text(l) {
        Some(i) => format!("{} <em class=\"ci\">{}</em>", esc(&f.text(l)), esc(&i)),
        None => esc(&f.text(l)),
    }
}

/// The period codes of the report's period dimension, in order.
pub(super) fn period_codes(r: &Report) -> (Dimension, Vec<String>) {
    let dim = r.dimensions().into_iter().find(|d| d.is_period()).unwrap_or(Dimension::Year);
    let mut codes: Vec<String> = r
        .observations
        .iter()
        .filter_map(|o| o.dims.get(dim.id()))
        .filter(|v| *v != crate::report::TOTAL)
        .cloned()
        .collect();
    codes.sort();
    codes.dedup();
    (dim, codes)
}

/// A series over periods, and which of its periods are partial (judged on `count`).
fn series(
    r: &Report,
    dim: Dimension,
    codes: &[String],
    shown: I,
    count: I,
) -> (Vec<Figure>, Vec<bool>) {
    let figures: Vec<Figure> = codes.iter().map(|c| Figure::at(r, shown, &[(dim, c)])).collect();
    let counts: Vec<Option<f64>> = codes
        .iter()
        .map(|c| {
            let f = Figure::at(r, count, &[(dim, c)]);
            // A period with no cell at all holds no such event: a count of zero.
            if f.state == State::Absent {
                Some(0.0)
            } else {
                f.shown()
            }
        })
        .collect();
    (figures, partial_periods(&counts))
}

/// The trends: one chart per headline share, admissions and exits, and the table behind them.
pub(super) fn trends(r: &Report, l: &Local) -> String {
    let (dim, codes) = period_codes(r);
    if codes.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = codes.iter().map(|c| l.period(c)).collect();
    let mut s = format!("<h2>{}</h2><div class=\"grid2\">", esc(word(Word::Trends, l.lang)));
    let mut columns: Vec<(String, Vec<Figure>, Vec<bool>)> = Vec::new();
    for (k, h) in HEADLINES.iter().enumerate() {
        let (points, partial) = series(r, dim, &codes, h.share, h.denominator);
        let title = word(h.word, l.lang);
        let chart = LineChart {
            id: &format!("trend{k}"),
            title,
            colour: h.colour.hex(),
            periods: &labels,
            points: &points,
            partial: &partial,
        };
        let _ =
            write!(s, "<figure><figcaption>{}</figcaption>{}</figure>", esc(title), chart.svg(l));
        columns.push((title.to_string(), points, partial));
    }
    s.push_str("</div>");
    let (adm, adm_p) = series(r, dim, &codes, I::Admissions, I::Admissions);
    let (ex, ex_p) = series(r, dim, &codes, I::Exits, I::Exits);
    let title = word(Word::AdmissionsExits, l.lang);
    let (wa, we) = (word(Word::Admissions, l.lang), word(Word::Exits, l.lang));
    let chart = PairChart {
        id: "flow",
        title,
        periods: &labels,
        series: [(wa, Colour::Sky.hex(), &adm, &adm_p), (we, Colour::Vermillion.hex(), &ex, &ex_p)],
    };
    let _ = write!(s, "<figure><figcaption>{}</figcaption>{}</figure>", esc(title), chart.svg(l));
    columns.push((wa.to_string(), adm, adm_p));
    columns.push((we.to_string(), ex, ex_p));
    let interval = columns.iter().any(|c| c.1.iter().any(|f| f.interval.is_some()));
    let gaps = columns.iter().any(|c| c.1.iter().any(|f| f.state == State::Suppressed));
    let _ = write!(s, "<p>{}</p>", legend(l, interval));
    let mut notes = vec![note(Note::Partial, l.lang)];
    if gaps {
        notes.push(note(Note::Gap, l.lang));
    }
    let _ = write!(s, "<p class=\"note\">{}</p>", esc(&notes.join(" ")));
    s.push_str(&trend_table(&labels, &columns, l));
    s
}

/// The figures behind the trend charts: a row per period, partial periods marked.
fn trend_table(
    labels: &[String],
    columns: &[(String, Vec<Figure>, Vec<bool>)],
    l: &Local,
) -> String {
    let mut s = format!("<table><thead><tr><th>{}</th>", esc(word(Word::Period, l.lang)));
    for (name, _, _) in columns {
        let _ = write!(s, "<th>{}</th>", esc(name));
    }
    s.push_str("</tr></thead><tbody>");
    let part = word(Word::Partial, l.lang);
    for (i, label) in labels.iter().enumerate() {
        let _ = write!(s, "<tr><td>{}</td>", esc(label));
        for (_, figures, marks) in columns {
            let t = figures[i].text_pm(l);
            if marks[i] {
                let _ = write!(s, "<td class=\"partial\">{}*</td>", esc(&t));
            } else {
                let _ = write!(s, "<td>{}</td>", esc(&t));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    let _ = write!(s, "<p class=\"note\">* {}</p>", esc(part));
    s
}

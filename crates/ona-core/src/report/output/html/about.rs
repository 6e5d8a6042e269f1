//! The end of the page: the definition of every indicator in the reader's language, and what the
//! figures are — period covered, last period, date produced, source, and how disclosure control
//! was applied, in plain words.

use super::esc;
use super::headline::period_codes;
use super::locale::Local;
use super::notes::{note, Note};
use super::words::{fill_text, word, Word};
use crate::report::indicators::Indicator;
use crate::report::model::{Observation, Report};
use crate::schema::Date;
use std::fmt::Write;

/// The definitions of the report's indicators (from the report itself, else from the core).
pub(super) fn definitions(r: &Report, l: &Local) -> String {
    let mut s = format!(
        "<section class=\"definitions\"><h2>{}</h2><dl>",
        esc(word(Word::Definitions, l.lang))
    );
    for info in &r.indicators {
        let text = info
            .definition
            .get(l.lang.code())
            .map(String::as_str)
            .or_else(|| Indicator::from_id(&info.id).map(|i| i.text(l.lang)))
            .unwrap_or("");
        let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", esc(&info.id), esc(text));
    }
    s.push_str("</dl></section>");
    s
}

/// A decimal given as text (`0.5`), written in the reader's language (`0,5`).
fn decimal_text(text: &str, l: &Local) -> String {
    l.decimal_text(text).unwrap_or_else(|| text.to_string())
}

/// The period the report covers, in the reader's language.
pub(in crate::report::output) fn covered(r: &Report, l: &Local) -> String {
    if let Some(p) = &r.period {
        return l.period(p);
    }
    let (_, codes) = period_codes(r);
    match (codes.first(), codes.last()) {
        (Some(a), Some(b)) if a == b => l.period(a),
        (Some(a), Some(b)) => format!("{} – {}", l.period(a), l.period(b)),
        _ => String::new(),
    }
}

/// What the figures are and how disclosure control was applied.
pub(super) fn about(r: &Report, l: &Local, produced: Date) -> String {
    let lang = l.lang;
    let mut s = format!("<h2>{}</h2><table class=\"about\"><tbody>", esc(word(Word::About, lang)));
    let mut row = |k: Word, v: String| {
        let _ = write!(
            s,
            "<tr><th>{}</th><td style=\"text-align:left\">{}</td></tr>",
            esc(word(k, lang)),
            esc(&v)
        );
    };
    row(Word::Covered, covered(r, l));
    row(Word::Produced, produced.to_string());
    let names: Vec<String> = r.provenance.countries.iter().map(|c| l.country(c)).collect();
    row(Word::Country, names.join(", "));
    let mut source = fill_text(
        note(Note::Source, lang),
        &[("set", &r.indicator_set), ("schema", &r.schema_version)],
    );
    if !r.provenance.merged_from.is_empty() {
        let n = l.count(r.provenance.merged_from.len() as i64);
        source = format!("{source} {}", fill_text(note(Note::Merged, lang), &[("n", &n)]));
    }
    row(Word::Source, source);
    s.push_str("</tbody></table>");
    let _ = write!(s, "<h3>{}</h3>", esc(word(Word::Control, lang)));
    let mut paras = Vec::new();
    if r.threshold > 1 {
        let k = l.count(i64::try_from(r.threshold - 1).unwrap_or(i64::MAX));
        paras.push(fill_text(note(Note::Suppression, lang), &[("k", &k)]));
    } else {
        paras.push(note(Note::NoSuppression, lang).to_string());
    }
    match &r.dp {
        Some(dp) => {
            let mech = dp.mechanism.replace('_', " ");
            let mut t = fill_text(
                note(Note::Noise, lang),
                &[("eps", &decimal_text(&dp.epsilon, l)), ("mech", &mech)],
            );
            if dp.merged {
                t = format!("{t} {}", note(Note::NoiseMerged, lang));
            }
            t = format!("{t} {}", note(Note::Interval, lang));
            if r.observations.iter().any(|o| o.low_95.is_some()) {
                t = format!("{t} {}", note(Note::ShareInterval, lang));
            }
            paras.push(t);
        }
        None => paras.push(note(Note::Exact, lang).to_string()),
    }
    if r.observations.iter().any(Observation::is_missing) {
        paras.push(note(Note::Missing, lang).to_string());
    }
    for p in paras {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(&p));
    }
    s
}

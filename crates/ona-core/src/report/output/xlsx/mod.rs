//! The report as an Excel workbook, for the people who read figures in a spreadsheet rather
//! than JSON: one sheet per indicator (every cell of the report, its breakdown named in the
//! reader's language), a sheet of the indicators' definitions and a sheet of where the figures
//! come from and how disclosure control was applied.
//!
//! A suppressed figure (`OBS_STATUS` Q) is never a number, and never an empty cell that a sum
//! would read as zero: its value cell reads “suppressed” in the reader's language, in bold on
//! a grey fill, and its status column says why (primary or secondary). A figure the report
//! cannot give (M) reads “not available”. Under differential privacy each noisy count carries
//! its ± 95 % half-width in the next column. Every text is written as text, never as a formula.

mod words;

use super::html::about::covered;
use super::html::locale::Local;
use super::html::notes::{note, Note};
use super::html::today;
use super::html::words::{fill_text, word, Word};
use super::{other_dims, time_period};
use crate::report::dimensions::{Dimension, TOTAL};
use crate::report::indicators::Indicator;
use crate::report::model::{ConfStatus, IndicatorInfo, Observation, Report};
use crate::schema::{labels, Date, Lang};
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};
use words::{xword, XWord};

/// The fill of a suppressed or unavailable value cell: light grey, readable in black and white.
const MARK_FILL: u32 = 0xD9D9D9;

/// The formats of the workbook, made once.
struct Formats {
    header: Format,
    count: Format,
    tenths: Format,
    mark: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            count: Format::new().set_num_format("#,##0"),
            tenths: Format::new().set_num_format("#,##0.0"),
            mark: Format::new().set_bold().set_background_color(Color::RGB(MARK_FILL)),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

/// The column header of a breakdown dimension in the reader's language.
fn dim_header(d: Dimension, lang: Lang) -> String {
    let list = match d {
        Dimension::ReferralSource => Some("referral_source"),
        Dimension::RiskFactor => Some("risk_factor"),
        Dimension::ServiceType => Some("service_type"),
        Dimension::Outcome => Some("placement"),
        _ => None,
    };
    if let Some(t) = list.and_then(|l| labels::title(l, lang)) {
        return t.to_string();
    }
    match d {
        Dimension::Country => word(Word::Country, lang),
        Dimension::Admin1 => xword(XWord::Admin1, lang),
        Dimension::Centre => xword(XWord::Centre, lang),
        Dimension::MotherAge => xword(XWord::MotherAge, lang),
        Dimension::ChildAge => xword(XWord::ChildAge, lang),
        _ => d.id(),
    }
    .to_string()
}

/// A breakdown code in the reader's language: a total, a country's name, a codelist label, or
/// the code itself (centre ids, age bands).
fn dim_label(d: Dimension, code: &str, l: &Local) -> String {
    if code == TOTAL {
        return xword(XWord::Total, l.lang).to_string();
    }
    let list = match d {
        Dimension::Country => return l.country(code),
        Dimension::ReferralSource => "referral_source",
        Dimension::RiskFactor => "risk_factor",
        Dimension::ServiceType => "service_type",
        Dimension::Outcome => "placement",
        _ => return code.to_string(),
    };
    labels::label(list, code, l.lang).map_or_else(|| code.to_string(), str::to_string)
}

fn unit_word(unit: &str, lang: Lang) -> String {
    match unit {
        "NUMBER" => xword(XWord::Number, lang).to_string(),
        "PERCENT" => xword(XWord::Percent, lang).to_string(),
        "DAYS" => xword(XWord::Days, lang).to_string(),
        other => other.to_string(),
    }
}

/// Writes a header row of `names` and sets each column's width.
fn header_row(ws: &mut Worksheet, names: &[String], f: &Formats) -> Result<(), XlsxError> {
    for (c, name) in (0u16..).zip(names) {
        ws.write_string_with_format(0, c, name, &f.header)?;
        let width = name.chars().count().clamp(10, 40) as f64 + 2.0;
        ws.set_column_width(c, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    printable(ws);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Printed (or turned into PDF) on A4 landscape, every column on one page across.
fn printable(ws: &mut Worksheet) {
    /// Excel's paper size code of A4.
    const A4: u8 = 9;
    ws.set_paper_size(A4).set_landscape().set_print_fit_to_pages(1, 0);
}

/// The text of an observation's status: empty when published, else why it is withheld.
fn status_text(o: &Observation, lang: Lang) -> String {
    if o.is_missing() {
        return word(Word::Missing, lang).to_string();
    }
    if !o.is_suppressed() {
        return String::new();
    }
    let why = match o.conf_status {
        ConfStatus::D => "D",
        _ => "C",
    };
    format!("{} ({why})", word(Word::Suppressed, lang))
}

/// One sheet of the observations of `info`'s indicator.
fn indicator_sheet(
    book: &mut Workbook,
    r: &Report,
    info: &IndicatorInfo,
    l: &Local,
    f: &Formats,
) -> Result<(), XlsxError> {
    let lang = l.lang;
    let obs: Vec<&Observation> = r.observations.iter().filter(|o| o.indicator == info.id).collect();
    if obs.is_empty() {
        return Ok(());
    }
    // The breakdowns this indicator has: a dimension that is a total in every cell of it (one
    // that does not apply, like services for admissions) would be a column of “Total” only.
    let mut dims = other_dims(r);
    dims.retain(|d| obs.iter().any(|o| o.dims.get(d.id()).is_some_and(|v| v != TOTAL)));
    let dp = r.dp.is_some();
    let shares = info.denominator.is_some();
    let mut names = vec![word(Word::Country, lang).to_string()];
    names.extend(dims.iter().map(|d| dim_header(*d, lang)));
    names.push(word(Word::Period, lang).to_string());
    names.push(format!("{} ({})", xword(XWord::Value, lang), unit_word(&info.unit, lang)));
    if dp {
        names.push(xword(XWord::Margin, lang).to_string());
    }
    if shares {
        names.push(xword(XWord::Numerator, lang).to_string());
        names.push(xword(XWord::Denominator, lang).to_string());
    }
    names.push(xword(XWord::Status, lang).to_string());
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&info.id))?;
    header_row(ws, &names, f)?;
    // Wide enough for a span of periods (`2023-Q1/2026-Q2`).
    let period_column = u16::try_from(1 + dims.len()).unwrap_or(u16::MAX);
    ws.set_column_width(period_column, 18)?;
    let number = if info.unit == "NUMBER" { &f.count } else { &f.tenths };
    for (row, o) in (1u32..).zip(&obs) {
        let mut c = 0u16;
        let text = |ws: &mut Worksheet, c: &mut u16, s: &str| -> Result<(), XlsxError> {
            ws.write_string(row, *c, s)?;
            *c += 1;
            Ok(())
        };
        let country = o.dims.get("country").map_or(TOTAL, String::as_str);
        text(ws, &mut c, &dim_label(Dimension::Country, country, l))?;
        for d in &dims {
            let code = o.dims.get(d.id()).map_or(TOTAL, String::as_str);
            text(ws, &mut c, &dim_label(*d, code, l))?;
        }
        text(ws, &mut c, &l.period(&time_period(r, o)))?;
        match o.value.as_ref().and_then(serde_json::Number::as_f64) {
            Some(v) if !o.is_suppressed() && !o.is_missing() => {
                ws.write_number_with_format(row, c, v, number)?;
            }
            _ => {
                let mark = if o.is_missing() { Word::Missing } else { Word::Suppressed };
                ws.write_string_with_format(row, c, word(mark, lang), &f.mark)?;
            }
        }
        c += 1;
        if dp {
            if let Some(m) = o.margin_95 {
                ws.write_number_with_format(row, c, m as f64, &f.count)?;
            }
            c += 1;
        }
        if shares {
            for n in [o.numerator, o.denominator] {
                if let Some(n) = n {
                    ws.write_number_with_format(row, c, n as f64, &f.count)?;
                }
                c += 1;
            }
        }
        let status = status_text(o, lang);
        if !status.is_empty() {
            ws.write_string(row, c, &status)?;
        }
    }
    Ok(())
}

/// The sheet of definitions: id, unit, definition in the reader's language.
fn definitions_sheet(
    book: &mut Workbook,
    r: &Report,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(word(Word::Definitions, lang)))?;
    let names =
        [XWord::Indicator, XWord::Unit, XWord::Definition].map(|w| xword(w, lang).to_string());
    header_row(ws, &names, f)?;
    ws.set_column_width(0, 32)?;
    ws.set_column_width(2, 100)?;
    for (row, info) in (1u32..).zip(&r.indicators) {
        let text = info
            .definition
            .get(lang.code())
            .map(String::as_str)
            .or_else(|| Indicator::from_id(&info.id).map(|i| i.text(lang)))
            .unwrap_or("");
        ws.write_string(row, 0, &info.id)?;
        ws.write_string(row, 1, unit_word(&info.unit, lang))?;
        ws.write_string_with_format(row, 2, text, &f.wrap)?;
    }
    Ok(())
}

/// The sheet of provenance: what the figures cover, where they come from, and how disclosure
/// control was applied, in plain words.
fn about_sheet(
    book: &mut Workbook,
    r: &Report,
    l: &Local,
    produced: Date,
    f: &Formats,
) -> Result<(), XlsxError> {
    let lang = l.lang;
    let p = &r.provenance;
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: String| rows.push((k.to_string(), v));
    add(word(Word::Covered, lang), covered(r, l));
    add(word(Word::Produced, lang), produced.to_string());
    let names: Vec<String> = p.countries.iter().map(|c| l.country(c)).collect();
    add(word(Word::Country, lang), names.join(", "));
    add(xword(XWord::Centres, lang), p.centres.join(", "));
    let periods: Vec<String> = p.periods.iter().map(|c| l.period(c)).collect();
    add(xword(XWord::Periods, lang), periods.join(", "));
    if let Some(n) = p.cases_counted {
        add(xword(XWord::CasesCounted, lang), l.count(i64::try_from(n).unwrap_or(i64::MAX)));
    }
    let excluded: Vec<String> = p.excluded.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    add(xword(XWord::Excluded, lang), excluded.join(", "));
    if !p.merged_from.is_empty() {
        add(xword(XWord::MergedFrom, lang), p.merged_from.join("; "));
    }
    let pops: Vec<String> = p.populations.iter().map(ToString::to_string).collect();
    add(xword(XWord::Populations, lang), pops.join(", "));
    add(
        word(Word::Source, lang),
        fill_text(
            note(Note::Source, lang),
            &[("set", &r.indicator_set), ("schema", &r.schema_version)],
        ),
    );
    add(xword(XWord::Threshold, lang), r.threshold.to_string());
    let control = if r.threshold > 1 {
        let k = l.count(i64::try_from(r.threshold - 1).unwrap_or(i64::MAX));
        fill_text(note(Note::Suppression, lang), &[("k", &k)])
    } else {
        note(Note::NoSuppression, lang).to_string()
    };
    add(word(Word::Control, lang), control);
    match &r.dp {
        Some(dp) => {
            let mut t = format!("{}, ε = {}", dp.mechanism.replace('_', " "), dp.epsilon);
            if let Some(d) = &dp.delta {
                t.push_str(&format!(", δ = {d}"));
            }
            add(xword(XWord::Privacy, lang), t);
            add(xword(XWord::Margin, lang), note(Note::Interval, lang).to_string());
        }
        None => add(xword(XWord::Privacy, lang), note(Note::Exact, lang).to_string()),
    }
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(word(Word::About, lang)))?;
    printable(ws);
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 100)?;
    for (row, (k, v)) in (0u32..).zip(&rows) {
        ws.write_string_with_format(row, 0, k, &f.header)?;
        ws.write_string_with_format(row, 1, v, &f.wrap)?;
    }
    Ok(())
}

impl Report {
    /// The report as an XLSX workbook in `lang`, produced today.
    pub fn to_xlsx(&self, lang: Lang) -> Result<Vec<u8>, XlsxError> {
        self.to_xlsx_on(lang, today())
    }

    /// The report as an XLSX workbook in `lang`, stating `produced` as the date it was made:
    /// one sheet per indicator with cells (named by the indicator's id), then the definitions
    /// and the provenance.
    pub fn to_xlsx_on(&self, lang: Lang, produced: Date) -> Result<Vec<u8>, XlsxError> {
        let l = Local::new(lang);
        let f = Formats::new();
        let mut book = Workbook::new();
        let mut infos: Vec<IndicatorInfo> =
            if self.indicators.is_empty() { IndicatorInfo::all() } else { self.indicators.clone() };
        // A cell of an indicator the report does not define still gets its sheet: nothing of
        // the report is left out of the workbook.
        for o in &self.observations {
            if !infos.iter().any(|i| i.id == o.indicator) {
                infos.push(IndicatorInfo {
                    id: o.indicator.clone(),
                    unit: o.unit.clone(),
                    numerator: String::new(),
                    denominator: o.denominator.map(|_| String::new()),
                    definition: Default::default(),
                });
            }
        }
        for info in &infos {
            indicator_sheet(&mut book, self, info, &l, &f)?;
        }
        definitions_sheet(&mut book, self, lang, &f)?;
        about_sheet(&mut book, self, &l, produced, &f)?;
        book.save_to_buffer()
    }
}

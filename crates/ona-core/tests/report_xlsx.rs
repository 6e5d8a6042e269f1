//! The report workbook read back as a spreadsheet program reads it (calamine): one sheet per
//! indicator whose figures are the report's own, suppressed cells marked and never numbers,
//! labels in the reader's language, the definitions and the provenance.

mod common;

use calamine::{Data, Reader, Xlsx};
use ona_core::report::{build_report, Dimension, DpRecord, Report, ReportSpec};
use ona_core::schema::{Date, Lang};
use std::io::Cursor;

fn report(k: u64) -> Report {
    let cases = common::pseudo_cases(11, 400);
    let spec = ReportSpec {
        by: vec![Dimension::Country, Dimension::Centre, Dimension::Year],
        threshold: k,
        // The single-relation rule: certified suppression is tested in report_certified.rs.
        lp_protection: false,
        ..ReportSpec::default()
    };
    build_report(&cases, &spec).unwrap()
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("the workbook opens")
}

fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

fn column(header: &[Data], starts: &str) -> usize {
    header
        .iter()
        .position(|h| h.to_string().starts_with(starts))
        .unwrap_or_else(|| panic!("no column {starts} in {header:?}"))
}

#[test]
fn each_indicator_sheet_holds_the_reports_figures_and_marks_every_suppressed_cell() {
    let r = report(5);
    let suppressed = r.observations.iter().filter(|o| o.is_suppressed()).count();
    assert!(suppressed > 0, "the fixture must have suppressed cells to test their mark");
    let mut book = open(r.to_xlsx_on(Lang::En, Date::new(2026, 12, 7).unwrap()).unwrap());
    let names = book.sheet_names();
    let mut seen = 0;
    for info in &r.indicators {
        let obs: Vec<_> = r.observations.iter().filter(|o| o.indicator == info.id).collect();
        if obs.is_empty() {
            assert!(!names.contains(&info.id), "{} has no cells but a sheet", info.id);
            continue;
        }
        let rows = rows(&mut book, &info.id);
        assert_eq!(rows.len(), obs.len() + 1, "{}: header and one row per cell", info.id);
        let value = column(&rows[0], "Value");
        let status = column(&rows[0], "Status");
        for (o, row) in obs.iter().zip(&rows[1..]) {
            if o.is_suppressed() {
                assert_eq!(row[value], Data::String("suppressed".into()), "{o:?}");
                assert!(row[status].to_string().starts_with("suppressed"), "{row:?}");
                seen += 1;
            } else {
                let want = o.value.as_ref().and_then(serde_json::Number::as_f64).unwrap();
                assert_eq!(row[value], Data::Float(want), "{o:?}");
                assert_eq!(row[status], Data::Empty);
            }
        }
    }
    assert_eq!(seen, suppressed, "every suppressed cell is marked, once");
    let defs = rows(&mut book, "Definitions");
    assert_eq!(defs.len(), r.indicators.len() + 1);
    assert!(defs[1..].iter().zip(&r.indicators).all(|(row, i)| row[0].to_string() == i.id));
    let about = rows(&mut book, "About these figures");
    let text: Vec<String> = about.iter().map(|r| r[1].to_string()).collect();
    assert!(text.iter().any(|t| t.contains("from 1 to 4")), "{text:?}");
    assert!(text.contains(&"2026-12-07".to_string()), "{text:?}");
    assert_eq!(names.last().map(String::as_str), Some("About these figures"));
}

#[test]
fn labels_are_in_the_readers_language() {
    let r = report(5);
    let mut book = open(r.to_xlsx_on(Lang::Ru, Date::new(2026, 12, 7).unwrap()).unwrap());
    let rows = rows(&mut book, "women_served");
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header[0], "Страна", "{header:?}");
    assert!(header.iter().any(|h| h.starts_with("Значение")), "{header:?}");
    let countries: Vec<String> = rows[1..].iter().map(|r| r[0].to_string()).collect();
    assert!(countries.iter().any(|c| c == "Казахстан"), "{countries:?}");
    assert!(rows[1..].iter().flatten().any(|c| *c == Data::String("скрыто".into())));
    assert!(book.sheet_names().contains(&"Определения".to_string()), "{:?}", book.sheet_names());
}

#[test]
fn a_noisy_count_carries_its_95_percent_half_width() {
    let mut r = report(1);
    r.dp = Some(DpRecord {
        mechanism: "discrete_laplace".into(),
        epsilon: "0.5".into(),
        delta: None,
        max_cases_per_woman: 1,
        noise: Vec::new(),
        merged: false,
    });
    for (i, o) in r.observations.iter_mut().enumerate() {
        o.margin_95 = Some(10 + i as u64);
    }
    let mut book = open(r.to_xlsx_on(Lang::En, Date::new(2026, 12, 7).unwrap()).unwrap());
    let rows = rows(&mut book, "admissions");
    let margin = column(&rows[0], "± 95 %");
    let want: Vec<Data> = r
        .observations
        .iter()
        .filter(|o| o.indicator == "admissions")
        .map(|o| Data::Float(o.margin_95.unwrap() as f64))
        .collect();
    let got: Vec<Data> = rows[1..].iter().map(|r| r[margin].clone()).collect();
    assert_eq!(got, want);
    let about = self::rows(&mut book, "About these figures");
    assert!(about.iter().any(|r| r[1].to_string().contains("ε = 0.5")), "{about:?}");
}

//! Turning one cell into the JSON value the standard expects at its pointer.

use super::codematch::{fold, match_code};
use super::dates::{from_excel_serial, parse_with_format};
use super::mapping::{ColumnSpec, SourceOptions};
use super::problem::ImportCode;
use super::source::Cell;
use super::target::Target;
use crate::schema::codelist;
use serde_json::Value;

/// Why a cell could not be converted: a code and the parameters of its message.
pub type Failure = (ImportCode, Vec<(&'static str, String)>);

const TRUE_WORDS: &[&str] =
    &["yes", "y", "true", "1", "да", "так", "иә", "ha", "ya", "evet", "x", "✓"];
const FALSE_WORDS: &[&str] =
    &["no", "n", "false", "0", "нет", "ні", "жоқ", "yoʻq", "yo'q", "tidak", "hayır"];

/// Reads a yes/no cell with the built-in words of the seven languages and the mapping's own.
pub fn truth(cell: &Cell, options: &SourceOptions) -> Option<bool> {
    match cell {
        Cell::Bool(b) => return Some(*b),
        Cell::Number(n) if *n == 1.0 => return Some(true),
        Cell::Number(n) if *n == 0.0 => return Some(false),
        _ => {}
    }
    let f = fold(&cell.display());
    let is = |builtin: &[&str], own: &[String]| {
        builtin.iter().any(|w| fold(w) == f) || own.iter().any(|w| fold(w) == f)
    };
    if is(TRUE_WORDS, &options.true_values) {
        Some(true)
    } else if is(FALSE_WORDS, &options.false_values) {
        Some(false)
    } else {
        None
    }
}

/// Converts a non-empty cell for `target`. Value maps are applied first.
pub fn convert(
    cell: &Cell,
    spec: &ColumnSpec,
    target: Target,
    options: &SourceOptions,
) -> Result<Value, Failure> {
    if let Target::Codes(list) = target {
        let separator = spec.split.as_deref().unwrap_or(&options.multi_separator);
        let text = cell.display();
        let mut codes = Vec::new();
        for piece in text.split(separator).map(str::trim).filter(|p| !p.is_empty()) {
            let v = one(&Cell::Text(piece.to_string()), spec, Target::Code(list), options)?;
            if !codes.contains(&v) {
                codes.push(v);
            }
        }
        return Ok(Value::Array(codes));
    }
    one(cell, spec, target, options)
}

fn one(
    cell: &Cell,
    spec: &ColumnSpec,
    target: Target,
    options: &SourceOptions,
) -> Result<Value, Failure> {
    let shown = cell.display();
    if !spec.values.is_empty() {
        // Exact, then ignoring case and surrounding spaces; punctuation counts here ("Ж?" is
        // not "Ж"), unlike codelist labels.
        let lower = shown.trim().to_lowercase();
        if let Some((_, v)) =
            spec.values.iter().find(|(k, _)| **k == shown || k.trim().to_lowercase() == lower)
        {
            let v = serde_json::to_value(v).unwrap_or(Value::Null);
            // A mapped value may itself be a label: match it against the codelist too.
            return match (&v, target) {
                (Value::String(s), Target::Code(list)) => {
                    Ok(match_code(list, s).map_or(v.clone(), |c| Value::String(c.into())))
                }
                _ => Ok(v),
            };
        }
    }
    let quoted = || format!("{shown:?}");
    match target {
        Target::Code(list) | Target::Codes(list) => match match_code(list, shown.trim()) {
            Some(code) => Ok(Value::String(code.into())),
            None => Err((
                ImportCode::UnmappedValue,
                vec![
                    ("value", quoted()),
                    ("list", list.to_string()),
                    ("codes", codelist(list).map(|l| l.codes.join(", ")).unwrap_or_default()),
                ],
            )),
        },
        Target::Date => {
            date(cell, spec, options).map(|d| Value::String(d.to_string())).ok_or_else(|| {
                let mut formats = spec.date_formats.clone();
                if formats.is_empty() {
                    formats = options.date_formats.clone();
                }
                formats.push("YYYY-MM-DD".into());
                (
                    ImportCode::UnreadableDate,
                    vec![("value", quoted()), ("formats", formats.join(", "))],
                )
            })
        }
        Target::Integer => {
            let n = match cell {
                Cell::Number(n) => Some(*n),
                _ => shown.trim().replace([' ', '\u{a0}'], "").parse::<f64>().ok(),
            };
            match n {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(Value::from(n as i64)),
                _ => Err((ImportCode::NotANumber, vec![("value", quoted())])),
            }
        }
        Target::Boolean => truth(cell, options)
            .map(Value::Bool)
            .ok_or_else(|| (ImportCode::NotABoolean, vec![("value", quoted())])),
        Target::Text => Ok(Value::String(shown.trim().to_string())),
    }
}

fn date(cell: &Cell, spec: &ColumnSpec, options: &SourceOptions) -> Option<crate::schema::Date> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Number(n) => from_excel_serial(*n, options.excel_date_system),
        _ => {
            let text = cell.display();
            let text = text.trim();
            let formats = if spec.date_formats.is_empty() {
                &options.date_formats
            } else {
                &spec.date_formats
            };
            formats
                .iter()
                .find_map(|f| parse_with_format(text, f))
                // ISO dates, also with a time part (Kobo and ODK write `2024-03-07T10:00:00`).
                .or_else(|| text.get(..10).and_then(|d| d.parse().ok()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mapping::ColumnRule;

    fn spec() -> ColumnSpec {
        ColumnRule::Pointer("/x".into()).spec()
    }
    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn codes_from_labels_in_any_language_and_value_maps() {
        let o = SourceOptions::default();
        let t = Target::Code("referral_source");
        for written in
            ["Doğumhane", "роддом", "ПОЛОГОВИЙ БУДИНОК", "maternity_ward", "Wad bersalin"]
        {
            assert_eq!(convert(&text(written), &spec(), t, &o), Ok("maternity_ward".into()));
        }
        let e = convert(&text("F"), &spec(), Target::Code("sex"), &o).unwrap_err();
        assert_eq!(e.0, ImportCode::UnmappedValue);
        assert!(e.1.iter().any(|(n, v)| *n == "codes" && v == "female, male, unknown"));
        let mut s = spec();
        s.values.insert("F".into(), toml::Value::String("female".into()));
        s.values.insert("Ж".into(), toml::Value::String("Жіноча".into()));
        assert_eq!(convert(&text("f"), &s, Target::Code("sex"), &o), Ok("female".into()));
        assert_eq!(convert(&text("ж"), &s, Target::Code("sex"), &o), Ok("female".into()));
        let e = convert(&text("Ж?"), &s, Target::Code("sex"), &o).unwrap_err();
        assert_eq!(e.0, ImportCode::UnmappedValue, "a doubtful answer is not the answer");
    }

    #[test]
    fn select_multiple_with_any_separator() {
        let mut o = SourceOptions::default();
        let t = Target::Codes("child_health_condition");
        let codes = codelist("child_health_condition").unwrap().codes;
        let cell = text(&format!("{} {} {}", codes[0], codes[1], codes[0]));
        assert_eq!(convert(&cell, &spec(), t, &o), Ok(serde_json::json!([codes[0], codes[1]])));
        o.multi_separator = "|||".into();
        let cell = text(&format!("{} ||| {}", codes[1], codes[0]));
        assert_eq!(convert(&cell, &spec(), t, &o), Ok(serde_json::json!([codes[1], codes[0]])));
    }

    #[test]
    fn dates_numbers_and_booleans() {
        let o = SourceOptions { date_formats: vec!["DD.MM.YYYY".into()], ..Default::default() };
        let s = spec();
        assert_eq!(convert(&text("07.03.1994"), &s, Target::Date, &o), Ok("1994-03-07".into()));
        assert_eq!(
            convert(&text("2024-03-07T10:00:00+02:00"), &s, Target::Date, &o),
            Ok("2024-03-07".into())
        );
        assert_eq!(convert(&Cell::Number(45000.0), &s, Target::Date, &o), Ok("2023-03-15".into()));
        let e = convert(&text("1994/03/07"), &s, Target::Date, &o).unwrap_err();
        assert_eq!(e.0, ImportCode::UnreadableDate);
        assert_eq!(convert(&text("3 250"), &s, Target::Integer, &o), Ok(3250.into()));
        assert_eq!(
            convert(&text("3.5"), &s, Target::Integer, &o).unwrap_err().0,
            ImportCode::NotANumber
        );
        assert_eq!(convert(&text("Evet"), &s, Target::Boolean, &o), Ok(true.into()));
        assert_eq!(convert(&text("ні"), &s, Target::Boolean, &o), Ok(false.into()));
        assert_eq!(
            convert(&text("maybe"), &s, Target::Boolean, &o).unwrap_err().0,
            ImportCode::NotABoolean
        );
    }
}

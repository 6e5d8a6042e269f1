//! Rules beyond types: dates in order, national ID checks, follow-up points, closure, country
//! consistency and extension codes. They read the JSON value, skipping what is missing or
//! malformed (the structural pass reports that), so one record yields every problem at once.

use super::problem::{Problem, ProblemCode};
use crate::schema::national_id::{self, NationalIdError};
use crate::schema::{labels, Codelist, Date, FollowUpPoint, NationalIdType};
use serde_json::Value;

/// Days a follow-up's due date may differ from discharge + its months (scheduling slack).
pub const FOLLOW_UP_DUE_TOLERANCE_DAYS: i64 = 14;

/// Looks up a pointer made of plain tokens (no `~` escapes), without allocating: faster than
/// `Value::pointer`, which unescapes every token.
fn get<'a>(v: &'a Value, ptr: &str) -> Option<&'a Value> {
    ptr.split('/').skip(1).try_fold(v, |node, token| match node {
        Value::Object(m) => m.get(token),
        Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn date(v: &Value, ptr: &str) -> Option<Date> {
    get(v, ptr).and_then(Value::as_str).and_then(|s| Date::parse(s).ok())
}

fn text<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    get(v, ptr).and_then(Value::as_str)
}

fn array<'a>(v: &'a Value, ptr: &str) -> &'a [Value] {
    get(v, ptr).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// Reports `later_ptr` when its date is before `earlier_ptr`'s.
fn order(v: &Value, earlier_ptr: &str, later_ptr: &str, out: &mut Vec<Problem>) {
    if let (Some(a), Some(b)) = (date(v, earlier_ptr), date(v, later_ptr)) {
        if b < a {
            out.push(
                Problem::new(later_ptr, ProblemCode::DateOrder)
                    .with("value", b)
                    .with("other", earlier_ptr)
                    .with("other_value", a),
            );
        }
    }
}

/// Applies every rule to a record, appending problems.
pub(crate) fn check(v: &Value, out: &mut Vec<Problem>) {
    dates_in_order(v, out);
    ages(v, out);
    national_id(v, out);
    follow_ups(v, out);
    closure(v, out);
    places(v, out);
    extensions(v, out);
}

fn dates_in_order(v: &Value, out: &mut Vec<Problem>) {
    let pregnant = text(v, "/intake_point") == Some("pregnant");
    for i in 0..array(v, "/children").len() {
        let birth = format!("/children/{i}/birth_date");
        if !pregnant {
            order(v, &birth, "/intake_date", out);
        }
    }
    order(v, "/intake_date", "/stay/admission_date", out);
    order(v, "/stay/admission_date", "/stay/discharge_date", out);
    order(v, "/intake_date", "/consent/date", out);
    order(v, "/consent/date", "/consent/withdrawn", out);
    order(v, "/mother/birth_date", "/intake_date", out);
    for i in 0..array(v, "/risk_assessments").len() {
        order(v, "/intake_date", &format!("/risk_assessments/{i}/date"), out);
    }
    for i in 0..array(v, "/services").len() {
        order(v, "/intake_date", &format!("/services/{i}/start_date"), out);
        order(v, &format!("/services/{i}/start_date"), &format!("/services/{i}/end_date"), out);
    }
    for i in 0..array(v, "/follow_ups").len() {
        order(v, "/stay/discharge_date", &format!("/follow_ups/{i}/date"), out);
    }
}

fn ages(v: &Value, out: &mut Vec<Problem>) {
    if let (Some(birth), Some(intake)) = (date(v, "/mother/birth_date"), date(v, "/intake_date")) {
        let age = birth.age_years_on(intake);
        if birth <= intake && !(10..=60).contains(&age) {
            out.push(
                Problem::new("/mother/birth_date", ProblemCode::ImplausibleAge)
                    .with("age", age)
                    .with("min", 10)
                    .with("max", 60),
            );
        }
    }
}

fn national_id(v: &Value, out: &mut Vec<Problem>) {
    let ptr = "/mother/national_id/value";
    let (Some(t), Some(value)) =
        (text(v, "/mother/national_id/type").and_then(NationalIdType::from_id), text(v, ptr))
    else {
        return;
    };
    match national_id::check(t, value) {
        Ok(digits) => {
            let embedded = national_id::birth_date(t, &digits);
            if let (Some(e), Some(b)) = (embedded, date(v, "/mother/birth_date")) {
                if e != b {
                    out.push(
                        Problem::new(ptr, ProblemCode::NationalIdBirthDate)
                            .with("id_date", e)
                            .with("birth_date", b),
                    );
                }
            }
        }
        Err(e) => {
            let code = match e {
                NationalIdError::NotDigits => ProblemCode::NationalIdCharacters,
                NationalIdError::WrongLength { .. } => ProblemCode::NationalIdLength,
                NationalIdError::BadChecksum => ProblemCode::NationalIdChecksum,
                _ => ProblemCode::NationalIdStructure,
            };
            let mut p = Problem::new(ptr, code).with("type", t.id());
            if let NationalIdError::WrongLength { expected, found } = e {
                p = p.with("expected", expected).with("found", found);
            }
            out.push(p);
        }
    }
}

fn follow_ups(v: &Value, out: &mut Vec<Problem>) {
    let items = array(v, "/follow_ups");
    let discharge = date(v, "/stay/discharge_date");
    if (!items.is_empty() || get(v, "/outcome").is_some_and(|o| !o.is_null()))
        && discharge.is_none()
    {
        let at = if items.is_empty() { "/outcome" } else { "/follow_ups" };
        out.push(Problem::new(at, ProblemCode::MissingDischarge));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, f) in items.iter().enumerate() {
        let Some(point) = f.get("point").and_then(Value::as_str) else { continue };
        if seen.contains(&point) {
            out.push(
                Problem::new(format!("/follow_ups/{i}/point"), ProblemCode::DuplicateFollowUp)
                    .with("point", point),
            );
        }
        seen.push(point);
        let (Some(p), Some(exit)) = (FollowUpPoint::from_id(point), discharge) else { continue };
        let Some(expected) = exit.add_months(p.months()) else { continue };
        if let Some(due) =
            f.get("due_date").and_then(Value::as_str).and_then(|s| Date::parse(s).ok())
        {
            if expected.days_until(due).abs() > FOLLOW_UP_DUE_TOLERANCE_DAYS {
                out.push(
                    Problem::new(format!("/follow_ups/{i}/due_date"), ProblemCode::FollowUpDueDate)
                        .with("value", due)
                        .with("point", point)
                        .with("expected", expected)
                        .with("days", FOLLOW_UP_DUE_TOLERANCE_DAYS),
                );
            }
        }
    }
}

fn closure(v: &Value, out: &mut Vec<Problem>) {
    let closed = matches!(text(v, "/status"), Some("closed"));
    if closed && v.get("closure_reason").is_none_or(Value::is_null) {
        out.push(Problem::new("/closure_reason", ProblemCode::MissingClosureReason));
    }
}

fn places(v: &Value, out: &mut Vec<Problem>) {
    for (admin1, country) in [
        ("/centre/admin1", "/centre/country"),
        ("/mother/address/admin1", "/mother/address/country"),
    ] {
        if let (Some(a), Some(c)) = (text(v, admin1), text(v, country)) {
            if a.len() > 2 && c.len() == 2 && &a[..2] != c && super::structural::is_admin1(a) {
                out.push(
                    Problem::new(admin1, ProblemCode::Admin1CountryMismatch)
                        .with("value", a)
                        .with("country", c),
                );
            }
        }
    }
}

fn extensions(v: &Value, out: &mut Vec<Problem>) {
    let country = text(v, "/centre/country");
    for (i, e) in array(v, "/extensions").iter().enumerate() {
        let (Some(list), Some(code)) =
            (e.get("list").and_then(Value::as_str), e.get("code").and_then(Value::as_str))
        else {
            continue;
        };
        let Some(ext) = labels::extension_list(list) else {
            out.push(
                Problem::new(format!("/extensions/{i}/list"), ProblemCode::UnknownExtensionList)
                    .with("list", list),
            );
            continue;
        };
        if !ext.maps.contains_key(code) {
            out.push(
                Problem::new(format!("/extensions/{i}/code"), ProblemCode::UnknownExtensionCode)
                    .with("value", format!("{code:?}"))
                    .with("list", list),
            );
        }
        if let Some(c) = country {
            if c != ext.country {
                out.push(
                    Problem::new(
                        format!("/extensions/{i}/list"),
                        ProblemCode::ExtensionCountryMismatch,
                    )
                    .with("list", list)
                    .with("country", c)
                    .with("list_country", &ext.country),
                );
            }
        }
    }
}

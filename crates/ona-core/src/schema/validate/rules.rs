//! Rules beyond types: dates in order, plausible ages, national ID checks, follow-up points,
//! closure, country consistency and extension codes. They read [`Facts`], skipping what is missing
//! or malformed (the structural pass reports that), so one record yields every problem at once.

use super::facts::Facts;
use super::problem::{Problem, ProblemCode};
use super::structural::is_admin1;
use crate::schema::national_id::{self, NationalIdError};
use crate::schema::{labels, Codelist, Date, FollowUpPoint, NationalIdType};

/// Days a follow-up's due date may differ from discharge + its months (scheduling slack).
pub const FOLLOW_UP_DUE_TOLERANCE_DAYS: i64 = 14;

/// Reports the later date when it is before the earlier one.
fn order(
    earlier: (Option<Date>, &str),
    later: (Option<Date>, impl FnOnce() -> String),
    out: &mut Vec<Problem>,
) {
    if let ((Some(a), other), (Some(b), at)) = (earlier, later) {
        if b < a {
            out.push(
                Problem::new(at(), ProblemCode::DateOrder)
                    .with("value", b)
                    .with("other", other)
                    .with("other_value", a),
            );
        }
    }
}

/// Applies every rule, appending problems.
pub(crate) fn check(f: &Facts<'_>, out: &mut Vec<Problem>) {
    dates_in_order(f, out);
    ages(f, out);
    national_id(f, out);
    follow_ups(f, out);
    closure(f, out);
    places(f, out);
    extensions(f, out);
}

fn dates_in_order(f: &Facts<'_>, out: &mut Vec<Problem>) {
    let intake = (f.intake, "/intake_date");
    if f.intake_point != Some("pregnant") {
        for (i, birth) in f.child_births.iter().enumerate() {
            if let (Some(b), Some(d)) = (birth, f.intake) {
                if d < *b {
                    out.push(
                        Problem::new("/intake_date", ProblemCode::DateOrder)
                            .with("value", d)
                            .with("other", format!("/children/{i}/birth_date"))
                            .with("other_value", b),
                    );
                }
            }
        }
    }
    order(intake, (f.admission, || "/stay/admission_date".into()), out);
    order(
        (f.admission, "/stay/admission_date"),
        (f.discharge, || "/stay/discharge_date".into()),
        out,
    );
    order(intake, (f.consent_date, || "/consent/date".into()), out);
    order(
        (f.consent_date, "/consent/date"),
        (f.consent_withdrawn, || "/consent/withdrawn".into()),
        out,
    );
    order((f.mother_birth, "/mother/birth_date"), (f.intake, || "/intake_date".into()), out);
    for (i, date) in f.risk_dates.iter().enumerate() {
        order(intake, (*date, || format!("/risk_assessments/{i}/date")), out);
    }
    for (i, (start, end)) in f.service_dates.iter().enumerate() {
        order(intake, (*start, || format!("/services/{i}/start_date")), out);
        if start.zip(*end).is_some_and(|(s, e)| e < s) {
            let start_at = format!("/services/{i}/start_date");
            order((*start, &start_at), (*end, || format!("/services/{i}/end_date")), out);
        }
    }
    for (i, fu) in f.follow_ups.iter().enumerate() {
        order(
            (f.discharge, "/stay/discharge_date"),
            (fu.date, || format!("/follow_ups/{i}/date")),
            out,
        );
    }
}

fn ages(f: &Facts<'_>, out: &mut Vec<Problem>) {
    if let (Some(birth), Some(intake)) = (f.mother_birth, f.intake) {
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

fn national_id(f: &Facts<'_>, out: &mut Vec<Problem>) {
    let ptr = "/mother/national_id/value";
    let Some((t, value)) =
        f.national_id.and_then(|(t, v)| NationalIdType::from_id(t).map(|t| (t, v)))
    else {
        return;
    };
    match national_id::check(t, value) {
        Ok(digits) => {
            if let (Some(e), Some(b)) = (national_id::birth_date(t, &digits), f.mother_birth) {
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
                NationalIdError::Placeholder => ProblemCode::NationalIdPlaceholder,
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

fn follow_ups(f: &Facts<'_>, out: &mut Vec<Problem>) {
    if (!f.follow_ups.is_empty() || f.has_outcome) && f.discharge.is_none() {
        let at = if f.follow_ups.is_empty() { "/outcome" } else { "/follow_ups" };
        out.push(Problem::new(at, ProblemCode::MissingDischarge));
    }
    for (i, fu) in f.follow_ups.iter().enumerate() {
        let Some(point) = fu.point else { continue };
        if f.follow_ups[..i].iter().any(|g| g.point == Some(point)) {
            out.push(
                Problem::new(format!("/follow_ups/{i}/point"), ProblemCode::DuplicateFollowUp)
                    .with("point", point),
            );
        }
        let (Some(p), Some(exit), Some(due)) = (FollowUpPoint::from_id(point), f.discharge, fu.due)
        else {
            continue;
        };
        let Some(expected) = exit.add_months(p.months()) else { continue };
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

fn closure(f: &Facts<'_>, out: &mut Vec<Problem>) {
    if f.status == Some("closed") && !f.has_closure_reason {
        out.push(Problem::new("/closure_reason", ProblemCode::MissingClosureReason));
    }
}

fn places(f: &Facts<'_>, out: &mut Vec<Problem>) {
    for ((admin1, country), at) in
        [(f.centre_place, "/centre/admin1"), (f.address_place, "/mother/address/admin1")]
    {
        if let (Some(a), Some(c)) = (admin1, country) {
            if c.len() == 2 && is_admin1(a) && &a[..2] != c {
                out.push(
                    Problem::new(at, ProblemCode::Admin1CountryMismatch)
                        .with("value", a)
                        .with("country", c),
                );
            }
        }
    }
}

fn extensions(f: &Facts<'_>, out: &mut Vec<Problem>) {
    let country = f.centre_place.1;
    for (i, (list, code)) in f.extensions.iter().enumerate() {
        let (Some(list), Some(code)) = (list, code) else { continue };
        let Some(ext) = labels::extension_list(list) else {
            out.push(
                Problem::new(format!("/extensions/{i}/list"), ProblemCode::UnknownExtensionList)
                    .with("list", list),
            );
            continue;
        };
        if !ext.maps.contains_key(*code) {
            out.push(
                Problem::new(format!("/extensions/{i}/code"), ProblemCode::UnknownExtensionCode)
                    .with("value", format!("{code:?}"))
                    .with("list", list),
            );
        }
        if let Some(c) = country.filter(|c| *c != ext.country) {
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

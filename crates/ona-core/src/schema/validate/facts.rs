//! The facts the rules look at, extracted either from a JSON value (tolerantly: a missing or
//! malformed field is just absent) or from a typed [`Case`]. The rules are written once, over
//! [`Facts`], so both validation paths judge a record the same way.

use crate::schema::{Case, Codelist, Date};
use serde_json::Value;

/// A follow-up as the rules see it.
#[derive(Debug, Default)]
pub(crate) struct FollowUpFacts<'a> {
    pub point: Option<&'a str>,
    pub due: Option<Date>,
    pub date: Option<Date>,
}

/// Everything the rules need, with `None` where the record lacks it or has it malformed.
#[derive(Debug, Default)]
pub(crate) struct Facts<'a> {
    pub intake: Option<Date>,
    pub intake_point: Option<&'a str>,
    pub status: Option<&'a str>,
    pub has_closure_reason: bool,
    pub has_outcome: bool,
    pub consent_date: Option<Date>,
    pub consent_withdrawn: Option<Date>,
    pub mother_birth: Option<Date>,
    pub national_id: Option<(&'a str, &'a str)>,
    pub child_births: Vec<Option<Date>>,
    pub admission: Option<Date>,
    pub discharge: Option<Date>,
    pub risk_dates: Vec<Option<Date>>,
    pub service_dates: Vec<(Option<Date>, Option<Date>)>,
    pub follow_ups: Vec<FollowUpFacts<'a>>,
    pub centre_place: (Option<&'a str>, Option<&'a str>),
    pub address_place: (Option<&'a str>, Option<&'a str>),
    pub extensions: Vec<(Option<&'a str>, Option<&'a str>)>,
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |node, key| node.as_object()?.get(*key))
}

fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

fn d(v: &Value, path: &[&str]) -> Option<Date> {
    s(v, path).and_then(|t| Date::parse(t).ok())
}

fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn present(v: &Value, key: &str) -> bool {
    v.get(key).is_some_and(|x| !x.is_null())
}

impl<'a> Facts<'a> {
    /// Facts of a JSON record, whatever its shape.
    pub fn from_value(v: &'a Value) -> Facts<'a> {
        Facts {
            intake: d(v, &["intake_date"]),
            intake_point: s(v, &["intake_point"]),
            status: s(v, &["status"]),
            has_closure_reason: present(v, "closure_reason"),
            has_outcome: present(v, "outcome"),
            consent_date: d(v, &["consent", "date"]),
            consent_withdrawn: d(v, &["consent", "withdrawn"]),
            mother_birth: d(v, &["mother", "birth_date"]),
            national_id: s(v, &["mother", "national_id", "type"])
                .zip(s(v, &["mother", "national_id", "value"])),
            child_births: items(v, "children").iter().map(|c| d(c, &["birth_date"])).collect(),
            admission: d(v, &["stay", "admission_date"]),
            discharge: d(v, &["stay", "discharge_date"]),
            risk_dates: items(v, "risk_assessments").iter().map(|r| d(r, &["date"])).collect(),
            service_dates: items(v, "services")
                .iter()
                .map(|x| (d(x, &["start_date"]), d(x, &["end_date"])))
                .collect(),
            follow_ups: items(v, "follow_ups")
                .iter()
                .map(|f| FollowUpFacts {
                    point: s(f, &["point"]),
                    due: d(f, &["due_date"]),
                    date: d(f, &["date"]),
                })
                .collect(),
            centre_place: (s(v, &["centre", "admin1"]), s(v, &["centre", "country"])),
            address_place: (
                s(v, &["mother", "address", "admin1"]),
                s(v, &["mother", "address", "country"]),
            ),
            extensions: items(v, "extensions")
                .iter()
                .map(|e| (s(e, &["list"]), s(e, &["code"])))
                .collect(),
        }
    }

    /// Facts of a typed case.
    pub fn from_case(c: &'a Case) -> Facts<'a> {
        let m = &c.mother;
        Facts {
            intake: Some(c.intake_date),
            intake_point: Some(c.intake_point.id()),
            status: Some(c.status.id()),
            has_closure_reason: c.closure_reason.is_some(),
            has_outcome: c.outcome.is_some(),
            consent_date: Some(c.consent.date),
            consent_withdrawn: c.consent.withdrawn,
            mother_birth: m.birth_date,
            national_id: m.national_id.as_ref().map(|n| (n.id_type.id(), n.value.as_str())),
            child_births: c.children.iter().map(|x| x.birth_date).collect(),
            admission: c.stay.as_ref().map(|s| s.admission_date),
            discharge: c.stay.as_ref().and_then(|s| s.discharge_date),
            risk_dates: c.risk_assessments.iter().map(|r| Some(r.date)).collect(),
            service_dates: c.services.iter().map(|x| (x.start_date, x.end_date)).collect(),
            follow_ups: c
                .follow_ups
                .iter()
                .map(|f| FollowUpFacts {
                    point: Some(f.point.id()),
                    due: Some(f.due_date),
                    date: f.date,
                })
                .collect(),
            centre_place: (Some(c.centre.admin1.as_str()), Some(c.centre.country.as_str())),
            address_place: m
                .address
                .as_ref()
                .map(|a| (a.admin1.as_deref(), Some(a.country.as_str())))
                .unwrap_or((None, None)),
            extensions: c
                .extensions
                .iter()
                .map(|e| (Some(e.list.as_str()), Some(e.code.as_str())))
                .collect(),
        }
    }
}

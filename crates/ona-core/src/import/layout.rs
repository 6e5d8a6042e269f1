//! The layouts partner systems give their exports, told by the system columns the tables
//! carry (for `ona mapping init`): which columns are the system's own, and how tables join.

use super::dhis2::DHIS2_ENTITIES;
use super::fields::repeat_lists;
use super::source::{Export, Table};
use super::words::header_words;

/// System metadata columns that hold nothing of the case (Kobo, ODK Central, CommCare).
pub(super) const META: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "SubmissionDate",
    "KEY",
    "PARENT_KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "instanceID",
    "number",
    "formid",
    "case_id",
];

pub(super) fn is_meta(h: &str) -> bool {
    (h.starts_with('_') && h != "_uuid") || META.contains(&h)
}

/// The join layout of an export, told by the system columns its tables carry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// Kobo (`_index`/`_parent_index`), ODK Central (`KEY`/`PARENT_KEY`) or a plain sheet.
    Forms,
    /// Primero: every sheet headed by `_id` and `model_type`.
    Primero,
    /// CommCare: `number` in the form table, `number__0` in repeat tables.
    CommCare,
    /// DHIS2 Tracker: tracked entities, enrollments, program stages.
    Dhis2,
}

pub(super) fn layout(export: &Export) -> Layout {
    let has = |t: &Table, h: &str| t.headers.iter().any(|x| x == h);
    match export.tables.first() {
        Some(t) if t.name == DHIS2_ENTITIES && has(t, "trackedEntity") => Layout::Dhis2,
        Some(_) if export.tables.iter().all(|t| has(t, "model_type")) => Layout::Primero,
        Some(t) if has(t, "number") && export.tables[1..].iter().all(|r| has(r, "number__0")) => {
            Layout::CommCare
        }
        _ => Layout::Forms,
    }
}

/// CommCare's system columns: the row numbers of repeats, the form's metadata and case
/// block, and the "extra" column of a split select-multiple.
pub(super) fn is_commcare_meta(h: &str) -> bool {
    h.starts_with("number__")
        || h.starts_with("form.meta.")
        || h.starts_with("form.case.")
        || h.ends_with(" | extra")
        || ["received_on", "formid", "form.@name", "form.#type"].contains(&h)
}

/// The list a Primero form sheet fills the first element of, when its name names the list in
/// the singular ("Assessment" → `/risk_assessments`).
pub(super) fn form_list(name: &str) -> Option<String> {
    let words = header_words(name);
    repeat_lists().into_iter().find(|l| {
        header_words(l).iter().any(|w| {
            let one = w.strip_suffix('s').unwrap_or(w);
            one.len() > 3 && words.iter().any(|x| x == one)
        })
    })
}

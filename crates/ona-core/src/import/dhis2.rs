//! DHIS2 Tracker JSON (`/api/tracker/trackedEntities?fields=*,enrollments[*,events[*]]`) read
//! into tables the engine joins like any other export:
//!
//! - `trackedEntities`: `trackedEntity`, `trackedEntityType`, `orgUnit`, `createdAt`, then one
//!   column per attribute, named by the attribute's UID;
//! - `enrollments`: `enrollment`, `trackedEntity` (the parent), `program`, `orgUnit`,
//!   `status`, `enrolledAt`, `occurredAt`;
//! - one table per program stage, named by the stage's UID: `event`, `enrollment` (the
//!   parent), `trackedEntity`, `programStage`, `orgUnit`, `status`, `occurredAt`,
//!   `scheduledAt`, then one column per data element, named by its UID.
//!
//! Columns are named by UID because a data value carries only its data element's UID. The
//! names people read come from the program's metadata (`/api/programs/{uid}/metadata.json`)
//! and, for attributes, from the export's own `displayName`: [`dhis2_labels`].

use super::source::{Cell, Table};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The name of the tracked-entity table.
pub const DHIS2_ENTITIES: &str = "trackedEntities";
/// The name of the enrollment table.
pub const DHIS2_ENROLLMENTS: &str = "enrollments";

#[derive(Deserialize)]
#[serde(untagged)]
enum Envelope {
    /// 2.41 and later: `{"trackedEntities": [...]}` (with paging fields beside it).
    Current {
        #[serde(rename = "trackedEntities")]
        tracked_entities: Vec<Entity>,
    },
    /// 2.36 to 2.40: `{"instances": [...]}`.
    Instances { instances: Vec<Entity> },
    /// A bare list of tracked entities.
    Bare(Vec<Entity>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entity {
    #[serde(default)]
    tracked_entity: String,
    #[serde(default)]
    tracked_entity_type: String,
    #[serde(default)]
    org_unit: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    attributes: Vec<AttributeValue>,
    #[serde(default)]
    enrollments: Vec<Enrollment>,
}

#[derive(Deserialize)]
struct AttributeValue {
    attribute: String,
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Enrollment {
    #[serde(default)]
    enrollment: String,
    #[serde(default)]
    program: String,
    #[serde(default)]
    org_unit: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    enrolled_at: String,
    #[serde(default)]
    occurred_at: String,
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    #[serde(default)]
    event: String,
    #[serde(default)]
    program_stage: String,
    #[serde(default)]
    org_unit: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    occurred_at: String,
    #[serde(default)]
    scheduled_at: String,
    #[serde(default)]
    data_values: Vec<DataValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataValue {
    data_element: String,
    #[serde(default)]
    value: Value,
}

const ENTITY_HEAD: [&str; 4] = ["trackedEntity", "trackedEntityType", "orgUnit", "createdAt"];
const ENROLLMENT_HEAD: [&str; 7] =
    ["enrollment", "trackedEntity", "program", "orgUnit", "status", "enrolledAt", "occurredAt"];
const EVENT_HEAD: [&str; 8] = [
    "event",
    "enrollment",
    "trackedEntity",
    "programStage",
    "orgUnit",
    "status",
    "occurredAt",
    "scheduledAt",
];

/// The system's own columns of the DHIS2 tables (kept out of guesses).
pub fn is_dhis2_system_column(header: &str) -> bool {
    ENTITY_HEAD.contains(&header)
        || ENROLLMENT_HEAD.contains(&header)
        || EVENT_HEAD.contains(&header)
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

fn cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::String(s) => text(s),
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        other => Cell::Text(other.to_string()),
    }
}

/// A table whose data columns are added as their UIDs are first seen.
struct Growing {
    table: Table,
    fixed: usize,
    position: BTreeMap<String, usize>,
}

impl Growing {
    fn new(name: &str, head: &[&str]) -> Growing {
        Growing {
            table: Table {
                name: name.to_string(),
                headers: head.iter().map(|h| h.to_string()).collect(),
                rows: Vec::new(),
            },
            fixed: head.len(),
            position: BTreeMap::new(),
        }
    }

    fn push(&mut self, fixed: Vec<Cell>, values: impl Iterator<Item = (String, Cell)>) {
        let mut row = fixed;
        row.resize(self.table.headers.len(), Cell::Empty);
        for (uid, value) in values {
            let at = match self.position.get(&uid) {
                Some(&at) => at,
                None => {
                    let at = self.table.headers.len();
                    self.table.headers.push(uid.clone());
                    self.position.insert(uid, at);
                    for r in &mut self.table.rows {
                        r.push(Cell::Empty);
                    }
                    row.push(Cell::Empty);
                    at
                }
            };
            row[at] = value;
        }
        self.table.rows.push(row);
    }

    fn finish(mut self) -> Table {
        let width = self.table.headers.len();
        for r in &mut self.table.rows {
            r.resize(width, Cell::Empty);
        }
        debug_assert!(self.fixed <= width);
        self.table
    }
}

/// Reads a DHIS2 Tracker JSON export into its tables: tracked entities, enrollments, and one
/// table of events per program stage (in the order stages are first seen).
pub fn read_dhis2(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(|e| {
        format!("not a DHIS2 Tracker export (expected {{\"trackedEntities\": [...]}}): {e}")
    })?;
    let entities = match envelope {
        Envelope::Current { tracked_entities } => tracked_entities,
        Envelope::Instances { instances } => instances,
        Envelope::Bare(list) => list,
    };
    let mut te = Growing::new(DHIS2_ENTITIES, &ENTITY_HEAD);
    let mut en = Growing::new(DHIS2_ENROLLMENTS, &ENROLLMENT_HEAD);
    let mut stages: Vec<Growing> = Vec::new();
    for e in &entities {
        te.push(
            vec![
                text(&e.tracked_entity),
                text(&e.tracked_entity_type),
                text(&e.org_unit),
                text(&e.created_at),
            ],
            e.attributes.iter().map(|a| (a.attribute.clone(), cell(&a.value))),
        );
        for n in &e.enrollments {
            en.push(
                vec![
                    text(&n.enrollment),
                    text(&e.tracked_entity),
                    text(&n.program),
                    text(&n.org_unit),
                    text(&n.status),
                    text(&n.enrolled_at),
                    text(&n.occurred_at),
                ],
                std::iter::empty(),
            );
            for v in &n.events {
                let name = if v.program_stage.is_empty() { "events" } else { &v.program_stage };
                let stage = match stages.iter().position(|s| s.table.name == name) {
                    Some(i) => i,
                    None => {
                        stages.push(Growing::new(name, &EVENT_HEAD));
                        stages.len() - 1
                    }
                };
                stages[stage].push(
                    vec![
                        text(&v.event),
                        text(&n.enrollment),
                        text(&e.tracked_entity),
                        text(&v.program_stage),
                        text(&v.org_unit),
                        text(&v.status),
                        text(&v.occurred_at),
                        text(&v.scheduled_at),
                    ],
                    v.data_values.iter().map(|d| (d.data_element.clone(), cell(&d.value))),
                );
            }
        }
    }
    let mut tables = vec![te.finish(), en.finish()];
    tables.extend(stages.into_iter().map(Growing::finish));
    Ok(tables)
}

/// The names people read for a DHIS2 export's UIDs (attributes, data elements, program
/// stages): each attribute's `displayName` in the export itself, then every object with an
/// `id` and a `name` (or `displayName`) in the program metadata (`metadata.json` of the
/// program, as DHIS2's metadata export writes it), which wins.
pub fn dhis2_labels(
    export: &[u8],
    metadata: Option<&[u8]>,
) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(export) {
        for list in ["trackedEntities", "instances"] {
            for e in top.get(list).and_then(Value::as_array).into_iter().flatten() {
                for a in e.get("attributes").and_then(Value::as_array).into_iter().flatten() {
                    if let (Some(id), Some(name)) = (
                        a.get("attribute").and_then(Value::as_str),
                        a.get("displayName").and_then(Value::as_str),
                    ) {
                        out.entry(id.to_string()).or_insert_with(|| name.to_string());
                    }
                }
            }
        }
    }
    if let Some(bytes) = metadata {
        let meta: Value = serde_json::from_slice(bytes)
            .map_err(|e| format!("the DHIS2 metadata is not JSON: {e}"))?;
        collect_names(&meta, &mut out);
    }
    Ok(out)
}

fn collect_names(v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(o) => {
            let name = o.get("name").or_else(|| o.get("displayName")).and_then(Value::as_str);
            if let (Some(Value::String(id)), Some(name)) = (o.get("id"), name) {
                out.insert(id.clone(), name.to_string());
            }
            o.values().for_each(|x| collect_names(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_names(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"{"pager": {"page": 1}, "trackedEntities": [
      {"trackedEntity": "TE1", "orgUnit": "OU1", "attributes": [
         {"attribute": "aFirst", "displayName": "First name", "value": "Айгерим"}],
       "enrollments": [{"enrollment": "EN1", "enrolledAt": "2024-03-07T00:00:00.000",
         "events": [
           {"event": "EV1", "programStage": "stChild", "dataValues": [
              {"dataElement": "deSex", "value": "FEMALE"}]},
           {"event": "EV2", "programStage": "stChild", "dataValues": [
              {"dataElement": "deWeight", "value": "3100"}, {"dataElement": "deSex", "value": "MALE"}]}]}]},
      {"trackedEntity": "TE2", "attributes": [], "enrollments": []}]}"#;

    #[test]
    fn entities_enrollments_and_stages_become_joined_tables() {
        let t = read_dhis2(EXPORT.as_bytes()).unwrap();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["trackedEntities", "enrollments", "stChild"]);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].headers.last().unwrap(), "aFirst");
        assert_eq!(t[0].rows[0][4], Cell::Text("Айгерим".into()));
        assert_eq!(t[0].rows[1][4], Cell::Empty);
        // The enrollment names its tracked entity, the event its enrollment.
        assert_eq!(t[1].rows[0][1], Cell::Text("TE1".into()));
        let child = &t[2];
        assert_eq!(child.rows[0][1], Cell::Text("EN1".into()));
        // A data element first seen in the second event gets a column; the first row is padded.
        let w = child.column("deWeight").unwrap();
        assert_eq!(child.rows[0][w], Cell::Empty);
        assert_eq!(child.rows[1][w], Cell::Text("3100".into()));
        assert!(child.rows.iter().all(|r| r.len() == child.headers.len()));
    }

    #[test]
    fn older_instances_envelope_and_bad_json() {
        let t = read_dhis2(br#"{"instances": [{"trackedEntity": "A"}]}"#).unwrap();
        assert_eq!(t[0].rows.len(), 1);
        let e = read_dhis2(b"[{\"trackedEntity\": 5}]").unwrap_err();
        assert!(e.contains("DHIS2"), "{e}");
    }

    #[test]
    fn labels_from_display_names_and_metadata() {
        let meta = br#"{"dataElements": [{"id": "deSex", "name": "Child sex"}],
            "programStages": [{"id": "stChild", "name": "Child",
               "programStageDataElements": [{"dataElement": {"id": "deWeight", "name": "Birth weight"}}]}],
            "trackedEntityAttributes": [{"id": "aFirst", "name": "Given name"}]}"#;
        let l = dhis2_labels(EXPORT.as_bytes(), None).unwrap();
        assert_eq!(l["aFirst"], "First name");
        assert!(!l.contains_key("deSex"));
        let l = dhis2_labels(EXPORT.as_bytes(), Some(meta)).unwrap();
        assert_eq!(l["deSex"], "Child sex");
        assert_eq!(l["deWeight"], "Birth weight");
        assert_eq!(l["stChild"], "Child");
        assert_eq!(l["aFirst"], "Given name", "the metadata wins");
        assert!(dhis2_labels(b"{}", Some(b"not json")).is_err());
    }
}

"""The DHIS2 Tracker fixture of the import tests (see generate.py, which calls it)."""

import json
import os

from generate import LABELS, truth
# ───────────────────────── DHIS2 Tracker JSON (Kazakhstan) ─────────────────────────

def dhis_uid(name):
    """A DHIS2-shaped UID (a letter then 10 letters or digits), stable for a name."""
    import hashlib
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    h = int.from_bytes(hashlib.sha256(name.encode()).digest(), "big")
    out = [alnum[h % 52]]
    h //= 52
    for _ in range(10):
        out.append(alnum[h % 62])
        h //= 62
    return "".join(out)


# (key, name in the program's metadata, value type, option set codelist or None)
DHIS2_ATTRIBUTES = [
    ("given", "Имя", "TEXT", None), ("family", "Фамилия", "TEXT", None),
    ("patronymic", "Отчество", "TEXT", None), ("iin", "ИИН", "TEXT", None),
    ("phone", "Телефон", "PHONE_NUMBER", None), ("dob", "Дата рождения", "DATE", None),
    ("citizenship", "Гражданство", "TEXT", None),
]
DHIS2_STAGES = [
    ("intake", "Поступление", False, [
        ("referral_source", "Откуда направлена", "TEXT", "referral_source"),
        ("intake_point", "Где находилась при обращении", "TEXT", "intake_point"),
        ("relinquishment_intent", "Намерение отказаться", "TEXT", "relinquishment_intent"),
        ("status", "Статус случая", "TEXT", "case_status"),
        ("closure_reason", "Причина закрытия", "TEXT", "closure_reason"),
        ("consent_services", "Согласие на услуги", "BOOLEAN", None),
        ("consent_referral", "Согласие на передачу", "BOOLEAN", None),
        ("consent_aggregate", "Согласие на отчёты", "BOOLEAN", None),
        ("consent_date", "Дата согласия", "DATE", None),
        ("residence_status", "Статус проживания", "TEXT", "residence_status"),
        ("education", "Образование", "TEXT", "isced_level"),
        ("employment", "Занятость", "TEXT", "employment"),
        ("marital_status", "Семейное положение", "TEXT", "marital_status"),
        ("disability", "Инвалидность", "BOOLEAN", None),
        ("other_children", "Других детей", "INTEGER_ZERO_OR_POSITIVE", None),
        ("admission_date", "Дата заселения", "DATE", None),
        ("discharge_date", "Дата выселения", "DATE", None),
        ("stay_type", "Форма проживания", "TEXT", "stay_type"),
    ]),
    ("child", "Ребёнок", True, [
        ("child_name", "Имя ребёнка", "TEXT", None),
        ("child_dob", "Дата рождения ребёнка", "DATE", None),
        ("child_sex", "Пол ребёнка", "TEXT", "sex"),
        ("child_weight", "Вес при рождении, г", "INTEGER_POSITIVE", None),
        ("child_gestation", "Срок, недель", "INTEGER_POSITIVE", None),
        ("child_registered", "Рождение зарегистрировано", "BOOLEAN", None),
        ("child_location", "Где ребёнок", "TEXT", "child_location"),
        ("child_health", "Здоровье ребёнка", "MULTI_TEXT", "child_health_condition"),
    ]),
    ("service", "Услуга", True, [
        ("service_type", "Вид услуги", "TEXT", "service_type"),
        ("service_delivery", "Форма оказания", "TEXT", "service_delivery"),
        ("service_start", "Дата начала", "DATE", None),
        ("service_end", "Дата окончания", "DATE", None),
        ("service_status", "Статус услуги", "TEXT", "service_status"),
    ]),
]
DHIS2_PROGRAM = dhis_uid("program/ona-intake")
DHIS2_TET = dhis_uid("trackedEntityType/person")
DHIS2_OU = dhis_uid("orgUnit/kz-almaty-01")


def dhis2_metadata():
    """The program's metadata as DHIS2's metadata export writes it (`/api/programs/{uid}/
    metadata.json`): the only place data elements and stages are named."""
    sets = sorted({cl for _, _, _, els in DHIS2_STAGES for _, _, _, cl in els if cl})
    return {
        "system": {"version": "2.41.1"},
        "programs": [{
            "id": DHIS2_PROGRAM, "name": "Дом мамы: поступление", "programType": "WITH_REGISTRATION",
            "trackedEntityType": {"id": DHIS2_TET},
            "programStages": [{"id": dhis_uid("stage/" + k)} for k, *_ in DHIS2_STAGES],
            "programTrackedEntityAttributes": [
                {"trackedEntityAttribute": {"id": dhis_uid("attr/" + k)}} for k, *_ in DHIS2_ATTRIBUTES]}],
        "programStages": [{
            "id": dhis_uid("stage/" + k), "name": name, "repeatable": rep,
            "program": {"id": DHIS2_PROGRAM},
            "programStageDataElements": [{"dataElement": {"id": dhis_uid("de/" + d)}} for d, *_ in els]}
            for k, name, rep, els in DHIS2_STAGES],
        "dataElements": [{
            "id": dhis_uid("de/" + d), "name": name, "shortName": name[:50], "valueType": vt,
            "domainType": "TRACKER", "aggregationType": "NONE",
            **({"optionSet": {"id": dhis_uid("os/" + cl)}} if cl else {})}
            for _, _, _, els in DHIS2_STAGES for d, name, vt, cl in els],
        "trackedEntityAttributes": [{"id": dhis_uid("attr/" + k), "name": name, "shortName": name,
                                     "valueType": vt} for k, name, vt, _ in DHIS2_ATTRIBUTES],
        "optionSets": [{"id": dhis_uid("os/" + cl), "name": LABELS[cl]["title"]["ru"]
                        if "title" in LABELS[cl] else cl, "valueType": "TEXT",
                        "options": [{"id": dhis_uid(f"opt/{cl}/{code}")} for code in LABELS[cl]["codes"]]}
                       for cl in sets],
        "options": [{"id": dhis_uid(f"opt/{cl}/{code}"), "code": code.upper(),
                     "name": LABELS[cl]["codes"][code]["ru"], "optionSet": {"id": dhis_uid("os/" + cl)}}
                    for cl in sets for code in LABELS[cl]["codes"]],
    }


# Services exported per person: the first two (the export was filtered to keep the fixture small).
SERVICES_KEPT = 2


def dhis2(cases, out_dir):
    """DHIS2 Tracker JSON (`/api/tracker/trackedEntities?fields=*,enrollments[*,events[*]]`,
    2.41, with a `fields` list that leaves out audit fields): tracked entities with attributes
    by UID (and their displayName), one enrollment
    each, events of a non-repeatable intake stage and repeatable child and service stages,
    data values by data element UID; option codes in upper case as DHIS2 writes them,
    booleans "true"/"false", select-multiples (MULTI_TEXT) joined by commas, dates ISO (event
    and enrollment dates with a time)."""
    attr_name = {k: n for k, n, _, _ in DHIS2_ATTRIBUTES}
    attr_type = {k: vt for k, _, vt, _ in DHIS2_ATTRIBUTES}
    stage = {k: dhis_uid("stage/" + k) for k, *_ in DHIS2_STAGES}
    up = lambda v: v.upper() if isinstance(v, str) else v
    tb = lambda b: None if b is None else ("true" if b else "false")

    def dv(key, value):
        return None if value in (None, "", []) else {"dataElement": dhis_uid("de/" + key), "value": str(value)}

    entities, truths = [], []
    for i, c in enumerate(cases):
        m, con, stay = c["mother"], c["consent"], c.get("stay", {})
        te = dhis_uid("te/" + c["id"])
        en = dhis_uid("en/" + c["id"])
        at = f'{c["intake_date"]}T10:{i % 60:02d}:00.000'
        nid = m.get("national_id", {})
        attrs = [("given", m["name"]["given"]), ("family", m["name"].get("family", "")),
                 ("patronymic", m["name"].get("patronymic", "")),
                 ("iin", nid.get("value", "") if nid.get("type") == "KZ_IIN" else ""),
                 ("phone", m.get("phone", "")), ("dob", m.get("birth_date", "")),
                 ("citizenship", m.get("citizenship", ""))]
        def event(key, n, values, occurred):
            return {"event": dhis_uid(f"ev/{c['id']}/{key}/{n}"), "status": "COMPLETED",
                    "program": DHIS2_PROGRAM, "programStage": stage[key], "enrollment": en,
                    "orgUnit": DHIS2_OU, "occurredAt": occurred + "T00:00:00.000",
                    "dataValues": [v for v in values if v]}
        events = [event("intake", 0, [
            dv("referral_source", up(c["referral_source"])), dv("intake_point", up(c["intake_point"])),
            dv("relinquishment_intent", up(c["relinquishment_intent"])), dv("status", up(c["status"])),
            dv("closure_reason", up(c.get("closure_reason", ""))),
            dv("consent_services", tb(con["services"])), dv("consent_referral", tb(con["referral_sharing"])),
            dv("consent_aggregate", tb(con["aggregate_reporting"])), dv("consent_date", con["date"]),
            dv("residence_status", up(m["residence_status"])), dv("education", up(m.get("education", ""))),
            dv("employment", up(m["employment"])), dv("marital_status", up(m["marital_status"])),
            dv("disability", tb(m.get("disability"))), dv("other_children", m.get("other_children", "")),
            dv("admission_date", stay.get("admission_date", "")),
            dv("discharge_date", stay.get("discharge_date", "")), dv("stay_type", up(stay.get("stay_type", ""))),
        ], c["intake_date"])]
        for n, ch in enumerate(c["children"]):
            events.append(event("child", n, [
                dv("child_name", ch.get("name", {}).get("given", "")), dv("child_dob", ch.get("birth_date", "")),
                dv("child_sex", up(ch["sex"])), dv("child_weight", ch.get("birth_weight_g", "")),
                dv("child_gestation", ch.get("gestation_weeks", "")),
                dv("child_registered", tb(ch.get("birth_registered"))),
                dv("child_location", up(ch["location_at_intake"])),
                dv("child_health", ",".join(x.upper() for x in ch.get("health_conditions", []))),
            ], c["intake_date"]))
        for n, sv in enumerate(c.get("services", [])[:SERVICES_KEPT]):
            events.append(event("service", n, [
                dv("service_type", up(sv["type"])), dv("service_delivery", up(sv["delivery"])),
                dv("service_start", sv.get("start_date", "")), dv("service_end", sv.get("end_date", "")),
                dv("service_status", up(sv["status"])),
            ], sv.get("start_date") or c["intake_date"]))
        entities.append({
            "trackedEntity": te, "trackedEntityType": DHIS2_TET, "createdAt": at, "updatedAt": at,
            "orgUnit": DHIS2_OU, "inactive": False, "deleted": False, "potentialDuplicate": False,
            "attributes": [{"attribute": dhis_uid("attr/" + k), "displayName": attr_name[k],
                            "valueType": attr_type[k], "value": v} for k, v in attrs if v],
            "enrollments": [{
                "enrollment": en, "createdAt": at, "updatedAt": at, "program": DHIS2_PROGRAM,
                "status": "COMPLETED" if c["status"] == "closed" else "ACTIVE", "orgUnit": DHIS2_OU,
                "enrolledAt": c["intake_date"] + "T00:00:00.000",
                "occurredAt": c["intake_date"] + "T00:00:00.000", "followUp": False,
                "deleted": False, "events": events, "relationships": [], "attributes": [],
                "notes": []}],
            "relationships": []})
        t = truth(c)
        t["services"] = t["services"][:SERVICES_KEPT]
        t["id"] = te
        t.pop("consent")
        t["consent"] = {k: con[k] for k in ["services", "referral_sharing", "aggregate_reporting", "date"]}
        if nid and nid.get("type") != "KZ_IIN":
            t["mother"].pop("national_id")
        for k in t["children"]:
            if "name" in k:
                k["name"] = {"given": k["name"]["given"]}
        truths.append(t)
    export = {"page": 1, "pageSize": len(entities), "trackedEntities": entities}
    with open(os.path.join(out_dir, "dhis2-kz.json"), "w", encoding="utf-8") as f:
        json.dump(export, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(out_dir, "dhis2-kz.metadata.json"), "w", encoding="utf-8") as f:
        json.dump(dhis2_metadata(), f, ensure_ascii=False, indent=1)
        f.write("\n")
    return truths


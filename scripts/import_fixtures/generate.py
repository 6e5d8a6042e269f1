#!/usr/bin/env python3
"""Writes the import fixtures deterministically from ona-synth data, each in the layout of the
system it stands for, and the standard cases each fixture must import into ("truth").

    python3 scripts/import_fixtures/generate.py --ona target/release/ona \
        --out tests/fixtures/import [--truth DIR]

Layouts (learnt from the systems' public documentation and exporter code, no file copied):
- KoboToolbox XLSX (formpack): one sheet per repeat group, joined by `_index` /
  `_parent_index` (plus `_parent_table_name`, `_submission__uuid`); group paths joined with
  `/`; a select-multiple as space-separated names plus one 0/1 column per choice
  `question/choice`; select-ones exported as labels (here Turkish).
- ODK Central ZIP of CSVs: root table plus one CSV per repeat, joined by `PARENT_KEY` / `KEY`
  (`uuid:…/children[1]`), `groupPaths=false`, `splitSelectMultiples=true`.
- Primero Excel: one sheet per form "(N) Form name" and per subform, each row headed by the
  case's `_id` and `model_type`; multiple values joined by " ||| "; dates as DD-Mon-YYYY.
- CommCare HQ form export, Excel 2007+: "Forms" plus one sheet per repeat group, `number` /
  `number__0` joins, question paths `form.group.question`, select-multiples split into
  `question | option` columns of 1 or blank.
- DHIS2 Tracker JSON: tracked entities → enrollments → events with data values by data element
  UID, attributes by UID, and the program's metadata (names of the UIDs) beside it.
- A hand-kept spreadsheet saved as CSV from Excel in Windows-1251 with `;` separators, Russian
  headers and labels, dates as DD.MM.YYYY, outcome as free text, and planted errors listed in
  `excel-ua.planted.json`.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import tempfile
import uuid
import zipfile

from xlsx import DateSerial, write_xlsx, FIXED_TIME

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LABELS = json.load(open(os.path.join(ROOT, "crates/ona-core/data/codelists.json"), encoding="utf-8"))["lists"]
SEED = 16
N_SYNTH = 14000
ROWS = 220
NS = uuid.UUID("6f9c1b1e-0000-4000-8000-0000000000a1")


def label(lst, code, lang):
    return LABELS[lst]["codes"][code][lang]


def uid(case_id):
    return str(uuid.uuid5(NS, case_id))


def serial(iso):
    """Excel 1900-system serial of an ISO date."""
    import datetime
    d = datetime.date.fromisoformat(iso)
    return DateSerial((d - datetime.date(1899, 12, 30)).days)


def yesno(b, yes="yes", no="no"):
    return "" if b is None else (yes if b else no)


def truth(case, children="all", risks=False, services=True):
    """The part of a synthetic case that a fixture carries: what its import must give back."""
    keep = ["schema_version", "id", "centre", "intake_date", "status", "referral_source",
            "intake_point", "relinquishment_intent", "consent", "closure_reason", "stay"]
    t = {k: case[k] for k in keep if k in case}
    m = case["mother"]
    t["mother"] = {k: m[k] for k in ["name", "national_id", "phone", "birth_date", "citizenship",
                                     "residence_status", "education", "employment",
                                     "marital_status", "disability", "other_children"] if k in m}
    kids = case["children"] if children == "all" else case["children"][:1]
    t["children"] = [{k: c[k] for k in ["name", "birth_date", "sex", "birth_weight_g",
                                        "gestation_weeks", "birth_registered",
                                        "location_at_intake", "health_conditions"] if k in c}
                     for c in kids]
    t["risk_assessments"] = case.get("risk_assessments", []) if risks else []
    t["services"] = [{k: s[k] for k in ["type", "delivery", "start_date", "end_date", "status"] if k in s}
                     for s in case.get("services", [])] if services else []
    t["follow_ups"] = []
    t["id"] = uid(case["id"])
    return t


def pick(cases, centre):
    out = [c for c in cases if c["centre"]["id"] == centre][:ROWS]
    assert len(out) == ROWS, f"only {len(out)} cases of {centre}"
    return out


# ───────────────────────────── KoboToolbox XLSX (Türkiye) ─────────────────────────────

def kobo(cases, out_dir):
    lang = "tr"
    hc = LABELS["child_health_condition"]["codes"]
    rf = LABELS["risk_factor"]["codes"]
    vt = LABELS["violence_type"]["codes"]
    main_h = ["start", "end", "intake/intake_date", "intake/referral_source", "intake/intake_point",
              "intake/relinquishment_intent", "intake/status", "intake/closure_reason",
              "consent/services", "consent/referral_sharing", "consent/aggregate_reporting",
              "consent/date", "consent/withdrawn",
              "mother/given_name", "mother/family_name", "mother/tckn", "mother/phone",
              "mother/birth_date", "mother/citizenship", "mother/residence_status",
              "mother/education", "mother/employment", "mother/marital_status",
              "mother/disability", "mother/other_children",
              "stay/admission_date", "stay/discharge_date", "stay/stay_type",
              "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
              "_submitted_by", "__version__", "_tags", "_index"]
    child_h = ["child/given_name", "child/birth_date", "child/sex", "child/birth_weight_g",
               "child/gestation_weeks", "child/birth_registered", "child/location_at_intake",
               "child/health_conditions"] + [f"child/health_conditions/{c}" for c in hc] + \
              ["_index", "_parent_table_name", "_parent_index", "_submission__id",
               "_submission__uuid", "_submission__submission_time", "_submission__validation_status",
               "_submission__notes", "_submission__status", "_submission__submitted_by",
               "_submission___version__", "_submission__tags"]
    svc_h = ["service/type", "service/delivery", "service/start_date", "service/end_date",
             "service/status", "_index", "_parent_table_name", "_parent_index",
             "_submission__id", "_submission__uuid"]
    risk_h = ["risk/date", "risk/risk_factors"] + [f"risk/risk_factors/{c}" for c in rf] + \
             ["risk/violence_types"] + [f"risk/violence_types/{c}" for c in vt] + \
             ["risk/risk_level", "_index", "_parent_table_name", "_parent_index",
              "_submission__id", "_submission__uuid"]
    main, kids, svcs, risks, truths = [main_h], [child_h], [svc_h], [risk_h], []
    form = "Anne Evi kayıt formu"
    for i, c in enumerate(cases, start=1):
        m, con = c["mother"], c["consent"]
        stay = c.get("stay", {})
        u = uid(c["id"])
        sub_time = f'{c["intake_date"]}T09:{i % 60:02d}:00'
        main.append([
            f'{c["intake_date"]}T08:30:00.000+03:00', f'{c["intake_date"]}T08:52:00.000+03:00',
            c["intake_date"], label("referral_source", c["referral_source"], lang),
            label("intake_point", c["intake_point"], lang),
            label("relinquishment_intent", c["relinquishment_intent"], lang),
            c["status"], c.get("closure_reason", ""),
            yesno(con["services"], "Evet", "Hayır"), yesno(con["referral_sharing"], "Evet", "Hayır"),
            yesno(con["aggregate_reporting"], "Evet", "Hayır"), serial(con["date"]),
            serial(con["withdrawn"]) if "withdrawn" in con else "",
            m["name"]["given"], m["name"].get("family", ""),
            m.get("national_id", {}).get("value", ""), m.get("phone", ""), m.get("birth_date", ""),
            m.get("citizenship", ""), label("residence_status", m["residence_status"], lang),
            m.get("education", ""), label("employment", m["employment"], lang),
            label("marital_status", m["marital_status"], lang),
            yesno(m.get("disability"), "Evet", "Hayır"), m.get("other_children", ""),
            stay.get("admission_date", ""), stay.get("discharge_date", ""), stay.get("stay_type", ""),
            100000 + i, u, sub_time, "", "", "submitted_via_web", "", "vAbCdEf1", "", i])
        t = truth(c, risks=True)
        if "national_id" in m and m["national_id"]["type"] != "TR_TCKN":
            t["mother"].pop("national_id")
            main[-1][15] = ""
        t["mother"]["name"].pop("patronymic", None)
        for k in t["children"]:
            if "name" in k:
                k["name"] = {"given": k["name"]["given"]}
        truths.append(t)
        for ch in c["children"]:
            conds = ch.get("health_conditions", [])
            kids.append([
                ch.get("name", {}).get("given", ""), ch.get("birth_date", ""), ch["sex"],
                ch.get("birth_weight_g", ""), ch.get("gestation_weeks", ""),
                yesno(ch.get("birth_registered")), ch["location_at_intake"], " ".join(conds)]
                + [1 if code in conds else 0 for code in hc]
                + [len(kids), form, i, 100000 + i, u, sub_time, "", "", "submitted_via_web", "",
                   "vAbCdEf1", ""])
        for s in c.get("services", []):
            svcs.append([s["type"], s["delivery"], s.get("start_date", ""), s.get("end_date", ""),
                         s["status"], len(svcs), form, i, 100000 + i, u])
        for r in c.get("risk_assessments", []):
            risks.append([r["date"], " ".join(r["risk_factors"])]
                         + [1 if x in r["risk_factors"] else 0 for x in rf]
                         + [" ".join(r["violence_types"])]
                         + [1 if x in r["violence_types"] else 0 for x in vt]
                         + [r["risk_level"], len(risks), form, i, 100000 + i, u])
    write_xlsx(os.path.join(out_dir, "kobo-tr.xlsx"),
               [(form[:31], main), ("children", kids), ("services", svcs), ("risk", risks)])
    return truths


# ───────────────────────────── ODK Central ZIP of CSVs (Malaysia) ─────────────────────────────

def csv_text(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def odk(cases, out_dir):
    hc = list(LABELS["child_health_condition"]["codes"])
    root_h = ["SubmissionDate", "start", "end", "intake_date", "referral_source", "intake_point",
              "relinquishment_intent", "status", "closure_reason", "consent_services",
              "consent_referral", "consent_aggregate", "consent_date", "given_name", "family_name",
              "mykad", "phone", "birth_date", "citizenship", "residence_status", "education",
              "employment", "marital_status", "disability", "other_children", "admission_date",
              "discharge_date", "stay_type", "meta-instanceID", "KEY", "SubmitterID",
              "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
              "ReviewState", "DeviceID", "Edits", "FormVersion"]
    child_h = ["child_name", "child_birth_date", "child_sex", "birth_weight_g", "gestation_weeks",
               "birth_registered", "location_at_intake", "health_conditions"] + \
              [f"health_conditions/{c}" for c in hc] + ["PARENT_KEY", "KEY"]
    svc_h = ["service_type", "delivery", "start_date", "end_date", "service_status",
             "PARENT_KEY", "KEY"]
    root, kids, svcs, truths = [root_h], [child_h], [svc_h], []
    for i, c in enumerate(cases, start=1):
        m, con, stay = c["mother"], c["consent"], c.get("stay", {})
        key = f"uuid:{uid(c['id'])}"
        root.append([
            f'{c["intake_date"]}T10:00:{i % 60:02d}.000Z', f'{c["intake_date"]}T09:00:00.000+08:00',
            f'{c["intake_date"]}T09:20:00.000+08:00', c["intake_date"], c["referral_source"],
            c["intake_point"], c["relinquishment_intent"], c["status"], c.get("closure_reason", ""),
            yesno(con["services"]), yesno(con["referral_sharing"]),
            yesno(con["aggregate_reporting"]), con["date"], m["name"]["given"],
            m["name"].get("family", ""), m.get("national_id", {}).get("value", ""),
            m.get("phone", ""), m.get("birth_date", ""), m.get("citizenship", ""),
            m["residence_status"], m.get("education", ""), m["employment"], m["marital_status"],
            yesno(m.get("disability")), m.get("other_children", ""),
            stay.get("admission_date", ""), stay.get("discharge_date", ""), stay.get("stay_type", ""),
            key, key, "17", "Rumah Ibu KL", "0", "0", "", "approved", f"collect:{i:06d}", "0", "2024061001"])
        t = truth(c)
        t["id"] = key
        t.pop("consent")
        t["consent"] = {k: con[k] for k in ["services", "referral_sharing", "aggregate_reporting", "date"]}
        if "national_id" in m and m["national_id"]["type"] != "MY_MYKAD":
            t["mother"].pop("national_id")
            root[-1][15] = ""
        t["mother"]["name"].pop("patronymic", None)
        for k in t["children"]:
            if "name" in k:
                k["name"] = {"given": k["name"]["given"]}
        truths.append(t)
        for n, ch in enumerate(c["children"], start=1):
            conds = ch.get("health_conditions", [])
            kids.append([ch.get("name", {}).get("given", ""), ch.get("birth_date", ""), ch["sex"],
                         ch.get("birth_weight_g", ""), ch.get("gestation_weeks", ""),
                         yesno(ch.get("birth_registered")), ch["location_at_intake"], " ".join(conds)]
                        + ["1" if x in conds else "0" for x in hc]
                        + [key, f"{key}/children[{n}]"])
        for n, s in enumerate(c.get("services", []), start=1):
            svcs.append([s["type"], s["delivery"], s.get("start_date", ""), s.get("end_date", ""),
                         s["status"], key, f"{key}/services[{n}]"])
    path = os.path.join(out_dir, "odk-my.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in [("rumah_ibu_intake.csv", root), ("rumah_ibu_intake-children.csv", kids),
                           ("rumah_ibu_intake-services.csv", svcs)]:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, csv_text(rows))
    return truths


# ───────────────────────── Primero Excel export (Uzbekistan) ─────────────────────────

MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def dmon(iso):
    return "" if not iso else f"{iso[8:10]}-{MON[int(iso[5:7]) - 1]}-{iso[0:4]}"


def tf(b):
    return "" if b is None else ("true" if b else "false")


def primero(cases, out_dir):
    """One sheet per form, "(N) Form name", each row headed by the case's `_id` and
    `model_type`; subforms in sheets of their own, one row per entry; multiple values joined by
    " ||| "; dates as DD-Mon-YYYY."""
    ident = [["_id", "model_type", "short_id", "registration_date", "status", "closure_reason",
              "name_first", "name_middle", "name_last", "date_of_birth", "national_id_no",
              "telephone_current", "nationality", "residence_status", "education_level",
              "occupation", "marital_status", "disability", "number_of_other_children",
              "admission_date", "discharge_date", "stay_type"]]
    consent = [["_id", "model_type", "referral_source", "intake_point", "relinquishment_intent",
                "consent_for_services", "disclosure_other_orgs", "consent_reporting", "consent_date",
                "consent_withdrawn_date"]]
    kids = [["_id", "model_type", "child_name", "child_date_of_birth", "child_sex",
             "child_birth_weight", "child_gestation_weeks", "child_birth_registered",
             "child_location", "child_health"]]
    svcs = [["_id", "model_type", "service_type", "service_delivery", "service_start_date",
             "service_end_date", "service_status"]]
    assess = [["_id", "model_type", "assessment_date", "protection_concerns", "gbv_type",
               "risk_level"]]
    truths = []
    for c in cases:
        m, con, stay = c["mother"], c["consent"], c.get("stay", {})
        cid = uid(c["id"])
        nid = m.get("national_id", {})
        ident.append([cid, "Case", cid[-7:], dmon(c["intake_date"]), c["status"],
                      c.get("closure_reason", ""), m["name"]["given"],
                      m["name"].get("patronymic", ""), m["name"].get("family", ""),
                      dmon(m.get("birth_date", "")),
                      nid.get("value", "") if nid.get("type") == "UZ_PINFL" else "",
                      m.get("phone", ""), m.get("citizenship", ""), m["residence_status"],
                      m.get("education", ""), m["employment"], m["marital_status"],
                      tf(m.get("disability")), m.get("other_children", ""),
                      dmon(stay.get("admission_date", "")), dmon(stay.get("discharge_date", "")),
                      stay.get("stay_type", "")])
        consent.append([cid, "Case", c["referral_source"], c["intake_point"],
                        c["relinquishment_intent"], tf(con["services"]),
                        tf(con["referral_sharing"]), tf(con["aggregate_reporting"]),
                        dmon(con["date"]), dmon(con.get("withdrawn", ""))])
        for ch in c["children"]:
            kids.append([cid, "Case", ch.get("name", {}).get("given", ""),
                         dmon(ch.get("birth_date", "")), ch["sex"], ch.get("birth_weight_g", ""),
                         ch.get("gestation_weeks", ""), tf(ch.get("birth_registered")),
                         ch["location_at_intake"], " ||| ".join(ch.get("health_conditions", []))])
        for sv in c.get("services", []):
            svcs.append([cid, "Case", sv["type"], sv["delivery"], dmon(sv.get("start_date", "")),
                         dmon(sv.get("end_date", "")), sv["status"]])
        risks = c.get("risk_assessments", [])
        if risks:
            r = risks[0]
            assess.append([cid, "Case", dmon(r["date"]), " ||| ".join(r["risk_factors"]),
                           " ||| ".join(r["violence_types"]), r["risk_level"]])
        t = truth(c, risks=True)
        t["risk_assessments"] = risks[:1]
        if nid and nid.get("type") != "UZ_PINFL":
            t["mother"].pop("national_id")
        for k in t["children"]:
            if "name" in k:
                k["name"] = {"given": k["name"]["given"]}
        truths.append(t)
    write_xlsx(os.path.join(out_dir, "primero-uz.xlsx"),
               [("(0) Basic Identity", ident), ("(1) Referral and Consent", consent),
                ("(2) Children", kids), ("(3) Services", svcs), ("(4) Assessment", assess)])
    return truths


# ───────────────────── Hand-kept spreadsheet, Windows-1251 CSV (Ukraine) ─────────────────────

def dmy(iso):
    return "" if not iso else f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]}"


# Planted errors: (row offset among data rows, column, bad value, expected problem code).
PLANTED = [
    (3, "Дата рождения", "31.02.1990", "unreadable_date"),
    (11, "Пол ребёнка", "Ж?", "unmapped_value"),
    (19, "Откуда направлена", "с улицы", "unmapped_value"),
    (27, "Вес при рождении, г", "три кило", "not_a_number"),
    (35, "РНОКПП", None, "national_id_checksum"),
    (43, "Дата поступления", "", "missing_field"),
    (51, "Согласие на услуги", "может быть", "not_a_boolean"),
    (59, "Семейное положение", "в поиске", "unmapped_value"),
    (67, "Вес при рождении, г", "12000", "out_of_range"),
    (75, "Гражданство", "Украина", "bad_country"),
]


def handmade(cases, out_dir):
    lang = "ru"
    head = ["№", "Дата поступления", "Статус", "Откуда направлена", "Где находилась при обращении",
            "Намерение отказаться", "Причина закрытия", "Согласие на услуги",
            "Согласие на передачу", "Согласие на отчёты", "Дата согласия", "Имя", "Фамилия",
            "Отчество", "РНОКПП", "Телефон", "Дата рождения", "Гражданство", "Статус проживания",
            "Образование", "Занятость", "Семейное положение", "Инвалидность", "Других детей",
            "Имя ребёнка", "Дата рождения ребёнка", "Пол ребёнка", "Вес при рождении, г",
            "Срок, недель", "Где ребёнок", "Здоровье ребёнка", "Дата заселения", "Дата выселения",
            "Форма проживания", "Комментарий"]
    rows, truths = [head], []
    isced = {f"isced_{n}": f"МСКО {n}" for n in range(9)}
    for i, c in enumerate(cases, start=1):
        m, con, stay = c["mother"], c["consent"], c.get("stay", {})
        ch = c["children"][0]
        da_net = lambda b: "" if b is None else ("да" if b else "нет")
        rows.append([
            uid(c["id"]), dmy(c["intake_date"]), label("case_status", c["status"], lang),
            label("referral_source", c["referral_source"], lang),
            label("intake_point", c["intake_point"], lang),
            label("relinquishment_intent", c["relinquishment_intent"], lang),
            label("closure_reason", c["closure_reason"], lang) if "closure_reason" in c else "",
            da_net(con["services"]), da_net(con["referral_sharing"]),
            da_net(con["aggregate_reporting"]), dmy(con["date"]), m["name"]["given"],
            m["name"].get("family", ""), m["name"].get("patronymic", ""),
            m.get("national_id", {}).get("value", ""), m.get("phone", ""),
            dmy(m.get("birth_date", "")), m.get("citizenship", ""),
            label("residence_status", m["residence_status"], lang),
            isced.get(m.get("education", ""), ""), label("employment", m["employment"], lang),
            label("marital_status", m["marital_status"], lang), da_net(m.get("disability")),
            m.get("other_children", ""), ch.get("name", {}).get("given", ""),
            dmy(ch.get("birth_date", "")), "Ж" if ch["sex"] == "female" else ("М" if ch["sex"] == "male" else "не указан"),
            ch.get("birth_weight_g", ""), ch.get("gestation_weeks", ""),
            label("child_location", ch["location_at_intake"], lang),
            ", ".join(label("child_health_condition", x, lang) for x in ch.get("health_conditions", [])),
            dmy(stay.get("admission_date", "")), dmy(stay.get("discharge_date", "")),
            {"residential": "проживание", "day_support": "дневное"}.get(stay.get("stay_type", ""), ""),
            ""])
        t = truth(c, children="first", services=False)
        t.pop("consent")
        t["consent"] = {k: con[k] for k in ["services", "referral_sharing", "aggregate_reporting", "date"]}
        if "national_id" in m and m["national_id"]["type"] != "UA_RNOKPP":
            t["mother"].pop("national_id")
            rows[-1][14] = ""
        for k in t["children"]:
            if "name" in k:
                k["name"] = {"given": k["name"]["given"]}
            k.pop("birth_registered", None)
        truths.append(t)
    planted = []
    for offset, column, bad, code in PLANTED:
        col = head.index(column)
        if bad is None:
            # The real ID with its check digit changed: wrong only in the check digit.
            real = rows[offset][col]
            assert real, f"row {offset} has no ID to spoil"
            bad = real[:-1] + str((int(real[-1]) + 1) % 10)
        rows[offset][col] = bad
        planted.append({"sheet": "excel-ua", "row": offset + 1, "column": column,
                        "value": bad, "code": code})
        truths[offset - 1] = None
    text = "".join(";".join(_q(v) for v in r) + "\r\n" for r in rows)
    with open(os.path.join(out_dir, "excel-ua.csv"), "wb") as f:
        f.write(text.encode("cp1251"))
    with open(os.path.join(out_dir, "excel-ua.planted.json"), "w", encoding="utf-8") as f:
        json.dump(planted, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return truths


def _q(v):
    s = str(v)
    return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ';"\r\n') else s


def main():
    import commcare  # the fixtures of these systems live in modules of their own
    import dhis2
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ona", required=True, help="the ona binary (for `ona synth`)")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/fixtures/import"))
    ap.add_argument("--truth", help="also write <fixture>.truth.jsonl here")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "synth.jsonl")
        subprocess.run([a.ona, "synth", "--cases", str(N_SYNTH), "--seed", str(SEED), "--out", path],
                       check=True, stderr=subprocess.DEVNULL)
        cases = [json.loads(line) for line in open(path, encoding="utf-8")]
    results = {
        "kobo-tr": kobo(pick(cases, "tr-istanbul-01"), a.out),
        "odk-my": odk(pick(cases, "my-kl-01"), a.out),
        "primero-uz": primero(pick(cases, "uz-tashkent-01"), a.out),
        "excel-ua": handmade(pick(cases, "ua-kyiv-01"), a.out),
        "commcare-my": commcare.commcare(pick(cases, "my-selangor-01"), a.out),
        "dhis2-kz": dhis2.dhis2(pick(cases, "kz-almaty-01"), a.out),
    }
    if a.truth:
        os.makedirs(a.truth, exist_ok=True)
        for name, truths in results.items():
            with open(os.path.join(a.truth, f"{name}.truth.jsonl"), "w", encoding="utf-8") as f:
                for t in truths:
                    f.write(json.dumps(t, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

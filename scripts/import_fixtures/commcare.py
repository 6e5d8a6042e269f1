"""The CommCare fixture of the import tests (see generate.py, which calls it)."""

import os
import uuid

from generate import LABELS, NS, serial, truth, uid
from xlsx import write_xlsx
# ───────────────────────── CommCare form export, Excel 2007+ (Malaysia) ─────────────────────────

def ddmmyyyy(iso):
    return "" if not iso else f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def commcare(cases, out_dir):
    """CommCare HQ form export as Excel: the form table "Forms" and one table per repeat group,
    columns named by question path (`form.group.question`), a `number` column numbering rows
    (repeat rows "3.1" with `number__0` = the form row's number, `number__1` = the repeat
    index), select-multiples split into one column per option `question | option` (1 or
    blank) plus `question | extra`, dates of date questions as Excel dates. CommCare names a
    repeat table "Repeat: group"; Excel refuses ':' in a sheet name, so the sheets read
    "Repeat anak". Question ids are the app builder's, here partly Malay."""
    hc = list(LABELS["child_health_condition"]["codes"])
    form_h = ["number", "form.intake.intake_date", "form.intake.referral_source",
              "form.intake.intake_point", "form.intake.relinquishment_intent", "form.intake.status",
              "form.intake.closure_reason", "form.consent.services", "form.consent.referral_sharing",
              "form.consent.aggregate_reporting", "form.consent.date", "form.ibu.nama",
              "form.ibu.nama_keluarga", "form.ibu.mykad", "form.ibu.telefon", "form.ibu.tarikh_lahir",
              "form.ibu.kewarganegaraan", "form.ibu.residence_status", "form.ibu.education",
              "form.ibu.employment", "form.ibu.marital_status", "form.ibu.disability",
              "form.ibu.other_children", "form.stay.admission_date", "form.stay.discharge_date",
              "form.stay.stay_type", "form.case.@case_id", "form.meta.timeStart", "form.meta.timeEnd",
              "form.meta.username", "form.meta.userID", "form.meta.instanceID", "received_on", "formid"]
    anak_h = ["number", "number__0", "number__1", "form.anak.nama", "form.anak.tarikh_lahir",
              "form.anak.jantina", "form.anak.berat_lahir_g", "form.anak.gestation_weeks",
              "form.anak.birth_registered", "form.anak.location_at_intake"] + \
             [f"form.anak.health_conditions | {c}" for c in hc] + ["form.anak.health_conditions | extra"]
    svc_h = ["number", "number__0", "number__1", "form.perkhidmatan.service_type",
             "form.perkhidmatan.delivery", "form.perkhidmatan.start_date", "form.perkhidmatan.end_date",
             "form.perkhidmatan.service_status"]
    forms, anak, svcs, truths = [form_h], [anak_h], [svc_h], []
    ya = lambda b: "" if b is None else ("ya" if b else "tidak")
    for i, c in enumerate(cases):
        m, con, stay = c["mother"], c["consent"], c.get("stay", {})
        case_id = uid(c["id"])
        instance = str(uuid.uuid5(NS, "commcare/" + c["id"]))
        forms.append([
            i, serial(c["intake_date"]), c["referral_source"], c["intake_point"],
            c["relinquishment_intent"], c["status"], c.get("closure_reason", ""),
            ya(con["services"]), ya(con["referral_sharing"]), ya(con["aggregate_reporting"]),
            con["date"], m["name"]["given"], m["name"].get("family", ""),
            m.get("national_id", {}).get("value", "") if m.get("national_id", {}).get("type") == "MY_MYKAD" else "",
            m.get("phone", ""), ddmmyyyy(m.get("birth_date", "")), m.get("citizenship", ""),
            m["residence_status"], m.get("education", ""), m["employment"], m["marital_status"],
            ya(m.get("disability")), m.get("other_children", ""), stay.get("admission_date", ""),
            stay.get("discharge_date", ""), stay.get("stay_type", ""), case_id,
            f'{c["intake_date"]}T09:00:00.000000Z', f'{c["intake_date"]}T09:25:00.000000Z',
            "pekerja.sosial", "a1b2c3d4e5f60718293a4b5c6d7e8f90", instance,
            f'{c["intake_date"]}T09:30:{i % 60:02d}.000000Z', instance])
        t = truth(c)
        t.pop("consent")
        t["consent"] = {k: con[k] for k in ["services", "referral_sharing", "aggregate_reporting", "date"]}
        if "national_id" in m and m["national_id"]["type"] != "MY_MYKAD":
            t["mother"].pop("national_id")
        t["mother"]["name"].pop("patronymic", None)
        for k in t["children"]:
            if "name" in k:
                k["name"] = {"given": k["name"]["given"]}
        truths.append(t)
        for n, ch in enumerate(c["children"]):
            conds = ch.get("health_conditions", [])
            anak.append([f"{i}.{n}", i, n, ch.get("name", {}).get("given", ""),
                         ddmmyyyy(ch.get("birth_date", "")), ch["sex"], ch.get("birth_weight_g", ""),
                         ch.get("gestation_weeks", ""), ya(ch.get("birth_registered")),
                         ch["location_at_intake"]] + [1 if x in conds else "" for x in hc] + [""])
        for n, sv in enumerate(c.get("services", [])):
            svcs.append([f"{i}.{n}", i, n, sv["type"], sv["delivery"], sv.get("start_date", ""),
                         sv.get("end_date", ""), sv["status"]])
    write_xlsx(os.path.join(out_dir, "commcare-my.xlsx"),
               [("Forms", forms), ("Repeat anak", anak), ("Repeat perkhidmatan", svcs)])
    return truths


"""The route an analyst would write without ona: pandas `read_excel` of a Kobo XLSX export,
repeat sheets merged onto their submission by `_index` / `_parent_index`, the same mapping as
examples/mappings/kobo-tr.toml written in Python (Turkish labels to codes, Excel dates, yes/no),
and every record checked against the standard's JSON Schema with `jsonschema`.

    python pandas_route.py EXPORT.xlsx OUT.jsonl
"""
import datetime
import json
import sys
from pathlib import Path

import jsonschema
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
LISTS = json.loads((ROOT / "crates/ona-core/data/codelists.json").read_text(encoding="utf-8"))["lists"]
SCHEMA = json.loads((ROOT / "docs/schema/case.schema.json").read_text(encoding="utf-8"))
CENTRE = {"id": "tr-istanbul-01", "organisation": {"id": "anne-evi", "name": "Anne Evi"},
          "country": "TR", "admin1": "TR-34", "settlement": "İstanbul", "operator_type": "ngo",
          "capacity": 30, "max_stay_days": 180}


def by_label(lst):
    out = {}
    for code, labels in LISTS[lst]["codes"].items():
        out[code] = code
        for label in labels.values():
            out[label.casefold()] = code
    return out


LOOKUP = {k: by_label(k) for k in ["referral_source", "intake_point", "relinquishment_intent",
                                   "residence_status", "employment", "marital_status"]}


def code(lst, v):
    return LOOKUP[lst].get(str(v).casefold(), str(v))


def present(v):
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and v != ""


def date(v):
    if isinstance(v, (datetime.datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d")
    return str(v)[:10]


def yes(v):
    return str(v).casefold() in {"evet", "yes", "true", "1"}


def put(d, path, v):
    keys = path.split("/")
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    d[keys[-1]] = v


def main(src, out):
    sheets = pd.read_excel(src, sheet_name=None, dtype=object)
    names = list(sheets)
    main_df, kids, svcs, risk = (sheets[n] for n in names)
    kids_by = kids.groupby("_parent_index")
    svcs_by = svcs.groupby("_parent_index")
    risk_by = risk.groupby("_parent_index")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    rf = list(LISTS["risk_factor"]["codes"])
    ok = bad = 0
    with open(out, "w", encoding="utf-8") as f:
        for row in main_df.to_dict("records"):
            r = {"schema_version": "1.0", "id": row["_uuid"], "centre": CENTRE}
            r["intake_date"] = date(row["intake/intake_date"])
            r["status"] = row["intake/status"]
            for col, lst in [("intake/referral_source", "referral_source"),
                             ("intake/intake_point", "intake_point"),
                             ("intake/relinquishment_intent", "relinquishment_intent")]:
                r[lst] = code(lst, row[col])
            if present(row["intake/closure_reason"]):
                r["closure_reason"] = row["intake/closure_reason"]
            r["consent"] = {"services": yes(row["consent/services"]),
                            "referral_sharing": yes(row["consent/referral_sharing"]),
                            "aggregate_reporting": yes(row["consent/aggregate_reporting"]),
                            "date": date(row["consent/date"])}
            if present(row["consent/withdrawn"]):
                r["consent"]["withdrawn"] = date(row["consent/withdrawn"])
            m = {"name": {"given": row["mother/given_name"]}}
            if present(row["mother/family_name"]):
                m["name"]["family"] = row["mother/family_name"]
            if present(row["mother/tckn"]):
                m["national_id"] = {"type": "TR_TCKN", "value": str(row["mother/tckn"])}
            for col, key in [("mother/phone", "phone"), ("mother/citizenship", "citizenship"),
                             ("mother/education", "education")]:
                if present(row[col]):
                    m[key] = str(row[col])
            if present(row["mother/birth_date"]):
                m["birth_date"] = date(row["mother/birth_date"])
            for lst in ["residence_status", "employment", "marital_status"]:
                m[lst] = code(lst, row[f"mother/{lst}"])
            if present(row["mother/disability"]):
                m["disability"] = yes(row["mother/disability"])
            if present(row["mother/other_children"]):
                m["other_children"] = int(row["mother/other_children"])
            r["mother"] = m
            if present(row["stay/admission_date"]):
                r["stay"] = {"admission_date": date(row["stay/admission_date"]),
                             "stay_type": row["stay/stay_type"]}
                if present(row["stay/discharge_date"]):
                    r["stay"]["discharge_date"] = date(row["stay/discharge_date"])
            idx = row["_index"]
            r["children"] = []
            if idx in kids_by.groups:
                for k in kids_by.get_group(idx).to_dict("records"):
                    c = {"sex": k["child/sex"], "location_at_intake": k["child/location_at_intake"]}
                    if present(k["child/given_name"]):
                        c["name"] = {"given": k["child/given_name"]}
                    if present(k["child/birth_date"]):
                        c["birth_date"] = date(k["child/birth_date"])
                    for col, key in [("child/birth_weight_g", "birth_weight_g"),
                                     ("child/gestation_weeks", "gestation_weeks")]:
                        if present(k[col]):
                            c[key] = int(k[col])
                    if present(k["child/birth_registered"]):
                        c["birth_registered"] = yes(k["child/birth_registered"])
                    if present(k["child/health_conditions"]):
                        c["health_conditions"] = str(k["child/health_conditions"]).split()
                    r["children"].append(c)
            r["services"] = []
            if idx in svcs_by.groups:
                for s in svcs_by.get_group(idx).to_dict("records"):
                    sv = {"type": s["service/type"], "delivery": s["service/delivery"],
                          "status": s["service/status"]}
                    for col, key in [("service/start_date", "start_date"), ("service/end_date", "end_date")]:
                        if present(s[col]):
                            sv[key] = date(s[col])
                    r["services"].append(sv)
            r["risk_assessments"] = []
            if idx in risk_by.groups:
                for a in risk_by.get_group(idx).to_dict("records"):
                    vt = a["risk/violence_types"]
                    r["risk_assessments"].append({
                        "date": date(a["risk/date"]),
                        "risk_factors": [c for c in rf if int(a[f"risk/risk_factors/{c}"]) == 1],
                        "violence_types": str(vt).split() if present(vt) else [],
                        "risk_level": a["risk/risk_level"]})
            r["follow_ups"] = []
            if next(validator.iter_errors(r), None) is None:
                ok += 1
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                bad += 1
    print(f"pandas route: {ok} valid, {bad} invalid", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

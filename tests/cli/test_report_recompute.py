"""Every indicator of `ona report` recomputed in plain Python from the same pseudo.jsonl.

The input comes from `ona synth` → `ona pseudonymise` (the default policy: dates to the
month, ages to bands, identifiers hashed). The recomputation shares no code with the Rust one."""
import hashlib
import json
import subprocess
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from conftest import read_jsonl

BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def _pn(text):
    d = int.from_bytes(hashlib.sha256(text.encode()).digest()[:17], "big")
    return "".join(BASE32[(d >> (5 * i)) & 31] for i in range(26))


def _month(d):
    return d[:7] if d else None


def _band(age):
    for lo, hi in [(0, 17), (18, 24), (25, 29), (30, 34), (35, 39)]:
        if age <= hi:
            return f"{lo}-{hi}"
    return "40+"


def _days(a, b):
    from datetime import date
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _age_years(birth, on):
    b, o = birth.split("-"), on.split("-")
    age = int(o[0]) - int(b[0])
    if (int(o[1]), int(o[2])) < (int(b[1]), int(b[2])):
        age -= 1
    return age


@pytest.fixture(scope="session")
def pseudo_jsonl(ona, synth_cases, tmp_path_factory):
    """The real pipeline: `ona synth` → `ona pseudonymise` (default policy)."""
    d = tmp_path_factory.mktemp("pseudo")
    ona("pseudonym-key", "--out", d / "master.key")
    out = d / "pseudo.jsonl"
    ona("pseudonymise", "--key", d / "master.key", "--domain", "test/report", "--in", synth_cases, "--out", out)
    return out


# ---------------------------------------------------------------- the independent recomputation

BANDS = ["0-5m", "6-11m", "12-23m", "24m+", "unborn"]
INHERENT = ["referral_source", "risk_factor", "service_type", "outcome"]
CHILD = {"children_served", "exit_children", "with_mother_at_exit", "followup_6m_due", "followup_6m_with_mother",
         "followup_6m_lost", "followup_12m_due", "followup_12m_with_mother", "followup_12m_lost",
         "baby_home_exits", "reunified_from_baby_home"}
OWN = {"services_delivered": "service_type", "referrals": "referral_source", "risk_factor_cases": "risk_factor",
       "placement_at_exit": "outcome"}
SHARES = {"share_with_mother_at_exit": ("with_mother_at_exit", "exit_children"),
          "share_with_mother_6m": ("followup_6m_with_mother", "followup_6m_due"),
          "share_with_mother_12m": ("followup_12m_with_mother", "followup_12m_due"),
          "share_relinquishment_prevented": ("relinquishment_prevented", "intent_exits"),
          "share_reunified_from_baby_home": ("reunified_from_baby_home", "baby_home_exits"),
          "risk_prevalence": ("risk_factor_cases", "risk_assessed")}


def applies(ind, dim):
    if OWN.get(ind) == dim:
        return True
    if dim in ("country", "admin1", "centre", "month", "quarter", "year", "mother_age", "referral_source"):
        return True
    if dim == "child_age":
        return ind in CHILD
    if dim == "outcome":
        return ind in ("exits", "los")
    return False


def child_band(age):
    if age is None:
        return "unborn"
    n = int(age[1:-1])
    months = n * 7 // 30 if age.endswith("W") else n
    return "0-5m" if months <= 5 else "6-11m" if months <= 11 else "12-23m" if months <= 23 else "24m+"


def span(d):
    y = int(d[:4])
    if len(d) == 4:
        return y * 12, y * 12 + 11
    if d[5] == "Q":
        q = int(d[6])
        return y * 12 + (q - 1) * 3, y * 12 + (q - 1) * 3 + 2
    m = y * 12 + int(d[5:7]) - 1
    return m, m


def period_of(d, pdim, filt):
    if filt:
        a, b = span(d)
        fa, fb = span(filt)
        if b < fa or a > fb or not (a >= fa and b <= fb):
            return None
    if pdim == "year":
        return d[:4]
    if len(d) < 7 or (pdim == "month" and d[5] == "Q"):
        return None
    if pdim == "quarter":
        return d[:4] + "-Q" + (d[6] if d[5] == "Q" else str((int(d[5:7]) - 1) // 3 + 1))
    return d[:7]


def recompute(cases, by, period=None):
    dims = list(by) + [d for d in INHERENT if d not in by]
    pdim = next(d for d in by if d in ("month", "quarter", "year"))
    counts = defaultdict(lambda: defaultdict(int))
    women = defaultdict(set)
    los = defaultdict(list)

    def add(ind, vals, n=1, woman=None, stay=None):
        active = [d for d in dims if (d in by or OWN.get(ind) == d) and applies(ind, d) and vals.get(d) is not None]
        base = {d: (vals[d] if d in active else "_T") for d in dims}
        additive = [d for d in active if d != "risk_factor"]
        for r in range(len(additive) + 1):
            for sub in combinations(additive, r):
                key = tuple("_T" if d in sub else base[d] for d in dims)
                if ind == "women_served":
                    women[key].add(woman)
                elif ind == "los":
                    los[key].append(stay)
                else:
                    counts[ind][key] += n

    for c in cases:
        if not c["consent_aggregate_reporting"]:
            continue
        out = c.get("outcome")
        common = {"country": c["centre"]["country"], "admin1": c["centre"].get("admin1", "unknown"),
                  "centre": c["centre"].get("id", "unknown"), "mother_age": c["mother"].get("age_band", "unknown"),
                  "referral_source": c.get("referral_source", "unknown"),
                  "outcome": out["child_placement"] if out else "unknown"}
        bands = [child_band(ch.get("age_at_intake")) for ch in c["children"]]
        woman = c["mother"].get("pseudonym", c["case_pseudonym"])

        def at(date):
            p = period_of(date, pdim, period)
            return None if p is None else dict(common, **{pdim: p})

        v = at(c["intake"])
        if v:
            add("women_served", v, woman=woman)
            for b in bands:
                add("children_served", dict(v, child_age=b))
            add("referrals", v)
            if c["risk_assessments"]:
                add("risk_assessed", v)
                for f in sorted({f for a in c["risk_assessments"] for f in a["risk_factors"]}):
                    add("risk_factor_cases", dict(v, risk_factor=f))
        for s in c.get("services", []):
            if s["status"] == "implemented":
                v = at(s.get("start", c["intake"]))
                if v:
                    add("services_delivered", dict(v, service_type=s["type"]))
        stay = c.get("stay")
        if stay:
            v = at(stay["admission"])
            if v:
                add("admissions", v)
            v = at(stay["discharge"]) if stay.get("discharge") else None
            if v:
                add("exits", v)
                if "length_days" in stay:
                    add("los", v, stay=stay["length_days"])
                if out:
                    with_m = out["child_placement"] in ("with_mother", "with_both_parents")
                    add("placement_at_exit", v)
                    if c.get("relinquishment_intent") in ("signed_refusal", "considering"):
                        add("intent_exits", v)
                        add("relinquishment_prevented", v, n=int(with_m))
                    for ch, b in zip(c["children"], bands):
                        add("exit_children", dict(v, child_age=b))
                        add("with_mother_at_exit", dict(v, child_age=b), n=int(with_m))
                        if ch["location_at_intake"] == "baby_home":
                            add("baby_home_exits", dict(v, child_age=b))
                            add("reunified_from_baby_home", dict(v, child_age=b), n=int(with_m))
        for f in c.get("follow_ups", []):
            pt = {"m6": "6m", "m12": "12m"}.get(f["point"])
            v = at(f["due"]) if pt else None
            if not v:
                continue
            reached = f["contact_result"] == "reached"
            wm = reached and f.get("child_placement") in ("with_mother", "with_both_parents")
            for b in bands:
                add(f"followup_{pt}_due", dict(v, child_age=b))
                add(f"followup_{pt}_with_mother", dict(v, child_age=b), n=int(wm))
                add(f"followup_{pt}_lost", dict(v, child_age=b), n=int(not reached))

    def tenths(num, den, scale):
        t = (num * scale * 20 + den) // (2 * den)
        return t / 10

    result = {}
    for ind, cells in counts.items():
        for key, n in cells.items():
            if n:
                result[(ind, key)] = n
    for key, s in women.items():
        result[("women_served", key)] = len(s)
    for ind, (num, den) in SHARES.items():
        if ind == "risk_prevalence":
            ri = dims.index("risk_factor")
            for key, n in counts[num].items():
                d = counts[den].get(key[:ri] + ("_T",) + key[ri + 1:], 0)
                if d:
                    result[(ind, key)] = tenths(n, d, 100)
        else:
            for key, d in counts[den].items():
                if d:
                    result[(ind, key)] = tenths(counts[num].get(key, 0), d, 100)
    for key, ls in los.items():
        result[("length_of_stay_mean", key)] = tenths(sum(ls), len(ls), 1)
        result[("length_of_stay_median", key)] = sorted(ls)[(len(ls) - 1) // 2]
    return dims, result


@pytest.mark.parametrize("by,period", [
    (["country", "quarter", "child_age"], None),
    (["country", "centre", "month"], "2025-Q3"),
    (["country", "year", "mother_age", "referral_source"], None),
])
def test_every_indicator_equals_python(ona, pseudo_jsonl, tmp_path, by, period):
    out = tmp_path / "report.json"
    args = ["report", "--in", pseudo_jsonl, "--by", ",".join(by), "--k", 1, "--out", out]
    if period:
        args += ["--period", period]
    ona(*args)
    report = json.loads(out.read_text(encoding="utf-8"))
    dims, expected = recompute(read_jsonl(pseudo_jsonl), report["by"], period)
    got = {}
    for o in report["observations"]:
        assert o["obs_status"] == "A" and o["conf_status"] == "F", o
        got[(o["indicator"], tuple(o["dims"][d] for d in dims))] = o["value"]
    # Zero counts are not listed (a missing cell means 0); Python lists only non-zero counts too.
    got = {k: v for k, v in got.items() if v != 0 or k[0].startswith("share")}
    expected = {k: v for k, v in expected.items() if v != 0 or k[0].startswith("share")}
    missing = sorted(set(expected) - set(got))[:5]
    extra = sorted(set(got) - set(expected))[:5]
    assert not missing and not extra, f"missing {missing} extra {extra}"
    wrong = [(k, got[k], expected[k]) for k in expected if got[k] != expected[k]]
    assert not wrong, wrong[:10]
    indicators = {k[0] for k in got}
    assert len(indicators) == 29, sorted(indicators)
    assert report["provenance"]["cases_counted"] == sum(1 for c in read_jsonl(pseudo_jsonl) if c["consent_aggregate_reporting"])

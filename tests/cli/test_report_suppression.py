"""Disclosure control of `ona report` and `ona merge`: no published count from 1 to k−1, and no
suppressed cell recoverable from a total and the other cells of any row or column."""
import json
from collections import defaultdict

import pytest

from test_report_recompute import pseudo_jsonl  # noqa: F401  (fixture)


def counts(report):
    return [o for o in report["observations"] if o["unit"] == "NUMBER"]


def assert_protected(report):
    k = report["threshold"]
    for o in report["observations"]:
        assert ("value" in o) == (o["obs_status"] == "A"), o
        assert o["obs_status"] in ("A", "Q", "M") and o["conf_status"] in ("F", "C", "D")
        if o["obs_status"] == "Q":
            assert o["conf_status"] in ("C", "D"), o
    for o in counts(report):
        if "value" in o:
            assert o["value"] == 0 or o["value"] >= k, o
    # Try the differences: every relation total = Σ cells along one dimension.
    dims = sorted(report["observations"][0]["dims"])
    by_ind = defaultdict(dict)
    for o in counts(report):
        by_ind[o["indicator"]][tuple(o["dims"][d] for d in dims)] = o.get("value")
    tried = 0
    for ind, cells in by_ind.items():
        rel = defaultdict(list)
        for key in cells:
            for i, d in enumerate(dims):
                if key[i] != "_T" and d != "risk_factor":
                    t = key[:i] + ("_T",) + key[i + 1:]
                    if t in cells:
                        rel[(t, i)].append(key)
        for (t, i), members in rel.items():
            unknown = [m for m in [t, *members] if cells[m] is None]
            tried += 1
            assert len(unknown) != 1, f"{ind}: {unknown[0]} = total − others along {dims[i]}"
    assert tried > 100
    # Shares whose numerator or denominator is suppressed are suppressed.
    share_of = {"share_with_mother_at_exit": ("with_mother_at_exit", "exit_children")}
    for ind, (num, den) in share_of.items():
        for o in report["observations"]:
            if o["indicator"] == ind:
                key = tuple(o["dims"][d] for d in dims)
                if by_ind[den].get(key) is None or (key in by_ind[num] and by_ind[num][key] is None):
                    assert o["obs_status"] == "Q", o


@pytest.mark.parametrize("by", ["country,quarter", "country,centre,year", "country,admin1,centre,quarter,mother_age"])
def test_no_small_count_and_nothing_recoverable(ona, pseudo_jsonl, tmp_path, by):  # noqa: F811
    out = tmp_path / "r.json"
    # Certified suppression (the default) on the country level; the single-relation rule alone on
    # the centre-level breakdowns (certified ones take minutes there: test_report_lp_attack.py).
    extra = [] if by == "country,quarter" else ["--no-lp-protect"]
    ona("report", "--in", pseudo_jsonl, "--by", by, "--out", out, *extra)
    report = json.loads(out.read_text())
    assert report["threshold"] == 5
    statuses = {o["conf_status"] for o in report["observations"]}
    assert {"C", "D"} <= statuses, "the synthetic data must exercise both kinds of suppression"
    assert_protected(report)


def test_merge_rechecks_suppression(ona, pseudo_jsonl, tmp_path):  # noqa: F811
    by_country = defaultdict(list)
    for line in open(pseudo_jsonl, encoding="utf-8"):
        by_country[json.loads(line)["centre"]["country"]].append(line)
    reports = []
    for c, lines in sorted(by_country.items()):
        p = tmp_path / f"{c}.jsonl"
        p.write_text("".join(lines), encoding="utf-8")
        r = tmp_path / f"{c}.json"
        ona("report", "--in", p, "--by", "country,quarter", "--out", r)
        reports.append(r)
    out = tmp_path / "regional.json"
    ona("merge", *reports, "--out", out, "--sdmx", tmp_path / "regional.csv")
    merged = json.loads(out.read_text())
    assert merged["provenance"]["countries"] == sorted(by_country)
    assert len(merged["provenance"]["merged_from"]) == len(reports)
    assert_protected(merged)
    # Suppressed country cells stay suppressed.
    mo = {(o["indicator"], json.dumps(o["dims"], sort_keys=True)): o for o in merged["observations"]}
    for r in reports:
        for o in json.loads(r.read_text())["observations"]:
            if o["obs_status"] == "Q" and o["dims"]["country"] != "_T":
                assert mo[(o["indicator"], json.dumps(o["dims"], sort_keys=True))]["obs_status"] == "Q"

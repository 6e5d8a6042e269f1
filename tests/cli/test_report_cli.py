"""`ona report` / `ona merge`: outputs and errors (differential privacy: test_report_dp.py)."""
import csv
import io
import json

from test_report_recompute import pseudo_jsonl  # noqa: F401  (fixture)


def test_outputs_sdmx_hxl_html(ona, pseudo_jsonl, tmp_path):  # noqa: F811
    out, sd, hx, ht = (tmp_path / n for n in ("r.json", "r.csv", "r-hxl.csv", "r.html"))
    ona("report", "--in", pseudo_jsonl, "--period", "2025", "--by", "country,quarter", "--out", out,
        "--sdmx", sd, "--hxl", hx, "--html", ht, "--lang", "kk")
    report = json.loads(out.read_text())
    assert report["period"] == "2025" and report["by"] == ["country", "quarter"]
    rows = list(csv.DictReader(io.StringIO(sd.read_text())))
    assert len(rows) == len(report["observations"])
    for col in ("STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE",
                "UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"):
        assert col in rows[0], col
    assert {r["UNIT_MEASURE"] for r in rows} == {"NUMBER", "PERCENT", "DAYS"}
    assert all(r["TIME_PERIOD"].startswith("2025") for r in rows)
    assert all((r["OBS_VALUE"] == "") == (r["OBS_STATUS"] != "A") for r in rows)
    lines = hx.read_text().splitlines()
    assert lines[1].startswith("#indicator+code,#country+code") and "#date" in lines[1] and "#value" in lines[1]
    html = ht.read_text()
    assert 'lang="kk"' in html and "<svg" in html and "<script" not in html and "http" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    # Deterministic canonical JSON.
    out2 = tmp_path / "r2.json"
    ona("report", "--in", pseudo_jsonl, "--period", "2025", "--by", "country,quarter", "--out", out2)
    assert out2.read_bytes() == out.read_bytes()


def test_errors_are_clear_and_leave_no_output(ona, pseudo_jsonl, tmp_path):  # noqa: F811
    out = tmp_path / "r.json"
    for args, words in [
        (["--by", "country,colour"], "unknown dimension"),
        (["--by", "quarter,year"], "at most one"),
        (["--period", "2025-Q7"], "reporting period"),
        (["--k", "0"], "threshold"),
        (["--dp-epsilon", "0"], "positive decimal"),
        (["--dp-epsilon=-1"], "positive decimal"),
    ]:
        r = ona("report", "--in", pseudo_jsonl, *args, "--out", out, check=False)
        assert r.returncode != 0 and words in r.stderr, (args, r.stderr)
        assert not out.exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"not": "a case"}\n')
    r = ona("report", "--in", bad, "--out", out, check=False)
    assert r.returncode == 1 and "line 1" in r.stderr and not out.exists()
    r = ona("merge", tmp_path / "missing.json", "--out", out, check=False)
    assert r.returncode == 2 and not out.exists()


def test_merge_refuses_mismatches(ona, pseudo_jsonl, tmp_path):  # noqa: F811
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    ona("report", "--in", pseudo_jsonl, "--by", "country,quarter", "--out", a)
    ona("report", "--in", pseudo_jsonl, "--by", "country,year", "--out", b)
    out = tmp_path / "m.json"
    r = ona("merge", a, b, "--out", out, check=False)
    assert r.returncode == 1 and "breakdowns differ" in r.stderr and not out.exists()
    r = ona("merge", a, a, "--out", out, check=False)
    assert r.returncode == 1 and "more than one report" in r.stderr
    doc = json.loads(a.read_text())
    doc["indicator_set"] = "other-9"
    c = tmp_path / "c.json"
    c.write_text(json.dumps(doc))
    r = ona("merge", c, "--out", out, check=False)
    assert r.returncode == 1 and "indicator sets differ" in r.stderr and not out.exists()

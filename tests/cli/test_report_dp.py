"""`ona report` under differential privacy, played as its attackers.

* The observer of releases, who knows everything except whether one woman (and all her cases) is
  in the data: neighbouring datasets must give releases of identical structure.
* The operator who wants budget back: changing the input file (blank line, order, split,
  re-serialised) must not reset it, two runs at once must both charge, an edited ledger must be
  refused.
"""
import csv
import io
import json
import random
import subprocess

import pytest

from test_report_recompute import pseudo_jsonl  # noqa: F401  (fixture)


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def domain(pseudo_jsonl, tmp_path_factory):  # noqa: F811
    """The public domain the hub declares: its population, the network's centres, two years."""
    recs = records(pseudo_jsonl)
    pops = sorted({(r["pseudonymisation"]["domain"], r["pseudonymisation"]["key_id"]) for r in recs})
    centres = sorted({(r["centre"]["country"], r["centre"].get("admin1", "unknown"), r["centre"].get("id", "unknown"))
                      for r in recs})
    d = {
        "populations": [{"domain": a, "key_id": b} for a, b in pops],
        "centres": [{"country": c, "admin1": a, "centre": i} for c, a, i in centres],
        "periods": ["2024", "2025"],
    }
    path = tmp_path_factory.mktemp("domain") / "domain.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


def dp_args(domain, tmp_path, eps="1"):
    return ["--dp-epsilon", eps, "--dp-domain", domain, "--ledger-dir", tmp_path / "ledgers",
            "--ledger-key", tmp_path / "ledger.key", "--dp-budget", "100"]


def structure(report):
    for o in report["observations"]:
        for k in ("value", "low_95", "high_95", "numerator", "denominator", "obs_status", "conf_status"):
            o.pop(k, None)
    return report


@pytest.mark.parametrize("mechanism", [[], ["--dp-delta", "1e-6"]], ids=["laplace", "gaussian"])
def test_neighbouring_datasets_release_the_same_structure(ona, pseudo_jsonl, domain, tmp_path,  # noqa: F811
                                                         mechanism):
    base = records(pseudo_jsonl)
    her = json.loads(json.dumps(base[0]))
    her["mother"]["pseudonym"] = "z" * 26
    far = json.loads(json.dumps(her))
    far["intake"] = "2031-05"  # a year nobody else has
    far["centre"]["id"] = "XX-NEW-CENTRE"  # a centre nobody else has
    near = json.loads(json.dumps(her))
    near["intake"] = "2025-02"
    neighbour = tmp_path / "neighbour.jsonl"
    neighbour.write_text("".join(json.dumps(r) + "\n" for r in base + [far, near]), encoding="utf-8")
    outs = {}
    for name, path in [("a", pseudo_jsonl), ("b", neighbour)]:
        out, sd = tmp_path / f"{name}.json", tmp_path / f"{name}.csv"
        ona("report", "--in", path, "--by", "country,centre,year", *dp_args(domain, tmp_path), *mechanism,
            "--out", out, "--sdmx", sd)
        outs[name] = (json.loads(out.read_text()), list(csv.DictReader(io.StringIO(sd.read_text()))))
    (a, a_rows), (b, b_rows) = outs["a"], outs["b"]
    assert a != b, "the noise differs"
    assert structure(a) == structure(b)
    strip = ("OBS_VALUE", "LOWER_95", "UPPER_95", "OBS_STATUS", "CONF_STATUS")
    assert [{k: v for k, v in r.items() if k not in strip} for r in a_rows] == \
        [{k: v for k, v in r.items() if k not in strip} for r in b_rows]
    text = (tmp_path / "b.json").read_text() + (tmp_path / "b.csv").read_text()
    assert "XX-NEW-CENTRE" not in text and "2031" not in text
    assert a["provenance"]["periods"] == ["2024", "2025"] and a["threshold"] == 1
    # Every noisy count carries its 95 % half-width, in JSON and CSV.
    assert all(o["margin_95"] > 0 for o in a["observations"] if o["unit"] == "NUMBER")
    assert all(r["MARGIN_95"] for r in a_rows if r["UNIT_MEASURE"] == "NUMBER")
    # Every noisy share its 95 % interval, around its value, in JSON and CSV.
    shares = [r for r in a_rows if r["UNIT_MEASURE"] == "PERCENT" and r["OBS_VALUE"]]
    assert shares and all(float(r["LOWER_95"]) <= float(r["OBS_VALUE"]) <= float(r["UPPER_95"]) for r in shares)
    assert all("low_95" in o and "high_95" in o for o in a["observations"] if o["unit"] == "PERCENT" and "value" in o)


def ledger_entries(tmp_path):
    files = list((tmp_path / "ledgers").iterdir())
    assert len(files) == 1, files
    return [json.loads(line) for line in files[0].read_text().splitlines() if line.strip()][1:]


def test_changing_the_file_does_not_reset_the_budget(ona, pseudo_jsonl, domain, tmp_path):  # noqa: F811
    lines = pseudo_jsonl.read_text(encoding="utf-8").splitlines()
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    shuffled = tmp_path / "shuffled.jsonl"
    random.Random(1).shuffle(lines)
    shuffled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    half1, half2 = tmp_path / "h1.jsonl", tmp_path / "h2.jsonl"
    half1.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    half2.write_text("\n".join(lines[len(lines) // 2:]) + "\n", encoding="utf-8")
    reser = tmp_path / "reserialised.jsonl"
    reser.write_text("".join(json.dumps(json.loads(x), sort_keys=True, indent=None) + "\n" for x in lines),
                     encoding="utf-8")
    args = ["--dp-epsilon", "0.3", "--dp-domain", domain, "--ledger-dir", tmp_path / "ledgers",
            "--ledger-key", tmp_path / "ledger.key", "--dp-budget", "1"]
    variants = [["--in", pseudo_jsonl], ["--in", blank], ["--in", shuffled], ["--in", half1, "--in", half2],
                ["--in", reser]]
    for i, inputs in enumerate(variants[:3]):
        ona("report", *inputs, *args, "--out", tmp_path / f"r{i}.json")
    assert len(ledger_entries(tmp_path)) == 3
    for inputs in variants:
        out = tmp_path / "refused.json"
        r = ona("report", *inputs, *args, "--out", out, check=False)
        assert r.returncode == 1 and "privacy budget exceeded" in r.stderr, (inputs, r.stderr)
        assert not out.exists()
    assert len(ledger_entries(tmp_path)) == 3


def test_two_runs_at_once_both_charge(ona_bin, pseudo_jsonl, domain, tmp_path):  # noqa: F811
    runs = [subprocess.Popen([ona_bin, "report", "--in", str(pseudo_jsonl),
                              *map(str, dp_args(domain, tmp_path, "0.5")), "--out", str(tmp_path / f"{i}.json")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    for p in runs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert [e["entry"] for e in ledger_entries(tmp_path)] == [1, 2]


def test_an_edited_ledger_is_refused(ona, pseudo_jsonl, domain, tmp_path):  # noqa: F811
    ona("report", "--in", pseudo_jsonl, *dp_args(domain, tmp_path, "0.5"), "--out", tmp_path / "a.json")
    ona("report", "--in", pseudo_jsonl, *dp_args(domain, tmp_path, "0.5"), "--out", tmp_path / "b.json")
    path = next((tmp_path / "ledgers").iterdir())
    good = path.read_text()
    for edited in (good.replace('"epsilon":"0.5"', '"epsilon":"0.05"', 1),
                   "".join(good.splitlines(keepends=True)[:1] + good.splitlines(keepends=True)[2:])):
        path.write_text(edited)
        r = ona("report", "--in", pseudo_jsonl, *dp_args(domain, tmp_path, "0.1"), "--out", tmp_path / "c.json",
                check=False)
        assert r.returncode == 1 and "does not verify" in r.stderr, r.stderr
        assert not (tmp_path / "c.json").exists()


def test_plan_spends_nothing_and_predicts_the_report(ona, pseudo_jsonl, domain, tmp_path):  # noqa: F811
    pick = ["--indicators", "women_served,children_served", "--by", "country,year"]
    r = ona("report", "--dp-plan", "--dp-epsilon", "4e-1", "--dp-domain", domain, *pick)
    rows = [line.split() for line in r.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == ["women_served", "children_served"]
    # Sensitivities 1 and 3, ε = 0.4: Laplace scale (1 + 3) / 0.4 = 10 for both tables.
    assert [float(row[2]) for row in rows] == [10.0, 10.0]
    assert not (tmp_path / "ledgers").exists()
    ona("report", "--in", pseudo_jsonl, *dp_args(domain, tmp_path, "0.4"), *pick, "--out", tmp_path / "r.json")
    rep = json.loads((tmp_path / "r.json").read_text())
    assert {o["indicator"] for o in rep["observations"]} == {"women_served", "children_served"}
    assert len(rep["dp"]["noise"]) == 2
    detail = [o for o in rep["observations"] if "_T" not in (o["dims"]["country"], o["dims"]["year"])]
    assert {o["margin_95"] for o in detail} == {int(rows[0][4])}


def test_dp_options_need_epsilon_and_bad_records_are_named(ona, pseudo_jsonl, domain, tmp_path):  # noqa: F811
    out = tmp_path / "r.json"
    for args in (["--dp-delta", "1e-6"], ["--dp-domain", domain], ["--dp-plan"], ["--ledger-key", "k"]):
        r = ona("report", "--in", pseudo_jsonl, *args, "--out", out, check=False)
        assert r.returncode == 2 and "dp-epsilon" in r.stderr, (args, r.stderr)
    r = ona("report", "--in", pseudo_jsonl, "--dp-epsilon", "1", "--out", out, check=False)
    assert r.returncode == 2 and "--dp-domain" in r.stderr
    recs = records(pseudo_jsonl)[:20]
    del recs[4]["mother"]["pseudonym"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(x) + "\n" for x in recs), encoding="utf-8")
    r = ona("report", "--in", bad, *dp_args(domain, tmp_path), "--out", out, check=False)
    assert r.returncode == 1 and "line 5" in r.stderr and "mother pseudonym" in r.stderr, r.stderr
    assert not out.exists() and not (tmp_path / "ledgers").exists()

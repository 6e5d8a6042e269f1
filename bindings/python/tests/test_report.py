"""Reports from Python give the same figures as the CLI; suppression, DP and its ledger."""

import json

import pytest

import ona
from conftest import jsonl


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory):
    """Pseudonymised cases of two countries as JSONL files, and the records."""
    d = tmp_path_factory.mktemp("pseudo")
    cases = ona.synth(3000, seed=5)
    p = ona.Pseudonymiser(bytes(32), "network/research")
    out = {}
    for country in ("KZ", "UZ"):
        records = p.pseudonymise_cases([c for c in cases if c["centre"]["country"] == country])
        path = d / f"{country}.jsonl"
        path.write_text(jsonl(records), encoding="utf-8")
        out[country] = (path, records)
    return out


def test_same_report_as_the_cli(pseudo, cli, tmp_path):
    path, records = pseudo["KZ"]
    cli("report", "--in", path, "--by", "country,quarter", "--k", 5, "--out", tmp_path / "r.json")
    from_cli = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    from_file = json.loads(ona.report(path, by="country,quarter", k=5).to_json())
    from_records = json.loads(ona.report(records, by="country,quarter", k=5).to_json())
    assert from_file["observations"] == from_cli["observations"]
    assert from_records["observations"] == from_cli["observations"]


def test_the_workbook_holds_the_reports_figures_and_marks_suppressed_cells(pseudo, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path, _ = pseudo["KZ"]
    report = ona.report(path, by="country,quarter", k=5)
    (tmp_path / "r.xlsx").write_bytes(report.to_xlsx("uk"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    obs = [o for o in report.observations if o["indicator"] == "admissions"]
    ws = wb["admissions"]
    header = [c.value for c in ws[1]]
    value = next(i for i, h in enumerate(header) if h.startswith("Значення"))
    got = [row[value] for row in ws.iter_rows(min_row=2, values_only=True)]
    want = ["приховано" if o["obs_status"] == "Q" else o["value"] for o in obs]
    assert got == want and "приховано" in got
    assert wb.sheetnames[-2:] == ["Визначення", "Про ці дані"]


def test_merge_matches_the_cli_and_keeps_suppression(pseudo, cli, tmp_path):
    reports = [ona.report(pseudo[c][0]) for c in ("KZ", "UZ")]
    for c, r in zip(("KZ", "UZ"), reports):
        (tmp_path / f"{c}.json").write_text(r.to_json(), encoding="utf-8")
    cli("merge", tmp_path / "KZ.json", tmp_path / "UZ.json", "--out", tmp_path / "m.json")
    merged = ona.merge(reports)
    assert json.loads(merged.to_json()) == json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert set(merged.provenance["countries"]) == {"KZ", "UZ"}
    again = ona.Report.from_json(merged.to_json())
    assert again.to_json() == merged.to_json()


def test_no_published_count_below_the_threshold(pseudo):
    r = ona.report(pseudo["UZ"][0], by="country,quarter,referral_source", k=10)
    counts = [o for o in r.observations if o["unit"] == "NUMBER"]
    assert any(o.get("value") is None for o in counts)
    for o in counts:
        v = o.get("value")
        assert v is None or v == 0 or v >= 10, o
        if v is None:
            assert o["obs_status"] == "Q" and o["conf_status"] in ("C", "D")
    frame = r.to_pandas(tidy=False)
    assert {"INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS"} <= set(frame.columns)
    assert "<svg" in r.to_html("kk") and "INDICATOR" in r.to_sdmx_csv() and "#indicator" in r.to_hxl_csv()


def _domain(records):
    """The public domain the hub declares (its population, its centres, two years)."""
    meta = records[0]["pseudonymisation"]
    centres = sorted({(r["centre"]["country"], r["centre"].get("id", "unknown")) for r in records})
    return {
        "populations": [{"domain": meta["domain"], "key_id": meta["key_id"]}],
        "centres": [{"country": c, "centre": i} for c, i in centres],
        "periods": ["2024", "2025"],
    }


def _structure(report):
    doc = json.loads(report.to_json())
    for o in doc["observations"]:
        for k in ("value", "low_95", "high_95", "numerator", "denominator", "obs_status", "conf_status"):
            o.pop(k, None)
    return doc


@pytest.mark.parametrize("delta", [None, 1e-6], ids=["laplace", "gaussian"])
def test_neighbouring_datasets_release_the_same_structure(pseudo, tmp_path, delta):
    """One woman, with a case in a new year at a new centre and one at a declared centre, added
    or not: the releases differ only in their noisy values."""
    _, records = pseudo["KZ"]
    domain = _domain(records)
    her = json.loads(json.dumps(records[0]))
    her["mother"]["pseudonym"] = "z" * 26
    far = dict(json.loads(json.dumps(her)), intake="2031-05")
    far["centre"]["id"] = "XX-NEW-CENTRE"
    near = dict(json.loads(json.dumps(her)), intake="2025-02")
    opts = dict(by="country,centre,quarter", dp_epsilon=1, dp_delta=delta, dp_domain=domain,
                ledger_dir=tmp_path / "ledgers", ledger_key=tmp_path / "ledger.key", dp_budget=10)
    a = ona.report(records, **opts)
    b = ona.report(records + [far, near], **opts)
    assert a.to_json() != b.to_json()
    assert _structure(a) == _structure(b)
    assert "XX-NEW-CENTRE" not in b.to_json() and "2031" not in b.to_json()
    assert all(o["margin_95"] > 0 for o in a.observations if o["unit"] == "NUMBER")


def test_dp_charges_the_population_ledger_and_refuses_past_budget(pseudo, tmp_path, cli):
    path, records = pseudo["KZ"]
    domain = tmp_path / "domain.json"
    domain.write_text(json.dumps(_domain(records)), encoding="utf-8")
    with pytest.raises(ValueError, match="ledger"):
        ona.report(path, dp_epsilon=0.5, dp_domain=domain)
    with pytest.raises(ValueError, match="dp_epsilon"):
        ona.report(path, dp_delta=1e-6, dp_domain=domain)
    led = dict(ledger_dir=tmp_path / "ledgers", ledger_key=tmp_path / "ledger.key")
    plan = ona.dp_plan(dp_epsilon=0.4, dp_domain=domain, indicators=["women_served", "children_served"])
    assert [t["indicator"] for t in plan] == ["women_served", "children_served"]
    assert [t["scale"] for t in plan] == [10.0, 10.0]
    assert not (tmp_path / "ledgers").exists(), "a plan spends nothing"
    r = ona.report(path, dp_epsilon="0.5", dp_domain=domain, dp_budget=1, label="q1",
                   indicators=["women_served", "children_served"], **led)
    assert "noise" in repr(r) and json.loads(r.to_json())["dp"]["epsilon"] == "0.5"
    (book,) = list((tmp_path / "ledgers").iterdir())
    assert "q1" in book.read_text(encoding="utf-8")
    # The same women in another order: the same population, the same budget.
    ona.report(list(reversed(records)), dp_epsilon=0.5, dp_domain=domain, label="q2", **led)
    with pytest.raises(ona.BudgetExceededError):
        ona.report(path, dp_epsilon="1e-1", dp_domain=domain, label="q3", **led)
    assert "q3" not in book.read_text(encoding="utf-8")
    # The CLI sees the same population in the same ledger: its release is refused too.
    res = cli("report", "--in", path, "--dp-epsilon", "0.1", "--dp-domain", domain,
              "--ledger-dir", tmp_path / "ledgers", "--ledger-key", tmp_path / "ledger.key",
              "--out", tmp_path / "r.json", check=False)
    assert res.returncode == 1 and "budget" in res.stderr.lower(), res.stderr
    assert not (tmp_path / "r.json").exists()


def test_release_log_audits_releases_together_like_the_cli(pseudo, tmp_path, cli):
    """A year report after a quarter report of the same women: through Python and through the
    CLI, each year is published as is, suppressed further or refused the same way."""
    import shutil
    path, _ = pseudo["UZ"]
    opts = dict(indicators=["admissions", "exits"], k=5, ledger_key=tmp_path / "hub.key")
    with pytest.raises(ValueError, match="ledger_key"):
        ona.report(path, release_log=tmp_path / "nolog")
    first = ona.report(path, by="country,quarter", release_log=tmp_path / "log", label="quarters", **opts)
    (book,) = list((tmp_path / "log").iterdir())
    assert "quarters" in book.read_text(encoding="utf-8")
    years = sorted({p[:4] for p in first.provenance["periods"]})
    seen = set()
    for y in years:
        plain = json.loads(ona.report(path, by="country,year", period=y, indicators=opts["indicators"]).to_json())
        for who in ("python", "cli"):
            shutil.copytree(tmp_path / "log", tmp_path / f"{who}-{y}")
        try:
            mine = json.loads(ona.report(path, by="country,year", period=y, release_log=tmp_path / f"python-{y}",
                                         **opts).to_json())
        except ona.ReportError as e:
            mine = str(e)
        res = cli("report", "--in", path, "--by", "country,year", "--period", y, "--indicators", "admissions,exits",
                  "--release-log", tmp_path / f"cli-{y}", "--ledger-key", tmp_path / "hub.key",
                  "--out", tmp_path / f"{y}.json", check=False)
        if isinstance(mine, str):
            assert "release refused" in mine and "quarters" in mine, mine
            assert res.returncode == 1 and "release refused" in res.stderr, res.stderr
            seen.add("refused")
        else:
            assert res.returncode == 0, res.stderr
            theirs = json.loads((tmp_path / f"{y}.json").read_text(encoding="utf-8"))
            assert mine["observations"] == theirs["observations"]
            hidden = sum(o["conf_status"] != "F" for o in mine["observations"])
            seen.add("same" if mine == plain else "suppressed")
            assert mine == plain or hidden > sum(o["conf_status"] != "F" for o in plain["observations"])
    assert seen - {"same"}, "some year must be changed by the log"


def test_bad_specifications(pseudo):
    path = pseudo["KZ"][0]
    with pytest.raises(ona.ReportError):
        ona.report(path, by="country,colour")
    with pytest.raises(ona.ReportError):
        ona.report(['{"not": "a pseudonymised case"}'])
    with pytest.raises(FileNotFoundError):
        ona.report(path.parent / "missing.jsonl")
    with pytest.raises(ona.ReportError):
        ona.Report.from_json("{}")

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
    frame = r.to_pandas()
    assert {"INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS"} <= set(frame.columns)
    assert "<svg" in r.to_html("kk") and "INDICATOR" in r.to_sdmx_csv() and "#indicator" in r.to_hxl_csv()


def test_dp_charges_the_ledger_and_refuses_past_budget(pseudo, tmp_path, cli):
    path = pseudo["KZ"][0]
    ledger = tmp_path / "ledger.json"
    with pytest.raises(ValueError, match="ledger"):
        ona.report(path, dp_epsilon=0.5)
    r = ona.report(path, dp_epsilon="0.5", ledger=ledger, dp_budget=1, label="q1")
    assert "noise" in repr(r) and json.loads(r.to_json())["dp"]["epsilon"] == "0.5"
    book = json.loads(ledger.read_text(encoding="utf-8"))
    assert [x["label"] for x in book["releases"]] == ["q1"]
    ona.report(path, dp_epsilon="0.5", ledger=ledger, label="q2")
    with pytest.raises(ona.BudgetExceededError):
        ona.report(path, dp_epsilon="0.1", ledger=ledger, label="q3")
    assert len(json.loads(ledger.read_text(encoding="utf-8"))["releases"]) == 2
    # The CLI sees the same dataset in the same ledger: its release is refused too.
    res = cli("report", "--in", path, "--dp-epsilon", "0.1", "--ledger", ledger,
              "--out", tmp_path / "r.json", check=False)
    assert res.returncode == 1 and "budget" in res.stderr.lower(), res.stderr
    assert not (tmp_path / "r.json").exists()


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

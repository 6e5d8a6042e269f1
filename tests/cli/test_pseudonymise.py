"""`ona pseudonym-key` and `ona pseudonymise` from the outside: no direct identifier survives,
k-anonymity holds, the same input gives byte-identical output, and bad input writes nothing."""
import json
import os
import re
import stat
import unicodedata
from collections import Counter

import pytest

from conftest import read_jsonl


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s).casefold()).strip()


@pytest.fixture(scope="session")
def key(ona, tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "master.key"
    ona("pseudonym-key", "--out", path)
    return path


def test_key_file_is_owner_only_and_not_overwritten(ona, key):
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    res = ona("pseudonym-key", "--out", key, check=False)
    assert res.returncode == 2 and "exists" in res.stderr


def test_no_direct_identifier_survives_100k_cases(ona, key, tmp_path):
    cases_path, out = tmp_path / "c.jsonl", tmp_path / "p.jsonl"
    ona("synth", "--cases", 100_000, "--seed", 3, "--out", cases_path)
    ona("pseudonymise", "--key", key, "--domain", "kz/leak-test", "--in", cases_path, "--out", out)
    secrets = set()
    for c in read_jsonl(cases_path):
        m = c["mother"]
        for part in m["name"].values():
            secrets.add(part)
        if m.get("national_id"):
            secrets.add(m["national_id"]["value"])
            secrets.add(re.sub(r"\D", "", m["national_id"]["value"]))
        if m.get("phone"):
            secrets.add(m["phone"])
            secrets.add(re.sub(r"\D", "", m["phone"]))
        if m.get("address", {}).get("line"):
            secrets.add(m["address"]["line"])
        for ch in c["children"]:
            if ch.get("birth_certificate"):
                secrets.add(ch["birth_certificate"])
            for part in (ch.get("name") or {}).values():
                secrets.add(part)
        secrets.add(c["id"])
        if c.get("notes"):
            secrets.add(c["notes"])
    # Every string in the output, and every word of every string: a leaked identifier would be
    # one of them (names, IDs and phones are single values; a name part is a word).
    values, words = set(), set()

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                values.add(norm(k))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            values.add(norm(v))
            words.update(norm(v).split())
        elif v is not None:
            values.add(str(v))

    for r in read_jsonl(out):
        walk(r)
    leaked = [s for s in secrets if norm(s) in values or norm(s) in words]
    assert not leaked, leaked[:10]
    assert len(secrets) > 100_000


def default_qis(r):
    """The released values of the default quasi-identifiers of `ona pseudonymise --k`."""
    m = r["mother"]
    children = sorted(json.dumps([c.get("birth"), c.get("age_at_intake")]) for c in r.get("children", [])
                      if c.get("birth") is not None or c.get("age_at_intake") is not None)
    return (tuple(children), r["intake"], m.get("admin1"), m.get("citizenship"), m.get("residence_status"),
            m.get("marital_status"), m.get("age_band"), r["centre"].get("id"))


def woman(r):
    return r["mother"].get("pseudonym") or r["case_pseudonym"]


def test_k_anonymity_holds_per_woman_and_report_figures_are_right(ona, key, synth_cases, tmp_path):
    out = tmp_path / "p.jsonl"
    res = ona("pseudonymise", "--key", key, "--domain", "kz/k", "--k", 5, "--in", synth_cases, "--out", out)
    recs = read_jsonl(out)
    women = {}
    for r in recs:
        women.setdefault(default_qis(r), set()).add(woman(r))
    sizes = {g: len(w) for g, w in women.items()}
    assert min(sizes.values()) >= 5
    m = re.search(r"records in / out:\s+(\d+) / (\d+)", res.stderr)
    assert int(m.group(2)) == len(recs)
    m = re.search(r"women in / out:\s+(\d+) / (\d+)", res.stderr)
    assert int(m.group(2)) == len({woman(r) for r in recs})
    m = re.search(r"k achieved:\s+(\d+) women in (\d+) groups", res.stderr)
    assert int(m.group(1)) == min(sizes.values()) and int(m.group(2)) == len(sizes)
    m = re.search(r"highest re-identification risk of a woman: ([0-9.]+)", res.stderr)
    assert abs(float(m.group(1)) - 1 / min(sizes.values())) < 1e-3
    m = re.search(r"records at risk after:\s+(\d+)", res.stderr)
    assert int(m.group(1)) == 0


def test_k_counts_women_not_records(ona, key, tmp_path):
    """The issue's attacker knows the only Tajik woman who came: five cases of hers are one woman,
    not a group of five."""
    cases_path, out = tmp_path / "c.jsonl", tmp_path / "p.jsonl"
    ona("synth", "--cases", 400, "--seed", 21, "--out", cases_path)
    lines = cases_path.read_text(encoding="utf-8").splitlines()
    base = json.loads(lines[0])
    her = []
    for i in range(5):
        c = json.loads(json.dumps(base))
        c["id"] = f"{base['id']}-again-{i}"
        c["mother"]["citizenship"] = "TJ"
        her.append(json.dumps(c, ensure_ascii=False))
    cases_path.write_text("\n".join(lines[1:] + her) + "\n", encoding="utf-8")
    res = ona("pseudonymise", "--key", key, "--domain", "kz/w", "--k", 5, "--qi", "citizenship",
              "--in", cases_path, "--out", out)
    assert "highest risk 1.000" in res.stderr, res.stderr
    recs = read_jsonl(out)
    assert not [r for r in recs if r["mother"].get("citizenship") == "TJ"]
    m = re.search(r"at risk before:\s+(\d+) women, (\d+) records", res.stderr)
    assert int(m.group(1)) >= 1 and int(m.group(2)) >= 5


def test_placeholder_ids_are_refused_by_validate_with_their_own_code(ona, tmp_path):
    cases_path = tmp_path / "c.jsonl"
    ona("synth", "--cases", 50, "--seed", 4, "--out", cases_path)
    recs = read_jsonl(cases_path)
    kz = next(r for r in recs if r["mother"].get("national_id", {}).get("type") == "KZ_IIN")
    kz["mother"]["national_id"]["value"] = "000000000000"
    kz["mother"].pop("birth_date", None)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(kz, ensure_ascii=False) + "\n", encoding="utf-8")
    res = ona("validate", bad, check=False)
    assert res.returncode != 0
    assert "national_id_placeholder" in res.stdout + res.stderr, res.stdout + res.stderr


def test_same_input_same_output_bytes(ona, key, synth_cases, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        ona("pseudonymise", "--key", key, "--domain", "kz/det", "--k", 5, "--in", synth_cases, "--out", out)
    assert a.read_bytes() == b.read_bytes()
    c = tmp_path / "c.jsonl"
    ona("pseudonymise", "--key", key, "--domain", "uz/det", "--in", synth_cases, "--out", c)
    ma = {r["mother"]["pseudonym"] for r in read_jsonl(a)}
    mc = {r["mother"]["pseudonym"] for r in read_jsonl(c)}
    assert not ma & mc, "pseudonyms of two domains must not be joinable"


@pytest.mark.parametrize("problem", ["bad_key", "bad_policy", "invalid_record", "unknown_field_policy"])
def test_bad_input_fails_clearly_and_writes_nothing(ona, key, synth_cases, tmp_path, problem):
    out = tmp_path / "p.jsonl"
    args = ["--key", key, "--domain", "kz/x", "--in", synth_cases, "--out", out]
    if problem == "bad_key":
        bad = tmp_path / "bad.key"
        bad.write_text("not a key\n")
        args[1] = bad
    elif problem in ("bad_policy", "unknown_field_policy"):
        pol = tmp_path / "policy.toml"
        pol.write_text('[fields]\n"/mother/phone" = "keep"\n' if problem == "bad_policy" else '[fields]\n"/mother/shoe" = "drop"\n')
        args += ["--policy", pol]
    else:
        lines = synth_cases.read_text(encoding="utf-8").splitlines()
        rec = json.loads(lines[5])
        rec["referral_source"] = "aliens"
        lines[5] = json.dumps(rec, ensure_ascii=False)
        broken = tmp_path / "broken.jsonl"
        broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
        args[5] = broken
    res = ona("pseudonymise", *args, check=False)
    assert res.returncode != 0
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ona-tmp")]
    expected = {"bad_key": "pseudonymisation key", "bad_policy": "/mother/phone",
                "invalid_record": "line 6", "unknown_field_policy": "/mother/shoe"}[problem]
    assert expected in res.stderr, res.stderr


@pytest.mark.parametrize("k", [None, 5], ids=["plain", "k5"])
def test_a_bad_record_deep_in_a_long_input_names_its_line_and_stops(ona, key, synth_cases, tmp_path, k):
    """Batches are worked on in parallel and out of order: the error is still the first bad line,
    and the run stops (it used to wait for ever when the reader was still ahead)."""
    lines = synth_cases.read_text(encoding="utf-8").splitlines() * 4  # 8,000 records, many batches
    # Early: the reader is still batches ahead when the run stops.
    rec = json.loads(lines[1500])
    rec["referral_source"] = "aliens"
    lines[1500] = json.dumps(rec, ensure_ascii=False)
    rec = json.loads(lines[7500])
    rec["intake_point"] = "nowhere"
    lines[7500] = json.dumps(rec, ensure_ascii=False)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    args = ["--key", key, "--domain", "kz/x", "--in", broken, "--out", out]
    if k:
        args += ["--k", k]
    res = ona("pseudonymise", *args, check=False, timeout=600)
    assert res.returncode != 0
    assert "line 1501" in res.stderr and "line 7501" not in res.stderr, res.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ona-tmp")]

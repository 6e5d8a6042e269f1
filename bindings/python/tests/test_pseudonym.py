"""Pseudonymisation from Python: the shared vectors, columns of every kind, whole records."""

import json
import threading
import time

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import ona
from conftest import VECTORS

KIT = json.loads((VECTORS / "pseudonym" / "pseudonyms.json").read_text(encoding="utf-8"))


def master_bytes():
    # "ona-pseudonym-key-v1 <generation> <64 hex digits>"
    _, generation, hexkey = KIT["master_key"].split()
    return bytes.fromhex(hexkey), int(generation)


def pseudonymiser(domain):
    key, generation = master_bytes()
    return ona.Pseudonymiser(key, domain, generation=generation)


def test_shared_vectors_one_by_one_and_as_columns():
    assert len(KIT["vectors"]) >= 100
    by_case = {}
    for v in KIT["vectors"]:
        by_case.setdefault((v["domain"], v["kind"]), []).append(v)
    for (domain, kind), vs in by_case.items():
        p = pseudonymiser(domain)
        for v in vs:
            assert p.canonical(v["input"], kind) == v["canonical"], v
            assert p.pseudonym_of(v["input"], kind) == v["pseudonym"], v
        inputs = [v["input"] for v in vs]
        want = [v["pseudonym"] for v in vs]
        assert p.pseudonymise_many(inputs, kind) == want
        assert p.pseudonymise_many(pa.array(inputs), kind).to_pylist() == want
        assert p.pseudonymise_many(pa.array(inputs, pa.large_string()), kind).to_pylist() == want


def test_key_file_of_the_cli_gives_the_same_pseudonyms(tmp_path, cli):
    path = tmp_path / "kit.key"
    path.write_text(KIT["master_key"] + "\n", encoding="utf-8")
    v = KIT["vectors"][0]
    p = ona.Pseudonymiser.from_key_file(path, v["domain"])
    assert p.pseudonym_of(v["input"], v["kind"]) == v["pseudonym"]
    assert p.key_id == pseudonymiser(v["domain"]).key_id
    fresh = tmp_path / "fresh.key"
    ona.new_pseudonym_key_file(fresh)
    assert fresh.stat().st_mode & 0o077 == 0
    with pytest.raises(FileExistsError):
        ona.new_pseudonym_key_file(fresh)
    assert ona.Pseudonymiser.from_key_file(fresh, "kz/x").key_id != p.key_id


def test_columns_come_back_as_the_kind_that_went_in():
    p = pseudonymiser("kz/research")
    values = ["KZ-1", None, "kz-1 ", "KZ-2"]
    want = p.pseudonymise_many(values)
    assert want[0] == want[2] and want[1] is None and want[0] != want[3]

    arr = pa.array(values)
    out = p.pseudonymise_many(arr)
    assert isinstance(out, pa.Array) and out.to_pylist() == want

    chunked = pa.chunked_array([values[:1], values[1:]])
    out = p.pseudonymise_many(chunked)
    assert isinstance(out, pa.ChunkedArray) and out.to_pylist() == want

    view = pa.array(values, pa.string_view())
    assert p.pseudonymise_many(view).to_pylist() == want

    series = pd.Series(values, dtype=pd.ArrowDtype(pa.string()), index=[5, 6, 7, 8], name="case_id")
    out = p.pseudonymise_many(series)
    assert isinstance(out, pd.Series)
    assert list(out.index) == [5, 6, 7, 8] and out.name == "case_id"
    assert [None if pd.isna(x) else x for x in out] == want

    plain = pd.Series(values, name="id")  # object dtype: read with one copy
    assert [None if pd.isna(x) else x for x in p.pseudonymise_many(plain)] == want

    pls = pl.Series("id", values)
    out = p.pseudonymise_many(pls)
    assert isinstance(out, pl.Series) and out.name == "id" and out.to_list() == want

    assert p.pseudonymise_many(tuple(values)) == want
    assert p.pseudonymise_many([]) == []
    assert p.pseudonymise_many(pa.array([], pa.string())).to_pylist() == []


def test_bad_columns_and_kinds_are_clear_errors():
    p = pseudonymiser("kz/research")
    with pytest.raises(TypeError, match="strings"):
        p.pseudonymise_many(pa.array([1, 2, 3]))
    with pytest.raises(TypeError):
        p.pseudonymise_many(42)
    with pytest.raises(ValueError, match="identifier kind"):
        p.pseudonymise_many(["a"], kind="passport")
    with pytest.raises(ValueError, match="identifier kind"):
        p.pseudonym_of("a", kind="national_id:XX_NONE")


def test_national_ids_failing_their_checks_become_null():
    p = pseudonymiser("kz/research")
    valid = [v["input"] for v in KIT["vectors"] if v["kind"] == "national_id:KZ_IIN" and v["pseudonym"]]
    out = p.pseudonymise_many(pa.array([valid[0], "123456789012"]), kind="national_id:KZ_IIN")
    assert out[0].as_py() is not None and out[1].as_py() is None


def test_large_column_is_split_across_cores_and_stays_in_order():
    p = pseudonymiser("uz/research")
    values = [f"UZ-{i:07d}" for i in range(50_000)]
    out = p.pseudonymise_many(pa.array(values))
    assert out.to_pylist() == p.pseudonymise_many(values)
    assert out[12_345].as_py() == p.pseudonym_of(values[12_345])


def test_the_gil_is_released_while_pseudonymising():
    p = pseudonymiser("uz/research")
    column = pa.array([f"UZ-{i:07d}" for i in range(1_500_000)])
    ticks = []
    done = threading.Event()

    def work():
        p.pseudonymise_many(column)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    t.join()
    # With the GIL held for the whole call the main thread could not tick in between.
    assert len(ticks) >= 5, len(ticks)


def test_whole_records_and_their_problems(cases):
    p = pseudonymiser("kz/case-management")
    one = p.pseudonymise(cases[0])
    assert one["pseudonymisation"]["domain"] == "kz/case-management"
    assert one == p.pseudonymise(json.dumps(cases[0]))
    many = p.pseudonymise_cases(cases)
    assert len(many) == len(cases) and many[0] == one
    assert "name" not in json.dumps(many[0]["mother"])
    bad = dict(cases[3], status="nope")
    with pytest.raises(ona.ValidationError) as e:
        p.pseudonymise_cases([cases[0], cases[1], bad])
    assert [(x.record, x.pointer) for x in e.value.problems] == [(2, "/status")]


def test_records_agree_with_the_cli(cases, cli, tmp_path):
    key = tmp_path / "m.key"
    key.write_text(KIT["master_key"] + "\n", encoding="utf-8")
    src = tmp_path / "cases.jsonl"
    src.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases[:50]), encoding="utf-8")
    out = tmp_path / "pseudo.jsonl"
    cli("pseudonymise", "--key", key, "--domain", "kz/research", "--in", src, "--out", out)
    from_cli = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    from_py = ona.Pseudonymiser.from_key_file(key, "kz/research").pseudonymise_cases(cases[:50])
    assert from_py == from_cli


def test_bad_keys_and_policies():
    with pytest.raises(ona.KeyFormatError):
        ona.Pseudonymiser(b"short", "kz/x")
    with pytest.raises(ona.PolicyError):
        ona.Pseudonymiser(bytes(32), "kz/x", policy="this is = not [a policy")


def test_values_without_identifying_content_are_null_and_counted():
    p = pseudonymiser("kz/case-management")
    values = ["Dinara Seitkazina", "", " ", "-", "?", "N/A", "нет", "yok", "tiada", "x y", "bin", None]
    with pytest.warns(UserWarning, match=r"10 of 12 values have no canonical form.*position 1"):
        out = p.pseudonymise_many(values, "name")
    assert out[0] is not None and out[1:] == [None] * 11
    with pytest.warns(UserWarning, match="10 of 12"):
        arrow = p.pseudonymise_many(pa.array(values), "name")
    assert arrow.to_pylist() == out
    with pytest.raises(ValueError, match=r"10 of 12 values .* position 1; nothing returned") as e:
        p.pseudonymise_many(values, "name", errors="raise")
    assert "Dinara" not in str(e.value) and "нет" not in str(e.value)
    with pytest.raises(ValueError, match="errors must be"):
        p.pseudonymise_many(values, "name", errors="ignore")
    # Nothing to report: no warning, even with errors="raise".
    assert p.pseudonymise_many(["Dinara Seitkazina", None], "name", errors="raise")[1] is None
    ids = p.pseudonymise_many(["000000000000", "880101300020"], "national_id:KZ_IIN", errors="null")
    assert ids[0] is None and ids[1] is not None


KANON = VECTORS / "pseudonym"


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_k_anonymity_per_woman_matches_the_shared_vectors_and_the_cli(tmp_path, cli):
    records = _jsonl(KANON / "kanon-pseudonymised.jsonl")
    released, report = ona.k_anonymise(records, 3)
    assert released == _jsonl(KANON / "kanon-released.jsonl")
    assert report == json.loads((KANON / "kanon-report.json").read_text(encoding="utf-8"))
    assert report["records_in"] > report["women_in"] and report["k_achieved"] >= 3
    # The CLI on the raw cases releases the same bytes.
    key = tmp_path / "kit.key"
    key.write_text(KIT["master_key"] + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cli("pseudonymise", "--key", key, "--domain", "kz/kanon", "--k", 3,
        "--in", KANON / "kanon-cases.jsonl", "--out", out)
    assert out.read_text(encoding="utf-8") == (KANON / "kanon-released.jsonl").read_text(encoding="utf-8")


def test_k_anonymise_frame_counts_women_not_rows():
    # Five rows of one woman with a unique citizenship, ten other women: she is one woman.
    rows = [("her", "TJ", "25-29")] * 5 + [(f"w{i}", "KZ", "25-29") for i in range(10)]
    df = pd.DataFrame(rows, columns=["mother", "citizenship", "age_band"])
    out, report = ona.k_anonymise_frame(df, 5, woman="mother", qi=["citizenship", "age_band"])
    assert report["max_risk_before"] == 1.0 and report["women_in"] == 11
    assert report["women_at_risk_before"] == 1 and report["at_risk_before"] == 5
    assert "TJ" not in set(out["citizenship"].dropna())
    assert report["max_risk"] <= 0.2
    pl_out, pl_report = ona.k_anonymise_frame(pl.from_pandas(df), 5, woman="mother", qi=["citizenship", "age_band"])
    assert pl_report == report and pl_out.height == len(out)
    # The frame path and the record path are the same core: same groups on the same values.
    counted = {}
    for _, r in out.iterrows():
        counted.setdefault((r["citizenship"], r["age_band"]), set()).add(r["mother"])
    assert min(len(w) for w in counted.values()) >= 5

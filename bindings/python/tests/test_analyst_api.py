"""The analyst's API: records in and out of pandas and polars frames, tidy reports, one rule for
str arguments, Opener as a file, wrapped pyarrow errors.

Typed: `mypy --strict` checks this file (tests/test_typing.py), so the API's types are tried as
a user of them would write.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any, Dict, List, Optional

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import ona
import ona.polars  # registers pl.col(...).ona

KEY = bytes(range(32))


@pytest.fixture(scope="module")
def pseudo() -> List[Dict[str, Any]]:
    """120 pseudonymised synthetic cases (seed 5)."""
    return ona.Pseudonymiser(KEY, "kz/research").pseudonymise_cases(ona.synth(120, seed=5))


def _jsonl(records: List[Dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_to_frame_gives_the_same_rows_in_pandas_and_polars(pseudo: List[Dict[str, Any]]) -> None:
    pdf = ona.to_frame(pseudo)
    plf = ona.to_frame(pseudo, backend="polars")
    assert isinstance(pdf, pd.DataFrame) and isinstance(plf, pl.DataFrame)
    assert pdf.shape == plf.shape == (len(pseudo), pdf.shape[1])
    assert list(pdf.columns) == plf.columns
    assert list(pdf["case_pseudonym"]) == plf["case_pseudonym"].to_list() == [
        r["case_pseudonym"] for r in pseudo
    ]
    assert plf["intake"].to_list() == [r["intake"] for r in pseudo]  # months stay text
    # Dates of records (before pseudonymisation) are dates, and dates again on the way back.
    raw = ona.synth(3, seed=5)
    dated = ona.to_frame(raw, backend="polars")
    assert dated["intake_date"].dtype == pl.Date
    assert [d.isoformat() for d in dated["intake_date"].to_list()] == [r["intake_date"] for r in raw]
    assert str(ona.to_frame(raw)["intake_date"].dtype).startswith("datetime64")
    assert ona.validate(dated) == [] and ona.validate(ona.to_frame(raw)) == []


def test_to_frame_labels_nulls_and_non_ascii(pseudo: List[Dict[str, Any]]) -> None:
    ru = ona.to_frame(pseudo, lang="ru", backend="polars")
    labels = ona.codes("case_status", "ru")
    assert ru["status"].to_list() == [labels[r["status"]] for r in pseudo]
    assert any(ord(c) > 127 for c in ru["status"][0])  # Cyrillic, not escapes
    # A field that some records lack is a null in their rows, and absent again on the way back.
    exited = [r for r in pseudo if "outcome" in r]
    stayed = [dict(r) for r in exited[3:6]]
    for r in stayed:
        del r["outcome"]
    frame = ona.to_frame(exited[:3] + stayed)
    assert frame["outcome.child_placement"].isna().tolist() == [False] * 3 + [True] * 3
    back = json.loads(ona.report(frame, by="country").to_json())["observations"]
    assert back == json.loads(ona.report(exited[:3] + stayed, by="country").to_json())["observations"]


def test_frames_go_back_to_records_for_report_and_validate(pseudo: List[Dict[str, Any]]) -> None:
    want = json.loads(ona.report(pseudo, by=["country", "quarter"], k=3).to_json())["observations"]
    pdf = ona.to_frame(pseudo)
    plf = ona.to_frame(pseudo, backend="polars")
    for frame in (pdf, plf, plf.to_arrow()):
        got = json.loads(ona.report(frame, by=["country", "quarter"], k=3).to_json())
        assert got["observations"] == want
    raw = ona.synth(30, seed=8)  # records before pseudonymisation: valid in the standard
    for frame in (ona.to_frame(raw), ona.to_frame(raw, backend="polars"), ona.to_frame(raw).pipe(pa.Table.from_pandas)):
        assert ona.validate(frame) == []


def test_validate_a_frame_names_the_row_not_the_column(pseudo: List[Dict[str, Any]]) -> None:
    records = ona.synth(6, seed=2)
    records[4]["status"] = "nope"
    for frame in (ona.to_frame(records), ona.to_frame(records, backend="polars")):
        problems = ona.validate(frame)
        assert [(p.record, p.pointer, p.code) for p in problems] == [(4, "/status", "unknown_code")]


def test_read_jsonl_and_read_sealed_with_polars(pseudo: List[Dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(_jsonl(pseudo), encoding="utf-8")
    frame = ona.read_jsonl(path, backend="polars")
    assert isinstance(frame, pl.DataFrame) and frame.height == len(pseudo)
    centre, hub = ona.Identity.generate(), ona.Identity.generate()
    (tmp_path / "x.ona").write_bytes(ona.seal(path.read_bytes(), hub.encryption_public, centre))
    sealed = ona.read_sealed(tmp_path / "x.ona", hub, centre.signing_public, backend="polars")
    assert sealed.equals(frame)
    with pytest.raises(ValueError, match="backend"):
        ona.read_jsonl(path, backend="spark")  # type: ignore[call-overload]


def test_tidy_report_keeps_period_totals_out_of_the_period(pseudo: List[Dict[str, Any]]) -> None:
    r = ona.report(pseudo, by=["country", "quarter"], k=1)  # nothing suppressed
    frame = r.to_pandas()
    columns = list(frame.columns)
    assert columns[:2] == ["indicator", "country"] and "quarter" not in columns
    assert columns[-7:] == ["period", "value", "numerator", "denominator", "unit", "status", "total"]
    assert not frame.isin(["_T"]).any().any()
    adm = frame[frame["indicator"] == "admissions"]
    for country, rows in adm.groupby("country"):
        per_quarter = rows[rows["period"].notna()]
        whole = rows[rows["period"].isna()]
        assert not per_quarter["total"].any() and whole["total"].all() and len(whole) == 1
        assert per_quarter["period"].str.match(r"^\d{4}-Q[1-4]$").all()
        assert per_quarter["value"].sum() == whole["value"].iloc[0], country
    # The same table in polars.
    polars_frame = r.to_polars()
    assert isinstance(polars_frame, pl.DataFrame)
    assert polars_frame.columns == list(frame.columns) and polars_frame.height == len(frame)
    assert polars_frame["value"].to_list()[:20] == [
        None if math.isnan(v) else v for v in frame["value"].tolist()[:20]
    ]


def test_tidy_report_marks_suppressed_cells(pseudo: List[Dict[str, Any]]) -> None:
    r = ona.report(pseudo, by="country,quarter,referral_source", k=10)
    frame = r.to_polars()
    statuses = set(frame["status"].to_list())
    assert "suppressed" in statuses and "published" in statuses
    hidden = frame.filter(pl.col("status").str.starts_with("suppressed"))
    assert hidden["value"].null_count() == hidden.height
    # A dimension that does not apply to an indicator does not make its rows totals.
    served = frame.filter((pl.col("indicator") == "women_served") & ~pl.col("total"))
    assert served.height > 0 and served["period"].null_count() == 0


def test_one_rule_for_str_arguments(pseudo: List[Dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(_jsonl(pseudo), encoding="utf-8")
    from_path = ona.report(path, by="country")
    with pytest.raises(TypeError, match="pathlib.Path"):
        ona.report(str(path), by="country")
    with pytest.raises(TypeError, match="validate_file"):
        ona.validate(str(path))
    raw = ona.synth(1, seed=4)[0]
    assert ona.validate(json.dumps(raw)) == []  # a str is JSON text
    assert ona.check(json.dumps(raw)) == ona.check(raw)
    with pytest.raises(TypeError, match="validate_file"):
        ona.check("case.json")
    problems = ona.validate_file(str(path))
    assert problems == ona.validate_file(path) and {p.record for p in problems} == set(range(len(pseudo)))
    texts = [json.dumps(r) for r in pseudo]
    assert ona.report(texts, by="country").to_json() == from_path.to_json()


def test_policy_is_text_or_a_path(pseudo: List[Dict[str, Any]], tmp_path: Path) -> None:
    text = 'id = "yearly"\ndates = "year"\n'
    (tmp_path / "policy.toml").write_text(text, encoding="utf-8")
    case = ona.synth(1, seed=9)[0]
    by_text = ona.Pseudonymiser(KEY, "kz/research", policy=text).pseudonymise(case)
    by_path = ona.Pseudonymiser(KEY, "kz/research", policy=tmp_path / "policy.toml").pseudonymise(case)
    default = ona.Pseudonymiser(KEY, "kz/research").pseudonymise(case)
    assert by_text == by_path and by_text != default
    with pytest.raises(ona.PolicyError):
        ona.Pseudonymiser(KEY, "kz/research", policy="policy.toml")  # a str is policy text
    with pytest.raises(FileNotFoundError):
        ona.Pseudonymiser(KEY, "kz/research", policy=tmp_path / "missing.toml")


def test_opener_is_a_raw_io_stream(pseudo: List[Dict[str, Any]], tmp_path: Path) -> None:
    centre, hub = ona.Identity.generate(), ona.Identity.generate()
    data = _jsonl(pseudo).encode("utf-8")
    (tmp_path / "x.ona").write_bytes(ona.seal(data, hub.encryption_public, centre))
    with ona.Opener(tmp_path / "x.ona", hub, any_sender=True) as raw:
        assert isinstance(raw, io.RawIOBase) and raw.readable() and raw.verified
        lines = list(io.TextIOWrapper(raw, encoding="utf-8"))
    assert [json.loads(line) for line in lines] == pseudo
    assert raw.closed
    with pytest.raises(ValueError):
        raw.read()
    buffered = io.BufferedReader(ona.Opener(tmp_path / "x.ona", hub, any_sender=True), 4096)
    assert buffered.read(10) == data[:10] and buffered.read() == data[10:]
    buffered.close()
    o = ona.Opener(tmp_path / "x.ona", hub, any_sender=True)
    chunk = bytearray(7)
    assert o.readinto(chunk) == 7 and bytes(chunk) == data[:7]
    assert o.readall() == data[7:] and o.read() == b"" and o.readinto(chunk) == 0
    o.close()
    with pytest.raises(ona.SignatureError):
        ona.Opener(tmp_path / "x.ona", hub, hub.signing_public)


def test_pseudonymise_many_returns_what_it_was_given() -> None:
    p = ona.Pseudonymiser(KEY, "kz/research")
    names = ["Айгүл Сәрсенова", None, "Ayşe Yılmaz"]
    as_list: List[Optional[str]] = p.pseudonymise_many(names, kind="name")
    assert as_list[1] is None and as_list[0] == p.pseudonym_of("Айгүл Сәрсенова", "name")
    series = pl.Series("n", names)
    as_polars: pl.Series = p.pseudonymise_many(series, kind="name")
    assert isinstance(as_polars, pl.Series) and as_polars.to_list() == as_list
    array = pa.array(names)
    assert isinstance(p.pseudonymise_many(array, kind="name"), pa.Array)
    assert isinstance(p.pseudonymise_many(pa.chunked_array([array]), kind="name"), pa.ChunkedArray)
    pandas_series = pd.Series(names, index=[10, 20, 30], dtype="string[pyarrow]")
    as_pandas = p.pseudonymise_many(pandas_series, kind="name")
    assert isinstance(as_pandas, pd.Series) and list(as_pandas.index) == [10, 20, 30]


def test_polars_expression_namespace() -> None:
    p = ona.Pseudonymiser(KEY, "kz/research")
    df = pl.DataFrame({"full_name": ["Гүлнар Ахметова", None, "Olena Kovalenko"]})
    out = df.with_columns(ona.polars.OnaExpr(pl.col("full_name")).pseudonymise(p, kind="name"))
    untyped = df.with_columns(pl.col("full_name").ona.pseudonymise(p, kind="name"))  # type: ignore[attr-defined]
    assert out.equals(untyped)
    assert out["full_name"].to_list() == p.pseudonymise_many(df["full_name"].to_list(), kind="name")
    lazy = df.lazy().select(pl.col("full_name").ona.pseudonymise(p, kind="name")).collect()  # type: ignore[attr-defined]
    assert lazy.equals(out)


def test_pyarrow_errors_come_out_as_ona_errors() -> None:
    with pytest.raises(ona.ValidationError) as e:
        ona.to_frame(['{"a": 1}', '{"a": "one"}'])  # one field, two types: Arrow refuses
    assert isinstance(e.value.__cause__, pa.ArrowException) and e.value.problems == []
    mixed = pd.DataFrame({"status": [1, "open"]}, dtype=object)
    with pytest.raises(ona.ValidationError):
        ona.validate(mixed)
    p = ona.Pseudonymiser(KEY, "kz/research")
    with pytest.raises(ona.OnaError):
        p.pseudonymise_many(pd.Series([1, "x"], dtype=object))


def test_literal_value_sets_are_the_cores() -> None:
    from ona import _ona, _types

    assert list(_types.values(_types.Indicator)) == _ona.indicator_ids()
    assert list(_types.values(_types.Dimension)) == _ona.dimension_ids()
    ids = [k for k in _types.values(_types.IdentifierKind) if k.startswith("national_id:")]
    assert sorted(k.split(":")[1] for k in ids) == sorted(ona.codes("national_id_type"))
    langs = _types.values(_types.Lang)
    assert len(langs) == 7 and all(ona.codes("case_status", lang) for lang in langs)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ona.codes("case_status", "fr")  # type: ignore[arg-type]


def test_a_namespace_expression_cannot_carry_the_key_out_of_the_process() -> None:
    """Attacker: whoever receives a serialised polars plan (shipped to a cluster, saved to a
    file). A plan using `.ona.pseudonymise(p)` holds the in-process Pseudonymiser, which
    refuses to be pickled, so serialising the plan fails instead of writing the key out; the
    way to ship plans is `ona.polars.pseudonymise(frame, key_file, ...)`, which carries a path."""
    import pickle

    p = ona.Pseudonymiser(KEY, "kz/research")
    with pytest.raises(TypeError, match="pickle"):
        pickle.dumps(p)
    plan = pl.LazyFrame({"a": ["x"]}).select(pl.col("a").ona.pseudonymise(p, kind="name"))  # type: ignore[attr-defined]
    with pytest.raises(Exception) as e:
        plan.serialize()
    assert "cannot pickle" in str(e.value)

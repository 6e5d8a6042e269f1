"""Import through a mapping from Python: a file, or DataFrames an analyst already has.

The fixtures of the CLI import tests (tests/fixtures/import) give byte for byte the JSON Lines
that `ona import` writes, through `ona.import_file` and through `ona.import_frame` on the frames
pandas and polars read from the same exports; the planted errors come back as a DataFrame of
problems, one row per problem, each at its sheet, row and column."""

import json

import pandas as pd
import pytest

import ona
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "import"
MAPPINGS = ROOT / "examples" / "mappings"
EXPORTS = {"kobo-tr": "kobo-tr.xlsx", "odk-my": "odk-my.zip", "primero-uz": "primero-uz.xlsx",
           "excel-ua": "excel-ua.csv", "commcare-my": "commcare-my.xlsx", "dhis2-kz": "dhis2-kz.json"}


def cli_import(cli, tmp_path, name, lang="en"):
    out, rejects = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.rejects.jsonl"
    cli("import", "--mapping", MAPPINGS / f"{name}.toml", "--in", FIXTURES / EXPORTS[name],
        "--out", out, "--rejects", rejects, "--lang", lang, check=False)
    return out.read_bytes(), rejects.read_bytes()


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_import_file_gives_the_bytes_of_the_cli(cli, tmp_path, name):
    cases, rejects = cli_import(cli, tmp_path, name)
    got = ona.import_file(FIXTURES / EXPORTS[name], MAPPINGS / f"{name}.toml")
    assert got.cases_jsonl == cases and len(cases.splitlines()) >= 150
    assert got.rejects_jsonl == rejects
    assert got.ok == (rejects == b"")


@pytest.mark.parametrize("name", ["kobo-tr", "primero-uz"])
def test_import_frame_of_the_sheets_pandas_reads_gives_the_same_cases(cli, tmp_path, name):
    cases, _ = cli_import(cli, tmp_path, name)
    sheets = pd.read_excel(FIXTURES / EXPORTS[name], sheet_name=None)
    got = ona.import_frame(sheets, MAPPINGS / f"{name}.toml")
    assert got.ok, got.problems.head().to_dict("records")
    assert got.cases_jsonl == cases


def test_import_frame_of_a_polars_frame_gives_the_same_cases_and_problems(cli, tmp_path):
    pl = pytest.importorskip("polars")
    cases, rejects = cli_import(cli, tmp_path, "excel-ua", lang="uk")
    frame = pl.from_pandas(pd.read_csv(FIXTURES / "excel-ua.csv", sep=";", encoding="cp1251",
                                       dtype=str, keep_default_na=False))
    got = ona.import_frame(frame, MAPPINGS / "excel-ua.toml", lang="uk")
    assert got.cases_jsonl == cases
    problems = got.problems
    assert isinstance(problems, pl.DataFrame)
    want = [p for r in map(json.loads, rejects.splitlines()) for p in r["problems"]]
    assert problems.height == len(want) > 0
    # The frame's sheet is the mapping's table; row, column, value, pointer, code, message agree.
    for row, w in zip(problems.iter_rows(named=True), want):
        for k in ("row", "column", "value", "pointer", "code", "message"):
            assert row[k] == w[k], (k, row, w)


def test_planted_errors_each_come_back_once_at_their_row_and_column():
    planted = json.loads((FIXTURES / "excel-ua.planted.json").read_text(encoding="utf-8"))
    frame = pd.read_csv(FIXTURES / "excel-ua.csv", sep=";", encoding="cp1251", dtype=str,
                        keep_default_na=False)
    got = ona.import_frame(frame, MAPPINGS / "excel-ua.toml")
    p = got.problems
    assert list(p.columns) == ["sheet", "row", "id", "column", "value", "pointer", "code", "message"]
    for e in planted:
        hits = p[(p["row"] == e["row"]) & (p["column"] == e["column"])]
        assert len(hits) == 1, (e, hits.to_dict("records"))
    assert len(got.records) + len(got.rejects) == len(frame)


def test_a_mapping_as_a_dict_or_text_reads_as_the_file_does():
    text = (MAPPINGS / "excel-ua.toml").read_text(encoding="utf-8")
    import tomllib

    as_dict = tomllib.loads(text)
    path = FIXTURES / "excel-ua.csv"
    a = ona.import_file(path, MAPPINGS / "excel-ua.toml")
    assert ona.import_file(path, as_dict).cases_jsonl == a.cases_jsonl
    assert ona.import_file(path, text).cases_jsonl == a.cases_jsonl


def test_bad_mappings_and_frames_are_refused_with_what_and_where():
    frame = pd.DataFrame({"Sex": ["open"]})
    with pytest.raises(ona.MappingError, match="tabels"):
        ona.import_frame(frame, {"ona_mapping": 1, "tables": [{"name": "t"}], "tabels": []})
    m = {"ona_mapping": 1, "tables": [{"name": "t", "columns": {"Gender": "/status"}}]}
    with pytest.raises(ona.MappingError, match="Gender"):
        ona.import_frame(frame, m)
    odd = pd.DataFrame({"Sex": [object()]})
    m = {"ona_mapping": 1, "tables": [{"name": "t", "columns": {"Sex": "/status"}}]}
    got = ona.import_frame(odd, m)  # an unknown object is read as its text, then rejected
    assert not got.ok and got.problems["column"].tolist()[0] == "Sex"
    with pytest.raises(FileNotFoundError):
        ona.import_file(FIXTURES / "nope.csv", MAPPINGS / "excel-ua.toml")

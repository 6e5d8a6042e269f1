"""The standard from Python: validation with every problem, schema, codelists, synthetic data."""

import json

import pytest

import ona
from conftest import ROOT, jsonl

LANGS = ["en", "ru", "kk", "uz", "uk", "ms", "tr"]


def test_synthetic_cases_are_valid_and_match_the_cli(cases, cli, tmp_path):
    assert ona.validate(cases) == []
    out = tmp_path / "c.jsonl"
    cli("synth", "--cases", 300, "--seed", 11, "--out", out)
    from_cli = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert from_cli == cases
    ona.synth_jsonl(tmp_path / "py.jsonl", 300, seed=11)
    assert (tmp_path / "py.jsonl").read_bytes() == out.read_bytes()
    assert ona.synth(3, seed=11, start=297) == cases[297:]


def test_every_problem_of_every_record_with_pointer_code_and_message(cases):
    bad = json.loads(json.dumps(cases[0]))
    bad["status"] = "nope"
    bad["mother"]["birth_date"] = "2030-02-30"
    del bad["centre"]
    problems = ona.validate([cases[1], bad, "{not json", cases[2]])
    by_record = {}
    for p in problems:
        by_record.setdefault(p.record, []).append(p)
    assert sorted(by_record) == [1, 2]
    pointers = {p.pointer for p in by_record[1]}
    assert {"/status", "/mother/birth_date", "/centre"} <= pointers, pointers
    assert all(p.code and p.message for p in problems)
    assert "unknown_code" in {p.code for p in by_record[1]}


def test_messages_in_every_language(cases):
    bad = dict(cases[0], status="nope")
    messages = {lang: ona.validate(bad, lang=lang)[0].message for lang in LANGS}
    assert len(set(messages.values())) == len(LANGS), messages
    with pytest.raises(ValueError):
        ona.validate(bad, lang="xx")


def test_check_returns_the_record_or_raises_with_problems(cases):
    assert ona.check(cases[0]) == cases[0]
    with pytest.raises(ona.ValidationError) as e:
        ona.check(dict(cases[0], status="nope", intake_date="yesterday"))
    assert {p.pointer for p in e.value.problems} >= {"/status", "/intake_date"}
    assert isinstance(e.value, ona.OnaError)


def test_validate_file_reads_a_jsonl_path_and_validate_refuses_one(cases, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl(cases[:5]) + "\n" + jsonl([dict(cases[5], status="x")]), encoding="utf-8")
    for given in (path, str(path)):
        problems = ona.validate_file(given)
        assert [(p.record, p.pointer) for p in problems] == [(5, "/status")]
    # The one rule for str: records only; a file name is refused, naming validate_file.
    for wrong in (path, str(path), "cases.jsonl"):
        with pytest.raises(TypeError, match="validate_file"):
            ona.validate(wrong)


def test_json_schema_is_the_published_one():
    published = json.loads((ROOT / "docs" / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    assert ona.json_schema() == published


def test_codelists_labelled_in_seven_languages():
    ids = ona.codelists()
    assert "case_status" in ids and "kz_family_map_category" in ids
    for lang in LANGS:
        labels = ona.codes("placement", lang)
        assert "with_mother" in labels and all(labels.values()), (lang, labels)
    assert ona.codes("case_status", "ru") != ona.codes("case_status", "en")
    with pytest.raises(ValueError):
        ona.codes("no_such_list")

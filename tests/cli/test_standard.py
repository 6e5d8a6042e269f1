"""The case standard from the outside: JSON Schema under an independent validator, and the
`ona validate` contract (exit codes, one problem per line, languages)."""
import copy
import json

import jsonschema
import pytest

from conftest import read_jsonl


@pytest.fixture(scope="session")
def schema(ona):
    s = json.loads(ona("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(s)
    return s


@pytest.fixture(scope="session")
def validator(schema):
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_2020_12_with_disclosure_classes(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    text = json.dumps(schema)
    for cls in ("direct", "quasi", "sensitive", "plain"):
        assert f'"x-disclosure": "{cls}"' in text


def test_synthetic_records_accepted_by_both(ona, synth_cases, validator):
    records = read_jsonl(synth_cases)
    assert len(records) == 2000
    for r in records:
        errors = list(validator.iter_errors(r))
        assert not errors, (r["id"], [e.message for e in errors][:3])
    assert ona("validate", synth_cases).returncode == 0


def _breakers():
    def unknown_code(r): r["referral_source"] = "aliens"
    def missing_field(r): del r["mother"]["employment"]
    def unknown_field(r): r["nickname"] = "x"
    def wrong_type(r): r["children"][0]["birth_weight_g"] = "heavy"
    def no_children(r): r["children"] = []
    def bad_date_shape(r): r["intake_date"] = "2024-1-01"
    def bad_country_shape(r): r["centre"]["country"] = "kz"
    def out_of_range(r): r["children"][0]["gestation_weeks"] = 60
    return [unknown_code, missing_field, unknown_field, wrong_type, no_children, bad_date_shape,
            bad_country_shape, out_of_range]


@pytest.mark.parametrize("breaker", _breakers(), ids=lambda f: f.__name__)
def test_invalid_fixtures_rejected_by_both(ona, synth_cases, validator, tmp_path, breaker):
    record = copy.deepcopy(next(r for r in read_jsonl(synth_cases) if r["children"][0].get("gestation_weeks")))
    breaker(record)
    assert list(validator.iter_errors(record)), "jsonschema accepted a broken record"
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    res = ona("validate", path, check=False)
    assert res.returncode == 1, res.stderr
    assert res.stdout.startswith("line 1: /")


def test_three_broken_records_each_reported_in_english_and_russian(ona, synth_cases, tmp_path):
    lines = synth_cases.read_text(encoding="utf-8").splitlines()
    recs = {i: json.loads(lines[i]) for i in (2, 40, 900)}
    recs[2]["referral_source"] = "aliens"
    recs[40]["children"] = []
    recs[900]["stay"]["admission_date"] = "2001-01-01"
    for i, r in recs.items():
        lines[i] = json.dumps(r, ensure_ascii=False)
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = ona("validate", path, check=False)
    assert res.returncode == 1
    out = res.stdout.splitlines()
    assert "line 3: /referral_source: unknown_code: \"aliens\" is not a code of the codelist referral_source" in out
    assert any(l.startswith("line 41: /children: no_children: ") for l in out)
    assert any(l.startswith("line 901: /stay/admission_date: date_order: ") for l in out)
    assert len(out) == 3
    ru = ona("validate", path, "--lang", "ru", check=False).stdout
    assert "не является кодом справочника" in ru


def test_usage_errors_exit_2(ona, tmp_path):
    assert ona("validate", tmp_path / "missing.jsonl", check=False).returncode == 2
    assert ona("validate", tmp_path / "x.jsonl", "--lang", "de", check=False).returncode == 2
    assert ona("frobnicate", check=False).returncode == 2


def test_codes_are_labelled(ona):
    lists = ona("codes").stdout.splitlines()
    assert any(l.startswith("referral_source\t") for l in lists)
    ru = ona("codes", "referral_source", "--lang", "ru").stdout
    assert all(len(l.split("\t")) == 2 and l.split("\t")[1] for l in ru.splitlines())
    assert ona("codes", "no_such_list", check=False).returncode == 2


def test_records_of_the_made_up_version_0_9_are_migrated_on_read(ona):
    """tests/fixtures/cases-v0.9.jsonl uses the earlier layout: mother.full_name, a single
    `child` object and `referral`; `ona validate` migrates and accepts them."""
    from pathlib import Path
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "cases-v0.9.jsonl"
    text = fixture.read_text(encoding="utf-8")
    assert '"schema_version": "0.9"' in text and '"full_name"' in text
    assert ona("validate", fixture).returncode == 0

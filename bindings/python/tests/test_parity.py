"""Parity, Python side: the scenario of tests/vectors/parity through the Python API must give the
expected files the CLI made, byte for byte (tests/cli/test_parity.py checks the CLI against the
same files, ParityTest.kt the Kotlin binding). The only conversion here is serialising Python
objects the way the CLI prints them (compact JSON, keys sorted where the CLI sorts them).

Error cases: each raises the exception of the core's class (`error_class` names it) with the
core's message, and the opening failures carry the core's `kind`."""
import json
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import ona
from ona import _ona

ROOT = Path(__file__).resolve().parents[3]
V = ROOT / "tests" / "vectors" / "parity"
E = V / "expected"
DOMAIN = "parity/test"
CERTIFIED_INDICATORS = ["children_served"]
INDICATORS = ["women_served,children_served,referrals,length_of_stay_median"]


def lines(path: Path) -> List[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def compact(obj: Any, sort: bool = False) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=sort)


def pseudonymiser() -> ona.Pseudonymiser:
    return ona.Pseudonymiser.from_key_file(V / "pseudonym.key", DOMAIN)


def hub() -> ona.Identity:
    return ona.Identity.from_file(V / "hub.key")


def centre() -> ona.Identity:
    return ona.Identity.from_file(V / "centre.key")


def test_validation_problems_are_the_expected_json():
    texts = lines(V / "invalid.jsonl")
    problems = ona.validate(texts)
    out = []
    for record in sorted({p.record for p in problems}):
        mine = [{"code": p.code, "message": p.message, "pointer": p.pointer}
                for p in problems if p.record == record]
        out.append(compact({"line": record + 1, "problems": mine}, sort=True))
    summary = {"invalid": len(out), "problems": len(problems), "records": len(texts)}
    out.append(compact(summary, sort=True))
    assert ("\n".join(out) + "\n").encode() == (E / "validation.jsonl").read_bytes()


def test_pseudonymised_records_are_the_expected_bytes():
    got = pseudonymiser().pseudonymise_cases(lines(V / "cases.jsonl"))
    text = "".join(compact(r) + "\n" for r in got)
    assert text.encode() == (E / "pseudonymised.jsonl").read_bytes()


def columns(path: Path) -> Dict[str, List[str]]:
    """`kind<TAB>value` lines, grouped by kind in order."""
    out: Dict[str, List[str]] = {}
    for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
        kind, value = line.split("\t", 1)
        out.setdefault(kind, []).append(value)
    return out


def test_pseudonymised_columns_are_the_expected_values():
    p = pseudonymiser()
    got = []
    for kind, values in columns(V / "columns.tsv").items():
        pseudonyms = p.pseudonymise_many(values, kind=kind)
        # One value at a time gives the same as the column.
        assert [p.pseudonym_of(v, kind=kind) for v in values] == pseudonyms
        got += [f"{kind}\t{x if x is not None else 'null'}\n" for x in pseudonyms]
    assert "".join(got).encode() == (E / "columns.tsv").read_bytes()


def test_opening_gives_the_expected_plaintext_and_manifest(tmp_path):
    opened = ona.open((V / "cases.ona").read_bytes(), hub(), sender=centre().signing_public)
    assert opened.data == (E / "pseudonymised.jsonl").read_bytes()
    manifest = (E / "manifest.json").read_text(encoding="utf-8")
    assert compact(opened.manifest, sort=True) + "\n" == manifest
    out = tmp_path / "o.jsonl"
    m = ona.open_file(V / "cases.ona", out, hub(), centre().signing_public)
    assert compact(m, sort=True) + "\n" == manifest
    assert out.read_bytes() == (E / "pseudonymised.jsonl").read_bytes()


def test_seal_then_open_round_trips_the_records_with_the_core_count():
    data = (E / "pseudonymised.jsonl").read_bytes()
    sealed = ona.seal(data, hub().encryption_public, centre())
    opened = ona.open(sealed, hub(), sender=centre().signing_public)
    assert opened.data == data
    expected = json.loads((E / "manifest.json").read_text(encoding="utf-8"))
    assert opened.manifest["record_count"] == expected["record_count"]


def test_report_is_the_expected_json():
    # Default by and k: the CLI's defaults, which are the core's. From the file and from records.
    for cases in (E / "pseudonymised.jsonl", lines(E / "pseudonymised.jsonl")):
        report = ona.report(cases, indicators=INDICATORS)
        assert report.to_json().encode() == (E / "report.json").read_bytes()


def test_certified_report_is_the_expected_json():
    # `lp_protect=True` is the CLI's `--lp-protect`; `None` is the core's default, as in the CLI.
    cases = E / "pseudonymised.jsonl"
    by = ["country", "centre", "year"]

    def report(lp_protect: "bool | None") -> str:
        made = ona.report(cases, by=by, indicators=CERTIFIED_INDICATORS, lp_protect=lp_protect)
        return made.to_json()

    certified, plain, default = report(True), report(False), report(None)
    assert certified.encode() == (E / "report_certified.json").read_bytes()
    assert certified != plain and default in (certified, plain)


def test_codelist_ids_are_the_expected_list():
    assert _ona.codelist_ids() == (E / "codelist_ids.txt").read_text(encoding="utf-8").split()


def error_cases() -> Dict[str, Dict[str, Any]]:
    return {c["case"]: c for c in json.loads((E / "errors.json").read_text(encoding="utf-8"))}


def call(case: str, tmp: Path) -> Callable[[], Any]:
    stranger = ona.Identity.from_file(V / "stranger.key")
    sealed = (V / "cases.ona").read_bytes()
    pseudo = lines(E / "pseudonymised.jsonl")
    return {
        "wrong_key": lambda: ona.open(sealed, stranger, sender=centre().signing_public),
        "tampered": lambda: ona.open((V / "tampered.ona").read_bytes(), hub(),
                                     sender=centre().signing_public),
        "unknown_sender": lambda: ona.open(sealed, hub(), sender=stranger.signing_public),
        "not_sealed": lambda: ona.open((V / "not_sealed.ona").read_bytes(), hub(),
                                       sender=centre().signing_public),
        "missing_file": lambda: ona.open_file(tmp / "missing.ona", tmp / "o", hub(),
                                              centre().signing_public),
        "bad_identity": lambda: ona.Identity.from_file(V / "bad_identity.key"),
        "invalid_records": lambda: pseudonymiser().pseudonymise_cases(lines(V / "invalid.jsonl")),
        "bad_policy": lambda: ona.Pseudonymiser.from_key_file(
            V / "pseudonym.key", DOMAIN, (V / "bad_policy.toml").read_text(encoding="utf-8")),
        "bad_pseudonym_key": lambda: ona.Pseudonymiser.from_key_file(V / "bad_pseudonym.key", DOMAIN),
        "bad_dimension": lambda: ona.report(pseudo, by="country,planet"),
        "bad_language": lambda: ona.validate(lines(V / "invalid.jsonl"), lang="xx"),
        "duplicate_recipient": lambda: ona.seal(
            b"", [hub().encryption_public] * 2, centre(), content="report"),
        # No dp_budget: the ledger starts with the core's default budget, which the message names.
        "budget_exceeded": lambda: ona.report(
            pseudo, indicators=["women_served"], dp_epsilon="2", dp_domain=V / "dp_domain.json",
            ledger_dir=tmp, ledger_key=tmp / "ledger.key"),
        "bad_identifier_kind": lambda: pseudonymiser().pseudonym_of("1", kind="national_id:XX_NOPE"),
        "tampered_directory": lambda: ona.Directory.verify(
            (V / "tampered_directory.json").read_bytes(), hub().signing_public),
        "bad_mapping": lambda: ona.import_file(
            V / "cases.jsonl", (V / "bad_mapping.toml").read_text(encoding="utf-8")),
        # The careless user: raw cases sealed as "cases" (the check `ona seal` runs).
        "raw_cases_sealed": lambda: ona.seal(
            (V / "cases.jsonl").read_bytes(), hub().encryption_public, centre()),
    }[case]


PYTHON_CLASS = {"Io": OSError, "InvalidArgument": ValueError}


@pytest.mark.parametrize("case", sorted(error_cases()))
def test_each_error_is_its_core_class_with_the_core_message(tmp_path, case):
    expected = error_cases()[case]
    cls = PYTHON_CLASS.get(expected["class"]) or getattr(ona, expected["class"] + "Error")
    with pytest.raises(cls) as info:
        call(case, tmp_path)()
    err = info.value
    assert getattr(err, "error_class", None) == expected["class"], (case, type(err))
    assert expected["message"] in str(err), (case, str(err))
    if expected["kind"] is not None:
        assert getattr(err, "kind") == expected["kind"]
    assert not (tmp_path / "o").exists()

"""Parity, CLI side: one scenario (tests/vectors/parity) whose expected outputs every front end
must give byte for byte — the CLI here, Python in bindings/python/tests/test_parity.py, Kotlin in
bindings/uniffi/kotlin/.../ParityTest.kt. The expected files were made once by the CLI
(tests/vectors/parity/README.md says how); a front end that decides anything on its own (a
default, an error class, a list) fails one of the three.

Error cases: the exit code is the core's `ErrorClass::exit_code` of the case's class, and the
message carries the core's own text."""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
V = ROOT / "tests" / "vectors" / "parity"
E = V / "expected"
DOMAIN = "parity/test"


def pub(ona, key: str, line: int) -> str:
    return ona("pubkey", V / key).stdout.splitlines()[line]


def test_validation_problems_are_the_expected_json(ona):
    res = ona("-q", "validate", "--json", V / "invalid.jsonl", check=False)
    assert res.returncode == 1
    assert res.stdout.encode() == (E / "validation.jsonl").read_bytes()


def test_pseudonymised_records_are_the_expected_bytes(ona, tmp_path):
    out = tmp_path / "p.jsonl"
    ona("-q", "pseudonymise", "--key", V / "pseudonym.key", "--domain", DOMAIN,
        "--in", V / "cases.jsonl", "--out", out)
    assert out.read_bytes() == (E / "pseudonymised.jsonl").read_bytes()


def test_opening_gives_the_expected_plaintext_and_manifest(ona, tmp_path):
    out = tmp_path / "o.jsonl"
    res = ona("-q", "open", "--key", V / "hub.key", "--from", pub(ona, "centre.key", 1),
              "--in", V / "cases.ona", "--out", out, "--json")
    manifest = json.loads(res.stdout)["manifest"]
    assert json.dumps(manifest, sort_keys=True, separators=(",", ":")) + "\n" == (
        E / "manifest.json").read_text(encoding="utf-8")
    assert out.read_bytes() == (E / "pseudonymised.jsonl").read_bytes()


def test_seal_then_open_round_trips_the_records(ona, tmp_path):
    # Sealing is randomised: what must agree is what opening gives back.
    sealed, out = tmp_path / "s.ona", tmp_path / "o.jsonl"
    ona("-q", "seal", "--to", pub(ona, "hub.key", 0), "--sign", V / "centre.key",
        "--in", E / "pseudonymised.jsonl", "--out", sealed)
    res = ona("-q", "open", "--key", V / "hub.key", "--from", pub(ona, "centre.key", 1),
              "--in", sealed, "--out", out, "--json")
    assert out.read_bytes() == (E / "pseudonymised.jsonl").read_bytes()
    assert json.loads(res.stdout)["manifest"]["record_count"] == 24


def test_report_is_the_expected_json(ona, tmp_path):
    out = tmp_path / "r.json"
    ona("-q", "report", "--in", E / "pseudonymised.jsonl", "--indicators",
        "women_served,children_served,referrals,length_of_stay_median", "--out", out)
    assert out.read_bytes() == (E / "report.json").read_bytes()


def test_certified_report_is_the_expected_json(ona, tmp_path):
    out = tmp_path / "r.json"
    ona("-q", "report", "--in", E / "pseudonymised.jsonl", "--by", "country,centre,year",
        "--indicators", "children_served", "--lp-protect", "--out", out)
    assert out.read_bytes() == (E / "report_certified.json").read_bytes()
    # The LP attacker of `ona audit` narrows none of its small counts (exit 0).
    ona("audit", out)
    # The default is the core's, whichever it is: the same bytes as saying it.
    default = tmp_path / "default.json"
    ona("-q", "report", "--in", E / "pseudonymised.jsonl", "--by", "country,centre,year",
        "--indicators", "children_served", "--out", default)
    said = tmp_path / "said.json"
    flag = "--lp-protect" if default.read_bytes() == out.read_bytes() else "--no-lp-protect"
    ona("-q", "report", "--in", E / "pseudonymised.jsonl", "--by", "country,centre,year",
        "--indicators", "children_served", flag, "--out", said)
    assert said.read_bytes() == default.read_bytes()


def test_pseudonymised_columns_are_the_expected_values(ona, tmp_path):
    """`ona pseudonymise-column` (the core's pseudonymise_column) gives, per kind, what Python's
    pseudonymise_many and Kotlin's pseudonymiseMany give: expected/columns.tsv (an empty output
    line there is `null`)."""
    rows = [line.split("\t", 1) for line in (V / "columns.tsv").read_text(encoding="utf-8").split("\n") if line]
    got = []
    for kind in dict.fromkeys(k for k, _ in rows):
        values = tmp_path / "values.txt"
        values.write_text("".join(v + "\n" for k, v in rows if k == kind), encoding="utf-8")
        out = tmp_path / "pseudonyms.txt"
        ona("-q", "pseudonymise-column", "--key", V / "pseudonym.key", "--domain", DOMAIN,
            "--kind", kind, "--in", values, "--out", out, "--force")
        assert out.stat().st_mode & 0o077 == 0
        got += [f"{kind}\t{p or 'null'}\n" for p in out.read_text(encoding="utf-8").split("\n")[:-1]]
    assert "".join(got).encode() == (E / "columns.tsv").read_bytes()


def test_codelist_ids_are_the_expected_list(ona):
    ids = [line.split("\t")[0] for line in ona("codes").stdout.splitlines()]
    assert ids == (E / "codelist_ids.txt").read_text(encoding="utf-8").split()


def error_cases():
    return {c["case"]: c for c in json.loads((E / "errors.json").read_text(encoding="utf-8"))}


def cli_args(case: str, ona, tmp: Path):
    """The CLI call of each error case (None: the CLI has no such call)."""
    centre, stranger = pub(ona, "centre.key", 1), pub(ona, "stranger.key", 1)
    hub = pub(ona, "hub.key", 0)
    opening = ["-q", "open", "--out", tmp / "o"]
    pseudo = ["-q", "pseudonymise", "--domain", DOMAIN, "--out", tmp / "p"]
    return {
        "wrong_key": opening + ["--key", V / "stranger.key", "--from", centre, "--in", V / "cases.ona"],
        "tampered": opening + ["--key", V / "hub.key", "--from", centre, "--in", V / "tampered.ona"],
        "unknown_sender": opening + ["--key", V / "hub.key", "--from", stranger, "--in", V / "cases.ona"],
        "not_sealed": opening + ["--key", V / "hub.key", "--from", centre, "--in", V / "not_sealed.ona"],
        "missing_file": opening + ["--key", V / "hub.key", "--from", centre, "--in", tmp / "missing.ona"],
        "bad_identity": opening + ["--key", V / "bad_identity.key", "--from", centre, "--in", V / "cases.ona"],
        "invalid_records": pseudo + ["--key", V / "pseudonym.key", "--in", V / "invalid.jsonl"],
        "bad_policy": pseudo + ["--key", V / "pseudonym.key", "--policy", V / "bad_policy.toml",
                                "--in", V / "cases.jsonl"],
        "bad_pseudonym_key": pseudo + ["--key", V / "bad_pseudonym.key", "--in", V / "cases.jsonl"],
        "bad_dimension": ["-q", "report", "--in", E / "pseudonymised.jsonl", "--by", "country,planet",
                          "--out", tmp / "r"],
        "bad_language": ["-q", "validate", "--lang", "xx", V / "invalid.jsonl"],
        "duplicate_recipient": ["-q", "seal", "--to", hub, "--to", hub, "--sign", V / "centre.key",
                                "--in", E / "pseudonymised.jsonl", "--out", tmp / "s"],
        # No --dp-budget: the ledger starts with the core's default budget, which the message names.
        "budget_exceeded": ["-q", "report", "--in", E / "pseudonymised.jsonl", "--indicators",
                            "women_served", "--dp-epsilon", "2", "--dp-domain", V / "dp_domain.json",
                            "--ledger-dir", tmp, "--ledger-key", tmp / "ledger.key", "--out", tmp / "r"],
        "bad_identifier_kind": ["-q", "pseudonymise-column", "--key", V / "pseudonym.key", "--domain",
                                DOMAIN, "--kind", "national_id:XX_NOPE", "--in", V / "columns.tsv",
                                "--out", tmp / "p"],
        "tampered_directory": ["-q", "directory", "verify", "--directory", V / "tampered_directory.json",
                               "--hub", pub(ona, "hub.key", 1)],
        "bad_mapping": ["-q", "import", "--mapping", V / "bad_mapping.toml", "--in", V / "cases.jsonl",
                        "--out", tmp / "p"],
        # The careless user: raw cases sealed as "cases".
        "raw_cases_sealed": ["-q", "seal", "--to", hub, "--sign", V / "centre.key",
                             "--in", V / "cases.jsonl", "--out", tmp / "s"],
    }[case]


@pytest.mark.parametrize("case", sorted(error_cases()))
def test_each_error_exits_with_its_class_code_and_the_core_message(ona, tmp_path, case):
    expected = error_cases()[case]
    args = cli_args(case, ona, tmp_path)
    if args is None:
        assert expected["exit"] is None, f"{case}: the CLI has no such call"
        return
    res = ona(*args, check=False)
    assert res.returncode == expected["exit"], (case, res.stderr)
    assert expected["message"] in res.stderr, (case, res.stderr)
    assert not (tmp_path / "o").exists() and not (tmp_path / "p").exists()
    assert not (tmp_path / "r").exists() and not (tmp_path / "s").exists()


def test_every_error_class_has_a_case_or_a_reason():
    covered = {c["class"] for c in error_cases().values()}
    assert covered == {
        "Validation", "KeyFormat", "PseudonymKey", "Policy", "Seal", "Decryption", "Format",
        "Signature", "Directory", "Mapping", "Report", "BudgetExceeded", "Io", "InvalidArgument"}


def test_the_fixture_is_small():
    total = sum(p.stat().st_size for p in V.rglob("*") if p.is_file())
    assert total < 400_000, total

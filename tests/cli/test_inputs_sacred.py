"""Inputs are never destroyed and outputs are checked before any work: an output that is an input
(also through a hard or symbolic link) is refused, an existing output needs --force, a missing
output folder is named before anything is read or any privacy budget spent, and a command's
outputs appear all or none. The attacker is the user's own slip: `--out` naming the only copy."""
import hashlib
import json
import os
from pathlib import Path

import pytest


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def pkey(ona, tmp_path):
    key = tmp_path / "p.key"
    ona("pseudonym-key", "--out", key)
    return key


@pytest.fixture
def cases(synth_cases, tmp_path):
    p = tmp_path / "cases.jsonl"
    p.write_bytes(synth_cases.read_bytes())
    return p


def pseudonymise(ona, pkey, src, out, *extra, check=False):
    return ona("pseudonymise", "--key", pkey, "--domain", "kz/test", "--in", src, "--out", out,
               *extra, check=check)


@pytest.mark.parametrize("how", ["same path", "other spelling", "hard link", "symbolic link"])
def test_pseudonymise_refuses_to_overwrite_its_input(ona, pkey, cases, tmp_path, how):
    before = digest(cases)
    out = {
        "same path": cases,
        "other spelling": tmp_path / "." / "sub" / ".." / cases.name,
        "hard link": tmp_path / "hard.jsonl",
        "symbolic link": tmp_path / "sym.jsonl",
    }[how]
    (tmp_path / "sub").mkdir(exist_ok=True)
    if how == "hard link":
        os.link(cases, out)
    elif how == "symbolic link":
        out.symlink_to(cases)
    # Even with --force: an input is never an output.
    res = pseudonymise(ona, pkey, cases, out, "--force")
    assert res.returncode == 2, res.stderr
    assert "it is the input" in res.stderr and "nothing was changed" in res.stderr
    assert digest(cases) == before


def test_seal_and_open_refuse_their_input(ona, cases, tmp_path):
    a = ona("keygen", "--out", tmp_path / "a.key").stdout.split()
    before = digest(cases)
    res = ona("seal", "--to", a[0], "--sign", tmp_path / "a.key", "--in", cases, "--out", cases,
              "--force", check=False)
    assert res.returncode == 2 and "it is the input" in res.stderr
    sealed = tmp_path / "c.ona"
    ona("seal", "--to", a[0], "--sign", tmp_path / "a.key", "--in", cases, "--out", sealed,
        "--content", "report")
    sealed_before = digest(sealed)
    res = ona("open", "--key", tmp_path / "a.key", "--from", a[1], "--in", sealed, "--out",
              sealed, "--force", check=False)
    assert res.returncode == 2 and "it is the input" in res.stderr
    # Nor the key: writing over the secret key file would lose the identity.
    res = ona("open", "--key", tmp_path / "a.key", "--from", a[1], "--in", sealed, "--out",
              tmp_path / "a.key", "--force", check=False)
    assert res.returncode == 2 and "it is the input" in res.stderr
    assert digest(cases) == before and digest(sealed) == sealed_before


def test_existing_outputs_need_force(ona, pkey, cases, tmp_path):
    out = tmp_path / "p.jsonl"
    out.write_text("keep me\n")
    res = pseudonymise(ona, pkey, cases, out)
    assert res.returncode == 2 and "exists; use --force" in res.stderr
    assert out.read_text() == "keep me\n"
    pseudonymise(ona, pkey, cases, out, "--force", check=True)
    assert out.read_text() != "keep me\n"
    for args in (["synth", "--cases", 1, "--out", out], ["schema", "--out", out],
                 ["pseudonym-key", "--out", out], ["keygen", "--out", out],
                 ["report", "--in", out, "--out", out.with_suffix(".r")]):
        before = digest(out)
        if args[0] == "report":
            out.with_suffix(".r").write_text("old report")
        res = ona(*args, check=False)
        assert res.returncode == 2 and "--force" in res.stderr, (args, res.stderr)
        assert digest(out) == before


def test_missing_output_folder_is_named_before_any_budget_is_spent(ona, pkey, cases, tmp_path):
    pseudo = tmp_path / "p.jsonl"
    pseudonymise(ona, pkey, cases, pseudo, check=True)
    missing = tmp_path / "no-such-folder"
    recs = [json.loads(line) for line in pseudo.read_text(encoding="utf-8").splitlines() if line.strip()]
    meta = recs[0]["pseudonymisation"]
    side = tmp_path / "hub"
    side.mkdir()
    domain = side / "domain.json"
    domain.write_text(json.dumps({
        "populations": [{"domain": meta["domain"], "key_id": meta["key_id"]}],
        "centres": [{"country": c} for c in sorted({r["centre"]["country"] for r in recs})],
        "periods": ["2024"],
    }), encoding="utf-8")
    res = ona("report", "--in", pseudo, "--out", tmp_path / "r.json", "--sdmx",
              tmp_path / "r.csv", "--html", missing / "r.html", "--dp-epsilon", "0.5",
              "--dp-domain", domain, "--ledger-dir", side, "--ledger-key", side / "ledger.key",
              check=False)
    assert res.returncode == 2, res.stderr
    assert f"the folder {missing} does not exist" in res.stderr
    assert ".ona-tmp" not in res.stderr
    # Nothing written and nothing charged: no report files, no ledger, no ledger key.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl", "hub", "p.jsonl", "p.key"]
    assert sorted(p.name for p in side.iterdir()) == ["domain.json"]
    res = pseudonymise(ona, pkey, cases, missing / "out.jsonl")
    assert res.returncode == 2 and f"the folder {missing} does not exist" in res.stderr


def test_two_outputs_of_one_name_are_refused(ona, pkey, cases, tmp_path):
    pseudo = tmp_path / "p.jsonl"
    pseudonymise(ona, pkey, cases, pseudo, check=True)
    res = ona("report", "--in", pseudo, "--out", tmp_path / "r.json", "--hxl",
              tmp_path / "." / "r.json", check=False)
    assert res.returncode == 2 and "named as two outputs" in res.stderr
    assert not (tmp_path / "r.json").exists()


def test_report_outputs_appear_all_or_none(ona, pkey, cases, tmp_path):
    pseudo = tmp_path / "p.jsonl"
    pseudonymise(ona, pkey, cases, pseudo, check=True)
    outs = [tmp_path / n for n in ("r.json", "r.sdmx.csv", "r.hxl.csv", "r.html")]
    ona("report", "--in", pseudo, "--out", outs[0], "--sdmx", outs[1], "--hxl", outs[2],
        "--html", outs[3])
    assert all(p.stat().st_size > 0 for p in outs)
    assert json.loads(outs[0].read_text())["observations"]


def test_dash_means_stdout_or_is_refused(ona, pkey, cases, tmp_path):
    res = ona("synth", "--cases", 3, "--out", "-")
    assert len(res.stdout.splitlines()) == 3
    assert json.loads(res.stdout.splitlines()[0])["id"]
    os.chdir(tmp_path)
    res = pseudonymise(ona, pkey, cases, "-")
    assert res.returncode == 2 and "cannot write to standard output" in res.stderr
    assert not (tmp_path / "-").exists()
    # `--in -` reads standard input where one pass suffices, and is refused clearly elsewhere.
    piped = tmp_path / "piped.jsonl"
    ona("pseudonymise", "--key", pkey, "--domain", "kz/test", "--in", "-", "--out", piped,
        input=cases.read_text(encoding="utf-8"))
    direct = tmp_path / "direct.jsonl"
    pseudonymise(ona, pkey, cases, direct, check=True)
    assert piped.read_bytes() == direct.read_bytes()
    a = ona("keygen", "--out", tmp_path / "a.key").stdout.split()
    res = ona("seal", "--to", a[0], "--sign", tmp_path / "a.key", "--in", "-", "--out",
              tmp_path / "x.ona", check=False)
    assert res.returncode == 2 and "--in -: seal reads its input twice" in res.stderr


def test_demo_does_not_replace_an_earlier_demo_without_force(ona, tmp_path):
    out = tmp_path / "demo"
    ona("demo", "--out", out, "--cases", 300, "--seed", 3, "--no-case-files")
    key = digest(out / "keys" / "hub.key")
    res = ona("demo", "--out", out, "--cases", 300, "--seed", 3, "--no-case-files", check=False)
    assert res.returncode == 2 and "--force" in res.stderr
    assert digest(out / "keys" / "hub.key") == key
    ona("demo", "--out", out, "--cases", 300, "--seed", 3, "--no-case-files", "--force")
    assert digest(out / "keys" / "hub.key") != key


def test_import_html_and_workbook_commands_need_force_too(ona, pkey, cases, tmp_path):
    """The commands that came with import and the readable report follow the same rule: an
    existing output is left alone without --force, and an output naming the input is refused
    even with it."""
    root = Path(__file__).resolve().parents[2]
    book = tmp_path / "cases.xlsx"
    ona("cases-to-xlsx", "--in", cases, "--out", book)
    before = digest(book)
    r = ona("cases-to-xlsx", "--in", cases, "--out", book, check=False)
    assert r.returncode == 2 and "--force" in r.stderr and digest(book) == before
    ona("cases-to-xlsx", "--in", cases, "--out", book, "--force")
    before = digest(book)

    mapping = root / "examples" / "mappings" / "ona-workbook.toml"
    back = tmp_path / "back.jsonl"
    back.write_text("keep me\n", encoding="utf-8")
    r = ona("import", "--mapping", mapping, "--in", book, "--out", back, check=False)
    assert r.returncode == 2 and "--force" in r.stderr and back.read_text() == "keep me\n"
    r = ona("import", "--mapping", mapping, "--in", book, "--out", book, "--force", check=False)
    assert r.returncode == 2 and "input" in r.stderr and digest(book) == before

    skeleton = tmp_path / "m.toml"
    skeleton.write_text("# mine\n", encoding="utf-8")
    r = ona("mapping", "init", "--in", book, "--out", skeleton, check=False)
    assert r.returncode == 2 and skeleton.read_text() == "# mine\n"

    pseudo = tmp_path / "pseudo.jsonl"
    pseudonymise(ona, pkey, cases, pseudo, check=True)
    report = tmp_path / "r.json"
    ona("report", "--in", pseudo, "--out", report)
    page = tmp_path / "r.html"
    page.write_text("mine", encoding="utf-8")
    r = ona("html", report, "--out", page, check=False)
    assert r.returncode == 2 and page.read_text() == "mine"
    r = ona("html", report, "--out", report, "--force", check=False)
    assert r.returncode == 2 and json.loads(report.read_text())["observations"]

"""Every public function, class and method of ``ona`` — those written in Python and those
written in Rust alike — shows a call (``>>>``) in its docstring, and the calls are true: each
docstring's examples run as a doctest in a small world of files (cases, a key, a sealed export, a
directory, a mapping and an export to import) and pass ``mypy --strict``."""

import doctest
import inspect
import os
import shutil
import subprocess
import sys
import textwrap
import typing

import pytest

import ona
from conftest import ROOT

MYPY_INI = ROOT / "bindings" / "python" / "mypy.ini"

#: The io.RawIOBase protocol of Opener: documented by io, called by io.TextIOWrapper, not by hand.
IO_PROTOCOL = {"readable", "read", "readall", "readinto", "close"}


def public_callables():
    """(name, object) of every public function, class and method, in ``__all__`` order."""
    found = []
    for name in ona.__all__:
        obj = getattr(ona, name)
        if isinstance(obj, str) or typing.get_origin(obj) is not None or not callable(obj):
            continue  # constants and Literal aliases
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            continue  # errors are raised, not called
        found.append((name, obj))
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member):
                    continue
                if obj is ona.Opener and attr in IO_PROTOCOL:
                    continue
                found.append((f"{name}.{attr}", getattr(obj, attr)))
    return found


PARSER = doctest.DocTestParser()


def examples_of(obj):
    return PARSER.get_examples(inspect.getdoc(obj) or "")


def test_every_public_callable_shows_a_call():
    missing = [name for name, obj in public_callables() if not examples_of(obj)]
    assert missing == []


@pytest.fixture(scope="module")
def world(tmp_path_factory, cli):
    """The files and names the examples use: ``cases.jsonl`` (raw), ``pseudonymised.jsonl``,
    ``cases.ona`` (those as JSON Lines, sealed by the centre ``kz`` to the hub),
    ``export.ona`` (the same cases as :func:`ona.export_cases` packs and seals them), ``directory.json``, ``domain.json``,
    ``export.csv`` with ``mappings/excel-ua.toml``, ``key.bin``; and ``p``, ``cases``,
    ``centre``, ``hub``, ``d`` (the verified directory), ``r`` (a report), ``df`` (a frame of
    quasi-identifiers)."""
    base = tmp_path_factory.mktemp("docworld")
    _, hub_sig = cli("keygen", "--out", base / "hub.key").stdout.split()
    kz_enc, kz_sig = cli("keygen", "--out", base / "centre.key").stdout.split()
    edit = ("--directory", base / "directory.json", "--key", base / "hub.key")
    cli("directory", "init", "--key", base / "hub.key", "--out", base / "directory.json",
        "--network", "Docs", "--name", "Hub", "--country", "TR")
    cli("directory", "add", *edit, "--id", "kz", "--name", "KZ centres", "--country", "KZ",
        "--role", "centre", "--enc", kz_enc, "--sig", kz_sig, "--valid-from", "2020-01-01")
    cases = ona.synth(60, seed=1)
    p = ona.Pseudonymiser(bytes(32), "kz/2026")
    hub = ona.Identity.from_file(base / "hub.key")
    centre = ona.Identity.from_file(base / "centre.key")
    ona.synth_jsonl(base / "cases.jsonl", 60, seed=1)
    pseudo = p.pseudonymise_cases(cases)
    (base / "pseudonymised.jsonl").write_text(
        "".join(__import__("json").dumps(c, ensure_ascii=False) + "\n" for c in pseudo), "utf-8")
    ona.seal_file(base / "pseudonymised.jsonl", base / "cases.ona", hub.encryption_public, centre,
                  pseudonym_domain=p.domain, pseudonym_key_id=p.key_id)
    ona.export_cases(cases, p, hub.encryption_public, centre, base / "export.ona")
    (base / "key.bin").write_bytes(bytes(32))
    shutil.copy(ROOT / "tests" / "vectors" / "parity" / "dp_domain.json", base / "domain.json")
    shutil.copy(ROOT / "tests" / "fixtures" / "import" / "excel-ua.csv", base / "export.csv")
    (base / "mappings").mkdir()
    shutil.copy(ROOT / "examples" / "mappings" / "excel-ua.toml", base / "mappings")
    import pandas as pd

    df = pd.DataFrame({"mother": [c["mother"]["pseudonym"] for c in pseudo],
                       "citizenship": [c["mother"].get("citizenship") for c in pseudo],
                       "age_band": [c["mother"].get("age_band") for c in pseudo]})
    names = {"p": p, "cases": cases, "centre": centre, "hub": hub, "df": df,
             "d": ona.Directory.verify((base / "directory.json").read_bytes(), hub_sig),
             "r": ona.report(pseudo, by=["country", "quarter"], k=5)}
    return base, names


def globals_for(names):
    import io
    import json
    import tempfile
    from pathlib import Path

    import pandas as pd
    import polars as pl

    return {"ona": ona, "io": io, "json": json, "os": os, "tempfile": tempfile, "Path": Path,
            "pd": pd, "pl": pl, **names}


@pytest.mark.parametrize("name", [name for name, _ in public_callables()])
def test_the_example_runs(name, world, tmp_path, monkeypatch):
    base, names = world
    obj = dict(public_callables())[name]
    if not examples_of(obj):
        pytest.skip("no example (test_every_public_callable_shows_a_call fails)")
    shutil.copytree(base, tmp_path / "w")
    monkeypatch.chdir(tmp_path / "w")
    test = PARSER.get_doctest(inspect.getdoc(obj), globals_for(names), name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


HEADER = '''\
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd
import polars as pl

import ona

p: ona.Pseudonymiser
cases: List[Dict[str, Any]]
centre: ona.Identity
hub: ona.Identity
d: ona.Directory
r: ona.Report
df: pd.DataFrame
'''


def test_the_examples_pass_mypy_strict(tmp_path):
    """Each docstring's examples, in a function of their own, type-check against the stubs."""
    parts = [HEADER]
    for i, (name, obj) in enumerate(public_callables()):
        code = "".join(e.source for e in examples_of(obj))
        if code:
            parts.append(f"\n\ndef example_{i}() -> None:  # {name}\n" + textwrap.indent(code, "    "))
    src = tmp_path / "docstring_examples.py"
    src.write_text("".join(parts), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(MYPY_INI),
         "--no-incremental", "--cache-dir", os.devnull, str(src)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr + "\n" + src.read_text("utf-8")

"""The package is typed and documented: the stubs match the compiled module (mypy.stubtest),
every public name has a docstring, and errors form one hierarchy."""

import inspect
import os
import subprocess
import sys
import typing

import ona
from conftest import ROOT

MYPY_INI = ROOT / "bindings" / "python" / "mypy.ini"


def test_stubs_match_the_compiled_module():
    res = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "ona", "--mypy-config-file", str(MYPY_INI),
         "--allowlist", str(MYPY_INI.parent / "stubtest-allowlist.txt")],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


#: Checked with `mypy --strict`: the package's own sources and stubs, the examples and the tests
#: written against the typed API.
STRICT = [ROOT / "bindings" / "python" / "python" / "ona", ROOT / "examples" / "analyst.py",
          ROOT / "bindings" / "python" / "tests" / "test_analyst_api.py"]


def test_examples_and_typed_tests_pass_mypy_strict():
    res = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(MYPY_INI),
         "--no-incremental", "--cache-dir", os.devnull, *map(str, STRICT)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_strict_catches_a_wrong_literal(tmp_path):
    """The Literal types are live: a misspelt kind, lang, backend or indicator fails the check."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import ona\n"
        "p = ona.Pseudonymiser(bytes(32), 'kz/x')\n"
        "p.pseudonymise_many(['a'], kind='nmae')\n"
        "ona.validate([], lang='fr')\n"
        "ona.to_frame([], backend='spark')\n"
        "ona.report([], indicators=['women_servd'])\n",
        encoding="utf-8",
    )
    res = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(MYPY_INI),
         "--no-incremental", "--cache-dir", os.devnull, str(bad)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 1, res.stdout
    for line in (3, 4, 5, 6):
        assert f"bad.py:{line}: error" in res.stdout, res.stdout


def test_py_typed_is_shipped():
    from importlib.resources import files

    assert files("ona").joinpath("py.typed").is_file()


def test_every_public_name_is_documented():
    undocumented = []
    for name in ona.__all__:
        obj = getattr(ona, name)
        if isinstance(obj, str) or typing.get_origin(obj) is not None:
            continue  # constants; Literal aliases (documented in ona._types, checked by mypy)
        if not (obj.__doc__ or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member) and not isinstance(member, property):
                    continue
                if not (getattr(member, "__doc__", None) or "").strip():
                    undocumented.append(f"{name}.{attr}")
    assert undocumented == []


def test_every_python_function_has_an_example():
    """The functions written in Python show a call (`>>>`) in their docstring."""
    missing = [name for name in ona.__all__
               if inspect.isfunction(getattr(ona, name)) and ">>>" not in getattr(ona, name).__doc__]
    assert missing == []


def test_one_exception_hierarchy():
    for e in (ona.ValidationError, ona.KeyFormatError, ona.PolicyError, ona.SealError,
              ona.DecryptionError, ona.FormatError, ona.SignatureError, ona.ReportError,
              ona.BudgetExceededError):
        assert issubclass(e, ona.OnaError)
    assert issubclass(ona.FormatError, ona.DecryptionError)
    assert issubclass(ona.BudgetExceededError, ona.ReportError)


def test_garbage_never_panics(identities):
    import random

    rng = random.Random(7)
    _, hub = identities
    for n in range(300):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        if n % 3 == 0:
            blob = b"ona-seal" + blob
        for call in (lambda: ona.open(blob, hub, any_sender=True), lambda: ona.inspect(blob)):
            try:
                call()
            except ona.OnaError:
                pass
        text = blob.decode("latin-1")
        assert isinstance(ona.validate([text]), list)
        try:
            ona.Report.from_json(text)
        except ona.OnaError:
            pass

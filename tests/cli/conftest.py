"""Shared fixtures for tests that drive the `ona` binary."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def ona_bin() -> str:
    path = os.environ.get("ONA_BIN") or str(ROOT / "target" / "release" / "ona")
    if not Path(path).exists():
        pytest.fail(f"ona binary not found at {path}: build it first (scripts/test does)")
    return path


@pytest.fixture(scope="session")
def ona(ona_bin):
    def run(*args, check=True, **kw):
        res = subprocess.run([ona_bin, *map(str, args)], capture_output=True, text=True, **kw)
        if check and res.returncode != 0:
            raise AssertionError(f"ona {' '.join(map(str, args))} exited {res.returncode}: {res.stderr}")
        return res
    return run


@pytest.fixture(scope="session")
def synth_cases(ona, tmp_path_factory):
    """2,000 synthetic cases (seed 7) as a JSONL path."""
    path = tmp_path_factory.mktemp("synth") / "cases.jsonl"
    ona("synth", "--cases", 2000, "--seed", 7, "--out", path)
    return path


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]

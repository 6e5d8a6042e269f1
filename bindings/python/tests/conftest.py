"""Fixtures of the Python package's tests: the repository, the `ona` CLI (for interop), keys."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import ona

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "vectors"


@pytest.fixture(scope="session")
def cli():
    """Runs the `ona` binary (ONA_BIN, default target/release/ona); fails on a non-zero exit
    unless check=False."""
    path = os.environ.get("ONA_BIN") or str(ROOT / "target" / "release" / "ona")
    if not Path(path).exists():
        pytest.fail(f"ona binary not found at {path}: build it first (scripts/test does)")

    def run(*args, check=True):
        res = subprocess.run([path, *map(str, args)], capture_output=True, text=True)
        if check and res.returncode != 0:
            raise AssertionError(f"ona {' '.join(map(str, args))} exited {res.returncode}: {res.stderr}")
        return res

    return run


@pytest.fixture(scope="session")
def cases():
    """300 synthetic case records (seed 11) as dicts."""
    return ona.synth(300, seed=11)


@pytest.fixture()
def identities():
    """A centre and a hub."""
    return ona.Identity.generate(), ona.Identity.generate()


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)

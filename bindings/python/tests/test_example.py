"""The analyst's example runs end to end and draws its chart."""

import subprocess
import sys

from conftest import ROOT


def test_analyst_example_writes_a_png(tmp_path):
    res = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "analyst.py"), "--out", str(tmp_path),
         "--cases", "600", "--lang", "kk"],
        capture_output=True, text=True,
    )
    assert res.returncode == 0, res.stderr
    png = tmp_path / "placement-at-exit.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert (tmp_path / "pseudonymised.jsonl").read_text(encoding="utf-8").count("\n") == 600
    assert "600 cases" in res.stdout

"""`ona pseudonymise` shows a progress bar on a terminal, and nothing of it anywhere else.

A user piping stderr into a log file (or a script capturing it) must get the summary line only:
no bar, no carriage returns, no terminal escapes. On a terminal the bar appears once a run has
lasted `ONA_PROGRESS_AFTER_MS` (two seconds by default; zero here, so that a small run shows it).
"""
import os
import pty
import select
import subprocess

import pytest


@pytest.fixture(scope="module")
def run_inputs(ona, tmp_path_factory):
    d = tmp_path_factory.mktemp("progress")
    ona("pseudonym-key", "--out", d / "k.key")
    # Three batches of 4,096 records: the bar is drawn after each.
    ona("synth", "--cases", 12_000, "--seed", 4, "--out", d / "c.jsonl")
    return d


def args(ona_bin, d, out):
    return [ona_bin, "pseudonymise", "--key", d / "k.key", "--domain", "kz/progress",
            "--in", d / "c.jsonl", "--out", d / out]


def env_now():
    return {**os.environ, "ONA_PROGRESS_AFTER_MS": "0"}


def test_piped_stderr_gets_no_progress_output(ona_bin, run_inputs):
    res = subprocess.run(args(ona_bin, run_inputs, "piped.jsonl"), capture_output=True,
                         env=env_now())
    assert res.returncode == 0, res.stderr
    err = res.stderr.decode()
    assert "\r" not in err and "\x1b" not in err and "[" not in err, repr(err)
    assert err.splitlines() == [l for l in err.splitlines() if l.startswith("pseudonymised in")]
    assert len(err.splitlines()) == 1, repr(err)


def test_a_terminal_gets_the_bar_and_the_same_output(ona_bin, run_inputs):
    master, slave = pty.openpty()
    proc = subprocess.Popen(args(ona_bin, run_inputs, "tty.jsonl"), stdout=subprocess.PIPE,
                            stderr=slave, env=env_now())
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every writer has closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    assert proc.wait() == 0
    text = seen.decode(errors="replace")
    assert "pseudonymising [" in text and "=" in text, repr(text)
    # The bar changes nothing in what is written.
    piped = (run_inputs / "piped.jsonl")
    if piped.exists():
        assert (run_inputs / "tty.jsonl").read_bytes() == piped.read_bytes()

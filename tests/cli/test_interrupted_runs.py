"""Interrupted runs leave nothing behind: `ona open`, `seal` and `pseudonymise` killed mid-run
(SIGINT as Ctrl-C sends, SIGKILL as the OOM killer or a power cut does) leave no file holding
their data in the output folder. The attacker: whoever reads that folder afterwards (a shared
drive, a backup, the next user of the laptop).

Each run is caught mid-write, not before it started: its input comes through a FIFO that the test
feeds partly and then stalls (or, for seal, is large), and the test waits until the process holds
an open output file in the output folder with data in it before killing it.
"""
import os
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

MARK = b"Nurlanova-plaintext-marker"


def plaintext(path: Path, mib: int) -> bytes:
    line = b'{"note":"' + MARK + b'","pad":"' + b"x" * 900 + b'"}\n'
    data = line * (mib * 1024 * 1024 // len(line) + 1)
    path.write_bytes(data)
    return data


def open_output_size(pid: int, out_dir: Path):
    """The size of a file the process has open in `out_dir`, or None."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return None
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith(str(out_dir) + "/"):
                return os.stat(f"/proc/{pid}/fd/{fd}").st_size
        except OSError:
            continue
    return None


def wait_mid_write(proc, out_dir: Path, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {proc.stderr.read()}")
        size = open_output_size(proc.pid, out_dir)
        if size:
            return size
        time.sleep(0.005)
    pytest.fail("the run never started writing its output")


def feed_fifo(fifo: Path, data: bytes, stop_after: int, release: threading.Event):
    """Writes `stop_after` bytes of `data` into `fifo`, then waits (the reader stalls mid-run)."""
    def run():
        try:
            with open(fifo, "wb") as f:
                f.write(data[:stop_after])
                f.flush()
                release.wait(60)
        except BrokenPipeError:
            pass
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def assert_nothing_left(out_dir: Path):
    left = sorted(p.name for p in out_dir.iterdir())
    for p in out_dir.iterdir():
        assert MARK not in p.read_bytes(), f"{p.name} holds plaintext"
    assert left == [], f"left in the output folder: {left}"


@pytest.fixture
def keys(ona, tmp_path):
    k = tmp_path / "keys"
    k.mkdir()
    centre = ona("keygen", "--out", k / "centre.key").stdout.split()
    hub = ona("keygen", "--out", k / "hub.key").stdout.split()
    return {"centre": k / "centre.key", "hub": k / "hub.key", "hub_enc": hub[0],
            "centre_sig": centre[1]}


def start(ona_bin, *args):
    return subprocess.Popen([ona_bin, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def kill_and_check(proc, sig, out_dir: Path, ona):
    proc.send_signal(sig)
    proc.wait(30)
    assert proc.returncode != 0
    if sig == signal.SIGKILL:
        # At most the next run's sweep: any command writing into the folder cleans up first.
        ona("synth", "--cases", 1, "--out", out_dir / "after.jsonl")
        (out_dir / "after.jsonl").unlink()
    assert_nothing_left(out_dir)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_open_leaves_no_plaintext(ona, ona_bin, keys, tmp_path, sig):
    src = tmp_path / "in"
    src.mkdir()
    data = plaintext(src / "cases.jsonl", 24)
    sealed = src / "cases.ona"
    ona("seal", "--to", keys["hub_enc"], "--sign", keys["centre"], "--in", src / "cases.jsonl",
        "--out", sealed, "--content", "report")
    fifo = src / "slow.ona"
    os.mkfifo(fifo)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    release = threading.Event()
    feeder = feed_fifo(fifo, sealed.read_bytes(), 12 << 20, release)
    proc = start(ona_bin, "open", "--key", keys["hub"], "--from", keys["centre_sig"],
                 "--in", fifo, "--out", out_dir / "opened.jsonl")
    try:
        assert wait_mid_write(proc, out_dir) > 0
        kill_and_check(proc, sig, out_dir, ona)
    finally:
        release.set()
        proc.kill()
        feeder.join(5)
    assert len(data) > 20 << 20


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_pseudonymise_leaves_nothing(ona, ona_bin, synth_cases, tmp_path, sig):
    key = tmp_path / "p.key"
    ona("pseudonym-key", "--out", key)
    # pseudonymise works in batches of 1,024 records: feed several batches, then stall.
    cases = synth_cases.read_bytes() * 3
    fifo = tmp_path / "slow.jsonl"
    os.mkfifo(fifo)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    release = threading.Event()
    feeder = feed_fifo(fifo, cases, len(cases) * 5 // 6, release)
    proc = start(ona_bin, "pseudonymise", "--key", key, "--domain", "kz/test", "--in", fifo,
                 "--out", out_dir / "pseudo.jsonl")
    try:
        wait_mid_write(proc, out_dir)
        kill_and_check(proc, sig, out_dir, ona)
    finally:
        release.set()
        proc.kill()
        feeder.join(5)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_seal_leaves_nothing(ona, ona_bin, keys, tmp_path, sig):
    src = tmp_path / "in"
    src.mkdir()
    big = src / "big.bin"
    with open(big, "wb") as f:  # sparse: instant to make, 2 GiB to seal
        f.truncate(2 << 30)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = start(ona_bin, "seal", "--to", keys["hub_enc"], "--sign", keys["centre"], "--in", big,
                 "--out", out_dir / "big.ona", "--content", "report")
    try:
        wait_mid_write(proc, out_dir)
        kill_and_check(proc, sig, out_dir, ona)
    finally:
        proc.kill()


def test_data_files_are_owner_only(ona, keys, synth_cases, tmp_path):
    """Pseudonymised and decrypted files are 0600, whatever the umask; reports stay readable."""
    key = tmp_path / "p.key"
    ona("pseudonym-key", "--out", key)
    old = os.umask(0o022)
    try:
        pseudo = tmp_path / "pseudo.jsonl"
        ona("pseudonymise", "--key", key, "--domain", "kz/test", "--in", synth_cases,
            "--out", pseudo)
        sealed = tmp_path / "p.ona"
        ona("seal", "--to", keys["hub_enc"], "--sign", keys["centre"], "--in", pseudo,
            "--out", sealed)
        opened = tmp_path / "opened.jsonl"
        ona("open", "--key", keys["hub"], "--from", keys["centre_sig"], "--in", sealed,
            "--out", opened)
        report = tmp_path / "r.json"
        ona("report", "--in", opened, "--out", report)
    finally:
        os.umask(old)
    for p in [pseudo, opened, key, keys["hub"]]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    assert stat.S_IMODE(report.stat().st_mode) == 0o644
    assert opened.read_bytes() == pseudo.read_bytes()

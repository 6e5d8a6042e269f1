"""Input as people have it: files saved by Excel or Notepad (a UTF-8 BOM, CRLF) are read; other
encodings, UTF-16 and CSV are named once with the line and a hint; a line without end is refused
within a fixed memory cap. Every bad input: a clear message, a non-zero exit, nothing written."""
import json
import subprocess
import sys
from pathlib import Path

BOM = b"\xef\xbb\xbf"


def with_bom_crlf(src: Path, dst: Path) -> Path:
    dst.write_bytes(BOM + src.read_bytes().replace(b"\n", b"\r\n"))
    return dst


def test_bom_and_crlf_are_accepted_by_validate_pseudonymise_and_report(ona, synth_cases, tmp_path):
    excel = with_bom_crlf(synth_cases, tmp_path / "excel.jsonl")
    res = ona("validate", excel)
    assert "2000 records, 0 invalid" in res.stderr
    key = tmp_path / "p.key"
    ona("pseudonym-key", "--out", key)
    plain, bommed = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ona("pseudonymise", "--key", key, "--domain", "kz/t", "--in", synth_cases, "--out", plain)
    ona("pseudonymise", "--key", key, "--domain", "kz/t", "--in", excel, "--out", bommed)
    assert plain.read_bytes() == bommed.read_bytes()
    rb = with_bom_crlf(bommed, tmp_path / "b-bom.jsonl")
    ona("report", "--in", plain, "--out", tmp_path / "ra.json")
    ona("report", "--in", rb, "--out", tmp_path / "rb.json")
    ra, rbj = (json.loads((tmp_path / n).read_text()) for n in ("ra.json", "rb.json"))
    assert ra["observations"] == rbj["observations"]


def cyrillic_1251(synth_cases: Path, dst: Path) -> Path:
    lines = synth_cases.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace('"id":"', '"id":"Айгерим Нурланова, город Алматы, приют ', 1)
    # Lines 1-4 stay UTF-8 (synthetic names are Cyrillic already); line 5 on is Windows-1251,
    # as when someone pastes rows from an older file.
    head = "\n".join(lines[:4]).encode("utf-8") + b"\n"
    dst.write_bytes(head + "\n".join(lines[4:]).encode("cp1251", errors="replace") + b"\n")
    return dst


def test_windows_1251_is_named_with_line_and_hint(ona, synth_cases, tmp_path):
    bad = cyrillic_1251(synth_cases, tmp_path / "cp1251.jsonl")
    res = ona("validate", bad, check=False)
    assert res.returncode == 1
    assert "line 5 is not UTF-8 text; save the file as UTF-8 (this looks like Windows-1251)" \
        in res.stderr, res.stderr
    key = tmp_path / "p.key"
    ona("pseudonym-key", "--out", key)
    out = tmp_path / "out.jsonl"
    res = ona("pseudonymise", "--key", key, "--domain", "kz/t", "--in", bad, "--out", out,
              check=False)
    assert res.returncode == 1 and "Windows-1251" in res.stderr and "line 5" in res.stderr
    assert not out.exists()


def test_utf16_and_csv_are_said_once(ona, tmp_path):
    u16 = tmp_path / "u16.jsonl"
    u16.write_bytes('{"id": "a"}\n'.encode("utf-16"))
    res = ona("validate", u16, check=False)
    assert res.returncode == 1 and "UTF-16" in res.stderr
    csv = tmp_path / "cases.csv"
    csv.write_text("id,mother_age,country\n" + "".join(f"{i},23,KZ\n" for i in range(500)))
    res = ona("validate", csv, check=False)
    assert res.returncode == 1
    assert res.stderr.count("looks like CSV") == 1 and "line 1" in res.stderr
    assert res.stdout == ""


def test_a_200_mb_line_stays_under_a_fixed_memory_cap(ona_bin, tmp_path):
    """Fed on standard input, so the test writes no 200 MB file; peak memory is the child's."""
    script = r"""
import resource, subprocess, sys
p = subprocess.Popen([sys.argv[1], "validate", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
chunk = b"x" * (1 << 20)
try:
    for _ in range(200):
        p.stdin.write(chunk)
    p.stdin.close()
except BrokenPipeError:
    pass
err = p.stderr.read().decode()
p.wait()
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(err)
"""
    res = subprocess.run([sys.executable, "-c", script, ona_bin], capture_output=True, text=True,
                         check=True)
    first, message = res.stdout.split("\n", 1)
    code, kib = map(int, first.split())
    assert code == 1
    assert "line 1 is longer than 4 MiB" in message
    assert kib < 48 * 1024, f"peak {kib} KiB"

"""The HTML report renders in headless Chromium with its charts visible.

Fails (does not skip) when Chromium is missing and CI is set; skips locally without Chromium."""
import json
import os
import shutil
import struct
import subprocess
import zlib

import pytest

from test_report_recompute import pseudo_jsonl  # noqa: F401  (fixture)

PALETTE = [(0x1F, 0x6F, 0x8B), (0xE0, 0x7A, 0x5F), (0x81, 0xB2, 0x9A), (0xF2, 0xCC, 0x8F)]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (scripts/test installs it)")
    pytest.skip("chromium is not installed")


def decode_png(data):
    """Width, height and rows of RGB(A) pixels of an 8-bit PNG, with the stdlib only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def test_html_renders_with_charts(ona, pseudo_jsonl, tmp_path):  # noqa: F811
    browser = chromium()
    html = tmp_path / "report.html"
    ona("report", "--in", pseudo_jsonl, "--by", "country,quarter", "--out", tmp_path / "r.json", "--html", html)
    png = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}", "--window-size=1280,2000",
                    f"file://{html}"], check=True, capture_output=True, timeout=120)
    w, h, bpp, rows = decode_png(png.read_bytes())
    assert (w, h) == (1280, 2000)
    seen = {c: 0 for c in PALETTE}
    non_white = 0
    for row in rows[::2]:
        for x in range(0, w * bpp, bpp * 2):
            px = tuple(row[x:x + 3])
            if px != (255, 255, 255):
                non_white += 1
            for c in PALETTE:
                if all(abs(px[i] - c[i]) <= 6 for i in range(3)):
                    seen[c] += 1
    assert non_white > 20_000, non_white
    # Every chart colour is painted over a real area: trend (2 series), countries, services.
    for c, n in seen.items():
        assert n > 200, (c, n, seen)
    if os.environ.get("ONA_KEEP_SCREENSHOT"):
        shutil.copy(png, os.environ["ONA_KEEP_SCREENSHOT"])

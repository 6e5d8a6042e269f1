"""`ona demo` — the README's first command — runs to the end, writes what it lists, and its
regional HTML report renders in headless Chromium with every chart visible."""
import json
import re
import subprocess
from pathlib import Path

from conftest import read_jsonl
from test_report_html import PALETTE, chromium, decode_png


def test_demo_runs_end_to_end_and_writes_what_it_lists(ona, tmp_path):
    out = tmp_path / "demo"
    res = ona("demo", "--out", out, "--cases", 6000, "--seed", 11)
    listed = [Path(l.strip()) for l in res.stdout.splitlines() if l.startswith("  " + str(out))]
    assert len(listed) >= 9
    for p in listed:
        if "<cc>" in str(p):
            for cc in ("kz", "uz", "kg", "ua", "my", "tr"):
                assert Path(str(p).replace("<cc>", cc)).exists(), p
        else:
            assert p.exists(), p
    # Public keys shown for the hub and the six countries, secret keys owner-only.
    assert len(re.findall(r"onaenc1[0-9a-z]+ onasig1[0-9a-z]+", res.stdout)) == 7
    for key in (out / "keys").iterdir():
        assert key.stat().st_mode & 0o077 == 0, key
    # Every export opened at the hub with the sender checked: what arrived is what was sealed.
    for cc in ("kz", "uz", "kg", "ua", "my", "tr"):
        assert (out / "hub/inbox" / f"{cc}.jsonl").read_bytes() == (out / "centres" / cc / "pseudo.jsonl").read_bytes()
        insp = ona("inspect", out / "exports" / f"{cc}.ona").stdout
        assert "recipients" in insp.lower()
    # The summary counts add up to the network and nothing was invalid.
    rows = [l.split() for l in res.stdout.splitlines() if re.match(r"^(KZ|UZ|KG|UA|MY|TR)\s", l)]
    assert sum(int(r[1]) for r in rows) == 6000 and all(r[2] == "0" for r in rows)
    regional = json.loads((out / "hub/regional.json").read_text(encoding="utf-8"))
    assert sorted(regional["provenance"]["countries"]) == ["KG", "KZ", "MY", "TR", "UA", "UZ"]
    # No pseudonymised record holds a name or phone of its case file.
    cases = read_jsonl(out / "centres/kz/cases.jsonl")[:200]
    pseudo = (out / "centres/kz/pseudo.jsonl").read_text(encoding="utf-8")
    for c in cases:
        assert c["mother"]["name"]["given"] not in pseudo or len(c["mother"]["name"]["given"]) < 4
        if c["mother"].get("phone"):
            assert c["mother"]["phone"] not in pseudo
    # The regional HTML report renders with its charts visible.
    browser = chromium()
    png = tmp_path / "demo.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}", "--window-size=1280,2000",
                    f"file://{out / 'hub/regional.html'}"], check=True, capture_output=True, timeout=120)
    w, h, bpp, pixels = decode_png(png.read_bytes())
    seen = {c: 0 for c in PALETTE}
    for row in pixels[::2]:
        for x in range(0, w * bpp, bpp * 2):
            px = tuple(row[x:x + 3])
            for c in PALETTE:
                if all(abs(px[i] - c[i]) <= 6 for i in range(3)):
                    seen[c] += 1
    assert all(n > 200 for n in seen.values()), seen

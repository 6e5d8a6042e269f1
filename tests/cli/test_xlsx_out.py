"""Excel out, for the people who do not read JSON: `ona report --xlsx` and `ona validate --xlsx`.

The workbooks are read back as their readers get them: with openpyxl (sheets, values, the mark
of a suppressed cell), and — for the report — opened by LibreOffice headless, printed to PDF and
read back with poppler's pdftotext and pdftoppm, so the checks see what a spreadsheet program
shows, not only what the file holds. Every figure is compared with the report's own JSON.

LibreOffice comes from Debian (scripts/install-libreoffice, run by scripts/test). Fails (does
not skip) when it or poppler is missing and CI is set; skips locally without them."""
import json
import os
import shutil
import subprocess
import zlib
import struct

import pytest

from conftest import read_jsonl

openpyxl = pytest.importorskip("openpyxl")

SUPPRESSED = {"en": "suppressed", "ru": "скрыто"}
MARK_FILL = "D9D9D9"


def need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing} not installed (scripts/install-libreoffice installs them)")
    pytest.skip(f"{missing} not installed")


def dp_domain(cases, path):
    """The public domain a hub would declare for a DP report of `cases`."""
    recs = read_jsonl(cases)
    pops = sorted({(r["pseudonymisation"]["domain"], r["pseudonymisation"]["key_id"]) for r in recs})
    centres = sorted({(r["centre"]["country"], r["centre"].get("admin1", "unknown"),
                       r["centre"].get("id", "unknown")) for r in recs})
    years = sorted({r["intake"][:4] for r in recs})
    path.write_text(json.dumps({
        "populations": [{"domain": d, "key_id": k} for d, k in pops],
        "centres": [{"country": c, "admin1": a, "centre": i} for c, a, i in centres],
        "periods": years,
    }), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def made(ona, tmp_path_factory):
    """One small demo run; Kyrgyzstan's report by quarter (many suppressed cells) in English and
    Russian, and Kazakhstan's by year with differential privacy, each with its workbook."""
    tmp = tmp_path_factory.mktemp("xlsx")
    out = tmp / "demo"
    ona("demo", "--out", out, "--cases", 1500, "--seed", 11)
    kg, kz = out / "hub/inbox/kg.jsonl", out / "hub/inbox/kz.jsonl"
    m = {}
    for lang in ("en", "ru"):
        m[lang] = (tmp / f"small-{lang}.json", tmp / f"small-{lang}.xlsx")
        ona("report", "--in", kg, "--by", "country,quarter", "--out", m[lang][0],
            "--xlsx", m[lang][1], "--lang", lang)
    m["dp"] = (tmp / "dp.json", tmp / "dp.xlsx")
    ona("report", "--in", kz, "--by", "country,year", "--dp-epsilon", "1",
        "--dp-domain", dp_domain(kz, tmp / "domain.json"), "--ledger-dir", tmp / "ledgers",
        "--ledger-key", tmp / "ledger.key", "--out", m["dp"][0], "--xlsx", m["dp"][1])
    return m, tmp


def load(pair):
    report = json.loads(pair[0].read_text(encoding="utf-8"))
    return report, openpyxl.load_workbook(pair[1])


def header(ws):
    return [c.value for c in ws[1]]


def col(ws, starts):
    names = header(ws)
    return next(i for i, h in enumerate(names) if h and h.startswith(starts))


def by_indicator(report):
    out = {}
    for o in report["observations"]:
        out.setdefault(o["indicator"], []).append(o)
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_workbook_holds_the_reports_figures_and_marks_suppressed_cells(made, lang):
    report, wb = load(made[0][lang])
    obs = by_indicator(report)
    defs, about = wb.sheetnames[-2:]
    assert wb.sheetnames[:-2] == [i["id"] for i in report["indicators"] if i["id"] in obs]
    assert (defs, about) == {"en": ("Definitions", "About these figures"),
                             "ru": ("Определения", "Об этих данных")}[lang]
    value_word = {"en": "Value", "ru": "Значение"}[lang]
    marked = 0
    for ind, rows in obs.items():
        ws = wb[ind]
        assert ws.max_row == len(rows) + 1, ind
        v = col(ws, value_word)
        for o, cells in zip(rows, ws.iter_rows(min_row=2, values_only=False)):
            cell = cells[v]
            if o["obs_status"] == "Q":
                # Never a number and never blank (a sum would read it as zero): the word, marked.
                assert cell.value == SUPPRESSED[lang], (ind, o)
                assert cell.font.b and cell.fill.fgColor.rgb.endswith(MARK_FILL), (ind, o)
                marked += 1
            elif "value" in o:
                assert cell.value == pytest.approx(o["value"]), (ind, o)
                assert cell.data_type == "n"
    suppressed = sum(o["obs_status"] == "Q" for o in report["observations"])
    assert marked == suppressed > 0
    # The definitions in the language, one per indicator of the report.
    d = wb[defs]
    assert [r[0] for r in d.iter_rows(min_row=2, values_only=True)] == [i["id"] for i in report["indicators"]]
    texts = [r[2] for r in d.iter_rows(min_row=2, values_only=True)]
    assert texts == [i["definition"][lang] for i in report["indicators"]]
    # The provenance: the threshold, the periods covered.
    facts = {r[0]: r[1] for r in wb[about].iter_rows(values_only=True)}
    assert str(report["threshold"]) in facts.values()


def test_noisy_counts_carry_their_95_percent_half_width(made):
    report, wb = load(made[0]["dp"])
    assert report["dp"]["mechanism"] == "discrete_laplace"
    for ind, rows in by_indicator(report).items():
        ws = wb[ind]
        if "margin_95" not in rows[0]:
            continue
        m, v = col(ws, "± 95 %"), col(ws, "Value")
        for o, cells in zip(rows, ws.iter_rows(min_row=2, values_only=True)):
            assert cells[m] == o["margin_95"], (ind, o)
            assert cells[v] == pytest.approx(o["value"]), (ind, o)
    facts = {r[0]: r[1] for r in wb["About these figures"].iter_rows(values_only=True)}
    assert "ε = 1" in facts["Differential privacy"]


def png_is_not_blank(data):
    """Decodes a PNG (8-bit RGB/RGBA/grey, no interlace) and says whether it has ink on it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        (n,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    channels = {0: 1, 2: 3, 6: 4}[ctype]
    stride = width * channels + 1
    dark = 0
    prev = bytearray(stride - 1)
    for y in range(height):
        f, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for i in range(len(line)):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        dark += sum(1 for i in range(0, len(line), channels) if line[i] < 128)
        prev = line
    return dark > 100


def test_libreoffice_prints_the_figures_and_the_suppression_marks(made, tmp_path):
    need("soffice", "pdftotext", "pdftoppm")
    report, _ = load(made[0]["en"])
    xlsx = made[0]["en"][1]
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / (xlsx.stem + ".pdf")
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode()
    flat = " ".join(text.split())
    assert "suppressed" in flat
    # A known figure: the total of women served, as the sheet formats it (#,##0).
    women = [o for o in report["observations"] if o["indicator"] == "women_served" and "value" in o]
    assert women
    figures = {f"{int(o['value']):,}" for o in women}
    assert any(f in flat.split() for f in figures), figures
    assert "Definitions" in flat or "women_served" in flat
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True, capture_output=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert pngs and png_is_not_blank(pngs[0].read_bytes())


def test_report_xlsx_goes_through_the_output_checks(ona, made, tmp_path):
    m, tmp = made
    cases = tmp / "demo/hub/inbox/kg.jsonl"
    out, xlsx = tmp_path / "r.json", tmp_path / "r.xlsx"
    xlsx.write_bytes(b"keep me")
    res = ona("report", "--in", cases, "--out", out, "--xlsx", xlsx, check=False)
    assert res.returncode == 2 and "--force" in res.stderr
    assert xlsx.read_bytes() == b"keep me" and not out.exists()
    res = ona("report", "--in", cases, "--out", out, "--xlsx", cases, check=False)
    assert res.returncode == 2 and "input" in res.stderr
    ona("report", "--in", cases, "--out", out, "--xlsx", xlsx, "--force")
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "women_served"


@pytest.fixture()
def broken(ona, tmp_path):
    """Synthetic cases with planted problems; one value made to look like a formula."""
    src = tmp_path / "ok.jsonl"
    ona("synth", "--cases", 20, "--seed", 3, "--out", src)
    recs = read_jsonl(src)
    recs[2]["status"] = "=HYPERLINK(\"http://evil\",\"click\")"
    del recs[5]["intake_date"]
    recs[7]["schema_version"] = 7
    recs[9]["children"] = []
    path = tmp_path / "broken.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_validate_xlsx_lists_every_problem_as_the_json_output_does(ona, broken, tmp_path, lang):
    xlsx = tmp_path / "problems.xlsx"
    res = ona("validate", broken, "--json", "--lang", lang, "--xlsx", xlsx, check=False)
    assert res.returncode == 1
    want = [(r["line"], p["pointer"] or "/", p["code"], p["message"])
            for r in map(json.loads, res.stdout.splitlines()[:-1]) for p in r["problems"]]
    assert len(want) >= 3
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[wb.sheetnames[0]]
    assert wb.sheetnames == [{"en": "Problems", "ru": "Проблемы"}[lang]]
    assert header(ws) == {"en": ["Line", "Pointer", "Code", "Message"],
                          "ru": ["Строка", "Указатель", "Код", "Сообщение"]}[lang]
    got = [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert got == want
    # The planted formula is shown as text, never a formula the spreadsheet would run.
    evil = [c for row in ws.iter_rows(min_row=2) for c in row if "HYPERLINK" in str(c.value)]
    assert evil and all(c.data_type == "s" for c in evil)
    # Messages quote record values: the workbook is readable by its owner only.
    assert os.stat(xlsx).st_mode & 0o077 == 0


def test_validate_xlsx_refuses_to_overwrite_and_writes_nothing_from_unreadable_input(ona, broken, tmp_path):
    xlsx = tmp_path / "problems.xlsx"
    xlsx.write_bytes(b"keep me")
    res = ona("validate", broken, "--xlsx", xlsx, check=False)
    assert res.returncode == 2 and "--force" in res.stderr and xlsx.read_bytes() == b"keep me"
    res = ona("validate", broken, "--xlsx", broken, "--force", check=False)
    assert res.returncode == 2 and broken.read_bytes().startswith(b"{")
    # Input that is not JSON Lines text stops the run: no half workbook is left.
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(broken.read_bytes() + b"\xff\xfe not text\n")
    fresh = tmp_path / "fresh.xlsx"
    res = ona("validate", bad, "--xlsx", fresh, check=False)
    assert res.returncode == 1 and not fresh.exists()
    assert list(tmp_path.glob("fresh.xlsx*")) == []
    ona("validate", broken, "--xlsx", xlsx, "--force", check=False)
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Problems"]

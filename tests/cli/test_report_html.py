"""The HTML report as its readers get it: opened in headless Chromium and printed to A4 PDF, in all
seven languages, from the demo's regional report, from a small country report full of suppressed
cells and from a differentially private report.

What a reader must find in the printed PDF (read back with poppler's pdftotext and pdftoppm, so
the checks see what the browser drew, not only the HTML source): the headline follow-up shares
written the way the language writes numbers (separators, decimal mark, percent pattern), every
country by its name in that language (never its code), withheld figures in words, and pages
that are not blank with every chart colour painted (each of the three reports), and for the
differentially private report every headline share with its 95 % interval.

The expected separators and country names below are written out here from CLDR, not taken from
ona: a formatter that fell back to plain digits or codes fails. Fails (does not skip) when
Chromium or poppler is missing and CI is set; skips locally without them."""
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter

import pytest

LANGS = ("en", "ru", "kk", "uz", "uk", "ms", "tr")

# The Okabe–Ito colours of the page (ona_core::report::output::html::Colour): blue, green,
# orange, purple (the four headline shares), sky and vermillion (admissions, exits), yellow.
COLOURS = [(0x00, 0x72, 0xB2), (0x00, 0x9E, 0x73), (0xE6, 0x9F, 0x00), (0xCC, 0x79, 0xA7),
           (0x56, 0xB4, 0xE9), (0xD5, 0x5E, 0x00), (0xF0, 0xE4, 0x42)]
# The colours painted in the first 2,000 pixels of the page (tiles, trends): test_demo checks
# them on screen, in a screenshot of the demo's regional page decoded by `decode_png`.
PALETTE = COLOURS[:6]

NBSP = "\u00a0"
GROUP = {"en": ",", "ms": ",", "tr": ".", "ru": NBSP, "kk": NBSP, "uz": NBSP, "uk": NBSP}
DECIMAL = {"en": ".", "ms": ".", "tr": ",", "ru": ",", "kk": ",", "uz": ",", "uk": ","}
PERCENT = {"en": "{}%", "ms": "{}%", "kk": "{}%", "uz": "{}%", "uk": "{}%", "ru": "{}" + NBSP + "%", "tr": "%{}"}
COUNTRY = {
    "en": {"KZ": "Kazakhstan", "UZ": "Uzbekistan", "KG": "Kyrgyzstan", "UA": "Ukraine", "MY": "Malaysia", "TR": "Türkiye"},
    "ru": {"KZ": "Казахстан", "UZ": "Узбекистан", "KG": "Киргизия", "UA": "Украина", "MY": "Малайзия", "TR": "Турция"},
    "kk": {"KZ": "Қазақстан", "UZ": "Өзбекстан", "KG": "Қырғызстан", "UA": "Украина", "MY": "Малайзия", "TR": "Түркия"},
    "uz": {"KZ": "Qozogʻiston", "UZ": "Oʻzbekiston", "KG": "Qirgʻiziston", "UA": "Ukraina", "MY": "Malayziya", "TR": "Turkiya"},
    "uk": {"KZ": "Казахстан", "UZ": "Узбекистан", "KG": "Киргизстан", "UA": "Україна", "MY": "Малайзія", "TR": "Туреччина"},
    "ms": {"KZ": "Kazakhstan", "UZ": "Uzbekistan", "KG": "Kyrgyzstan", "UA": "Ukraine", "MY": "Malaysia", "TR": "Turkiye"},
    "tr": {"KZ": "Kazakistan", "UZ": "Özbekistan", "KG": "Kırgızistan", "UA": "Ukrayna", "MY": "Malezya", "TR": "Türkiye"},
}
SUPPRESSED = {"en": "suppressed", "ru": "скрыто", "kk": "жасырылған", "uz": "yashirilgan", "uk": "приховано",
              "ms": "disembunyikan", "tr": "gizlendi"}
PARTIAL = {"en": "partial", "ru": "неполный", "kk": "толық емес", "uz": "to'liq emas", "uk": "неповний",
           "ms": "separa", "tr": "kısmi"}
HEADLINE_SHARES = ("share_with_mother_at_exit", "share_with_mother_6m", "share_with_mother_12m",
                   "share_relinquishment_prevented")


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (scripts/test installs it)")
    pytest.skip("chromium is not installed")


def poppler():
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("poppler-utils is not installed (scripts/install-chromium installs it)")
    pytest.skip("poppler-utils is not installed")


def browse(html, tmp, *args):
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp / 'profile'}", *args, f"file://{html}"],
                   check=True, capture_output=True, timeout=120)


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


def read_ppm(data):
    """Width, height and RGB bytes of a binary PPM (what pdftoppm writes by default)."""
    parts = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[parts.end():]


def colours_seen(rgb):
    """How many pixels of RGB bytes are each page colour (within 6 per channel)."""
    counts = Counter(zip(rgb[0::3], rgb[1::3], rgb[2::3]))
    seen = {c: 0 for c in COLOURS}
    for px, n in counts.items():
        for c in COLOURS:
            if abs(px[0] - c[0]) <= 6 and abs(px[1] - c[1]) <= 6 and abs(px[2] - c[2]) <= 6:
                seen[c] += n
    return seen


def number(value, lang):
    """`value` as the reader's language writes it, from CLDR's separators."""
    if isinstance(value, int):
        text = f"{int(value):,}".replace(",", GROUP[lang])
    else:
        whole, frac = f"{float(value):.1f}".split(".")
        text = f"{int(whole):,}".replace(",", GROUP[lang]) + DECIMAL[lang] + frac
    return text


def share(value, lang):
    return PERCENT[lang].format(number(float(value), lang))


def total(report, indicator):
    for o in report["observations"]:
        if o["indicator"] == indicator and all(v == "_T" for v in o["dims"].values()):
            return o
    return None


def printed(html, tmp):
    """The page printed by Chromium: its text, and each page as (width, height, RGB bytes)."""
    pdf = tmp / (html.stem + ".pdf")
    browse(html, tmp, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
    prefix = tmp / (html.stem + "-page")
    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(prefix)], check=True, capture_output=True)
    pages = [read_ppm(p.read_bytes()) for p in sorted(tmp.glob(html.stem + "-page*.ppm"))]
    return text.replace(NBSP, " "), pages


def dp_domain(cases, path):
    """The public domain a hub would declare for a DP report of `cases`: their population, their
    centres and the years the demo spans (read here only to write the declaration down)."""
    recs = [json.loads(line) for line in cases.read_text(encoding="utf-8").splitlines() if line.strip()]
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
def reports(ona, tmp_path_factory):
    """One small demo run shared by every test, and three reports made once from it: the regional
    report (merged from the six country reports), Kyrgyzstan's report by quarter (a few hundred
    cases: many cells suppressed) and Kazakhstan's by year with differential privacy. Each page is
    then rendered from the report's JSON with `ona html`, so the DP report is noised once."""
    poppler()
    chromium()
    tmp = tmp_path_factory.mktemp("html")
    out = tmp / "demo"
    ona("demo", "--out", out, "--cases", 3000, "--seed", 11)
    made = {"regional": tmp / "regional.json", "small": tmp / "small.json", "dp": tmp / "dp.json"}
    ona("merge", "--out", made["regional"], *sorted((out / "hub/reports").glob("*.json")))
    ona("report", "--in", out / "hub/inbox/kg.jsonl", "--by", "country,quarter", "--out", made["small"])
    kz = out / "hub/inbox/kz.jsonl"
    ona("report", "--in", kz, "--by", "country,year", "--dp-epsilon", "1",
        "--dp-domain", dp_domain(kz, tmp / "domain.json"), "--ledger-dir", tmp / "ledgers",
        "--ledger-key", tmp / "ledger.key", "--out", made["dp"])
    return made, tmp


def render(ona, reports, kind, lang):
    """The report of `kind` and its page in `lang`, in a directory of their own."""
    made, tmp = reports
    d = tmp / f"{kind}-{lang}"
    d.mkdir(exist_ok=True)
    html = d / f"{kind}-{lang}.html"
    ona("html", made[kind], "--out", html, "--lang", lang)
    return json.loads(made[kind].read_text(encoding="utf-8")), html, d


def check_page(report, html, d, lang, min_pages):
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page and "src=" not in page and "url(" not in page
    text, pages = printed(html, d)
    flat = " ".join(text.split())
    # Every country by its name in this language, never by its code.
    for cc in report["provenance"]["countries"]:
        assert COUNTRY[lang][cc] in flat, (lang, cc)
        assert not re.search(rf"\b{cc}\b", flat), (lang, cc)
    # The headline shares, written as the language writes them (or withheld in words).
    for ind in HEADLINE_SHARES:
        o = total(report, ind)
        if o is None:
            continue
        if "value" in o:
            assert share(o["value"], lang).replace(NBSP, " ") in flat, (lang, ind, share(o["value"], lang))
        else:
            assert SUPPRESSED[lang] in flat, (lang, ind)
    # Counts carry the language's thousands separator.
    women = total(report, "women_served")
    if women and "value" in women and women["value"] >= 1000:
        assert number(women["value"], lang).replace(NBSP, " ") in flat, (lang, women["value"])
    # The printed PDF has its pages and none of them is blank.
    assert min_pages <= len(pages) <= 12, (lang, len(pages))
    for w, h, rgb in pages:
        assert (w, h) == (331, 468), (w, h)  # A4 at 40 dpi
        ink = sum(1 for i in range(0, len(rgb), 3 * 7) if rgb[i] < 200)
        assert ink > 150, (lang, ink)
    # Every chart colour is painted on the printed pages (none lost to a missing style).
    seen = {c: 0 for c in COLOURS}
    for _, _, rgb in pages:
        for c, n in colours_seen(rgb).items():
            seen[c] += n
    assert all(n > 20 for n in seen.values()), (lang, seen)
    return flat, pages


@pytest.mark.parametrize("lang", LANGS)
def test_regional_report_reads_in_every_language(ona, reports, lang):
    report, html, d = render(ona, reports, "regional", lang)
    flat, _ = check_page(report, html, d, lang, min_pages=5)
    assert len(report["provenance"]["countries"]) == 6
    # The demo's last quarters hold only part of the data: they are marked, in words.
    assert PARTIAL[lang] in flat


@pytest.mark.parametrize("lang", LANGS)
def test_small_country_report_shows_withheld_figures_in_words(ona, reports, lang):
    report, html, d = render(ona, reports, "small", lang)
    assert any(o["obs_status"] == "Q" for o in report["observations"])
    flat, _ = check_page(report, html, d, lang, min_pages=3)
    assert SUPPRESSED[lang] in flat
    # Exact figures: no interval, and no note about one.
    assert "(a – b)" not in flat and "±" not in flat


@pytest.mark.parametrize("lang", LANGS)
def test_dp_report_says_noise_was_added(ona, reports, lang):
    report, html, d = render(ona, reports, "dp", lang)
    assert report["dp"]["epsilon"] == "1"
    flat, _ = check_page(report, html, d, lang, min_pages=3)
    assert "ε = 1" in flat
    # Every noisy headline share is printed with its 95 % interval, in the language's format,
    # and the trend charts draw the intervals of the shares over years (bands or whiskers).
    intervals = 0
    for ind in HEADLINE_SHARES:
        o = total(report, ind)
        if o is None or "value" not in o:
            continue
        assert o["low_95"] <= o["value"] <= o["high_95"], o
        text = f"{share(o['value'], lang)} ({share(o['low_95'], lang)} – {share(o['high_95'], lang)})"
        assert text.replace(NBSP, " ") in flat, (lang, ind, text)
        intervals += 1
    assert intervals >= 2, report["observations"][:3]
    # ... and the page says, in the language, what “(a – b)” means.
    assert "(a – b)" in flat, lang
    page = html.read_text(encoding="utf-8")
    trends = re.findall(r'<svg[^>]*aria-labelledby="trend\d-t trend\d-d".*?</svg>', page)
    assert len(trends) == 4
    assert sum(("<polygon" in t) or ('stroke-width="6"' in t) for t in trends) >= 2, trends[0]


def test_html_command_refuses_bad_input_and_writes_nothing(ona, tmp_path):
    out = tmp_path / "page.html"
    r = ona("html", tmp_path / "missing.json", "--out", out, check=False)
    assert r.returncode == 2 and "missing.json" in r.stderr and not out.exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ona-report/1"', encoding="utf-8")
    r = ona("html", bad, "--out", out, check=False)
    assert r.returncode == 1 and "bad.json" in r.stderr and not out.exists()
    r = ona("html", bad, "--out", out, "--lang", "fr", check=False)
    assert r.returncode == 2 and "fr" in r.stderr and not out.exists()

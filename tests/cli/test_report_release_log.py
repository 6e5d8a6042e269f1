"""Releases of one population read together (issue 13, item 3), played by an attacker who holds
the published SDMX-CSV of every release and nothing else.

The attacker (written here, separately from the Rust audit) builds each file's relations (totals
along every column, distinct women between their largest part and their sum), ties the files
together — a cell with the same indicator, the same codes outside TIME_PERIOD and the same span
of months is the same quantity; a year is the sum of the quarters of a report that covers it —
and asks `scipy.optimize.linprog` for the least and greatest value of every primary cell.

`ona report --release-log` must leave the attacker nothing more from two releases than from each
alone (or refuse the second); the same second report made without the log gives cells away (so
the test can fail)."""
import json
import shutil
from collections import defaultdict

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from test_report_lp_attack import EPS, read_sdmx, totals

K = 5
INDICATORS = "admissions,exits"


def span(code):
    """(first, last) month of a TIME_PERIOD code: YYYY, YYYY-Qn or YYYY-MM, or a range `a/b` (how
    SDMX writes a period total)."""
    if "/" in code:
        a, b = code.split("/")
        return span(a)[0], span(b)[1]
    y = int(code[:4])
    if len(code) == 4:
        return y * 12, y * 12 + 11
    if code[5] == "Q":
        q = int(code[6])
        return y * 12 + 3 * (q - 1), y * 12 + 3 * q - 1
    m = int(code[5:7])
    return y * 12 + m - 1, y * 12 + m - 1


def attack(files, k=K):
    """{(release, indicator, key): (lower, upper)} for every primary cell of the releases read
    together. `files`: [(sdmx text, covered span of its period total, months per period)]."""
    releases = [read_sdmx(text) + (cov, step) for text, cov, step in files]
    allcols = sorted({c for _, cols, _, _ in releases for c in cols if c != "TIME_PERIOD"})
    value, status, rels = {}, {}, []
    quantity = defaultdict(list)
    for r, (tables, cols, cov, _) in enumerate(releases):
        t = cols.index("TIME_PERIOD")
        for ind, cells in tables.items():
            for key, (v, s) in cells.items():
                cell = (r, ind, key)
                value[cell], status[cell] = v, s
                rest = tuple(key[cols.index(c)] if c in cols else "_T" for c in allcols)
                total = key[t] == "_T" or "/" in key[t]
                quantity[(ind, rest)].append((cov if key[t] == "_T" else span(key[t]), total, cell))
            for tot, members in totals(cells, cols):
                ts = [(r, ind, tot)]
                ms = [(r, ind, m) for m in members]
                if ind == "women_served":
                    rels.append(([(ts[0], 1)] + [(m, -1) for m in ms], False))
                    rels += [([(m, 1), (ts[0], -1)], False) for m in ms]
                else:
                    rels.append(([(ts[0], -1)] + [(m, 1) for m in ms], True))
    for (ind, _), cells in quantity.items():
        by_span = defaultdict(list)
        for s, total, cell in cells:
            by_span[s].append((total, cell))
        for s, same in by_span.items():
            for _, other in same[1:]:
                if other[0] != same[0][1][0]:
                    rels.append(([(same[0][1], 1), (other, -1)], True))
            whole = same[0][1]
            for r, (_, _, cov, step) in enumerate(releases):
                if any(c[0] == r for _, c in same) or s[0] < cov[0] or s[1] > cov[1]:
                    continue
                if s[0] % step or (s[1] + 1) % step:
                    continue
                parts = [c for p, lst in by_span.items() if p != s and s[0] <= p[0] and p[1] <= s[1]
                         for total, c in lst if c[0] == r and not total]
                if not parts:
                    continue
                if ind == "women_served":
                    rels.append(([(whole, 1)] + [(p, -1) for p in parts], False))
                    rels += [([(p, 1), (whole, -1)], False) for p in parts]
                else:
                    rels.append(([(whole, -1)] + [(p, 1) for p in parts], True))
    unknown = [c for c, v in value.items() if v is None]
    index = {c: n for n, c in enumerate(unknown)}
    bounds = [(1, k - 1) if status[c] == "C" else (0, None) for c in unknown]
    rows = {True: ([], [], [], []), False: ([], [], [], [])}
    for terms, eq in rels:
        data, ri, ci, rhs = rows[eq]
        row, b = defaultdict(float), 0.0
        for cell, coef in terms:
            if cell in index:
                row[index[cell]] += coef
            else:
                b -= coef * (value.get(cell) or 0)
        if not row:
            continue
        n = len(rhs)
        for v, c in row.items():
            data.append(c)
            ri.append(n)
            ci.append(v)
        rhs.append(b)

    def matrix(eq):
        data, ri, ci, rhs = rows[eq]
        if not rhs:
            return None, None
        return csr_matrix((data, (ri, ci)), shape=(len(rhs), len(unknown))), np.array(rhs)

    a_eq, b_eq = matrix(True)
    a_ub, b_ub = matrix(False)
    out = {}
    for n, c in enumerate(unknown):
        if status[c] != "C":
            continue
        ends = []
        for sign in (1, -1):
            obj = np.zeros(len(unknown))
            obj[n] = sign
            res = linprog(obj, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            assert res.status == 0, f"the published files are infeasible or unbounded: {res.message}"
            ends.append(sign * res.fun)
        out[c] = tuple(ends)
    return out


def worse(joint, alone):
    """Cells the combination narrows beyond what their own release gives."""
    return {c: b for c, b in joint.items()
            if b[0] > alone[c][0] + EPS or b[1] < alone[c][1] - EPS}


@pytest.fixture(scope="module")
def population(ona, tmp_path_factory):
    d = tmp_path_factory.mktemp("rlog")
    ona("pseudonym-key", "--out", d / "master.key")
    raw, pseudo = d / "cases.jsonl", d / "pseudo.jsonl"
    ona("synth", "--cases", 400, "--seed", 7, "--out", raw)
    ona("pseudonymise", "--key", d / "master.key", "--domain", "test/rlog", "--in", raw, "--out", pseudo)
    return pseudo


def release(ona, d, cases, name, *args, log=None, check=True):
    out, sdmx = d / f"{name}.json", d / f"{name}.csv"
    extra = ["--release-log", log, "--ledger-key", d / "hub.key"] if log else []
    res = ona("report", "--in", cases, "--indicators", INDICATORS, "--k", K, "--out", out, "--sdmx", sdmx,
              "--json", *args, *extra, check=check)
    if res.returncode != 0:
        return res, None, None
    return res, json.loads(out.read_text()), sdmx.read_text(encoding="utf-8")


def coverage(report):
    if report.get("period"):
        return span(report["period"])
    spans = [span(p) for p in report["provenance"]["periods"]]
    return min(s[0] for s in spans), max(s[1] for s in spans)


def step(report):
    return {"month": 1, "quarter": 3}.get(report["by"][-1], 12)


def gained(first, second):
    """What the attacker learns from the two files together beyond each alone."""
    alone = {**{(0,) + c[1:]: b for c, b in attack([first]).items()},
             **{(1,) + c[1:]: b for c, b in attack([second]).items()}}
    return worse(attack([first, second]), alone)


def test_the_log_makes_a_year_report_after_a_quarter_report_safe(ona, population, tmp_path):
    """Quarters of every year first; then a report of one year. Without the log the year's total
    gives away quarters the first report hid; with it, the year report is suppressed further or
    refused, naming the quarter release."""
    log = tmp_path / "logs"
    res, first, first_csv = release(ona, tmp_path, population, "quarters", "--by", "country,quarter", log=log)
    first_id = json.loads(res.stdout)["release"]
    f1 = (first_csv, coverage(first), step(first))
    years = sorted({p[:4] for p in first["provenance"]["periods"]})
    outcomes = {}
    for y in years:
        _, plain, plain_csv = release(ona, tmp_path, population, f"plain-{y}", "--by", "country,year",
                                      "--period", y)
        gain = gained(f1, (plain_csv, coverage(plain), step(plain)))
        # Each year against the quarter release alone: a copy of the log as it was.
        ylog = tmp_path / f"logs-{y}"
        shutil.copytree(log, ylog)
        res, second, second_csv = release(ona, tmp_path, population, f"logged-{y}", "--by", "country,year",
                                          "--period", y, log=ylog, check=False)
        if second is None:
            # Refused: exit 1, the earlier release named, no output, nothing logged; and the
            # attacker does gain from the same report made without the log.
            assert res.returncode == 1, res.stderr
            assert first_id in res.stderr and "quarters.json" in res.stderr, res.stderr
            assert "--by country,quarter" in res.stderr, res.stderr
            assert not (tmp_path / f"logged-{y}.json").exists()
            assert len((ylog / next(ylog.iterdir()).name).read_text().splitlines()) == 2
            assert gain, f"{y}: refused, but the plain report gives nothing away"
            outcomes[y] = "refused"
            continue
        summary = json.loads(res.stdout)
        assert summary["release_audited_with"] == 1, summary
        if not gain:
            # Nothing to protect: published as made.
            assert summary["release_suppressed"] == 0, (y, summary)
            assert second == plain
        else:
            assert summary["release_suppressed"] > 0, (y, summary)
        assert not gained(f1, (second_csv, coverage(second), step(second))), y
        outcomes[y] = "suppressed" if gain else "unchanged"
    assert "suppressed" in outcomes.values(), outcomes


def test_an_edited_log_is_refused(ona, population, tmp_path):
    log = tmp_path / "logs"
    release(ona, tmp_path, population, "quarters", "--by", "country,quarter", log=log)
    [path] = log.glob("ona-release-log-*.jsonl")
    lines = path.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["label"] = "something else"
    path.write_text("\n".join([lines[0], json.dumps(entry)]) + "\n")
    res, _, _ = release(ona, tmp_path, population, "again", "--by", "country,year", log=log, check=False)
    assert res.returncode == 1 and "does not verify" in res.stderr, res.stderr
    assert not (tmp_path / "again.json").exists()


def test_release_log_needs_the_key_and_refuses_dp(ona, population, tmp_path):
    res = ona("report", "--in", population, "--out", tmp_path / "x.json", "--release-log", tmp_path / "l",
              check=False)
    assert res.returncode == 2 and "ledger-key" in res.stderr, res.stderr
    res = ona("report", "--in", population, "--out", tmp_path / "x.json", "--release-log", tmp_path / "l",
              "--ledger-key", tmp_path / "k", "--dp-epsilon", "1", check=False)
    assert res.returncode == 2, res.stderr

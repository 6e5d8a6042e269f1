"""An independent LP attack on published reports (issue 13): the attacker reads nothing but the
SDMX-CSV (and k), builds every relation the table structure gives away — each total along any
dimension equals the sum of its cells, distinct women lie between their largest part and the sum
of their parts, and a few relations between indicators that hold by definition — bounds each
primary-suppressed count to 1..k−1 and each secondary one (flag D: "0 or ≥ k"; certified
suppression never hides a zero) to ≥ k, and asks `scipy.optimize.linprog` for the least and
greatest value of every primary cell.

A report of `ona report --lp-protect` must leave every primary cell the interval its flags
alone give — 1..k−1, or less where the flags pin it: a small count inside a small total, or a
count beside a pinned one in a total that is not flagged C (so 0 or ≥ k) — computed here by our
own bound propagation, then by an LP over the flags alone where the attacker's interval is
narrower — and it must say it left no cell unprotected. The attacker, on the same data suppressed by the single-relation rule (re-implemented here on a report
published without suppression), narrows cells: the test can fail."""
import csv
import io
import json
from collections import defaultdict

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

K = 5
EPS = 1e-6
# sub-indicators (summed) ≤ sup-indicator in the same cell (columns the sup lacks read as _T).
BY_DEFINITION = [
    (["with_mother_at_exit"], "exit_children"),
    (["followup_6m_with_mother", "followup_6m_lost"], "followup_6m_due"),
    (["followup_12m_with_mother", "followup_12m_lost"], "followup_12m_due"),
    (["relinquishment_prevented"], "intent_exits"),
    (["reunified_from_baby_home"], "baby_home_exits"),
    (["baby_home_exits"], "exit_children"),
    (["risk_assessed"], "referrals"),
    (["intent_exits"], "placement_at_exit"),
    (["reunified_from_baby_home"], "with_mother_at_exit"),
    (["placement_at_exit"], "exits"),
    (["risk_factor_cases"], "risk_assessed"),
    (["women_served"], "referrals"),
]
META = {"STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS",
        "CONF_STATUS"}


def read_sdmx(text):
    """{indicator: {key: (value or None, conf_status)}} of the counts, and the key's columns."""
    rows = list(csv.DictReader(io.StringIO(text)))
    cols = [c for c in rows[0] if c not in META]
    tables = defaultdict(dict)
    for r in rows:
        if r["UNIT_MEASURE"] != "NUMBER":
            continue
        # The total over every period is published as a range (2023/2026): it is the _T of
        # the period dimension.
        key = tuple("_T" if c == "TIME_PERIOD" and "/" in r[c] else r[c] for c in cols)
        value = int(r["OBS_VALUE"]) if r["OBS_STATUS"] == "A" else None
        tables[r["INDICATOR"]][key] = (value, r["CONF_STATUS"])
    return tables, cols


def totals(cells, cols):
    """Every (total, members) along one additive column."""
    groups = defaultdict(list)
    for key in cells:
        for i, c in enumerate(cols):
            if key[i] != "_T" and c != "RISK_FACTOR":
                parent = key[:i] + ("_T",) + key[i + 1:]
                if parent in cells:
                    groups[(parent, i)].append(key)
    return [(t, m) for (t, _), m in groups.items()]


def relations(tables, cols):
    """[(terms [((indicator, key), coef)], is_equality)]: Σ coef × cell (= or ≤) 0."""
    rels = []
    for ind, cells in tables.items():
        for t, members in totals(cells, cols):
            if ind == "women_served":  # distinct women: each part ≤ total ≤ Σ parts
                rels.append(([((ind, t), 1)] + [((ind, m), -1) for m in members], False))
                rels += [([((ind, m), 1), ((ind, t), -1)], False) for m in members]
            else:
                rels.append(([((ind, t), -1)] + [((ind, m), 1) for m in members], True))
    for subs, sup in BY_DEFINITION:
        sup_cells = tables.get(sup, {})
        # Columns never broken down in the sup table read as _T.
        used = [any(k[i] != "_T" for k in sup_cells) for i in range(len(cols))]
        keys = {k for s in subs for k in tables.get(s, {})}
        for k in keys:
            sk = tuple(v if used[i] else "_T" for i, v in enumerate(k))
            if sk in sup_cells:
                terms = [((s, k), 1) for s in subs if k in tables.get(s, {})] + [((sup, sk), -1)]
                # By outcome, exits with a recorded outcome are the placements at exit.
                o = cols.index("OUTCOME")
                eq = sup == "exits" and used[o] and k[o] not in ("_T", "unknown")
                rels.append((terms, eq))
    return rels


def flag_bounds(tables, cols, k=K, every=False):
    """{(indicator, key): (lower, upper)}: what the flags and relations alone give each primary
    cell (with `every`, each cell), by bound propagation with every count unknown (primary
    1..k−1, any other 0 or ≥ k: every count from 1 to k−1 is flagged C)."""
    rels = relations(tables, cols)
    cells = {(i, key) for i, t in tables.items() for key in t}
    lo = {c: (1.0 if tables[c[0]][c[1]][1] == "C" else 0.0) for c in cells}
    hi = {c: (k - 1.0 if tables[c[0]][c[1]][1] == "C" else float("inf")) for c in cells}

    def least(a, c):
        return a * lo[c] if a > 0 else a * hi[c]

    for _ in range(64):
        changed = False
        for terms, eq in rels:
            for sign in ((1, -1) if eq else (1,)):
                parts = [least(sign * a, c) for c, a in terms]
                inf = sum(p == float("-inf") for p in parts)
                fin = sum(p for p in parts if p != float("-inf"))
                for (c, a), p in zip(terms, parts):
                    if p == float("-inf"):
                        if inf > 1:
                            continue
                        others = fin
                    else:
                        if inf > 0:
                            continue
                        others = fin - p
                    lim = -others / (sign * a)
                    if sign * a > 0 and lim < hi[c] - EPS:
                        hi[c], changed = lim, True
                    elif sign * a < 0 and lim > lo[c] + EPS:
                        lo[c], changed = lim, True
        for c in cells:
            if tables[c[0]][c[1]][1] != "C":
                if EPS < lo[c] < k - EPS:
                    lo[c], changed = float(k), True
                if EPS < hi[c] < k - EPS:
                    hi[c], changed = 0.0, True
        if not changed:
            break
    return {c: (lo[c], hi[c]) for c in cells if every or tables[c[0]][c[1]][1] == "C"}


def flags_lp(tables, cols, cell, upper, k=K):
    """The least (or greatest) value of `cell` the flags alone allow when the relations are read
    together: an LP over every count, each within its propagated bounds, rounded inwards."""
    bnd = flag_bounds(tables, cols, k, every=True)
    cells = sorted(bnd)
    index = {c: n for n, c in enumerate(cells)}
    rows = {True: ([], [], []), False: ([], [], [])}
    count = {True: 0, False: 0}
    for terms, eq in relations(tables, cols):
        data, ri, ci = rows[eq]
        for c, a in terms:
            data.append(a)
            ri.append(count[eq])
            ci.append(index[c])
        count[eq] += 1
    mats = {eq: csr_matrix((d, (r, c)), shape=(count[eq], len(cells))) if count[eq] else None
            for eq, (d, r, c) in rows.items()}
    obj = np.zeros(len(cells))
    obj[index[cell]] = -1 if upper else 1
    res = linprog(obj, A_ub=mats[False], b_ub=np.zeros(count[False]) if count[False] else None,
                  A_eq=mats[True], b_eq=np.zeros(count[True]) if count[True] else None,
                  bounds=[(bnd[c][0], None if bnd[c][1] == float("inf") else bnd[c][1]) for c in cells],
                  method="highs")
    assert res.status == 0, res.message
    v = res.x[index[cell]]
    return np.floor(v + EPS) if upper else np.ceil(v - EPS)


def attack(tables, cols, k=K, first_narrowed=False, secondary_low=0):
    """{(indicator, key): (lower, upper)} for every primary-suppressed count (with
    `first_narrowed`, stops at the first cell narrowed; `secondary_low`: the least value of a
    secondary cell)."""
    unknown = [(i, key) for i, cells in tables.items() for key, (v, _) in cells.items() if v is None]
    index = {c: n for n, c in enumerate(unknown)}
    bounds = [(1, k - 1) if tables[i][key][1] == "C" else (secondary_low, None) for i, key in unknown]
    parent = list(range(len(unknown)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    lins = []
    for terms, eq in relations(tables, cols):
        row, rhs = {}, 0.0
        for cell, coef in terms:
            if cell in index:
                row[index[cell]] = row.get(index[cell], 0) + coef
            else:
                rhs -= coef * tables[cell[0]][cell[1]][0]
        if not row:
            continue
        vs = list(row)
        for a, b in zip(vs, vs[1:]):
            parent[find(a)] = find(b)
        lins.append((row, rhs, eq))
    comps = defaultdict(list)
    for v in range(len(unknown)):
        comps[find(v)].append(v)
    lins_of = defaultdict(list)
    for lin in lins:
        lins_of[find(next(iter(lin[0])))].append(lin)
    out = {}
    for root, vs in comps.items():
        local = {v: n for n, v in enumerate(vs)}

        def matrix(eq):
            sel = [lin for lin in lins_of[root] if lin[2] == eq]
            if not sel:
                return None, None
            data, ri, ci = [], [], []
            for r, (row, _, _) in enumerate(sel):
                for v, c in row.items():
                    data.append(c)
                    ri.append(r)
                    ci.append(local[v])
            return csr_matrix((data, (ri, ci)), shape=(len(sel), len(vs))), np.array([s[1] for s in sel])

        a_eq, b_eq = matrix(True)
        a_ub, b_ub = matrix(False)
        bnds = [bounds[v] for v in vs]
        for n, v in enumerate(vs):
            if bounds[v][0] != 1:
                continue
            ends = []
            for sign in (1, -1):
                c = np.zeros(len(vs))
                c[n] = sign
                res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bnds, method="highs")
                assert res.status == 0, f"the published report is infeasible or unbounded: {res.message}"
                ends.append(sign * res.fun)
            out[unknown[v]] = tuple(ends)
            if first_narrowed and (ends[0] > 1 + EPS or ends[1] < k - 1 - EPS):
                return out
    return out


def narrowed(tables, cols, k=K):
    return {c: b for c, b in attack(tables, cols, k).items() if b[0] > 1 + EPS or b[1] < k - 1 - EPS}


def old_rule(tables, cols, k=K):
    """The old suppression on a report published without it: 1..k−1 primary, then until every
    total relation with a suppressed cell has two, the smallest non-zero published cell."""
    out = {i: {key: (v, "C" if 1 <= v < k else "F") for key, (v, _) in cells.items()} for i, cells in
           tables.items()}
    for ind, cells in out.items():
        rels = totals(cells, cols)
        changed = True
        while changed:
            changed = False
            for t, members in rels:
                group = [t, *members]
                if sum(cells[g][1] != "F" for g in group) != 1:
                    continue
                free = [g for g in group if cells[g][1] == "F"]
                if free:
                    pick = min(free, key=lambda g: (cells[g][0] == 0, cells[g][0], g))
                    cells[pick] = (cells[pick][0], "D")
                    changed = True
    return {i: {key: (v if s == "F" else None, s) for key, (v, s) in cells.items()} for i, cells in
            out.items()}


@pytest.fixture(scope="module")
def networks(ona, tmp_path_factory):
    """Pseudonymised synthetic networks, four seeds and sizes (small: the attacker solves two LPs per
    small count in scipy, thousands on a centre-level breakdown)."""
    d = tmp_path_factory.mktemp("lp")
    ona("pseudonym-key", "--out", d / "master.key")
    out = {}
    for seed, n in [(7, 600), (11, 900), (3, 80), (5, 100)]:
        raw = d / f"cases-{seed}.jsonl"
        ona("synth", "--cases", n, "--seed", seed, "--out", raw)
        pseudo = d / f"pseudo-{seed}.jsonl"
        ona("pseudonymise", "--key", d / "master.key", "--domain", "test/lp", "--in", raw, "--out", pseudo)
        out[seed] = pseudo
    return out


def report(ona, tmp_path, cases, by, k=K, *extra):
    out, sdmx = tmp_path / "r.json", tmp_path / "r.csv"
    ona("report", "--in", cases, "--by", by, "--k", k, "--out", out, "--sdmx", sdmx, *extra)
    return json.loads(out.read_text()), sdmx.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed,by", [
    (3, "country,centre,year"),
    (5, "country,centre,year"),
    (3, "country,admin1,quarter"),
    (5, "country,quarter,outcome"),
])
def test_no_primary_cell_is_narrowed(ona, networks, tmp_path, seed, by):
    r, text = report(ona, tmp_path, networks[seed], by, K, "--lp-protect")
    tables, cols = read_sdmx(text)
    flags = flag_bounds(tables, cols)
    bounds = attack(tables, cols, secondary_low=K)
    assert len(bounds) > 5, "the synthetic data must have primary-suppressed cells"
    bad = {c: b for c, b in bounds.items()
           if b[0] > flags[c][0] + EPS or b[1] < flags[c][1] - EPS}
    # Propagation reads one relation at a time: where the attacker's interval is narrower, ask
    # what the flags alone allow with the relations read together.
    for c, b in list(bad.items()):
        lo = flags_lp(tables, cols, c, False) if b[0] > flags[c][0] + EPS else flags[c][0]
        hi = flags_lp(tables, cols, c, True) if b[1] < flags[c][1] - EPS else flags[c][1]
        if b[0] <= lo + EPS and b[1] >= hi - EPS:
            del bad[c]
    left = r["provenance"]["unprotected_cells"]
    assert not bad, f"{len(bad)} of {len(bounds)} primary cells narrowed, e.g. {sorted(bad.items())[:3]}"
    assert left == 0, (left, len(bounds))


def test_the_attacker_beats_the_old_rule(ona, networks, tmp_path):
    _, text = report(ona, tmp_path, networks[7], "country,year", k=1)
    tables, cols = read_sdmx(text)
    old = old_rule(tables, cols)
    primary = sum(s == "C" for cells in old.values() for _, s in cells.values())
    hit = narrowed(old, cols)
    assert primary > 10 and len(hit) >= primary // 10, (len(hit), primary)
    # Some cells are even recovered exactly.
    assert any(abs(lo - hi) < EPS for lo, hi in hit.values())


def test_the_report_counts_what_it_could_not_protect(ona, networks, tmp_path):
    """The operator is told, not misled: the count of cells left unprotected is in the provenance
    and in `--json`, and a warning naming `ona audit` is printed whenever it is not 0; with
    the default (`--no-lp-protect`) only the single-relation rule runs and the attacker narrows cells."""
    out, sdmx = tmp_path / "r.json", tmp_path / "r.csv"
    res = ona("report", "--in", networks[5], "--by", "country,quarter,outcome", "--k", K, "--out", out,
              "--sdmx", sdmx, "--json", "--lp-protect")
    left = json.loads(out.read_text())["provenance"]["unprotected_cells"]
    assert left is not None
    assert json.loads(res.stdout)["unprotected_cells"] == left
    assert (f"warning: {left} small count(s) could not be shown protected" in res.stderr) == (left > 0)
    out2, sdmx2 = tmp_path / "r2.json", tmp_path / "r2.csv"
    ona("report", "--in", networks[5], "--by", "country,quarter,outcome", "--k", K, "--out", out2,
        "--sdmx", sdmx2, "--no-lp-protect")
    assert json.loads(out2.read_text())["provenance"].get("unprotected_cells") is None
    tables, cols = read_sdmx(sdmx2.read_text(encoding="utf-8"))
    flags = flag_bounds(tables, cols)
    bounds = attack(tables, cols)
    assert any(b[0] > flags[c][0] + EPS or b[1] < flags[c][1] - EPS for c, b in bounds.items())

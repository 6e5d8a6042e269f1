"""Pseudonymising a column of 1,000,000 full names from Python: ``pseudonymise_many(kind="name")``
on a pyarrow array (canonical name — NFKC, Cyrillic to Latin, folds, particles and patronymics —
then HMAC-SHA256; GIL released, every core) beside a plain Python ``hmac`` loop over the same
values, in one run.

Two columns: a realistic one — family, given and (for 40 %) patronymic drawn from the synthetic
network's names in every script, so names repeat as they do in a network's records — and one in
which every name is distinct (a made-up extra word per row), where remembering repeated names
cannot help.

Reproduce: .venv/bin/python benches/python_pseudonymise_names.py [N]
"""

import hashlib
import hmac
import os
import random
import sys
import time

import pyarrow as pa

import ona


def best(f, repeat):
    """The fastest of `repeat` runs: its wall time, its result and its CPU time (user + system of
    this process, every thread)."""
    runs = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        runs.append((time.perf_counter() - t, time.process_time() - c, out))
    wall, cpu, out = min(runs, key=lambda r: r[0])
    return wall, out, cpu


def word(i):
    """A made-up name-like word, different for every i."""
    syllables = [c + v for c in "bdgklmnprstz" for v in "aeiou"]
    out = ""
    while True:
        out += syllables[i % len(syllables)]
        i //= len(syllables)
        if i == 0:
            return out.capitalize()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    recs = ona.synth(20_000, seed=5)
    names = [r["mother"]["name"] for r in recs]
    given = sorted({m["given"] for m in names})
    family = sorted({m["family"] for m in names if m.get("family")})
    patronymic = sorted({m["patronymic"] for m in names if m.get("patronymic")})
    rng = random.Random(1)
    realistic = [
        f"{rng.choice(family)} {rng.choice(given)}"
        + (f" {rng.choice(patronymic)}" if rng.random() < 0.4 else "")
        for _ in range(n)
    ]
    distinct = [f"{v} {word(i)}" for i, v in enumerate(realistic)]
    key = bytes(range(32))
    p = ona.Pseudonymiser(key, "kz/research")
    print(f"{n:,} names; realistic column: {len(set(realistic)):,} distinct "
          f"({len(given)} given, {len(family)} family, {len(patronymic)} patronymics, every script); "
          f"cores: {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")

    for label, values in (("realistic", realistic), ("all distinct", distinct)):
        column = pa.array(values)
        t_ona, out, c_ona = best(lambda: p.pseudonymise_many(column, "name"), 3)
        assert len(out) == n and out[0].as_py() == p.pseudonym_of(values[0], "name")

        def hmac_loop():
            return [hmac.new(key, v.encode(), hashlib.sha256).digest() for v in values]

        t_hmac, _, c_hmac = best(hmac_loop, 1)
        print(f"{label:>12}: pseudonymise_many(kind='name') {n / t_ona / 1e6:.2f} M names/s wall "
              f"({t_ona:.3f} s, {c_ona:.3f} CPU-s = {n / c_ona / 1e6:.2f} M names per CPU-second, "
              f"CPU/wall {c_ona / t_ona:.2f}); Python hmac loop {n / t_hmac / 1e3:.0f}k/s "
              f"({t_hmac:.3f} s, {c_hmac:.3f} CPU-s) -> {t_hmac / t_ona:.1f}x wall, "
              f"{c_hmac / c_ona:.1f}x per CPU-second")


if __name__ == "__main__":
    main()

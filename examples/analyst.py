"""An analyst's session with ona: synthetic cases → pseudonymised → DataFrame → chart (PNG).

    python examples/analyst.py [--out DIR] [--cases N] [--seed S] [--lang ru]

Needs the ona wheel with pandas, polars, pyarrow and matplotlib (scripts/test-python installs
them in .venv). Writes DIR/pseudonymised.jsonl and DIR/placement-at-exit.png and prints a
summary. Type-checked with `mypy --strict` (bindings/python/tests/test_typing.py).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import cast

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402

import polars as pl  # noqa: E402

import ona  # noqa: E402


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--out", type=Path, default=Path("analyst-out"))
    args.add_argument("--cases", type=int, default=5000)
    args.add_argument("--seed", type=int, default=2026)
    args.add_argument("--lang", default="en", help="language of the labels: en ru kk uz uk ms tr")
    a = args.parse_args()
    out = cast(Path, a.out)
    lang = cast(ona.Lang, a.lang)
    out.mkdir(parents=True, exist_ok=True)

    # 1. Case records in the standard (synthetic here; a centre would read its own).
    cases = ona.synth(a.cases, seed=a.seed)
    problems = ona.validate(cases)
    assert not problems, problems[:3]

    # 2. Pseudonymised before analysis, in a research domain with a key of its own.
    key_file = out / "research.key"
    if not key_file.exists():
        ona.new_pseudonym_key_file(key_file)
    p = ona.Pseudonymiser.from_key_file(key_file, "network/research")
    pseudo = p.pseudonymise_cases(cases)
    path = out / "pseudonymised.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pseudo), encoding="utf-8")

    # 3. Straight into a DataFrame, codes as labels in the chosen language.
    df = ona.read_jsonl(path, lang=lang)
    exited = df[df["outcome.child_placement"].notna()]
    table = (
        exited.groupby(["centre.country", "outcome.child_placement"]).size().unstack(fill_value=0)
    )
    share = table.div(table.sum(axis=1), axis=0) * 100

    # 4. A chart for the board: where children went at exit, by country (share of exits).
    fig, ax = plt.subplots(figsize=(9, 5))
    share.plot(kind="barh", stacked=True, ax=ax, colormap="tab20")
    ax.set_xlabel("% of exits")
    ax.set_ylabel("")
    ax.set_title(f"Child's placement at exit, by country ({len(exited):,} exits, synthetic data)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    fig.tight_layout()
    png = out / "placement-at-exit.png"
    fig.savefig(png, dpi=120)

    # 5. The published figures: a report over the same frame (rows back to records in memory),
    #    small counts suppressed, as a tidy polars table (period totals apart, marked `total`).
    frame = ona.to_frame(pseudo, backend="polars")
    figures = ona.report(frame, by=["country", "year"])
    yearly = figures.to_polars().filter((pl.col("indicator") == "admissions") & ~pl.col("total"))
    print(f"{frame.height:,} records in the polars frame; admissions by country and year:")
    print(yearly.select("country", "period", "value", "status"))

    print(f"{len(cases):,} cases, {len(exited):,} exits, domain {p.domain} key {p.key_id}")
    print(table.to_string())
    print(f"wrote {path} and {png} ({os.path.getsize(png):,} bytes)")


if __name__ == "__main__":
    main()

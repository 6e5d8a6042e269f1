"""Import through a mapping (docs/import.md) from a file or from DataFrames.

Conversion only: each DataFrame column becomes a list of plain values (None, bool, int,
float, str, or a date as a ``(year, month, day)`` tuple); the Rust core maps, joins, converts and
validates, exactly as ``ona import`` does.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _ona

MappingLike = Union[str, "os.PathLike[str]", Dict[str, Any]]
"""A mapping: a path to a mapping file, its TOML text, or a dict with the same keys."""

PROBLEM_COLUMNS = ["sheet", "row", "id", "column", "value", "pointer", "code", "message"]
"""The columns of :attr:`Imported.problems`."""


@dataclass(frozen=True)
class Imported:
    """What an import gave: the valid cases, and every problem of every rejected row.

    ``cases_jsonl`` and ``rejects_jsonl`` are byte for byte what ``ona import --out`` and
    ``--rejects`` write. ``problems`` has one row per problem (like pandera's lazy validation):
    sheet, spreadsheet row (the header is row 1), record id, column, the cell's value, JSON
    Pointer in the standard record, code and message.

    >>> got = ona.import_file("export.csv", Path("mappings/excel-ua.toml"))
    >>> len(got.records), got.problems["code"].iloc[0] != ""
    (210, True)
    """

    cases_jsonl: bytes
    rejects_jsonl: bytes
    problem_rows: List[Tuple[Any, ...]]
    _polars: bool = False

    @property
    def records(self) -> List[Dict[str, Any]]:
        """The valid cases as dicts, in export order."""
        return [json.loads(line) for line in self.cases_jsonl.splitlines() if line.strip()]

    @property
    def rejects(self) -> List[Dict[str, Any]]:
        """The rejected rows, each with its problems, as the rejects file holds them."""
        return [json.loads(line) for line in self.rejects_jsonl.splitlines() if line.strip()]

    @property
    def problems(self) -> Any:
        """The problems as a DataFrame (polars if the input was polars, else pandas)."""
        if self._polars:
            import polars as pl

            return pl.DataFrame(self.problem_rows, schema=PROBLEM_COLUMNS, orient="row")
        import pandas as pd

        return pd.DataFrame(self.problem_rows, columns=PROBLEM_COLUMNS)

    @property
    def ok(self) -> bool:
        """Whether every row became a case."""
        return not self.problem_rows


def _mapping(mapping: MappingLike) -> Tuple[str, bool]:
    """The mapping's text and whether it is JSON."""
    if isinstance(mapping, dict):
        return json.dumps(mapping, ensure_ascii=False), True
    if isinstance(mapping, os.PathLike):
        return Path(mapping).read_text(encoding="utf-8"), False
    if isinstance(mapping, str):
        if "\n" not in mapping and (os.path.exists(mapping) or "=" not in mapping):
            return Path(mapping).read_text(encoding="utf-8"), False  # a path
        return mapping, False  # TOML text
    raise TypeError(f"a mapping is a path, TOML text or a dict, not {type(mapping).__name__}")


def import_file(path: Union[str, "os.PathLike[str]"], mapping: MappingLike,
                lang: str = "en") -> Imported:
    """Imports the export at ``path`` (CSV, XLSX/XLS/ODS, ZIP of CSVs, as the mapping says):
    the same cases and rejects as ``ona import``, messages in ``lang`` (en, ru, kk, uz, uk, ms,
    tr). ``mapping`` is a mapping file (``pathlib.Path``), its TOML text, or a dict.

    >>> got = ona.import_file("export.csv", Path("mappings/excel-ua.toml"), lang="uk")
    >>> got.ok, len(got.records), len(got.problems)   # 10 rows rejected, each problem named
    (False, 210, 10)
    """
    text, is_json = _mapping(mapping)
    cases, rejects, rows = _ona.import_file(os.fspath(path), text, is_json, lang)
    return Imported(cases, rejects, rows)


def _value(v: Any) -> Any:
    """A plain value for the core: None for every kind of missing, dates as tuples."""
    if v is None or isinstance(v, (bool, str, int)):
        return v
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, _dt.datetime):  # pandas.Timestamp too
        if v != v:  # NaT
            return None
        return (v.year, v.month, v.day)
    if isinstance(v, _dt.date):
        return (v.year, v.month, v.day)
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - polars without pandas
        pass
    if hasattr(v, "item"):  # numpy scalars
        return _value(v.item())
    return str(v)


def _columns(frame: Any) -> List[Tuple[str, List[Any]]]:
    """A DataFrame's columns (pandas or polars) as (name, plain values)."""
    names = [str(c) for c in frame.columns]
    if hasattr(frame, "iloc"):  # pandas
        return [(n, [_value(v) for v in frame.iloc[:, i].tolist()]) for i, n in enumerate(names)]
    return [(n, [_value(v) for v in frame.get_column(n).to_list()]) for n in names]


def _is_polars(frame: Any) -> bool:
    return type(frame).__module__.split(".")[0] == "polars"


def import_frame(frame: Union[Any, Mapping[str, Any], Sequence[Tuple[str, Any]]],
                 mapping: MappingLike, lang: str = "en") -> Imported:
    """Imports a pandas or polars DataFrame through ``mapping``.

    ``frame`` is one DataFrame (read by the mapping's root table), or a dict of DataFrames by
    sheet name for a mapping with repeat tables (what ``pandas.read_excel(path,
    sheet_name=None)`` gives). Rows are numbered as a spreadsheet would (the header is row 1).
    Read text columns as text (``dtype=str``) where leading zeros or codes matter: a number
    pandas guessed is imported as that number.

    >>> frame = pd.read_csv("export.csv", sep=";", encoding="cp1251", dtype=str)
    >>> len(ona.import_frame(frame, Path("mappings/excel-ua.toml")).records)
    210
    """
    if isinstance(frame, Mapping):
        items = list(frame.items())
    elif isinstance(frame, (list, tuple)):
        items = list(frame)
    else:
        items = [(None, frame)]
    polars = any(_is_polars(f) for _, f in items)
    tables = [(None if n is None else str(n), _columns(f)) for n, f in items]
    text, is_json = _mapping(mapping)
    cases, rejects, rows = _ona.import_columns(tables, text, is_json, lang)
    return Imported(cases, rejects, rows, polars)

"""Case records and reports in and out of DataFrames (pandas or polars), in memory.

Conversion only: records become JSON texts for the Rust core, and JSON Lines from the core
become Arrow tables (``pyarrow.json``) and then frames. Nothing is written to disk. Every
pyarrow failure comes out as an :class:`ona.OnaError` subclass (see :func:`arrow_errors`).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Sequence, Type

from . import _ona
from ._columns import _pyarrow
from ._types import Lang

BACKENDS = ("pandas", "polars")
PERIODS = ("month", "quarter", "year")  # finest first
STATUS = {
    ("A", "F"): "published",
    ("Q", "C"): "suppressed",
    ("Q", "D"): "suppressed_secondary",
    ("M", "F"): "missing",
}
"""The tidy ``status`` of an observation from its SDMX (OBS_STATUS, CONF_STATUS)."""


def _backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be 'pandas' or 'polars', not {backend!r}")
    return backend


@contextmanager
def arrow_errors(what: str, cls: Type[Exception] = _ona.ValidationError) -> Iterator[None]:
    """Turns a pyarrow error into ``cls`` (an ona exception) naming ``what``; the pyarrow
    error stays attached as ``__cause__``. Records that Arrow cannot read are records that are
    not valid: :class:`ona.ValidationError` (with an empty ``problems``) by default."""
    pa = _pyarrow()
    try:
        yield
    except pa.lib.ArrowException as e:
        err = cls(f"{what}: {e}")
        if isinstance(err, _ona.ValidationError):
            err.problems = []
        raise err from e


def is_frame(value: Any) -> bool:
    """Whether ``value`` is a pandas or polars DataFrame, a pyarrow Table or RecordBatch, or
    another Arrow tabular object (``__arrow_c_stream__``)."""
    module = type(value).__module__.split(".")[0]
    if module in ("pandas", "polars") and hasattr(value, "columns"):
        return True
    if module == "pyarrow":
        return type(value).__name__ in ("Table", "RecordBatch", "RecordBatchReader")
    return hasattr(value, "__arrow_c_stream__") and hasattr(value, "schema")


def _table(frame: Any) -> Any:
    """A pyarrow Table of a frame (pandas, polars, pyarrow or any Arrow C stream)."""
    pa = _pyarrow()
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(frame, preserve_index=False)
    if module == "polars":
        return frame.to_arrow()
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    if isinstance(frame, pa.RecordBatchReader):
        return frame.read_all()
    return pa.table(frame)


def _plain(value: Any) -> Any:
    """A JSON value of a cell: nulls (None, NaN, NaT) dropped from objects, dates as ISO text."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None or isinstance(v, float) and math.isnan(v):
                continue
            out[k] = _plain(v)
        return out
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None and value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _nest(row: Dict[str, Any]) -> Dict[str, Any]:
    """A flat row with ``a.b`` columns (as :func:`ona.read_jsonl` makes them) as a nested
    record; null cells are left out, as they were absent in the record."""
    out: Dict[str, Any] = {}
    for name, value in row.items():
        if value is None or isinstance(value, float) and math.isnan(value):
            continue
        node = out
        *parents, leaf = name.split(".")
        for p in parents:
            child = node.setdefault(p, {})
            if not isinstance(child, dict):
                raise _ona.ValidationError(f"column {name!r} nests under a value {p!r}")
            node = child
        node[leaf] = _plain(value)
    return out


def record_texts(frame: Any) -> List[str]:
    """The JSON text of each row of a frame (one case record per row, columns as
    :func:`ona.read_jsonl` gives them: nested fields as ``a.b``; nulls are absent fields)."""
    with arrow_errors("the frame cannot be read as case records"):
        rows = _table(frame).to_pylist()
    return [json.dumps(_nest(r), ensure_ascii=False) for r in rows]


def frame_of_jsonl(data: bytes, lang: Optional[Lang], backend: str) -> Any:
    """A DataFrame of JSON Lines (or packed) case records: one row per record, nested objects
    flattened into ``a.b`` columns, lists as list columns; codes as labels in ``lang``."""
    backend = _backend(backend)
    pa = _pyarrow()
    import pyarrow.json as pj

    data = _ona.cases_jsonl(data, lang)  # packed cases to JSON Lines; codes to labels
    if not data.strip():
        return _empty(backend)
    with arrow_errors("the records cannot be read into a frame"):
        table = pj.read_json(io.BytesIO(data))
        while any(pa.types.is_struct(f.type) for f in table.schema):
            table = table.flatten()
        table = _dates(table)
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas(date_as_object=False)


def _dates(table: Any) -> Any:
    """``table`` with the timestamp columns pyarrow's reader infers from the records' ISO
    dates (``"2024-03-01"``) cast to dates (the standard has dates, no times): polars ``Date``,
    pandas ``datetime64``. They become ISO dates again on the way back (:func:`record_texts`)."""
    pa = _pyarrow()
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.date32()))
    return table


def _empty(backend: str) -> Any:
    if backend == "polars":
        import polars as pl

        return pl.DataFrame()
    import pandas as pd

    return pd.DataFrame()


def records_jsonl(records: Sequence[str]) -> bytes:
    """JSON texts of records as JSON Lines bytes."""
    return "".join(t.strip() + "\n" for t in records).encode("utf-8")


def report_frame(observations: List[Dict[str, Any]], backend: str) -> Any:
    """The tidy frame of a report's observations.

    Columns: ``indicator``, one column per breakdown dimension (``country``, ``age_band``…, in
    the order of ``by``), ``period`` (the month, quarter or year; never a total),
    ``value``, ``numerator``, ``denominator``, ``unit``, ``status`` (``published``,
    ``suppressed``, ``suppressed_secondary`` or ``missing``) and ``total`` (True when the row
    adds up over a dimension the indicator is broken down by: that dimension's cell is null).
    Under differential privacy ``margin_95``, ``low_95`` and ``high_95`` follow. A dimension
    that does not apply to an indicator is null in its rows without making them totals.
    """
    backend = _backend(backend)
    pa = _pyarrow()
    order = {d: i for i, d in enumerate(_ona.dimension_ids())}
    dims = sorted({d for o in observations for d in o["dims"]}, key=lambda d: order.get(d, 99))
    breakdowns = [d for d in dims if d not in PERIODS]
    periods = [d for d in PERIODS if d in dims]
    varies: Dict[str, set[str]] = {}
    for o in observations:
        used = varies.setdefault(o["indicator"], set())
        used.update(d for d, v in o["dims"].items() if v != "_T")

    def cell(o: Dict[str, Any], d: str) -> Optional[str]:
        v = o["dims"].get(d, "_T")
        return None if v == "_T" else str(v)

    columns: Dict[str, List[Any]] = {"indicator": [o["indicator"] for o in observations]}
    for d in breakdowns:
        columns[d] = [cell(o, d) for o in observations]
    columns["period"] = [
        next((cell(o, p) for p in periods if cell(o, p) is not None), None) for o in observations
    ]
    columns["value"] = [None if o.get("value") is None else float(o["value"]) for o in observations]
    columns["numerator"] = [o.get("numerator") for o in observations]
    columns["denominator"] = [o.get("denominator") for o in observations]
    columns["unit"] = [o["unit"] for o in observations]
    columns["status"] = [
        STATUS.get((o["obs_status"], o["conf_status"]), f"{o['obs_status']}/{o['conf_status']}")
        for o in observations
    ]
    columns["total"] = [
        any(o["dims"].get(d, "_T") == "_T" for d in varies[o["indicator"]]) for o in observations
    ]
    types = {"value": pa.float64(), "numerator": pa.int64(), "denominator": pa.int64(),
             "total": pa.bool_()}
    for extra, t in (("margin_95", pa.int64()), ("low_95", pa.float64()), ("high_95", pa.float64())):
        if any(o.get(extra) is not None for o in observations):
            columns[extra] = [None if o.get(extra) is None else o[extra] for o in observations]
            types[extra] = t
    with arrow_errors("the report cannot be made a frame", _ona.ReportError):
        table = pa.table({c: pa.array(v, type=types.get(c, pa.string())) for c, v in columns.items()})
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas()



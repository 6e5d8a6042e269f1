"""ona on Polars: pseudonymise and validate columns of a ``polars.DataFrame`` or ``LazyFrame``
batch by batch (``Expr.map_batches``, elementwise, so the streaming engine can run it on
batches of a larger-than-memory scan).

Like ``ona.spark`` and ``ona.dask``, the key is read from ``key_file`` by the process that runs
the batches (once per process), so a plan shipped elsewhere carries the path, never the key.
Pseudonyms are the same as :meth:`ona.Pseudonymiser.pseudonymise_many` on the same values.

>>> import ona.polars
>>> out = ona.polars.pseudonymise(pl.scan_parquet("cases.parquet"), "pseudonym.key",
...                               "kz/almaty", columns={"full_name": "name"}).collect()
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Mapping, Optional

from ._batches import PROBLEMS_COLUMN, PseudonymiseColumns, ValidateColumn, _pseudonymiser

__all__ = ["pseudonymise", "validate"]


def _pseudonymise_series(spec: PseudonymiseColumns, kind: str, series: Any) -> Any:
    p = _pseudonymiser(spec.key_file, spec.domain, spec.policy)
    return p.pseudonymise_many(series, kind, spec.errors)


def _validate_series(spec: ValidateColumn, series: Any) -> Any:
    import polars as pl
    import pyarrow as pa

    batch = pa.RecordBatch.from_arrays([series.to_arrow()], names=[spec.column])
    problems = spec.apply(batch).column(1)
    return pl.Series(spec.output, problems)


def pseudonymise(
    frame: Any,
    key_file: "os.PathLike[str] | str",
    domain: str,
    columns: Mapping[str, str],
    policy: Optional["os.PathLike[str] | str"] = None,
    errors: str = "null",
) -> Any:
    """``frame`` (DataFrame or LazyFrame) with each column of ``columns`` (name → identifier
    kind: ``name``, ``document``, ``text``, ``national_id:<code>``) replaced by its pseudonyms
    under ``domain`` (String columns); ``policy`` is a path or the text of a policy."""
    import polars as pl

    spec = PseudonymiseColumns.of(key_file, domain, columns, policy, errors)
    return frame.with_columns(
        pl.col(name).map_batches(
            partial(_pseudonymise_series, spec, kind), return_dtype=pl.String, is_elementwise=True
        )
        for name, kind in spec.columns
    )


def validate(
    frame: Any, column: str, lang: str = "en", output: str = PROBLEMS_COLUMN
) -> Any:
    """``frame`` with a column ``output`` added: the problems of the case record (JSON text) in
    ``column``, a list of ``{pointer, code, message}`` (messages in ``lang``); empty for a valid
    record, null for a null one."""
    import polars as pl

    spec = ValidateColumn(column, lang, output)
    dtype = pl.List(pl.Struct({"pointer": pl.String, "code": pl.String, "message": pl.String}))
    return frame.with_columns(
        pl.col(column)
        .map_batches(partial(_validate_series, spec), return_dtype=dtype, is_elementwise=True)
        .alias(output)
    )

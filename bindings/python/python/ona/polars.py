"""ona on Polars: pseudonymise and validate columns of a ``polars.DataFrame`` or ``LazyFrame``
batch by batch (``Expr.map_batches``, elementwise, so the streaming engine can run it on
batches of a larger-than-memory scan).

Like ``ona.spark`` and ``ona.dask``, the key is read from ``key_file`` by the process that runs
the batches (once per process), so a plan shipped elsewhere carries the path, never the key.
Pseudonyms are the same as :meth:`ona.Pseudonymiser.pseudonymise_many` on the same values.

>>> import ona.polars
>>> out = ona.polars.pseudonymise(pl.scan_parquet("cases.parquet"), "pseudonym.key",
...                               "kz/almaty", columns={"full_name": "name"}).collect()

Importing ``ona.polars`` also registers the expression namespace ``ona`` on every polars
expression, for a :class:`ona.Pseudonymiser` already in the process:

>>> p = ona.Pseudonymiser.from_key_file("pseudonym.key", "kz/almaty")
>>> df.with_columns(pl.col("full_name").ona.pseudonymise(p, kind="name"))

Type checkers do not see registered namespaces; ``ona.polars.OnaExpr(pl.col("full_name"))``
is the same object, typed.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Mapping, Optional, cast

import polars as pl

from . import _ona
from ._batches import PROBLEMS_COLUMN, PseudonymiseColumns, ValidateColumn, _pseudonymiser
from ._types import Errors, IdentifierKind, Lang

__all__ = ["OnaExpr", "pseudonymise", "validate"]


def _pseudonymise_with(
    p: _ona.Pseudonymiser, kind: IdentifierKind, errors: Errors, series: pl.Series
) -> pl.Series:
    return p.pseudonymise_many(series, kind, errors)


@pl.api.register_expr_namespace("ona")
class OnaExpr:
    """``expr.ona``: ona on one polars expression (a String column), batch by batch.

    >>> df.with_columns(pl.col("full_name").ona.pseudonymise(p, kind="name"))
    """

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def pseudonymise(
        self, p: _ona.Pseudonymiser, kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> pl.Expr:
        """The pseudonyms of the expression's values under ``p`` (its domain and policy), as
        :meth:`ona.Pseudonymiser.pseudonymise_many` gives them: ``kind`` is ``text``,
        ``name``, ``document`` or ``national_id:<type>``; a value with no canonical form
        becomes null (with ``errors="null"``, a ``UserWarning`` gives the count) or raises
        (``errors="raise"``). Nulls stay null.

        >>> df.select(pl.col("iin").ona.pseudonymise(p, kind="national_id:KZ_IIN"))
        """
        return self._expr.map_batches(
            partial(_pseudonymise_with, p, kind, errors), return_dtype=pl.String, is_elementwise=True
        )

    def validate(self, lang: Lang = "en") -> pl.Expr:
        """The problems of the case record (JSON text) of each value: a list of
        ``{pointer, code, message}`` (messages in ``lang``), empty for a valid record, null for
        a null one.

        >>> df.select(pl.col("record").ona.validate("ru"))
        """
        spec = ValidateColumn("record", lang, PROBLEMS_COLUMN)
        return self._expr.map_batches(
            partial(_validate_series, spec), return_dtype=_problems_dtype(), is_elementwise=True
        )


def _problems_dtype() -> Any:
    return pl.List(pl.Struct({"pointer": pl.String, "code": pl.String, "message": pl.String}))


def _pseudonymise_series(spec: PseudonymiseColumns, kind: str, series: pl.Series) -> pl.Series:
    p = _pseudonymiser(spec.key_file, spec.domain, spec.policy)
    return p.pseudonymise_many(series, cast(IdentifierKind, kind), cast(Errors, spec.errors))


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
    spec = ValidateColumn(column, lang, output)
    dtype = _problems_dtype()
    return frame.with_columns(
        pl.col(column)
        .map_batches(partial(_validate_series, spec), return_dtype=dtype, is_elementwise=True)
        .alias(output)
    )

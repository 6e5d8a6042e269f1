"""ona on Apache Spark: pseudonymise and validate a Spark DataFrame one Arrow batch at a time,
with ``DataFrame.mapInArrow`` (PySpark 3.3 or later).

Each executor reads the pseudonym key from ``key_file`` itself; the task Spark pickles holds
the path, the domain, the policy text and the column names — never the key. The key file must
be readable at the same path on every executor (a shared owner-only file, or one placed by the
cluster's secret mechanism). Pseudonyms are the same as :meth:`ona.Pseudonymiser.pseudonymise_many`
on the same values.

>>> import ona.spark
>>> out = ona.spark.pseudonymise(df, "pseudonym.key", "kz/almaty",
...                              columns={"full_name": "name", "iin": "national_id:KZ_IIN"})
>>> checked = ona.spark.validate(spark.read.text("cases.jsonl"), column="value")
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from ._batches import PROBLEMS_COLUMN, PseudonymiseColumns, ValidateColumn

__all__ = ["pseudonymise", "validate"]


def pseudonymise(
    df: Any,
    key_file: "os.PathLike[str] | str",
    domain: str,
    columns: Mapping[str, str],
    policy: Optional["os.PathLike[str] | str"] = None,
    errors: str = "null",
) -> Any:
    """``df`` (a ``pyspark.sql.DataFrame``) with each column of ``columns`` (name → identifier
    kind: ``name``, ``document``, ``text``, ``national_id:<code>``) replaced by its pseudonyms
    under ``domain``; the other columns unchanged. ``policy`` is a path or the text of a policy.

    A value with no canonical form becomes null (``errors="null"``) or fails the task
    (``errors="raise"``). Lazy, like every Spark transformation.
    """
    from pyspark.sql.types import StringType, StructField, StructType

    spec = PseudonymiseColumns.of(key_file, domain, columns, policy, errors)
    names = dict(spec.columns)
    for name in names:
        if name not in df.columns:
            raise KeyError(f"column {name!r} is not in the DataFrame (columns: {df.columns})")
    schema = StructType(
        [
            StructField(f.name, StringType(), True) if f.name in names else f
            for f in df.schema.fields
        ]
    )
    return df.mapInArrow(spec.apply_all, schema)


def validate(df: Any, column: str, lang: str = "en", output: str = PROBLEMS_COLUMN) -> Any:
    """``df`` with a column ``output`` added: the problems of the case record (JSON text) in
    ``column``, each ``{pointer, code, message}`` with the message in ``lang``; an empty array
    for a valid record, null for a null one. ``df.filter(F.size("problems") > 0)`` keeps the
    invalid records."""
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    if column not in df.columns:
        raise KeyError(f"column {column!r} is not in the DataFrame (columns: {df.columns})")
    problem = StructType(
        [StructField(n, StringType(), True) for n in ("pointer", "code", "message")]
    )
    schema = StructType(df.schema.fields + [StructField(output, ArrayType(problem), True)])
    return df.mapInArrow(ValidateColumn(column, lang, output).apply_all, schema)

"""Pseudonymisation and validation of one Arrow record batch at a time: what ``ona.spark``,
``ona.dask`` and ``ona.polars`` send to their workers.

A task holds the *path* of the pseudonym key file, never the key: the specs below are plain
data (path, domain, policy text, column names) and each worker process reads the key file
itself, once, into a process-wide cache. The key therefore never travels inside a pickled Spark
task or Dask graph (tests/test_scale_out.py unpickles nothing and finds no key bytes in them).
The executors must be able to read the key file (a shared, owner-only path, or a file
distributed by the cluster's own secret mechanism).

Conversion only; pseudonyms and problems are computed in Rust, as in the in-process calls.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, cast

from . import _ona
from ._columns import _pyarrow
from ._types import Errors, IdentifierKind, Lang

#: The columns a validation adds to a batch, with their Arrow types (see :func:`problem_type`).
PROBLEMS_COLUMN = "problems"

_cache: Dict[Tuple[str, str, Optional[str]], _ona.Pseudonymiser] = {}
_cache_lock = threading.Lock()


def _pseudonymiser(key_file: str, domain: str, policy: Optional[str]) -> _ona.Pseudonymiser:
    """The pseudonymiser of this process for (key file, domain, policy), read once."""
    cache_key = (key_file, domain, policy)
    with _cache_lock:
        p = _cache.get(cache_key)
        if p is None:
            p = _ona.Pseudonymiser.from_key_file(key_file, domain, policy)
            _cache[cache_key] = p
        return p


def _policy_text(policy: Optional["os.PathLike[str] | str"]) -> Optional[str]:
    """The text of a policy: a path is read here, on the driver, so that workers get text."""
    if policy is None:
        return None
    if isinstance(policy, os.PathLike):
        with open(policy, encoding="utf-8") as f:
            return f.read()
    return policy


@dataclass(frozen=True)
class PseudonymiseColumns:
    """Replaces identifier columns of a record batch by their pseudonyms.

    ``columns`` maps a column name to its identifier kind (``name``, ``document``, ``text`` or
    ``national_id:<national_id_type code>``); other columns pass through unchanged. The key is
    read from ``key_file`` by the process that applies the spec.
    """

    key_file: str
    domain: str
    columns: Tuple[Tuple[str, str], ...]
    policy: Optional[str] = None
    errors: str = "null"

    @staticmethod
    def of(
        key_file: "os.PathLike[str] | str",
        domain: str,
        columns: Mapping[str, str],
        policy: Optional["os.PathLike[str] | str"] = None,
        errors: str = "null",
    ) -> "PseudonymiseColumns":
        """A spec, checked on the driver: the key file is read once here so that a wrong path,
        domain, policy or kind fails before any task is sent (the key itself is not kept)."""
        if isinstance(key_file, bytes):
            raise TypeError("key_file is the path of a pseudonym key file, not key bytes")
        if not columns:
            raise ValueError("columns is empty: name at least one column and its kind")
        if errors not in ("null", "raise"):
            raise ValueError(f"errors must be 'null' or 'raise', not {errors!r}")
        spec = PseudonymiseColumns(
            os.fspath(key_file), domain, tuple(columns.items()), _policy_text(policy), errors
        )
        p = _ona.Pseudonymiser.from_key_file(spec.key_file, domain, spec.policy)
        for _, kind in spec.columns:
            p.canonical("", cast(IdentifierKind, kind))  # ValueError naming an unknown kind
        return spec

    def apply(self, batch: Any) -> Any:
        """The batch (``pyarrow.RecordBatch``) with each named column pseudonymised."""
        pa = _pyarrow()
        p = _pseudonymiser(self.key_file, self.domain, self.policy)
        names = batch.schema.names
        arrays = list(batch.columns)
        for column, kind in self.columns:
            if column not in names:
                raise KeyError(f"column {column!r} is not in the batch (columns: {names})")
            i = names.index(column)
            out = p.pseudonymise_many(arrays[i], cast(IdentifierKind, kind), cast(Errors, self.errors))
            arrays[i] = out.cast(pa.string())
        fields = [
            pa.field(f.name, pa.string()) if f.name in dict(self.columns) else f for f in batch.schema
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))

    def apply_all(self, batches: Iterable[Any]) -> Iterator[Any]:
        """Each batch pseudonymised (the shape of Spark's ``mapInArrow`` functions)."""
        for batch in batches:
            yield self.apply(batch)


def problem_type() -> Any:
    """The Arrow type of the problems column: a list of ``{pointer, code, message}``."""
    pa = _pyarrow()
    return pa.list_(
        pa.struct(
            [("pointer", pa.string()), ("code", pa.string()), ("message", pa.string())]
        )
    )


@dataclass(frozen=True)
class ValidateColumn:
    """Validates a column of case records as JSON text, adding a column with each record's
    problems (an empty list for a valid record; null for a null record)."""

    column: str
    lang: str = "en"
    output: str = PROBLEMS_COLUMN

    def apply(self, batch: Any) -> Any:
        """The batch (``pyarrow.RecordBatch``) with the problems column appended."""
        pa = _pyarrow()
        names = batch.schema.names
        if self.column not in names:
            raise KeyError(f"column {self.column!r} is not in the batch (columns: {names})")
        if self.output in names:
            raise ValueError(f"the batch already has a column {self.output!r}")
        texts = batch.column(names.index(self.column)).to_pylist()
        present = [i for i, t in enumerate(texts) if t is not None]
        per_record: List[Optional[List[Dict[str, str]]]] = [
            None if t is None else [] for t in texts
        ]
        for problem in _ona.validate_texts([texts[i] for i in present], cast(Lang, self.lang)):
            row = per_record[present[problem.record]]
            assert row is not None
            row.append(
                {"pointer": problem.pointer, "code": problem.code, "message": problem.message}
            )
        problems = pa.array(per_record, type=problem_type())
        return pa.RecordBatch.from_arrays(
            list(batch.columns) + [problems],
            schema=batch.schema.append(pa.field(self.output, problem_type())),
        )

    def apply_all(self, batches: Iterable[Any]) -> Iterator[Any]:
        """Each batch validated (the shape of Spark's ``mapInArrow`` functions)."""
        for batch in batches:
            yield self.apply(batch)

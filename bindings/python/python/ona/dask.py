"""ona on Dask: pseudonymise and validate a ``dask.dataframe.DataFrame`` one partition at a
time, with ``map_partitions``; each partition goes through Arrow.

Each worker reads the pseudonym key from ``key_file`` itself; the task graph Dask pickles holds
the path, the domain, the policy text and the column names — never the key. Pseudonyms are the
same as :meth:`ona.Pseudonymiser.pseudonymise_many` on the same values.

>>> import ona.dask
>>> out = ona.dask.pseudonymise(ddf, "pseudonym.key", "kz/almaty", columns={"full_name": "name"})
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from ._batches import PROBLEMS_COLUMN, PseudonymiseColumns, ValidateColumn
from ._columns import _pyarrow

__all__ = ["pseudonymise", "validate"]


def _through_arrow(frame: Any, spec: Any) -> Any:
    """One pandas partition through a batch spec, back as pandas with Arrow-backed strings."""
    import pandas as pd

    pa = _pyarrow()
    batch = pa.RecordBatch.from_pandas(frame, preserve_index=False)
    out = spec.apply(batch)
    result = out.to_pandas(types_mapper=pd.ArrowDtype)
    result.index = frame.index
    return result


def pseudonymise(
    ddf: Any,
    key_file: "os.PathLike[str] | str",
    domain: str,
    columns: Mapping[str, str],
    policy: Optional["os.PathLike[str] | str"] = None,
    errors: str = "null",
) -> Any:
    """``ddf`` with each column of ``columns`` (name → identifier kind: ``name``, ``document``,
    ``text``, ``national_id:<code>``) replaced by its pseudonyms under ``domain`` (Arrow string
    columns); the other columns unchanged. ``policy`` is a path or the text of a policy. Lazy."""
    import pandas as pd

    spec = PseudonymiseColumns.of(key_file, domain, columns, policy, errors)
    meta = _through_arrow(ddf._meta, _NoOp()).copy()
    for name, _ in spec.columns:
        if name not in meta.columns:
            raise KeyError(f"column {name!r} is not in the DataFrame (columns: {list(meta.columns)})")
        meta[name] = pd.Series([], dtype=pd.ArrowDtype(_pyarrow().string()))
    return ddf.map_partitions(_through_arrow, spec, meta=meta)


def validate(ddf: Any, column: str, lang: str = "en", output: str = PROBLEMS_COLUMN) -> Any:
    """``ddf`` with a column ``output`` added: the problems of the case record (JSON text) in
    ``column``, a list of ``{pointer, code, message}`` (messages in ``lang``); empty for a valid
    record, null for a null one. Lazy."""
    spec = ValidateColumn(column, lang, output)
    if column not in ddf.columns:
        raise KeyError(f"column {column!r} is not in the DataFrame (columns: {list(ddf.columns)})")
    meta = _through_arrow(ddf._meta, spec)
    return ddf.map_partitions(_through_arrow, spec, meta=meta)


class _NoOp:
    """A spec that changes nothing (for the metadata of an empty partition)."""

    def apply(self, batch: Any) -> Any:
        return batch

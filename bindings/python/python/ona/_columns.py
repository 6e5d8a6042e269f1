"""Arrow columns in and out of ``Pseudonymiser.pseudonymise_many``: which kind of column came
in, how to read it in place as Arrow, and how to give back a column of the same kind.

Conversion only; the pseudonyms are computed in Rust.
"""

from __future__ import annotations

from typing import Any, Callable, Tuple


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("Arrow columns need pyarrow: pip install 'ona[arrow]'") from e
    return pyarrow


def _wrapped(restore: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(out: Any) -> Any:
        from ._frames import arrow_errors

        with arrow_errors("the pseudonyms cannot be given back as the column's kind"):
            return restore(out)

    return run


def arrow_input(values: Any) -> Tuple[Any, Callable[[Any], Any]]:
    """An object exposing ``__arrow_c_array__`` or ``__arrow_c_stream__`` for ``values``, and
    a function turning the resulting Arrow chunked array back into the kind of ``values``.
    A pyarrow error is raised as :class:`ona.ValidationError` (see ``_frames.arrow_errors``)."""
    from ._frames import arrow_errors

    with arrow_errors("the column cannot be read as Arrow strings"):
        data, restore = _arrow_input(values)
    return data, _wrapped(restore)


def _arrow_input(values: Any) -> Tuple[Any, Callable[[Any], Any]]:
    module = type(values).__module__.split(".")[0]
    if module == "pandas":
        return _pandas(values)
    if module == "polars":
        return _polars(values)
    if module == "pyarrow":
        pa = _pyarrow()
        if isinstance(values, pa.ChunkedArray):
            return values, pa.chunked_array
        if isinstance(values, pa.Array):
            return values, _one_array
    if hasattr(values, "__arrow_c_stream__") or hasattr(values, "__arrow_c_array__"):
        try:
            pa = _pyarrow()
        except ImportError:
            return values, lambda out: out
        return values, pa.chunked_array
    raise TypeError(
        "pseudonymise_many takes a list of str or an Arrow string column (pyarrow, polars, "
        f"pandas), not {type(values).__name__}"
    )


def _one_array(out: Any) -> Any:
    """The pseudonyms of a pyarrow Array as one Array: the only chunk as it is (no copy), more
    chunks (over 4M values) joined."""
    pa = _pyarrow()
    chunked = pa.chunked_array(out)
    return chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()


def _pandas(series: Any) -> Tuple[Any, Callable[[Any], Any]]:
    import pandas as pd

    pa = _pyarrow()
    if not isinstance(series, pd.Series):
        raise TypeError(f"pseudonymise_many takes a pandas Series, not {type(series).__name__}")
    array = series.array
    if hasattr(array, "__arrow_array__"):
        data = array.__arrow_array__()  # Arrow-backed: the buffers themselves, no copy
    else:
        data = pa.array(series, type=pa.large_string(), from_pandas=True)  # object dtype: one copy

    def restore(out: Any) -> Any:
        column = pd.arrays.ArrowExtensionArray(pa.chunked_array(out))
        return pd.Series(column, index=series.index, name=series.name)

    return data, restore


def _polars(series: Any) -> Tuple[Any, Callable[[Any], Any]]:
    import polars as pl

    pa = _pyarrow()
    data = series if hasattr(series, "__arrow_c_stream__") else series.to_arrow()

    def restore(out: Any) -> Any:
        return pl.Series(series.name, pa.chunked_array(out))

    return data, restore

"""ona: the case data standard and privacy toolkit of the Mother's Home network.

The same Rust core as the ``ona`` command line, with the same results:

- the standard: :func:`validate`, :func:`check`, :func:`json_schema`, :func:`codes`,
  :func:`codelists`, :func:`synth`;
- pseudonymisation: :class:`Pseudonymiser` (``pseudonymise``, ``pseudonymise_cases``,
  ``pseudonymise_many`` on lists and Arrow columns); k-anonymity per woman:
  :func:`k_anonymise` on pseudonymised records, :func:`k_anonymise_frame` on a DataFrame;
- sealed exports: :class:`Identity`, :func:`seal`, :func:`open`, :func:`seal_file`,
  :func:`open_file`, :class:`Sealer`, :class:`Opener`, :func:`inspect`;
- import through a mapping: :func:`import_file`, :func:`import_frame` (pandas or polars) giving
  :class:`Imported` (cases, and a DataFrame of problems);
- reports: :func:`report`, :func:`dp_plan`, :func:`merge`, :class:`Report`;
- DataFrames: :func:`read_jsonl`, :func:`read_sealed` (with codelist labels in a language).

Errors are subclasses of :class:`OnaError`; I/O failures are Python's own ``OSError``.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _ona
from ._ona import (
    SCHEMA_VERSION,
    BudgetExceededError,
    DecryptionError,
    Directory,
    DirectoryError,
    FormatError,
    Identity,
    KeyFormatError,
    MappingError,
    OnaError,
    Opened,
    Opener,
    PolicyError,
    Problem,
    Pseudonymiser,
    Report,
    ReportError,
    SealError,
    Sealer,
    SignatureError,
    ValidationError,
    __version__,
    inspect,
    merge,
    new_pseudonym_key_file,
    open,
    open_file,
    seal,
    seal_file,
)
from ._exchange import export_cases, receive, report_from_exports
from ._import import Imported, import_file, import_frame

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "SCHEMA_VERSION",
    "BudgetExceededError",
    "DecryptionError",
    "Directory",
    "DirectoryError",
    "FormatError",
    "Identity",
    "Imported",
    "KeyFormatError",
    "MappingError",
    "OnaError",
    "Opened",
    "Opener",
    "PolicyError",
    "Problem",
    "Pseudonymiser",
    "Report",
    "ReportError",
    "SealError",
    "Sealer",
    "SignatureError",
    "ValidationError",
    "__version__",
    "check",
    "codelists",
    "codes",
    "dp_plan",
    "export_cases",
    "import_file",
    "import_frame",
    "inspect",
    "json_schema",
    "k_anonymise",
    "k_anonymise_frame",
    "merge",
    "new_pseudonym_key_file",
    "open",
    "open_file",
    "read_jsonl",
    "read_sealed",
    "receive",
    "report",
    "report_from_exports",
    "seal",
    "seal_file",
    "synth",
    "synth_jsonl",
    "validate",
]

Record = Union[Dict[str, Any], str]
"""A case record: a dict, or its JSON text."""

PathLike = Union[str, "os.PathLike[str]"]


def _text(record: Record) -> str:
    return record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)


def _lines(path: PathLike) -> List[str]:
    with io.open(path, encoding="utf-8") as f:
        return [line for line in f if line.strip()]


def _texts(records: Union[Record, PathLike, Iterable[Record]]) -> List[str]:
    if isinstance(records, dict):
        return [_text(records)]
    if isinstance(records, str):
        return [records]
    if isinstance(records, os.PathLike):
        return _lines(records)
    return [_text(r) for r in records]


def validate(
    records: Union[Record, "os.PathLike[str]", Iterable[Record]], lang: str = "en"
) -> List[Problem]:
    """Every problem of the case records, messages in ``lang``; an empty list when all are valid.

    ``records`` is one record (a dict or JSON text), a path to a JSON Lines file (a
    ``pathlib.Path``; blank lines are skipped), or an iterable of records. ``Problem.record``
    is the index of the record in that sequence.
    """
    return _ona.validate_texts(_texts(records), lang)


def check(record: Record, lang: str = "en") -> Dict[str, Any]:
    """The record as the standard writes it (migrated to the current version), or
    :class:`ValidationError` listing every problem."""
    result: Dict[str, Any] = json.loads(_ona.check_text(_text(record), lang))
    return result


def json_schema() -> Dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of a case record."""
    schema: Dict[str, Any] = json.loads(_ona.json_schema_text())
    return schema


def codelists() -> List[str]:
    """The ids of every codelist (core lists and country extensions)."""
    return _ona.codelist_ids()


def codes(name: str, lang: str = "en") -> Dict[str, Optional[str]]:
    """The codes of codelist ``name`` with their labels in ``lang`` (en, ru, kk, uz, uk, ms, tr)."""
    return dict(_ona.codes(name, lang))


def synth(n: int, seed: int = 1, start: int = 0) -> List[Dict[str, Any]]:
    """Synthetic case records ``start .. start+n`` of ``seed``: the same as ``ona synth``."""
    return [json.loads(t) for t in _ona.synth_texts(n, seed, start)]


def synth_jsonl(path: PathLike, n: int, seed: int = 1) -> None:
    """Writes ``n`` synthetic case records of ``seed`` to ``path`` as JSON Lines (atomically)."""
    _ona.synth_file(os.fspath(path), n, seed)


def _dec(x: Union[str, float, None]) -> Optional[str]:
    return None if x is None else str(x)


def _domain(d: Union[PathLike, Dict[str, Any], None]) -> Optional[str]:
    if d is None:
        return None
    if isinstance(d, dict):
        return json.dumps(d)
    return Path(os.fspath(d)).read_text(encoding="utf-8")


def report(
    cases: Union[PathLike, Iterable[Record]],
    *,
    by: str = "country,year",
    period: Optional[str] = None,
    k: int = 5,
    indicators: Optional[Sequence[str]] = None,
    dp_epsilon: Union[str, float, None] = None,
    dp_delta: Union[str, float, None] = None,
    dp_domain: Union[PathLike, Dict[str, Any], None] = None,
    dp_max_cases_per_woman: int = 1,
    ledger_dir: Optional[PathLike] = None,
    ledger_key: Optional[PathLike] = None,
    dp_budget: Union[str, float] = "1",
    dp_budget_delta: Union[str, float] = "0.00001",
    label: Optional[str] = None,
    release_log: Optional[PathLike] = None,
) -> Report:
    """A report over pseudonymised cases, with the options of ``ona report``.

    ``cases`` is a path to a JSON Lines file of pseudonymised cases, or an iterable of them
    (dicts or JSON texts). ``by`` lists the breakdown dimensions; counts from 1 to ``k``-1 are
    suppressed; ``indicators`` chooses the indicators to publish (default: all). With
    ``dp_epsilon`` the counts get differentially private noise (discrete Laplace; discrete
    Gaussian with ``dp_delta``) over the public domain ``dp_domain`` (a dict or a JSON file:
    populations, centres, periods), the budget goes only to the chosen indicators, and the
    release is first charged to each declared population's ledger in ``ledger_dir``,
    authenticated with the hub's key file ``ledger_key``; past a budget it is refused with
    :class:`BudgetExceededError`. With ``release_log`` (a directory, and ``ledger_key``) the
    report is audited together with the earlier releases of its populations logged there: cells
    are suppressed further, or the release is refused with :class:`ReportError` naming the
    earlier release; on success it is logged (``ona report --release-log``).
    """
    texts: List[str] = []
    paths: List[str] = []
    if isinstance(cases, (str, os.PathLike)):
        paths.append(os.fspath(cases))
    else:
        texts = [_text(c) for c in cases]
    return _ona.build_report(
        texts,
        paths,
        by=by,
        period=period,
        k=k,
        indicators=None if indicators is None else list(indicators),
        dp_epsilon=_dec(dp_epsilon),
        dp_delta=_dec(dp_delta),
        dp_domain=_domain(dp_domain),
        dp_max_cases_per_woman=dp_max_cases_per_woman,
        ledger_dir=None if ledger_dir is None else os.fspath(ledger_dir),
        ledger_key=None if ledger_key is None else os.fspath(ledger_key),
        dp_budget=str(dp_budget),
        dp_budget_delta=str(dp_budget_delta),
        label=label,
        release_log=None if release_log is None else os.fspath(release_log),
    )


def dp_plan(
    *,
    dp_epsilon: Union[str, float],
    dp_domain: Union[PathLike, Dict[str, Any]],
    by: str = "country,year",
    period: Optional[str] = None,
    indicators: Optional[Sequence[str]] = None,
    dp_delta: Union[str, float, None] = None,
    dp_max_cases_per_woman: int = 1,
) -> List[Dict[str, Any]]:
    """Each table's noise (``scale``: Laplace scale or Gaussian sigma) and 95 % accuracy
    (``margin_95`` for one cell, ``total_margin_95`` for the table's grand total) of the
    release :func:`report` would make with these options; nothing is read or spent."""
    domain = _domain(dp_domain)
    assert domain is not None
    return _ona.dp_plan(
        str(dp_epsilon),
        domain,
        by=by,
        period=period,
        indicators=None if indicators is None else list(indicators),
        dp_delta=_dec(dp_delta),
        dp_max_cases_per_woman=dp_max_cases_per_woman,
    )


def k_anonymise(
    records: Iterable[Record],
    k: int,
    *,
    qi: Optional[List[str]] = None,
    l: Optional[int] = None,  # noqa: E741 - the l of l-diversity
) -> "tuple[List[Dict[str, Any]], Dict[str, Any]]":
    """Pseudonymised records (as ``Pseudonymiser.pseudonymise_cases`` gives them) made
    k-anonymous per woman: every group of equal quasi-identifiers ``qi`` (default: the CLI's,
    most identifying first) holds at least ``k`` distinct women (mother pseudonyms), by
    suppressing values and, where that cannot hide a record, removing it. With ``l`` every
    group also holds ``l`` distinct relinquishment intents. Returns the released records and
    the risk report (in women and records): the same as ``ona pseudonymise --k`` on the same
    cases.
    """
    out, report_text = _ona.k_anonymise_records(list(records), k, qi=qi, l=l)
    return out, json.loads(report_text)


def k_anonymise_frame(
    frame: Any,
    k: int,
    *,
    woman: str,
    qi: List[str],
    l: Optional[int] = None,  # noqa: E741 - the l of l-diversity
    sensitive: Optional[str] = None,
) -> "tuple[Any, Dict[str, Any]]":
    """A pandas or polars DataFrame made k-anonymous per woman over its columns ``qi`` (most
    identifying first): column ``woman`` says which woman each row is about (e.g. a mother
    pseudonym column; a missing value counts as a woman of her own), so several rows of one
    woman count once. Suppressed values become null; rows that cannot be hidden are left out.
    With ``l`` and ``sensitive``, every group holds ``l`` distinct values of that column (else
    they are nulled). Values are compared as text. Returns the new frame and the risk report.
    """

    def text_list(col: str) -> List[Optional[str]]:
        values = frame[col].to_list()
        return [None if v is None or v != v else str(v) for v in values]

    women = text_list(woman)
    columns = [text_list(c) for c in qi]
    sens = text_list(sensitive) if sensitive is not None else None
    keep, cells, sens_cells, report_text = _ona.k_anonymise_table(
        women, columns, list(qi), k, l=l, sensitive=sens
    )
    targets = list(qi) + ([sensitive] if sensitive is not None else [])
    masks = cells + ([sens_cells] if sensitive is not None else [])
    if hasattr(frame, "loc"):  # pandas
        out = frame.copy()
        for col, mask in zip(targets, masks):
            out[col] = out[col].astype(object)
            out.loc[mask, col] = None
        out = out.loc[keep]
    else:  # polars
        import polars as pl

        out = frame.with_columns(
            [
                pl.Series(col, [None if m else v for v, m in zip(frame[col].to_list(), mask)],
                          dtype=frame[col].dtype)
                for col, mask in zip(targets, masks)
            ]
        ).filter(pl.Series(keep))
    return out, json.loads(report_text)


def _frame(data: bytes, lang: Optional[str]) -> "pandas.DataFrame":
    import pandas as pd
    import pyarrow as pa
    import pyarrow.json as pj

    data = _ona.cases_jsonl(data, lang)  # packed cases to JSON Lines; codes to labels
    if not data.strip():
        return pd.DataFrame()
    table = pj.read_json(io.BytesIO(data))
    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    return table.to_pandas()


def read_jsonl(path: PathLike, lang: Optional[str] = None) -> "pandas.DataFrame":
    """A file of case records (JSON Lines, pseudonymised or not, or the packed form of
    pseudonymised cases) as a pandas DataFrame, read through pyarrow: one row per record, nested
    objects flattened into ``a.b`` columns, lists (children, services…) as list columns. With
    ``lang``, codelist codes become their labels."""
    return _frame(Path(path).read_bytes(), lang)


def read_sealed(
    path: PathLike,
    key: Identity,
    sender: Optional[str] = None,
    lang: Optional[str] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
) -> "pandas.DataFrame":
    """A sealed export of cases opened with ``key`` straight into a pandas DataFrame, as
    :func:`read_jsonl` does; nothing is written to disk. The sender is checked as
    :func:`open` does: name ``sender`` or ``directory``, or pass ``any_sender=True``."""
    opened = open(Path(path).read_bytes(), key, sender, directory=directory, any_sender=any_sender)
    return _frame(opened.data, lang)

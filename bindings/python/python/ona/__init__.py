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
- DataFrames (pandas or polars, ``backend=``): :func:`to_frame`, :func:`read_jsonl`,
  :func:`read_sealed` (with codelist labels in a language); :func:`report` and
  :func:`validate` take a DataFrame or Arrow table of records; ``Report.to_pandas()`` and
  ``Report.to_polars()`` give tidy frames; ``import ona.polars`` adds the ``.ona`` expression
  namespace (``pl.col("name").ona.pseudonymise(p, kind="name")``).

**One rule for ``str`` arguments.** Where records are expected (:func:`validate`,
:func:`check`, :func:`report`, :func:`to_frame`, ``Pseudonymiser.pseudonymise``) a ``str`` is
the JSON text of one record, never a file name: a ``str`` that is not JSON text (does not
start with ``{``) is refused with ``TypeError`` naming the function for files. A file is a
``pathlib.Path`` (any ``os.PathLike``) where a function takes records or a file
(:func:`report`), and a ``str`` or a ``Path`` where it takes only files (:func:`validate_file`,
:func:`read_jsonl`, :func:`read_sealed`, :func:`seal_file`, :func:`import_file`…). Options that
take a document follow the same rule: ``policy=`` is the policy's text as a ``str`` or a file
as a ``Path``.

The value sets of ``lang``, ``kind``, ``by`` and ``indicators`` are ``Literal`` types in
``ona._types`` (``Lang``, ``IdentifierKind``, ``Dimension``, ``Indicator``), checked by mypy.

Errors are subclasses of :class:`OnaError`; I/O failures are Python's own ``OSError``; a bad
argument is ``TypeError`` or ``ValueError``. A pyarrow failure while reading records is an
:class:`ValidationError` (with the pyarrow error as its ``__cause__``).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Literal, Optional, Sequence, Union, overload

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
    PolicyError,
    Problem,
    Pseudonymiser,
    PseudonymKeyError,
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
from . import _frames
from ._exchange import (ReceivedRecords, export_cases, receive, receive_records,
                        report_from_exports)
from ._import import Imported, import_file, import_frame
from ._opener import Opener
from ._types import Backend, By, Dimension, IdentifierKind, Indicator, Lang, Period

if TYPE_CHECKING:  # pragma: no cover
    # Aliased: a bare `import polars` would shadow the submodule `ona.polars` for type checkers.
    import pandas as _pandas
    import polars as _polars

__all__ = [
    "SCHEMA_VERSION",
    "Backend",
    "By",
    "Dimension",
    "IdentifierKind",
    "Indicator",
    "Lang",
    "Period",
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
    "PseudonymKeyError",
    "Pseudonymiser",
    "ReceivedRecords",
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
    "receive_records",
    "report",
    "report_from_exports",
    "seal",
    "seal_file",
    "synth",
    "synth_jsonl",
    "to_frame",
    "validate",
    "validate_file",
]

Record = Union[Dict[str, Any], str]
"""A case record: a dict, or its JSON text."""

PathLike = Union[str, "os.PathLike[str]"]


def _text(record: Record) -> str:
    return record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)


def _lines(path: PathLike) -> List[str]:
    with io.open(path, encoding="utf-8") as f:
        return [line for line in f if line.strip()]


def _json_text(text: str, function: str, for_files: str) -> str:
    """``text`` if it is JSON text of a record; else the ``TypeError`` of the ``str`` rule."""
    if text.lstrip().startswith("{"):
        return text
    shown = text if len(text) <= 60 else text[:57] + "..."
    raise TypeError(
        f"{function}() takes records, and a str is the JSON text of one record: {shown!r} is "
        f"not. For a file use {for_files}"
    )


def _texts(records: Any, function: str, for_files: str) -> List[str]:
    """The JSON texts of records given as one record (dict or JSON text), an iterable of
    records, or a DataFrame / Arrow table (one record per row)."""
    if isinstance(records, dict):
        return [_text(records)]
    if isinstance(records, str):
        return [_json_text(records, function, for_files)]
    if isinstance(records, (bytes, os.PathLike)):
        raise TypeError(f"{function}() takes records, not {type(records).__name__}: for a file "
                        f"use {for_files}")
    if _frames.is_frame(records):
        return _frames.record_texts(records)
    return [_text(r) for r in records]


def validate(records: Any, lang: Lang = "en") -> List[Problem]:
    """Every problem of the case records, messages in ``lang``; an empty list when all are valid.

    ``records`` is one record (a dict or its JSON text), an iterable of records (dicts or JSON
    texts), or a pandas / polars DataFrame or Arrow table with one record per row (columns as
    :func:`read_jsonl` gives them: nested fields as ``a.b``; a null cell is an absent field).
    ``Problem.record`` is the index of the record (row) in that sequence. A ``str`` is JSON
    text, never a file name (see the module's rule): files go to :func:`validate_file`.
    ``lang``: en, ru, kk, uz, uk, ms, tr.

    >>> ona.validate({"schema_version": "1.0"})[0].code
    'missing_field'
    >>> ona.validate(ona.read_jsonl("cases.jsonl"))   # a DataFrame: problems per row
    []
    """
    return _ona.validate_texts(_texts(records, "validate", "ona.validate_file(path)"), lang)


def validate_file(path: PathLike, lang: Lang = "en") -> List[Problem]:
    """Every problem of the records of a JSON Lines file (``str`` or ``pathlib.Path``);
    ``Problem.record`` is the index of the record in the file, blank lines not counted.

    >>> ona.validate_file("cases.jsonl", lang="ru")
    []
    """
    return _ona.validate_texts(_lines(path), lang)


def check(record: Record, lang: Lang = "en") -> Dict[str, Any]:
    """The record (a dict or its JSON text) as the standard writes it (migrated to the current
    version), or :class:`ValidationError` listing every problem (messages in ``lang``).

    >>> ona.check(ona.synth(1)[0])["schema_version"]
    '1.0'
    """
    text = _json_text(record, "check", "ona.validate_file(path)") if isinstance(record, str) else _text(record)
    result: Dict[str, Any] = json.loads(_ona.check_text(text, lang))
    return result


def json_schema() -> Dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of a case record, as a dict.

    >>> ona.json_schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    schema: Dict[str, Any] = json.loads(_ona.json_schema_text())
    return schema


def codelists() -> List[str]:
    """The ids of every codelist (core lists and country extensions), for :func:`codes`.

    >>> "case_status" in ona.codelists()
    True
    """
    return _ona.codelist_ids()


def codes(name: str, lang: Lang = "en") -> Dict[str, Optional[str]]:
    """The codes of codelist ``name`` (one of :func:`codelists`) with their labels in ``lang``
    (en, ru, kk, uz, uk, ms, tr); an unknown list or language raises ``ValueError``.

    >>> ona.codes("case_status", "ru")["open"]
    'Открыт'
    """
    return dict(_ona.codes(name, lang))


def synth(n: int, seed: int = 1, start: int = 0) -> List[Dict[str, Any]]:
    """Synthetic case records ``start .. start+n`` of ``seed`` as dicts: the same as
    ``ona synth`` (valid in the standard, with no real person in them).

    >>> len(ona.synth(10, seed=2026))
    10
    """
    return [json.loads(t) for t in _ona.synth_texts(n, seed, start)]


def synth_jsonl(path: PathLike, n: int, seed: int = 1) -> None:
    """Writes ``n`` synthetic case records of ``seed`` to ``path`` (``str`` or
    ``pathlib.Path``) as JSON Lines, atomically: the file appears only complete.

    >>> ona.synth_jsonl("cases.jsonl", 1000, seed=7)
    """
    _ona.synth_file(os.fspath(path), n, seed)


def _dec(x: Union[str, float, None]) -> Optional[str]:
    return None if x is None else str(x)


def _domain(d: Union[PathLike, Dict[str, Any], None]) -> Optional[str]:
    if d is None:
        return None
    if isinstance(d, dict):
        return json.dumps(d)
    if isinstance(d, str) and d.lstrip().startswith("{"):
        return d  # JSON text, by the str rule
    return Path(os.fspath(d)).read_text(encoding="utf-8")


def _by(by: By) -> str:
    return by if isinstance(by, str) else ",".join(by)


def report(
    cases: Any,
    *,
    by: By = "country,year",
    period: Optional[str] = None,
    k: int = 5,
    indicators: Optional[Sequence[Indicator]] = None,
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
    lp_protect: Optional[bool] = None,
) -> Report:
    """A report over pseudonymised cases, with the options of ``ona report``.

    ``cases`` is a JSON Lines file of pseudonymised cases as a ``pathlib.Path``, or the records
    themselves: an iterable of dicts or JSON texts, or a pandas / polars DataFrame or Arrow
    table with one record per row (as :func:`read_jsonl` and :func:`to_frame` give them; rows
    go to the core as JSON texts in memory, no file is written). A ``str`` is JSON text, not a
    file name (the module's rule). ``by`` lists the breakdown dimensions (a list such as
    ``["country", "quarter"]`` or their text ``"country,quarter"``; valid: country, admin1,
    centre, month, quarter, year, mother_age, child_age, referral_source, risk_factor,
    service_type, outcome); counts from 1 to ``k``-1 are suppressed; ``period`` keeps only
    events in ``2025``, ``2025-Q3`` or ``2025-07``; ``indicators`` chooses the indicators to
    publish (default: all; see ``ona._types.Indicator``). With ``dp_epsilon`` the counts get
    differentially private noise (discrete Laplace; discrete Gaussian with ``dp_delta``) over
    the public domain ``dp_domain`` (a dict, its JSON text or a JSON file: populations,
    centres, periods), the budget goes only to the chosen indicators, and the release is first
    charged to each declared population's ledger in ``ledger_dir``, authenticated with the
    hub's key file ``ledger_key``; past a budget it is refused with
    :class:`BudgetExceededError`. With ``release_log`` (a directory, and ``ledger_key``) the
    report is audited together with the earlier releases of its populations logged there: cells
    are suppressed further, or the release is refused with :class:`ReportError` naming the
    earlier release; on success it is logged (``ona report --release-log``). ``lp_protect``
    (``ona report --lp-protect``/``--no-lp-protect``; ``None``: the core's default) suppresses
    more cells until every small count is certified against an attacker who solves linear
    programs over the published totals (see ``ona audit``).

    >>> r = ona.report(Path("pseudonymised.jsonl"), by=["country", "quarter"], k=5)
    >>> cells = r.to_pandas().query("indicator == 'women_served' and not total")
    >>> bool(cells["country"].notna().all()), bool(cells["period"].notna().all())
    (True, True)
    """
    texts: List[str] = []
    paths: List[str] = []
    if isinstance(cases, os.PathLike):
        paths.append(os.fspath(cases))
    else:
        texts = _texts(cases, "report", "ona.report(pathlib.Path(path))")
    return _ona.build_report(
        texts,
        paths,
        by=_by(by),
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
        lp_protect=lp_protect,
    )


def dp_plan(
    *,
    dp_epsilon: Union[str, float],
    dp_domain: Union[PathLike, Dict[str, Any]],
    by: By = "country,year",
    period: Optional[str] = None,
    indicators: Optional[Sequence[Indicator]] = None,
    dp_delta: Union[str, float, None] = None,
    dp_max_cases_per_woman: int = 1,
) -> List[Dict[str, Any]]:
    """Each table's noise (``scale``: Laplace scale or Gaussian sigma) and 95 % accuracy
    (``margin_95`` for one cell, ``total_margin_95`` for the table's grand total) of the
    release :func:`report` would make with these options (the same as :func:`report`'s);
    nothing is read or spent.

    >>> plan = ona.dp_plan(dp_epsilon=0.5, dp_domain=Path("domain.json"), indicators=["women_served"])
    >>> plan[0]["indicator"], plan[0]["scale"]
    ('women_served', 2.0)
    """
    domain = _domain(dp_domain)
    assert domain is not None
    return _ona.dp_plan(
        str(dp_epsilon),
        domain,
        by=_by(by),
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
    cases. ``k`` ≥ 2; ``qi`` holds JSON Pointers of the records (``/mother/age_band``…).

    >>> released, risk = ona.k_anonymise(p.pseudonymise_cases(cases), 5, l=2)
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

    >>> out, risk = ona.k_anonymise_frame(df, 5, woman="mother", qi=["citizenship", "age_band"])
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


@overload
def to_frame(
    records: Any, lang: Optional[Lang] = None, backend: Literal["pandas"] = "pandas"
) -> "_pandas.DataFrame": ...
@overload
def to_frame(
    records: Any, lang: Optional[Lang] = None, *, backend: Literal["polars"]
) -> "_polars.DataFrame": ...
def to_frame(records: Any, lang: Optional[Lang] = None, backend: Backend = "pandas") -> Any:
    """Case records (dicts or JSON texts, pseudonymised or not) as a DataFrame of ``backend``
    (``"pandas"`` or ``"polars"``), in memory: one row per record, nested objects flattened
    into ``a.b`` columns, lists (children, services…) as list columns, dates as ISO text. With
    ``lang`` (en, ru, kk, uz, uk, ms, tr), codelist codes become their labels. The frame goes
    back to records with :func:`report` and :func:`validate`.

    >>> df = ona.to_frame(p.pseudonymise_cases(cases), backend="polars")
    >>> df.height, df.group_by("centre.country").len()["len"].sum()
    (60, 60)
    """
    texts = _texts(records, "to_frame", "ona.read_jsonl(path)")
    return _frames.frame_of_jsonl(_frames.records_jsonl(texts), lang, backend)


@overload
def read_jsonl(
    path: PathLike, lang: Optional[Lang] = None, backend: Literal["pandas"] = "pandas"
) -> "_pandas.DataFrame": ...
@overload
def read_jsonl(
    path: PathLike, lang: Optional[Lang] = None, *, backend: Literal["polars"]
) -> "_polars.DataFrame": ...
def read_jsonl(path: PathLike, lang: Optional[Lang] = None, backend: Backend = "pandas") -> Any:
    """A file (``str`` or ``pathlib.Path``) of case records — JSON Lines, pseudonymised or not,
    or the packed form of pseudonymised cases — as a DataFrame of ``backend`` (``"pandas"`` or
    ``"polars"``), read through pyarrow: one row per record, nested objects flattened into
    ``a.b`` columns, lists (children, services…) as list columns. With ``lang``, codelist
    codes become their labels. A line that is not a JSON object raises ``ValueError`` naming
    it.

    >>> ona.read_jsonl("pseudonymised.jsonl", lang="ru", backend="polars").height
    60
    """
    return _frames.frame_of_jsonl(Path(path).read_bytes(), lang, backend)


@overload
def read_sealed(
    path: PathLike,
    key: Identity,
    sender: Optional[str] = None,
    lang: Optional[Lang] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
    backend: Literal["pandas"] = "pandas",
) -> "_pandas.DataFrame": ...
@overload
def read_sealed(
    path: PathLike,
    key: Identity,
    sender: Optional[str] = None,
    lang: Optional[Lang] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
    backend: Literal["polars"],
) -> "_polars.DataFrame": ...
def read_sealed(
    path: PathLike,
    key: Identity,
    sender: Optional[str] = None,
    lang: Optional[Lang] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
    backend: Backend = "pandas",
) -> Any:
    """A sealed export of cases opened with ``key`` straight into a DataFrame of ``backend``
    (``"pandas"`` or ``"polars"``), as :func:`read_jsonl` does; nothing is written to disk. The
    sender is checked as :func:`open` does: name ``sender`` or ``directory``, or pass
    ``any_sender=True``.

    >>> ona.read_sealed("cases.ona", hub, directory=d, backend="polars").height
    60
    """
    opened = open(Path(path).read_bytes(), key, sender, directory=directory, any_sender=any_sender)
    return _frames.frame_of_jsonl(opened.data, lang, backend)

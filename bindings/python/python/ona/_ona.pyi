"""Type stubs of the compiled module ``ona._ona`` (checked by ``mypy.stubtest`` in the tests)."""

from os import PathLike
from types import TracebackType
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type, Union, final, overload

import pandas as pd
import polars as pl
import pyarrow as pa

from ._types import Content, Errors, IdentifierKind, Lang


__version__: str
SCHEMA_VERSION: str

_Path = Union[str, PathLike[str]]

class OnaError(Exception):
    """Root of every error raised by ona."""

    error_class: str

class ValidationError(OnaError):
    """A record is not valid; ``problems`` lists every problem."""

    problems: List[Problem]

class KeyFormatError(OnaError):
    """A key, identity or key file cannot be read."""

class PseudonymKeyError(KeyFormatError):
    """A pseudonymisation key or domain cannot be used."""

class PolicyError(OnaError):
    """A pseudonymisation policy is invalid."""

class SealError(OnaError):
    """Sealing failed (recipients, manifest)."""

class DecryptionError(OnaError):
    """A sealed file cannot be opened with this key, or was modified, truncated or reordered."""

    kind: str

class FormatError(DecryptionError):
    """The file is not a sealed export this version reads."""

class SignatureError(OnaError):
    """The sender's signature does not verify, or the file is from another sender."""

    kind: str

class DirectoryError(OnaError):
    """A network directory does not verify (signature, signer, serial) or is malformed."""

class ReportError(OnaError):
    """A report specification or input is invalid."""

class BudgetExceededError(ReportError):
    """A differentially private release would exceed the dataset's privacy budget."""

class MappingError(OnaError):
    """An import mapping is invalid, or the export cannot be read or does not fit it."""

@final
class Problem:
    """One problem of an invalid record."""

    @property
    def record(self) -> int: ...
    @property
    def pointer(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def params(self) -> List[Tuple[str, str]]: ...

def validate_texts(texts: Sequence[str], lang: Lang = "en") -> List[Problem]: ...
def check_text(text: str, lang: Lang = "en") -> str: ...
def json_schema_text() -> str: ...
def codelist_ids() -> List[str]: ...
def codes(name: str, lang: Lang = "en") -> List[Tuple[str, Optional[str]]]: ...
def cases_jsonl(data: bytes, lang: Optional[Lang] = None) -> bytes: ...
_ProblemTuple = Tuple[
    str, int, Optional[str], Optional[str], Optional[str], str, str, str
]
_Outcome = Tuple[bytes, bytes, List[_ProblemTuple]]

def import_file(
    path: _Path, mapping_text: str, json: bool = False, lang: str = "en"
) -> _Outcome: ...
def import_columns(
    tables: Sequence[Tuple[Optional[str], Sequence[Tuple[str, Sequence[Any]]]]],
    mapping_text: str,
    json: bool = False,
    lang: str = "en",
) -> _Outcome: ...
def synth_texts(n: int, seed: int, start: int = 0) -> List[str]: ...
def synth_file(path: _Path, n: int, seed: int) -> None: ...
def new_pseudonym_key_file(path: _Path, overwrite: bool = False) -> None:
    """Writes a new random pseudonymisation master key file (owner-only), as ``ona pseudonym-key``."""

def k_anonymise_records(
    records: List[Any], k: int, qi: Optional[List[str]] = None, l: Optional[int] = None
) -> Tuple[List[Dict[str, Any]], str]: ...
def k_anonymise_table(
    women: List[Optional[str]],
    columns: List[List[Optional[str]]],
    names: List[str],
    k: int,
    l: Optional[int] = None,
    sensitive: Optional[List[Optional[str]]] = None,
) -> Tuple[List[bool], List[List[bool]], List[bool], str]: ...
@final
class Pseudonymiser:
    """Pseudonymises cases and identifiers under one domain key and one policy."""

    def __new__(
        cls,
        key: bytes,
        domain: str,
        policy: Union[str, PathLike[str], None] = None,
        generation: int = 1,
    ) -> Pseudonymiser: ...
    @staticmethod
    def from_key_file(
        path: _Path, domain: str, policy: Union[str, PathLike[str], None] = None
    ) -> Pseudonymiser: ...
    @property
    def domain(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    def canonical(self, value: str, kind: IdentifierKind = "text") -> Optional[str]: ...
    def pseudonym_of(self, value: str, kind: IdentifierKind = "text") -> Optional[str]: ...
    @overload
    def pseudonymise_many(
        self, values: List[Optional[str]], kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> List[Optional[str]]: ...
    @overload
    def pseudonymise_many(
        self, values: List[str], kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> List[Optional[str]]: ...
    @overload
    def pseudonymise_many(
        self, values: pl.Series, kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> pl.Series: ...
    @overload
    def pseudonymise_many(
        self, values: pd.Series, kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> pd.Series: ...
    @overload
    def pseudonymise_many(
        self, values: pa.ChunkedArray[Any], kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> pa.ChunkedArray[Any]: ...
    @overload
    def pseudonymise_many(
        self, values: pa.Array[Any], kind: IdentifierKind = "text", errors: Errors = "null"
    ) -> pa.Array[Any]: ...
    def pseudonymise(self, record: Union[Dict[str, Any], str], lang: Lang = "en") -> Dict[str, Any]: ...
    def pseudonymise_cases(
        self, records: Iterable[Union[Dict[str, Any], str]], lang: Lang = "en"
    ) -> List[Dict[str, Any]]: ...

@final
class Identity:
    """An organisation's identity: X25519 for encryption, Ed25519 for signing."""

    @staticmethod
    def generate() -> Identity: ...
    @staticmethod
    def from_file(path: _Path) -> Identity: ...
    def save(self, path: _Path, overwrite: bool = False) -> None: ...
    @property
    def encryption_public(self) -> str: ...
    @property
    def signing_public(self) -> str: ...

@final
class Opened:
    """An opened and fully verified export."""

    @property
    def manifest(self) -> Dict[str, Any]: ...
    @property
    def data(self) -> bytes: ...
    @property
    def sender_verified(self) -> bool: ...

@final
class Directory:
    """A network directory verified against the pinned hub signing key."""

    @staticmethod
    def verify(data: bytes, hub: str, min_serial: int = 0) -> Directory: ...
    @property
    def serial(self) -> int: ...
    @property
    def network(self) -> str: ...
    @property
    def organisations(self) -> List[Dict[str, Any]]: ...
    def recipient(self, id: str) -> str: ...

def seal(
    data: bytes,
    to: Union[str, Sequence[str]],
    sign: Identity,
    content: Content = "cases",
    record_count: Optional[int] = None,
    pseudonym_domain: Optional[str] = None,
    pseudonym_key_id: Optional[str] = None,
) -> bytes: ...
def open(
    data: bytes,
    key: Identity,
    sender: Optional[str] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
) -> Opened: ...
def seal_file(
    src: _Path,
    dst: _Path,
    to: Union[str, Sequence[str]],
    sign: Identity,
    content: Content = "cases",
    record_count: Optional[int] = None,
    pseudonym_domain: Optional[str] = None,
    pseudonym_key_id: Optional[str] = None,
) -> None: ...
def open_file(
    src: _Path,
    dst: _Path,
    key: Identity,
    sender: Optional[str] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
) -> Dict[str, Any]: ...
def inspect(data: bytes) -> Dict[str, int]: ...

@final
class Sealer:
    """Seals a stream into a file that appears only when sealing completes."""

    def __new__(
        cls,
        path: _Path,
        to: Union[str, Sequence[str]],
        sign: Identity,
        record_count: int,
        content: Content = "cases",
        pseudonym_domain: Optional[str] = None,
        pseudonym_key_id: Optional[str] = None,
    ) -> Sealer: ...
    def write(self, data: bytes) -> int: ...
    def finish(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Sealer: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]] = None,
        _exc: Optional[BaseException] = None,
        _tb: Optional[TracebackType] = None,
    ) -> bool: ...

@final
class Opener:
    """Reads a sealed file; by default verified whole before any byte is returned."""

    def __new__(
        cls,
        path: _Path,
        key: Identity,
        sender: Optional[str] = None,
        *,
        directory: Optional[Directory] = None,
        any_sender: bool = False,
        unverified_streaming: bool = False,
    ) -> Opener: ...
    @property
    def manifest(self) -> Dict[str, Any]: ...
    @property
    def verified(self) -> bool: ...
    def read(self, size: Optional[int] = None) -> bytes: ...
    def close(self) -> None: ...
    def __enter__(self) -> Opener: ...
    def __exit__(
        self,
        _exc_type: Optional[Type[BaseException]] = None,
        _exc: Optional[BaseException] = None,
        _tb: Optional[TracebackType] = None,
    ) -> bool: ...
    def __iter__(self) -> Opener: ...
    def __next__(self) -> bytes: ...

@final
class Report:
    """An aggregate report with disclosure control applied."""

    @staticmethod
    def from_json(text: str) -> Report: ...
    def to_json(self) -> str: ...
    def to_sdmx_csv(self) -> str: ...
    def to_hxl_csv(self) -> str: ...
    def to_html(self, lang: Lang = "en") -> str: ...
    def to_xlsx(self, lang: Lang = "en") -> bytes: ...
    @property
    def observations(self) -> List[Dict[str, Any]]: ...
    @property
    def provenance(self) -> Dict[str, Any]: ...
    def to_pandas(self, tidy: bool = True) -> pd.DataFrame: ...
    def to_polars(self) -> pl.DataFrame: ...

# Defaults shown as `...` are the core's (ReportSpec::DEFAULT_BY, DEFAULT_K,
# LedgerCharge::DEFAULT_BUDGET_*): "country,year", 5, "1", "0.00001".
def build_report(
    texts: Sequence[str],
    paths: Sequence[_Path],
    by: str = ...,
    period: Optional[str] = None,
    k: int = ...,
    indicators: Optional[Sequence[str]] = None,
    dp_epsilon: Optional[str] = None,
    dp_delta: Optional[str] = None,
    dp_domain: Optional[str] = None,
    dp_max_cases_per_woman: int = 1,
    ledger_dir: Optional[_Path] = None,
    ledger_key: Optional[_Path] = None,
    dp_budget: str = ...,
    dp_budget_delta: str = ...,
    label: Optional[str] = None,
    release_log: Optional[_Path] = None,
    lp_protect: Optional[bool] = None,
) -> Report: ...
def dp_plan(
    dp_epsilon: str,
    dp_domain: str,
    by: str = ...,
    period: Optional[str] = None,
    indicators: Optional[Sequence[str]] = None,
    dp_delta: Optional[str] = None,
    dp_max_cases_per_woman: int = 1,
) -> List[Dict[str, Any]]: ...
def merge(reports: Sequence[Report]) -> Report: ...
def indicator_ids() -> List[str]: ...
def dimension_ids() -> List[str]: ...

# The exchange entry points (ona_core::exchange).
def export_cases(
    texts: Sequence[str],
    pseudonymiser: Pseudonymiser,
    to: Union[str, Sequence[str]],
    sign: Identity,
    dst: _Path,
) -> Dict[str, Any]: ...
def receive(
    src: _Path,
    key: Identity,
    sender: Optional[str] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]: ...
@final
class ReceivedRecords:
    """The records of a verified sealed export, one dict at a time."""

    @property
    def manifest(self) -> Dict[str, Any]: ...
    def __iter__(self) -> ReceivedRecords: ...
    def __next__(self) -> Dict[str, Any]: ...

def receive_records(
    src: _Path,
    key: Identity,
    sender: Optional[str] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
) -> ReceivedRecords: ...
def report_from_exports(
    paths: Sequence[_Path],
    key: Identity,
    sender: Optional[str] = None,
    *,
    directory: Optional[Directory] = None,
    any_sender: bool = False,
    by: str = "country,year",
    period: Optional[str] = None,
    k: int = 5,
    indicators: Optional[Sequence[str]] = None,
    lp_protect: Optional[bool] = None,
) -> Report: ...

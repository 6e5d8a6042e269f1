"""``ona.Opener``: a sealed file as a readable binary stream (``io.RawIOBase``).

Conversion only: the compiled ``_ona.Opener`` decrypts and verifies; this class gives it the
file protocol, so that ``io.BufferedReader(o)`` and ``io.TextIOWrapper(o, encoding="utf-8")``
work and libraries that read files (``csv``, ``json``, pandas, pyarrow) can read an export
without it ever being written to disk in clear.
"""

from __future__ import annotations

import io
import os
from typing import Any, Dict, Optional, Union

from . import _ona


class Opener(io.RawIOBase):
    """Reads a sealed file as a binary stream; by default verified whole before any byte is
    returned.

    ``Opener(path, key, sender=None, *, directory=None, any_sender=False,
    unverified_streaming=False)``: the sender is checked as :func:`ona.open` does (name
    ``sender``, a ``directory``, or ``any_sender=True``). By default the whole file is decrypted
    into an owner-only temporary file and verified — every chunk, the sender, the signature —
    here, raising :class:`ona.DecryptionError`, :class:`ona.FormatError` or
    :class:`ona.SignatureError` if anything is wrong. With ``unverified_streaming=True`` chunks
    are returned as they authenticate and the end only once everything verifies; do not act on
    the content before :attr:`verified` is true.

    It is an ``io.RawIOBase``: ``read``, ``readinto``, ``readall``, ``readable``, ``close``
    and ``with`` work as for a file, and it can be wrapped. Iterating over it gives the content
    in pieces of up to 64 KiB (not lines: wrap it in ``io.TextIOWrapper`` for lines).

    >>> with ona.Opener("cases.ona", hub, any_sender=True) as raw:
    ...     for line in io.TextIOWrapper(raw, encoding="utf-8"):
    ...         record = json.loads(line)
    """

    def __init__(
        self,
        path: Union[str, "os.PathLike[str]"],
        key: _ona.Identity,
        sender: Optional[str] = None,
        *,
        directory: Optional[_ona.Directory] = None,
        any_sender: bool = False,
        unverified_streaming: bool = False,
    ) -> None:
        super().__init__()
        self._name = os.fspath(path)
        self._inner = _ona.Opener(
            path,
            key,
            sender,
            directory=directory,
            any_sender=any_sender,
            unverified_streaming=unverified_streaming,
        )

    @property
    def name(self) -> str:
        """The path of the sealed file."""
        return self._name

    @property
    def manifest(self) -> Dict[str, Any]:
        """The manifest, as a dict (authenticated once :attr:`verified` is true)."""
        return self._inner.manifest

    @property
    def verified(self) -> bool:
        """Whether the whole file and the signature have been verified (from the start unless
        ``unverified_streaming``)."""
        return self._inner.verified

    def readable(self) -> bool:
        """True: an Opener is read from."""
        return True

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on a closed sealer or opener")

    def read(self, size: Optional[int] = -1) -> bytes:
        """Up to ``size`` bytes (all the rest when ``size`` is None or negative); ``b""`` only
        at a verified end."""
        self._check_open()
        return self._inner.read(None if size is None or size < 0 else size)

    def readall(self) -> bytes:
        """All the rest of the content."""
        self._check_open()
        return self._inner.read()

    def readinto(self, buffer: Any) -> int:
        """Reads up to ``len(buffer)`` bytes into ``buffer``; returns their number (0 only at
        a verified end)."""
        self._check_open()
        view = memoryview(buffer).cast("B")
        data = self._inner.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Closes the stream and drops the decrypted temporary file."""
        inner = getattr(self, "_inner", None)  # absent when __init__ raised
        if inner is not None:
            inner.close()
        super().close()

    def __enter__(self) -> "Opener":
        self._check_open()
        return self

    def __iter__(self) -> "Opener":
        self._check_open()
        return self

    def __next__(self) -> bytes:
        """The next piece of content (64 KiB at most); stops at the verified end."""
        self._check_open()
        piece = self._inner.read(64 * 1024)
        if not piece:
            raise StopIteration
        return piece

    def __repr__(self) -> str:
        return f"<ona.Opener verified={self.verified} closed={self.closed}>"

"""The core's exchange entry points: export cases to a sealed file, receive a sealed export,
build a report from received exports. Every step is the core's (``ona_core::exchange``); this
module only turns records into JSON text."""

import json
import os
from typing import Any, Dict, Iterable, Sequence, Union

from . import _ona
from ._ona import (Identity, Pseudonymiser, ReceivedRecords, receive, receive_records,
                   report_from_exports)

__all__ = ["export_cases", "receive", "receive_records", "ReceivedRecords", "report_from_exports"]


def export_cases(
    records: Iterable[Union[Dict[str, Any], str]],
    pseudonymiser: Pseudonymiser,
    to: Union[str, Sequence[str]],
    sign: Identity,
    dst: Union[str, "os.PathLike[str]"],
) -> Dict[str, Any]:
    """Validates, pseudonymises, packs and seals case records into ``dst``, sealed to ``to``
    (encryption public keys) and signed by ``sign``; the file appears only when complete.

    Raises ``ValidationError`` (with every problem) if any record is invalid: nothing is written.
    Returns the manifest.

    >>> import ona, tempfile, os
    >>> centre, hub = ona.Identity.generate(), ona.Identity.generate()
    >>> p = ona.Pseudonymiser(bytes(32), "kz/2026")
    >>> dst = os.path.join(tempfile.mkdtemp(), "kz.ona")
    >>> ona.export_cases(ona.synth(3, seed=1), p, hub.encryption_public, centre, dst)["record_count"]
    3
    """
    texts = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return _ona.export_cases(texts, pseudonymiser, to, sign, os.fspath(dst))

"""Normal forms of what a command says, before it is checked, fingerprinted or recorded.

Identifiers (national references, document references, command and evidence ids) are NFKC-
normalised and trimmed, so that a reference typed with full-width digits or a compatibility
character is the same reference (and so the same case id) as the plain one. Free text is
NFC-normalised (one form per accented letter). Characters that make two different identifiers
look the same (zero-width, bidi controls) are refused by `ledger.validation`, not removed:
silently dropping them would accept input that was not meant.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any

from ledger.command_meta import CommandMeta


def is_identifier(name: str) -> bool:
    """Fields that name a record by reference (`national_reference`, `hit_ref`, ...)."""
    return name.endswith(("_ref", "_refs", "reference", "_id")) or name == "reference"


def _normal(name: str, value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip() if is_identifier(name) \
            else unicodedata.normalize("NFC", value)
    if isinstance(value, tuple):
        return tuple(_normal(name, v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return normalised(value)
    return value


def normalised(value: Any) -> Any:
    """A copy of a command (a frozen dataclass) with every text field in its normal form."""
    changes = {f.name: _normal(f.name, getattr(value, f.name))
               for f in dataclasses.fields(value)}
    return dataclasses.replace(value, **changes)


def normalised_meta(meta: CommandMeta) -> CommandMeta:
    return dataclasses.replace(meta, **{
        name: _normal(name, getattr(meta, name))
        for name in ("command_id", "correlation_id", "causation_id", "evidence_refs")})

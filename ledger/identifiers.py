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


#: Per dataclass, the names of its fields (`dataclasses.fields` rebuilds the tuple each call).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _changed(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields whose normal form differs (`unicodedata.normalize` and `str.strip` return
    the very string when it is already normal, so that is the usual empty answer)."""
    changes = {}
    for name in names:
        old = getattr(value, name)
        new = _normal(name, old)
        if new is not old and new != old:
            changes[name] = new
    return changes


def normalised(value: Any) -> Any:
    """A command (a frozen dataclass) with every text field in its normal form: the command
    itself when it is normal already, else a copy."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    changes = _changed(value, names)
    return dataclasses.replace(value, **changes) if changes else value


_META_TEXT = ("command_id", "correlation_id", "causation_id", "evidence_refs")


def normalised_meta(meta: CommandMeta) -> CommandMeta:
    changes = _changed(meta, _META_TEXT)
    return dataclasses.replace(meta, **changes) if changes else meta

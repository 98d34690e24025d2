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
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledger.command_meta import CommandMeta


def is_identifier(name: str) -> bool:
    """Fields that name a record by reference (`national_reference`, `hit_ref`, ...)."""
    return name.endswith(("_ref", "_refs", "reference", "_id")) or name == "reference"


def _normal(identifier: bool, value: Any) -> Any:
    if isinstance(value, str):
        if value.isascii():  # ASCII is its own NFC and NFKC form: only the trimming can change
            return value.strip() if identifier else value
        return unicodedata.normalize("NFKC", value).strip() if identifier \
            else unicodedata.normalize("NFC", value)
    if isinstance(value, tuple):
        return tuple(_normal(identifier, v) for v in value) if value else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return normalised(value)
    return value


#: Per dataclass, its fields' names, each with whether it names a record (`is_identifier`):
#: `dataclasses.fields` rebuilds its tuple at each call.
_FIELD_NAMES: dict[type, tuple[tuple[str, bool], ...]] = {}


#: Classes of values `_normal` returns as they are (not text, a tuple or a dataclass): skipped
#: without asking (a case id is a UUID, and `dataclasses.is_dataclass` is a call).
_AS_THEY_ARE: frozenset[type] = frozenset({bool, int, float, Decimal, UUID, date, datetime})


def _changed(value: Any, names: tuple[tuple[str, bool], ...]) -> dict[str, Any]:
    """The fields whose normal form differs (`str.strip` and `unicodedata.normalize` return
    the very string when it is already normal, so that is the usual empty answer)."""
    changes = {}
    for name, identifier in names:
        old = getattr(value, name)
        if old is None or old.__class__ in _AS_THEY_ARE:
            continue
        if old.__class__ is str and old.isascii():  # `_normal`'s usual case, without the call
            if not identifier:
                continue  # (free ASCII text is its own NFC form)
            new = old.strip()
        else:
            new = _normal(identifier, old)
        if new is not old and new != old:
            changes[name] = new
    return changes


def normalised(value: Any) -> Any:
    """A command (a frozen dataclass) with every text field in its normal form: the command
    itself when it is normal already, else a copy."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple((f.name, is_identifier(f.name))
                                           for f in dataclasses.fields(value))
    changes = _changed(value, names)
    return dataclasses.replace(value, **changes) if changes else value


_META_TEXT = tuple((name, is_identifier(name)) for name in (
    "command_id", "correlation_id", "causation_id", "evidence_refs"))


def normalised_meta(meta: CommandMeta) -> CommandMeta:
    changes = _changed(meta, _META_TEXT)
    return dataclasses.replace(meta, **changes) if changes else meta

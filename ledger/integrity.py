"""Tamper evidence, part one: a canonical encoding of every event and its hash.

Each case event carries in its envelope the hash of the event before it in the case's stream
(`previous_hash`; none for the first), so altering, removing, inserting or reordering a stored
event breaks the chain at the next one. The encoding is canonical (sorted keys, no spaces, UTF-8,
times in UTC with microseconds, tuples as lists), so the same event always hashes the same,
whether it is fresh or decoded from storage, and a verifier with only the standard library can
recompute it from an export. The encoding itself (`canonical_bytes`) lives in `ledger.proofs`,
the standalone file an auditor runs, so that there is one definition of it.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from ledger.proofs import canonical_bytes, record_hash

__all__ = ["canonical_bytes", "canonical_record", "event_hash"]

#: Attributes of an event object that are not part of the stored record.
_LIBRARY_FIELDS = frozenset({"originator_id", "originator_version", "timestamp"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def canonical_record(event: Any) -> dict[str, Any]:
    """The event as a plain record: where it sits, when it was recorded, and every field."""
    return {
        "topic": type(event).TOPIC,
        "schema_version": getattr(type(event), "class_version", 1),
        "stream": str(event.originator_id),
        "stream_version": event.originator_version,
        "recorded_at": _plain(event.timestamp),
        "fields": {k: _plain(v) for k, v in sorted(vars(event).items())
                   if k not in _LIBRARY_FIELDS},
    }


def event_hash(event: Any) -> str:
    """SHA-256 (hex) of the event's canonical encoding."""
    return record_hash(canonical_record(event))

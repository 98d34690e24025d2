"""Tamper evidence, part one: a canonical encoding of every event and its hash.

Each case event carries in its envelope the hash of the event before it in the case's stream
(`previous_hash`; none for the first), so altering, removing, inserting or reordering a stored
event breaks the chain at the next one. The encoding is canonical (sorted keys, no spaces, UTF-8,
times with microseconds, tuples as lists), so the same event always hashes the same,
whether it is fresh or decoded from storage, and a verifier with only the standard library can
recompute it from an export. The encoding itself (`canonical_bytes`) lives in `ledger.proofs`,
the standalone file an auditor runs, so that there is one definition of it.

Formats (the event's `envelope.hash_format`, itself hashed): 1 wrote every time in UTC, so a
change of a stored time's offset that kept the instant was not covered, although deadlines run on
the local calendar of the stored time; 2 (every event recorded since) keeps each time's offset as
stored, so every byte that can change a legal outcome is hashed; 3 (every event recorded since)
hashes the event's state bytes exactly as the store holds them (`ledger.proofs.event_descriptor`,
`ledger.event_bytes`) instead of a re-encoding of them, so a verifier hashes the stored row
without decoding it, and nothing stored is left out. Events of formats 1 and 2 keep their
hashes: stored events are never rewritten.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from ledger.envelope import Envelope
from ledger.event_bytes import hash_format, kept_bytes, state_bytes
from ledger.kept_by_identity import kept_by_identity
from ledger.proofs import EVENT_TAG, canonical_bytes, descriptor_hashes, record_hashes

__all__ = ["canonical_bytes", "canonical_record", "event_hash", "event_hashes", "hash_format",
           "new_event_hash", "plain"]

#: Attributes of an event object that are not part of the stored record.
_LIBRARY_FIELDS = frozenset({"originator_id", "originator_version", "timestamp"})
#: Envelope fields that format 1 did not have (absent from its records).
_SINCE_FORMAT_2 = frozenset({"command_fingerprint", "hash_format"})



def plain(value: Any, keep_offset: bool = True) -> Any:
    """A JSON-ready copy of an event value, as the canonical encoding writes it."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value, keep_offset)


Converter = Callable[[Any, bool], Any]
#: Per type, how `plain` writes its values (found once per type, in the order of the checks in
#: `_converter`: a subclass of datetime is a datetime, a str-valued Enum an Enum).
_CONVERTERS: dict[type, Converter] = {}


def _converter(kind: type) -> Converter:
    if issubclass(kind, datetime):
        return lambda v, keep: (v if keep else v.astimezone(UTC)).isoformat(
            timespec="microseconds")
    if issubclass(kind, date):
        return lambda v, keep: v.isoformat()
    if issubclass(kind, (UUID, Decimal)):
        return lambda v, keep: str(v)
    if issubclass(kind, Enum):
        return lambda v, keep: v.value
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        format_1 = tuple(n for n in names if n not in _SINCE_FORMAT_2)

        def fields(v: Any, keep: bool) -> dict[str, Any]:
            record = {}
            for n in names if keep else format_1:
                x = getattr(v, n)
                k = type(x)  # `plain`'s own first test, inline: most fields are text
                record[n] = x if k is str or k is int or k is bool or x is None \
                    else plain(x, keep)
            return record

        return fields
    if issubclass(kind, (list, tuple)):
        return lambda v, keep: [x if type(x) is str else plain(x, keep) for x in v]
    if issubclass(kind, dict):
        return lambda v, keep: {str(k): plain(x, keep) for k, x in v.items()}
    return lambda v, keep: v


def canonical_record(event: Any) -> dict[str, Any]:
    """The event as a plain record: where it sits, when it was recorded, and every field."""
    keep = hash_format(event) >= 2
    return {
        "topic": type(event).TOPIC,
        "schema_version": getattr(type(event), "class_version", 1),
        "stream": str(event.originator_id),
        "stream_version": event.originator_version,
        "recorded_at": plain(event.timestamp, keep),
        "fields": {k: plain(v, keep) for k, v in sorted(vars(event).items())
                   if k not in _LIBRARY_FIELDS},
    }


def event_hashes(event: Any, state: bytes | None = None, keep: bool = False
                 ) -> tuple[str, bytes]:
    """(chain hash in hex, Merkle leaf) of an event: of its canonical record (formats 1, 2), or
    of its stored bytes (format 3: `state` as read from the store, else the event encoded as
    the store holds it; `keep`: hold that encoding for the mapper that will store it)."""
    if hash_format(event) < 3:
        return record_hashes(canonical_record(event))
    data = state if state is not None else state_bytes(event, keep)
    descriptor = _descriptor(event, data)
    if descriptor is None:
        return descriptor_hashes(get_topic(type(event)), str(event.originator_id),
                                 event.originator_version, data)
    return hashlib.sha256(descriptor).hexdigest(), hashlib.sha256(b"\x00" + descriptor).digest()


def _descriptor(event: Any, data: bytes) -> bytes | None:
    """`ledger.proofs.event_descriptor`, its header line put together from parts whose JSON is
    known (a UUID's text needs no escaping; the topic's is encoded once per class): the same
    bytes without a `json.dumps` per event. None for a stream id or version of another type."""
    stream = event.originator_id
    version = event.originator_version
    if type(stream) is not UUID or type(version) is not int:
        return None
    return b"".join((_topic_head(type(event)), _stream_bytes(stream), b'",',
                     str(version).encode(), b"]\n", data))


#: How many stream ids' texts `_stream_bytes` keeps (more than the cases a command or a busy
#: office touches between two commands on one case; cleared when full).
_STREAM_TEXTS_KEPT = 4096


def _uuid_bytes(stream: UUID) -> bytes:
    return str(stream).encode()


#: `str(stream).encode()` (`stream` of the exact type UUID, whose text is ~8k instructions),
#: kept by identity: a case's events share their aggregate's id object, which stays the same
#: while the case is cached, so a case's id is written once rather than at every event.
_stream_bytes = kept_by_identity(_uuid_bytes, _STREAM_TEXTS_KEPT)


#: Per event class, the descriptor's bytes up to its stream id: tag, `["<topic>","`.
_TOPIC_HEADS: dict[type, bytes] = {}


def _topic_head(kind: type) -> bytes:
    head = _TOPIC_HEADS.get(kind)
    if head is None:
        topic = json.dumps(get_topic(kind), ensure_ascii=False)
        head = _TOPIC_HEADS[kind] = EVENT_TAG + f'[{topic},"'.encode()
    return head


def event_hash(event: Any, keep: bool = False) -> str:
    """The event's chain hash (hex): what the next event of its stream names (the first of
    `event_hashes`, without hashing its Merkle leaf as well, which only a verifier needs)."""
    if hash_format(event) >= 3:
        descriptor = _descriptor(event, state_bytes(event, keep))
        if descriptor is not None:
            return hashlib.sha256(descriptor).hexdigest()
    return event_hashes(event, keep=keep)[0]


def new_event_hash(event: Any) -> str:
    """`event_hash(event, keep=True)` of an event just created (its bytes are not held yet):
    encoded once, held for the mapper, hashed (`Case._hash_new`, at every new event)."""
    envelope = getattr(event, "envelope", None)
    if type(envelope) is Envelope and envelope.hash_format >= 3:
        descriptor = _descriptor(event, kept_bytes(event))
        if descriptor is not None:
            return hashlib.sha256(descriptor).hexdigest()
    return event_hash(event, keep=True)

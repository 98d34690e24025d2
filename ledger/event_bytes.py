"""The bytes the store holds for an event, encoded once: what hash format 3 hashes.

An event of hash format 3 (`ledger.integrity`) is hashed over its state exactly as the
transcoder writes it into the store (`ledger.proofs.event_descriptor`), so the hash and the
stored row must come from the same bytes. `state_bytes` encodes an event as eventsourcing's
`Mapper.to_stored_event` does (the event's attributes without originator id and version, its
`class_version` when above 1) with the ledger's own transcoder (the library's three transcodings
plus `ledger.transcodings`, registered as the application registers them); `BytesMapper` stores
those very bytes (then compresses or encrypts them if the store is configured to), taking them
from the aggregate that just hashed them instead of encoding the event a second time.

Encoding is not I/O: the domain (the case's hash chain) calls this.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from ledger.transcodings import register_ledger_transcodings

__all__ = ["BytesMapper", "encode", "hash_format", "plain_state", "state_bytes", "transcoder"]

#: Events encoded by the aggregate and not stored yet (their bytes kept for the mapper), by id;
#: bounded: a command refused after its events were hashed leaves its entries to be pushed out
#: (a bulk import's batch, 5,000 events by default, fits; past it the mapper encodes again).
_PENDING_MAX = 16_384
_pending: OrderedDict[int, tuple[Any, bytes]] = OrderedDict()
_lock = threading.Lock()


def transcoder() -> JSONTranscoder:
    """The ledger's transcoder: the library's default transcodings, then the ledger's."""
    made = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        made.register(transcoding)
    register_ledger_transcodings(made)
    return made


_TRANSCODER = transcoder()


def hash_format(event: Any) -> int:
    """The event's `envelope.hash_format` (1 for events without an envelope or before it)."""
    envelope = getattr(event, "envelope", None)
    return int(getattr(envelope, "hash_format", 1))


def encode(event: Any) -> bytes:
    """The event's state as `Mapper.to_stored_event` writes it, before compression/encryption."""
    state = dict(vars(event))
    state.pop("originator_id", None)
    state.pop("originator_version", None)
    class_version = getattr(type(event), "class_version", 1)
    if class_version > 1:
        state["class_version"] = class_version
    return _TRANSCODER.encode(state)


def state_bytes(event: Any, keep: bool = False) -> bytes:
    """The event's stored state bytes; `keep`: hold them for `BytesMapper` (a new event the
    aggregate is about to have stored)."""
    with _lock:
        found = _pending.get(id(event))
    if found is not None and found[0] is event:
        return found[1]
    data = encode(event)
    if keep:
        with _lock:
            _pending[id(event)] = (event, data)
            while len(_pending) > _PENDING_MAX:
                _pending.popitem(last=False)
    return data


def _take(event: Any) -> bytes:
    """The bytes held for `event` (released), or a fresh encoding."""
    with _lock:
        found = _pending.pop(id(event), None)
    if found is not None and found[0] is event:
        return found[1]
    return encode(event)


class BytesMapper(Mapper[Any]):
    """Stores a format-3 event's `state_bytes` (the bytes its hash covers), encoded once."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if hash_format(domain_event) < 3:
            return super().to_stored_event(domain_event)
        state = _take(domain_event)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(originator_id=domain_event.originator_id,
                           originator_version=domain_event.originator_version,
                           topic=get_topic(type(domain_event)), state=state)


def plain_state(mapper: Mapper[Any], stored: StoredEvent) -> bytes:
    """A stored row's state as the transcoder wrote it (decrypted, decompressed)."""
    state = stored.state
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    return state

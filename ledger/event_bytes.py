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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from json.encoder import (  # type: ignore[attr-defined]  # (the C encoder, or None)
    c_make_encoder,
    encode_basestring,
)
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

from ledger.envelope import Actor, Envelope, LegalBasis
from ledger.iso_times import iso_text
from ledger.transcodings import register_ledger_transcodings

__all__ = ["BytesMapper", "encode", "hash_format", "kept_bytes", "plain_state", "state_bytes",
           "decoded_batch", "transcoder"]

#: Events encoded by the aggregate and not stored yet (their bytes kept for the mapper), by id;
#: bounded: a command refused after its events were hashed leaves its entries to be pushed out
#: (a bulk import's batch, 5,000 events by default, fits; past it the mapper encodes again).
_PENDING_MAX = 16_384
_pending: OrderedDict[int, tuple[Any, bytes]] = OrderedDict()
_lock = threading.Lock()
#: Per thread, the event `BytesMapper` decoded last, with the row and mapper it came from: the
#: last event of a replayed stream is hashed from the bytes the store holds (`state_bytes`). An
#: event decoded through an upcaster encodes otherwise than it was stored, and its successor
#: must name the hash of the stored bytes, which is what `verify` computes. `batch`: the rows of
#: a batch of decoded events, by event, while the read side applies them (`decoded_batch`).
_decoded = threading.local()


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


def stored_state(event: Any) -> dict[str, Any]:
    """The dict `Mapper.to_stored_event` transcodes: the event's attributes without its
    originator id and version, with its class version when above 1."""
    state = dict(vars(event))
    state.pop("originator_id", None)
    state.pop("originator_version", None)
    class_version = getattr(type(event), "class_version", 1)
    if class_version > 1:
        state["class_version"] = class_version
    return state


def encode(event: Any) -> bytes:
    """The event's state as `Mapper.to_stored_event` writes it, before compression/encryption."""
    state = stored_state(event)
    fast = _case_event_json(state)
    if fast is not None:
        return fast.encode("utf8")
    return _TRANSCODER.encode(state)


#: The transcoder's own C encoder, made once (`JSONEncoder.encode` makes one per call): the
#: same options (`JSONTranscoder`: no key sorting, "," and ":", no ASCII escaping), so the same
#: text for any acyclic value (no circular-reference check: event states hold none).
_ENCODE = c_make_encoder(None, _TRANSCODER._encode_obj, encode_basestring, None,  # noqa: SLF001
                         ":", ",", False, False, True) if c_make_encoder else None


def _case_event_json(state: dict[str, Any]) -> str | None:
    """A case event's JSON as the transcoder writes it, its envelope (two thirds of the text,
    four transcoding calls back from the C encoder) and the fields before it (the timestamp,
    an opening's topic) written here from their parts; None for any other shape (the
    transcoder then encodes it). Every value written here is of the exact type its
    transcoding expects, or a text (which the C encoder writes as `encode_basestring` does),
    so the text is the transcoder's (`tests/unit/test_append_fast_paths.py` compares them)."""
    if _ENCODE is None:
        return None
    q = encode_basestring
    head = "{"
    items = iter(state.items())
    for key, value in items:
        kind = type(value)
        if kind is Envelope:
            envelope = _envelope_json(value)
            if envelope is None:
                return None
            head = f"{head}{q(key)}:{envelope}"
            break
        if kind is datetime:
            head = f'{head}{q(key)}:{{"_type_":"datetime_iso","_data_":{q(iso_text(value))}}},'
        elif kind is str:
            head = f"{head}{q(key)}:{q(value)},"
        else:
            return None
    else:
        return None  # no envelope
    rest = dict(items)
    if not rest:
        return f"{head}}}"
    return f'{head},{"".join(_ENCODE(rest, 0))[1:]}'


def _envelope_json(e: Envelope) -> str | None:
    """`EnvelopeAsDict` (hash format 2 and later) and its parts' transcodings, as text; None
    when a part is not of the type written here. The texts are not checked one by one:
    `encode_basestring` raises TypeError for anything but a str (the transcoder then writes
    the envelope), and writes a str (or a subclass of it) exactly as the C encoder does."""
    hash_format, occurred, actor = e.hash_format, e.occurred_at, e.actor
    bases, refs, previous = e.legal_basis, e.evidence_refs, e.previous_hash
    if type(hash_format) is not int or hash_format == 1 or type(occurred) is not datetime \
            or type(actor) is not Actor or type(bases) is not tuple or type(refs) is not tuple:
        return None
    q = encode_basestring
    try:
        texts = []
        for basis in bases:
            if type(basis) is not LegalBasis:
                return None
            texts.append(f'{{"_type_":"legal_basis","_data_":[{q(basis.act)},'
                         f'{q(basis.article)}]}}')
        legal = ",".join(texts)
        evidence = ",".join([q(r) for r in refs]) if refs else ""
        return (
            f'{{"_type_":"envelope","_data_":{{"command_fingerprint":{q(e.command_fingerprint)}'
            f',"hash_format":{int.__repr__(hash_format)}'
            f',"occurred_at":{{"_type_":"datetime_iso","_data_":{q(iso_text(occurred))}}}'
            f',"actor":{{"_type_":"actor","_data_":{{"id":{q(actor.id)},"role":{q(actor.role)}'
            f',"authority":{q(actor.authority)},"member_state":{q(actor.member_state)}}}}}'
            f',"legal_basis":[{legal}],"command_id":{q(e.command_id)}'
            f',"correlation_id":{q(e.correlation_id)},"causation_id":{q(e.causation_id)}'
            f',"evidence_refs":[{evidence}],"previous_hash":'
            f'{"null" if previous is None else q(previous)}}}}}')
    except TypeError:  # a text that is not a str (e.g. None): the transcoder's to write
        return None


def state_bytes(event: Any, keep: bool = False) -> bytes:
    """The event's stored state bytes (for the event this thread decoded last, the bytes it
    was decoded from); `keep`: hold them for `BytesMapper` (a new event the aggregate is about
    to have stored)."""
    with _lock:
        found = _pending.get(id(event))
    if found is not None and found[0] is event:
        return found[1]
    decoded = getattr(_decoded, "last", None)
    if decoded is not None and decoded[0] is event:
        return plain_state(decoded[2], decoded[1])
    batch = getattr(_decoded, "batch", None)
    if batch is not None:
        held = batch[0].get(id(event))
        if held is not None and held[0] is event:
            return plain_state(batch[1], held[1])
    data = encode(event)
    if keep:
        with _lock:
            _pending[id(event)] = (event, data)
            while len(_pending) > _PENDING_MAX:
                _pending.popitem(last=False)
    return data


@contextmanager
def decoded_batch(mapper: Mapper[Any], rows: Sequence[Any]) -> Iterator[list[tuple[int, Any]]]:
    """The rows (the store's notifications) decoded, as the read side applies them: (position,
    event) each. Within it (this thread), `state_bytes` gives each event its row's bytes, so
    the hash table hashes what the store holds rather than an encoding of the decoded event
    (the same bytes, but for an upcast event; ~25 us an event less)."""
    decoded = [(row, mapper.to_domain_event(row)) for row in rows]
    before = getattr(_decoded, "batch", None)
    _decoded.batch = ({id(event): (event, row) for row, event in decoded}, mapper)
    try:
        yield [(row.id, event) for row, event in decoded]
    finally:
        _decoded.batch = before


def kept_bytes(event: Any) -> bytes:
    """A new event's stored state bytes, encoded now and held for `BytesMapper`: what
    `state_bytes(event, keep=True)` gives an event not held yet, without first asking for it
    (a new event never is)."""
    data = encode(event)
    with _lock:
        _pending[id(event)] = (event, data)
        if len(_pending) > _PENDING_MAX:
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
    """Stores a format-3 event's `state_bytes` (the bytes its hash covers), encoded once; the
    event it decoded last (per thread) keeps the bytes it was decoded from for `state_bytes`."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        event = super().to_domain_event(stored_event)
        _decoded.last = (event, stored_event, self)
        return event

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

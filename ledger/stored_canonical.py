"""The canonical bytes of a stored event straight from its row, without building the event.

`verify` recomputes the hash of every stored event. Decoding each row into domain objects and
writing them back out as a canonical record (`ledger.integrity`) costs far more than the hashing;
this module gives the same bytes from the stored JSON: a twin of each registered transcoding's
plain form (`TWINS`, keyed by the transcoding's stored name), applied as the library's decoder
would apply the transcoding itself (inner values first), then the record `canonical_record`
builds, encoded with sorted keys.

It answers only where it is sure to give exactly what the decode path gives; `None` means
"decode this row the ordinary way" (it also keeps that path's reason for an undecodable row):
an unknown or re-registered transcoding name, a value a twin does not take as the transcoding
would, a float (orjson and `json.dumps` write some floats differently), an event class that
needs an upcaster, has no pinned topic or could shadow a field, a compressed or encrypted store,
anything orjson will not parse or write. `tests/unit/test_stored_canonical.py` proves the twin
against the decode path for every event type, both hash formats and tampered rows.

A row of hash format 3 needs none of this: its hashes cover its stored bytes as they are
(`ledger.proofs.event_descriptor`), so `hashed` hashes them directly and only finds the three
values verify needs besides (hash_format, previous_hash, member_state) by looking for their keys
in the bytes: in JSON text a quote inside a string is escaped, so `"previous_hash":` can only be
a key; each must occur once with a value of the plain shape the transcoder writes, and the text
must hold no backslash (an escaped key would decode as the same name); otherwise, and
for a stream's rows until one names its member state (a top-level key, not the actor's), the
row is parsed whole with orjson and checked field by field. Such a row is not decoded: a change
that also left it undecodable shows as ALTERED (its hash changed), not UNDECODABLE.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    Transcoding,
    UUIDAsHex,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic

from ledger.envelope import Actor, Envelope, LegalBasis
from ledger.personal_data.sealed import SealedValue, SealedValueAsDict
from ledger.proofs import EVENT_TAG, bytes_hashes
from ledger.transcodings import ActorAsDict, DateAsISO, EnvelopeAsDict, LegalBasisAsList

__all__ = ["EveryStream", "Encoded", "Hashed", "StoredCanonical"]

#: What the fast path gives for a row: canonical bytes, the envelope's previous_hash (None:
#: none, or no envelope dict), and the event's member state (None unless a plain string).
Encoded = tuple[bytes, Any, str | None]

#: (chain hash in hex, Merkle leaf, previous_hash, member state) of a row.
Hashed = tuple[str, bytes, Any, str | None]


class EveryStream(set[str]):
    """`named` for a check that reports no member state (`StoredCanonical.hashed`): every
    stream taken as one whose member state is known, so no row is parsed to find one (a
    stream's opening row would be: a case's, one in sixteen). Rows are hashed and their
    chains read as for any named stream."""

    def __contains__(self, stream: object) -> bool:
        return True


_SORT = orjson.OPT_SORT_KEYS
_LEAF = hashlib.sha256(b"\x00")
#: A previous_hash value as the transcoder writes it, where its key ends.
_PREVIOUS = re.compile(rb'(?:null|"([0-9a-f]{64})")[,}]').match
_AFTER_VALUE = frozenset(b",}")
#: `"hash_format":` followed by 3 and the end of the value.
_THREE = (b"3,", b"3}")
#: States searched at once by `hashed_rows` (a copy of them is made to search them).
_SEARCHED = 1024
#: Envelope fields that format 1 did not hash (`ledger.integrity._SINCE_FORMAT_2`).
_SINCE_FORMAT_2 = frozenset({"command_fingerprint", "hash_format"})
#: Deeper than any event nests: past it, leave the row to the decode path (and its limits).
_MAX_DEPTH = 40


class _Fallback(Exception):
    """This row is for the decode path."""


def _fields(kind: type, keep: bool) -> tuple[str, ...]:
    names = tuple(f.name for f in dataclasses.fields(kind))
    return names if keep else tuple(n for n in names if n not in _SINCE_FORMAT_2)


Twin = Callable[[Any, bool], Any]


#: A time as `isoformat(timespec="microseconds")` writes it with an offset of whole minutes
#: (not "-00:00", written "+00:00"): once `fromisoformat` takes it, that is its plain form.
_AS_WRITTEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:[0-5]\d",
                         re.ASCII).fullmatch


def _datetime(data: Any, keep: bool) -> str:
    if type(data) is not str:  # DatetimeAsISO asserts a string
        raise _Fallback
    moment = datetime.fromisoformat(data)
    if keep and _AS_WRITTEN(data) and not data.endswith("-00:00"):
        return data  # (isoformat is ten times slower than the parse)
    return (moment if keep else moment.astimezone(UTC)).isoformat(timespec="microseconds")


def _date(data: Any, keep: bool) -> str:
    if type(data) is not str:
        raise _Fallback
    return date.fromisoformat(data).isoformat()


def _uuid(data: Any, keep: bool) -> str:
    if type(data) is not str:
        raise _Fallback
    return str(UUID(data))


def _decimal(data: Any, keep: bool) -> str:
    if type(data) is not str:  # Decimal() also takes numbers and sequences: not twinned
        raise _Fallback
    return str(Decimal(data))


_ACTOR = {keep: _fields(Actor, keep) for keep in (True, False)}
_BASIS = {keep: _fields(LegalBasis, keep) for keep in (True, False)}
_SEALED = {keep: _fields(SealedValue, keep) for keep in (True, False)}
_ENVELOPE = {keep: _fields(Envelope, keep) for keep in (True, False)}
_ENVELOPE_REQUIRED = ("occurred_at", "actor", "legal_basis", "command_id", "correlation_id",
                      "causation_id", "evidence_refs")


def _actor(data: Any, keep: bool) -> dict[str, Any]:
    """Actor(**data): exactly its fields (it has no defaults)."""
    names = _ACTOR[True]
    if type(data) is not dict or len(data) != len(names) or any(n not in data for n in names):
        raise _Fallback
    return {n: data[n] for n in _ACTOR[keep]}


def _legal_basis(data: Any, keep: bool) -> dict[str, Any]:
    """LegalBasis(data[0], data[1])."""
    if type(data) is not list or len(data) < 2:
        raise _Fallback
    return {_BASIS[keep][0]: data[0], _BASIS[keep][1]: data[1]}


def _sealed(data: Any, keep: bool) -> dict[str, Any]:
    """SealedValue.from_dict(data): its keys read, others ignored."""
    if type(data) is not dict:
        raise _Fallback
    return {n: data[n] for n in _SEALED[keep]}  # KeyError: for the decode path


def _envelope(data: Any, keep: bool) -> dict[str, Any]:
    """EnvelopeAsDict.decode: the required keys read, the optional ones with their defaults,
    the sequences made tuples (plain writes them as lists)."""
    if type(data) is not dict or type(data["legal_basis"]) is not list or \
            type(data["evidence_refs"]) is not list:
        raise _Fallback
    values = {n: data[n] for n in _ENVELOPE_REQUIRED}
    values["previous_hash"] = data.get("previous_hash")
    values["command_fingerprint"] = data.get("command_fingerprint")
    values["hash_format"] = data.get("hash_format", 1)
    return {n: values[n] for n in _ENVELOPE[keep]}


#: Per stored transcoding name: the transcoding the twin copies, and the twin, which maps the
#: plain form of the decoded data to the plain form (`ledger.integrity.plain`) of the object.
TWINS: dict[str, tuple[type[Transcoding], Twin]] = {
    "datetime_iso": (DatetimeAsISO, _datetime),
    "date_iso": (DateAsISO, _date),
    "uuid_hex": (UUIDAsHex, _uuid),
    "decimal_str": (DecimalAsStr, _decimal),
    "actor": (ActorAsDict, _actor),
    "legal_basis": (LegalBasisAsList, _legal_basis),
    "envelope": (EnvelopeAsDict, _envelope),
    "sealed_value": (SealedValueAsDict, _sealed),
}

_SCALARS = (str, int, bool, type(None))


@dataclasses.dataclass(frozen=True)
class _Kind:
    """What the record takes from an event class: its pinned topic and version."""

    topic: str
    version: int
    #: The class's own value where the stored state lacks the attribute (plain class values).
    envelope_default: Any
    member_state_default: Any


class StoredCanonical:
    """Canonical bytes of stored rows for one application's mapper (`encode`), or None."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        transcoder = mapper.transcoder
        usable = (type(transcoder) is JSONTranscoder and mapper.cipher is None
                  and mapper.compressor is None)
        names: Mapping[str, Transcoding] = transcoder.names if usable else {}  # type: ignore
        self.enabled = usable
        self.twins: dict[str, Twin] = {
            name: twin for name, (kind, twin) in TWINS.items()
            if type(names.get(name)) is kind}
        self.kinds: dict[str, _Kind | None] = {}
        self.headers: dict[str, bytes] = {}
        #: Every twin the inline paths of `encode` use is the registered one.
        self.whole = all(name in self.twins for name in TWINS)

    # --- the event class of a topic -----------------------------------------------------
    def _kind(self, topic: str) -> _Kind | None:
        try:
            return self.kinds[topic]
        except KeyError:
            kind = self.kinds[topic] = _kind_of(topic)
            return kind

    # --- a row ----------------------------------------------------------------------------
    def hashed(self, topic: str, stream: str, version: int, state: bytes,
               named: set[str]) -> Hashed | None:
        """The row's hashes, previous_hash and member state, as verify's decode path finds them
        (the member state only for a stream not in `named`, the streams an earlier row named
        one for: verify keeps each stream's first; this adds to it); None: decode it instead.
        `stream`: the originator id as `str(UUID)` writes it."""
        kind = self._kind(topic) if self.enabled else None
        if kind is None:
            return None
        if b'"hash_format":3' in state:
            found: tuple[Any, ...] | None = None
            if stream in named:  # its member state is known: only previous_hash is needed
                found = _format_3(state)
                if found is not None:
                    found = (found[0], None)
            if found is None:
                found = _format_3_parsed(state, kind)
                if found is not None and type(found[1]) is str:
                    named.add(stream)
            if found is not None:
                previous, member_state = found
                data = b"%s%s\",%d]\n%s" % (self._header(topic), stream.encode(), version, state)
                leaf = _LEAF.copy()
                leaf.update(data)
                return (hashlib.sha256(data).hexdigest(), leaf.digest(), previous,
                        member_state if type(member_state) is str else None)
        encoded = self.encode(topic, stream, version, state)
        if encoded is None:
            return None
        data, previous, member_state = encoded
        chain, leaf_hash = bytes_hashes(data)
        return chain, leaf_hash, previous, member_state

    def hashed_rows(self, rows: list[tuple[int, str, int, str, bytes]],
                    named: set[str]) -> list[tuple[Any, ...]]:
        """`hashed` of each (position, stream, version, topic, state) row as (position, stream,
        version, *Hashed), or the row itself where it is for the decode path. The common row
        (format 3, of a stream whose member state is known, written as the transcoder writes)
        is done inline: a call per row costs here as much as its hashing.

        Each key must occur once in a row: where every row holds it at least once (found
        from the end where its value usually is) and the whole batch holds it once per row,
        each row holds it exactly once; so the batch is searched whole (an escape too), not
        each row from both ends (`_SEARCHED` rows at a time: searching them needs a copy)."""
        states = [row[4] for row in rows]
        count = len(rows)
        if count and self.enabled:
            formats = [state.find(b'"hash_format":') for state in states]
            keys = [state.rfind(b'"previous_hash":') for state in states]
            if min(formats) >= 0 and min(keys) >= 0 and all(
                    _once_each(states[at:at + _SEARCHED]) for at in range(0, count, _SEARCHED)):
                return self._hashed_once(rows, formats, keys, named)
        return [self._hashed_row(row, named) for row in rows]

    def _hashed_once(self, rows: list[tuple[int, str, int, str, bytes]], formats: list[int],
                     keys: list[int], named: set[str]) -> list[tuple[Any, ...]]:
        """`hashed_rows` of rows free of escapes, each holding each key exactly once, at
        `formats` and `keys`."""
        out: list[tuple[Any, ...]] = []
        add, headers, kinds, sha256, leaf0 = out.append, self.headers, self.kinds, \
            hashlib.sha256, _LEAF.copy
        three, nulls, quoted, hexes = _THREE, (b"null,", b"null}"), (b'",', b'"}'), \
            b"0123456789abcdef"
        for row, at, key in zip(rows, formats, keys, strict=True):
            position, stream, version, topic, state = row
            header = headers.get(topic)
            if header is not None and stream in named and state[at + 14:at + 16] in three \
                    and kinds.get(topic) is not None:
                # the value as `_PREVIOUS` takes it: null or 64 lower-case hex digits quoted,
                # then the value's end
                value = state[key + 16:key + 83]
                previous: str | None | bool
                if value[:5] in nulls:
                    previous = None
                elif value[:1] == b'"' and value[65:] in quoted and not value[1:65].strip(hexes):
                    previous = value[1:65].decode()
                else:
                    previous = False
                if previous is not False:
                    data = b"%s%s\",%d]\n" % (header, stream.encode(), version) + state
                    leaf = leaf0()
                    leaf.update(data)
                    add((position, stream, version, sha256(data).hexdigest(), leaf.digest(),
                         previous, None))
                    continue
            hashed = self.hashed(topic, stream, version, state, named)
            add(row if hashed is None else (position, stream, version, *hashed))
        return out

    def _hashed_row(self, row: tuple[int, str, int, str, bytes],
                    named: set[str]) -> tuple[Any, ...]:
        """`hashed` of one row as `hashed_rows` gives it."""
        position, stream, version, topic, state = row
        hashed = self.hashed(topic, stream, version, state, named)
        return row if hashed is None else (position, stream, version, *hashed)

    def _header(self, topic: str) -> bytes:
        """A format-3 descriptor up to the stream id (`ledger.proofs.event_descriptor`)."""
        try:
            return self.headers[topic]
        except KeyError:
            text = json.dumps([topic], separators=(",", ":"), ensure_ascii=False)
            made = self.headers[topic] = EVENT_TAG + text[:-1].encode("utf-8") + b',"'
            return made

    def encode(self, topic: str, stream: str, version: int, state: bytes) -> Encoded | None:
        """The row's canonical bytes as `ledger.integrity` writes them for its decoded event
        (hash formats 1 and 2), with its previous_hash and member state; None: decode it instead
        (also a row of format 3 that `hashed` did not take: written otherwise than the
        transcoder writes). `stream` is the
        event's originator id as `str(UUID)` writes it."""
        kind = self._kind(topic) if self.enabled else None
        if kind is None:
            return None
        try:
            raw = orjson.loads(state)
            if type(raw) is not dict or _is_marker(raw):
                return None
            keep = self._keep(raw, kind)
            fields = {}
            for k, x in raw.items():  # the common shapes inline: each call costs here
                t = type(x)
                if t is str or t is int or t is bool or x is None:
                    fields[k] = x
                elif k == "envelope" and t is dict and len(x) == 2 and \
                        x.get("_type_") == "envelope" and "_data_" in x and self.whole:
                    fields[k] = self._envelope(x["_data_"], keep)
                else:
                    fields[k] = self._plain(x, keep, 1)
            version_stored = fields.pop("class_version", 1)
            if type(version_stored) is not int or version_stored < kind.version:
                return None  # an upcaster would run
            if "timestamp" not in fields:
                return None
            recorded_at = fields.pop("timestamp")
            fields.pop("originator_id", None)
            fields.pop("originator_version", None)
            record = {"topic": kind.topic, "schema_version": kind.version, "stream": stream,
                      "stream_version": version, "recorded_at": recorded_at, "fields": fields}
            data = orjson.dumps(record, option=_SORT)
        except (_Fallback, ValueError, TypeError, KeyError, ArithmeticError, RecursionError):
            return None  # orjson's errors are ValueError / TypeError
        envelope = fields.get("envelope")
        previous = envelope.get("previous_hash") if isinstance(envelope, dict) else None
        state_of = raw["member_state"] if "member_state" in raw else kind.member_state_default
        return data, previous, state_of if type(state_of) is str else None

    def _keep(self, raw: dict[str, Any], kind: _Kind) -> bool:
        """Format 2 or later keeps each time's offset (`ledger.integrity.hash_format`)."""
        if "envelope" not in raw:
            if kind.envelope_default is not None:
                raise _Fallback
            return False
        envelope = raw["envelope"]
        if type(envelope) is not dict or not _is_marker(envelope) or \
                envelope["_type_"] != "envelope" or type(envelope["_data_"]) is not dict:
            return False  # any other value has no hash_format: format 1
        found = envelope["_data_"].get("hash_format", 1)
        if type(found) is not int or found >= 3:
            raise _Fallback  # a decoded object's int(), or bytes hashed as stored (`hashed`)
        return found >= 2

    def _envelope(self, data: Any, keep: bool) -> Any:
        """`_plain` of an envelope marker's data, with its usual values inline."""
        if type(data) is not dict or _is_marker(data):
            raise _Fallback
        values = {}
        for k, x in data.items():
            t = type(x)
            if t is str or x is None or t is int or t is bool:
                values[k] = x
            elif t is dict and len(x) == 2 and "_data_" in x and (name := x.get("_type_")) in (
                    "datetime_iso", "actor") and type(inner := x["_data_"]) in (str, dict):
                if name == "datetime_iso":
                    values[k] = _datetime(inner, keep)
                elif all(type(y) is str for y in inner.values()):
                    values[k] = _actor(inner, keep)
                else:
                    values[k] = self._plain(x, keep, 2)
            elif t is list and all(type(y) is str for y in x):
                values[k] = x
            elif t is list and all(_is_basis(y) for y in x):
                values[k] = [_legal_basis(y["_data_"], keep) for y in x]
            else:
                values[k] = self._plain(x, keep, 2)
        return _envelope(values, keep)

    def _plain(self, value: Any, keep: bool, depth: int) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None:
            return value
        if depth > _MAX_DEPTH:
            raise _Fallback
        if kind is list:
            return [x if type(x) is str else self._plain(x, keep, depth + 1) for x in value]
        if kind is not dict:
            raise _Fallback  # a float
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            name = value["_type_"]
            twin = self.twins.get(name) if type(name) is str else None
            if twin is None:
                raise _Fallback
            data = value["_data_"]
            if type(data) is str:
                return twin(data, keep)
            if type(data) is dict and _is_marker(data):
                raise _Fallback  # a decoded object as a transcoding's data: not twinned
            return twin(self._plain(data, keep, depth + 1), keep)
        return {k: x if type(x) is str else self._plain(x, keep, depth + 1)
                for k, x in value.items()}


def _once_each(states: list[bytes]) -> bool:
    """No escape in `states`, and as many of each format-3 key as there are states (the
    callers know each state holds each key at least once).

    Usually one search, for `hash`: each key holds it once, where no other `hash` can overlap
    it (`"hash_` and `_hash"` around it), so twice as many as states means each state holds
    each key once and no other `hash` (counting the two keys apart costs a search each).
    Else (a `hash` elsewhere: a field, a ciphertext) each key is counted."""
    joined = b"\x00".join(states)  # no key holds a 0 byte: none spans two rows
    if b"\\" in joined:
        return False
    count = len(states)
    return joined.count(b"hash") == 2 * count or (
        joined.count(b'"hash_format":') == count and
        joined.count(b'"previous_hash":') == count)


def _format_3(state: bytes) -> tuple[Any] | None:
    """(previous_hash,) of a format-3 row; None: not format 3 (or not sure: parse it)."""
    if b"\\" in state or state.count(b'"hash_format":') != 1 or \
            state.count(b'"previous_hash":') != 1:
        return None  # an escape (a key may be escaped), or a key twice: parse it
    at = state.find(b'"hash_format":3') + 15
    if at < 15 or state[at] not in _AFTER_VALUE:
        return None
    found = _PREVIOUS(state, state.find(b'"previous_hash":') + 16)
    if found is None:
        return None
    value = found.group(1)
    return (None if value is None else value.decode(),)


def _format_3_parsed(state: bytes, kind: _Kind) -> tuple[Any, Any] | None:
    """`_format_3` from the whole parsed row (the values as the decoder would read them)."""
    try:
        raw = orjson.loads(state)
    except ValueError:
        return None
    if type(raw) is not dict or "timestamp" not in raw:
        return None
    envelope = raw.get("envelope")
    if type(envelope) is not dict or not _is_marker(envelope) or \
            envelope["_type_"] != "envelope" or type(data := envelope["_data_"]) is not dict:
        return None
    found, previous = data.get("hash_format"), data.get("previous_hash")
    if type(found) is not int or found != 3 or not (previous is None or type(previous) is str):
        return None
    return previous, raw["member_state"] if "member_state" in raw else kind.member_state_default


def _is_marker(value: dict[str, Any]) -> bool:
    return len(value) == 2 and "_type_" in value and "_data_" in value


def _is_basis(value: Any) -> bool:
    """A legal basis marker over plain strings (its twin can take it as it is)."""
    return type(value) is dict and len(value) == 2 and value.get("_type_") == "legal_basis" \
        and type(data := value.get("_data_")) is list and all(type(y) is str for y in data)


def _kind_of(topic: str) -> _Kind | None:
    """The class the mapper would build for `topic`, if the twin can stand in for it: resolved,
    built as the mapper builds it (a UUID id passed through as it is), a pinned topic, no data
    descriptor over a field read."""
    try:
        cls = resolve_topic(topic)
        if not isinstance(cls, type):
            return None
        find_id_convertor(cls, UUID)  # raises for a class the mapper cannot give an id
        probe: Any = object.__new__(cls)
        object.__setattr__(probe, "__dict__", {})
        pinned, version = getattr(cls, "TOPIC"), getattr(cls, "class_version", 1)  # noqa: B009
    except Exception:  # noqa: BLE001 - the decode path says why
        return None
    if type(pinned) is not str or type(version) is not int:
        return None
    defaults = {}
    for name in ("envelope", "member_state", "timestamp"):
        value = getattr(cls, name, None)
        if hasattr(type(value), "__get__") or (name == "timestamp" and value is not None):
            return None  # a descriptor (or a class-level timestamp) the twin cannot copy
        defaults[name] = value
    if defaults["envelope"] is not None and not isinstance(defaults["envelope"], _SCALARS):
        return None
    return _Kind(pinned, version, defaults["envelope"], defaults["member_state"])


def canonical_json(data: bytes) -> Any:
    """The record back from its canonical bytes (a renumbered version's hash needs it)."""
    return json.loads(data)

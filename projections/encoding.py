"""Values between events, read-model rows and JSON: fixed-width UTC times, plain payloads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any
from uuid import UUID

import orjson

from ledger.personal_data.sealed import SealedValue
from projections.by_identity import ByIdentity

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

#: Event attributes that belong to the envelope or the library, not to the step's own payload.
ENVELOPE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "envelope", "originator_topic"}
)


#: What `time_text` wrote before years were padded (`%Y` gives `26` for year 26): read back too.
_LOOSE = re.compile(r"^(\d{1,4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})Z$")


def time_text(value: datetime | None) -> str | None:
    """Fixed width in every year (the text sorts as the time does, and always reads back)."""
    if value is None:
        return None
    v = value if value.tzinfo is UTC else value.astimezone(UTC)
    # (`isoformat(timespec="microseconds")` pads the year to 4 digits and always writes the
    # microseconds; in UTC it ends "+00:00", written "Z" here. Called for every moment of every
    # row written: orjson writes the same text in C, in quotes, for a time with microseconds,
    # at under half the cost of `%`, itself half `isoformat`'s with a timespec; orjson leaves
    # out microseconds of 0, and formats exact datetimes only: those by `%`)
    if type(v) is datetime and v.microsecond:
        return _orjson_dumps(v, option=_UTC_Z)[1:-1].decode()
    return _UTC_FORMAT % (v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)


_UTC_FORMAT = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ"
_orjson_dumps = orjson.dumps
_UTC_Z = orjson.OPT_UTC_Z


#: An event's stream id as text, made once per UUID object: the case and deadline projections
#: (and others) each need it for the same decoded event, and `str` of a UUID runs in Python.
#: (Bounded; an entry holds its UUID, so its id is not reused while the entry lives.)
id_text: ByIdentity[UUID, str] = ByIdentity(str)


def parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    if len(value) == 27 and value[10] == "T" and value[26] == "Z" and value[4] == "-":
        try:  # what `time_text` writes for years 1000-9999: C-speed, the same value
            return datetime.fromisoformat(value)
        except ValueError:
            pass  # (the strict reading below names the text)
    match = _LOOSE.match(value)
    if match is None:
        return datetime.strptime(value, _FORMAT).replace(tzinfo=UTC)  # raises: names the text
    year, month, day, hour, minute, second, micro = (int(part) for part in match.groups())
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A JSON-ready copy of an event value."""
    kind = type(value)  # exact types first: one lookup instead of a chain of isinstance calls
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    return _plain_general(value)


def _plain_general(value: Any) -> Any:
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, SealedValue):
        return value.as_dict()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def payload_of(event: Any) -> dict[str, Any]:
    """The step's own fields, without envelope and bookkeeping."""
    return {k: plain(v) for k, v in vars(event).items() if k not in ENVELOPE_FIELDS}


def dumps(value: Any) -> str:
    """`plain` of the value as JSON text; orjson walks it in C and hands back only the values
    `plain` changes (times, dates, sealed values), with the very same text as a result."""
    return orjson.dumps(value, default=_plain_leaf, option=_LEAVES_TO_DEFAULT).decode()


#: Times and dataclasses are given to `_plain_leaf` instead of orjson's own encoding.
_LEAVES_TO_DEFAULT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _plain_leaf(value: Any) -> Any:
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, SealedValue):
        return value.as_dict()
    # what `plain` leaves as it is (a dataclass, a time of day): orjson's own encoding of it
    return orjson.Fragment(orjson.dumps(value))


def dumps_plain(value: Any) -> str:
    """`dumps` of a value that is plain already (`plain` of it is itself: e.g. `payload_of`'s
    result, lists of strings), without walking it again."""
    return orjson.dumps(value).decode()


def loads(text: str) -> Any:
    return orjson.loads(text)


def envelope_columns(event: Any) -> tuple[Any, ...]:
    """The envelope as the timeline-shaped tables store it: occurred_at, recorded_at, the actor
    (id, role, authority, member_state), legal_basis, command_id, correlation_id, causation_id,
    evidence_refs."""
    env = event.envelope
    return (
        time_text(env.occurred_at), time_text(event.timestamp),
        env.actor.id, env.actor.role, env.actor.authority, env.actor.member_state,
        _legal_basis_json(env.legal_basis),
        env.command_id, env.correlation_id, env.causation_id,
        dumps_plain(list(env.evidence_refs)) if env.evidence_refs else "[]",
    )


#: The legal bases' JSON by their (act, article) pairs: a ledger cites few distinct ones
#: (bounded all the same). Keyed by plain tuples of strings, hashed and compared in C: the
#: `LegalBasis` values themselves hash and compare through their dataclass methods.
_LEGAL_BASIS_JSON: dict[tuple[tuple[str, str], ...], str] = {}
_ACT_ARTICLE = attrgetter("act", "article")


def _legal_basis_json(legal_basis: Any) -> str:
    key = tuple(map(_ACT_ARTICLE, legal_basis))
    text = _LEGAL_BASIS_JSON.get(key)
    if text is None:
        text = dumps_plain([{"act": act, "article": article} for act, article in key])
        if len(_LEGAL_BASIS_JSON) >= 4096:
            _LEGAL_BASIS_JSON.clear()
        _LEGAL_BASIS_JSON[key] = text
    return text

"""The fast path of `verify` (`ledger.stored_canonical`) against the decode path it stands in for:
for every case event type, both hash formats, times in any offset and tampered stored JSON, it
either gives byte for byte the canonical encoding of the decoded event (with the same
previous_hash and member state) or leaves the row to the decode path (None)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import stored_canonical
from ledger.application import Ledger
from ledger.case.events import CASE_EVENT_TYPES
from ledger.integrity import canonical_bytes, canonical_record
from ledger.personal_data.sealed import SealedValue
from ledger.proofs import descriptor_hashes
from ledger.stored_canonical import TWINS, StoredCanonical
from ledger.verification import Stored, _row
from tests.support.case_events import DEFAULTS, Story, T

LEDGER = Ledger()
MAPPER = LEDGER.mapper
TWIN = StoredCanonical(MAPPER)


def decode_path(stored: StoredEvent) -> tuple[bytes, Any, Any] | None:
    """What verify's decode path makes of the row (None: UNDECODABLE)."""
    try:
        event = MAPPER.to_domain_event(stored)
        record = canonical_record(event)
        data = canonical_bytes(record)
    except Exception:
        return None
    envelope = record["fields"].get("envelope")
    previous = envelope.get("previous_hash") if isinstance(envelope, dict) else None
    state = getattr(event, "member_state", None)
    return data, previous, state if isinstance(state, str) else None


def fast_path(stored: StoredEvent) -> tuple[bytes, Any, Any] | None:
    return TWIN.encode(stored.topic, str(stored.originator_id), stored.originator_version,
                       stored.state)


def agrees(stored: StoredEvent) -> bool:
    """The fast path gives what the decode path gives, or leaves the row to it; True when it
    answered itself."""
    fast = fast_path(stored)
    if fast is not None:
        assert fast == decode_path(stored), (stored.topic, stored.state[:400])
    return fast is not None


def _example(annotation: str, zone: timezone) -> Any:
    """A value of a payload field's type (for the types `DEFAULTS` does not name)."""
    for marker, value in (("None", None), ("datetime", T.astimezone(zone)),
                          ("date", date(2026, 1, 5)), ("Decimal", Decimal("0.85")),
                          ("bool", True), ("int", 3), ("tuple", ("a", "b")), ("str", "x")):
        if marker in annotation:
            return value
    raise AssertionError(f"no example for {annotation}")


def every_case_event(hash_format: int, offset: timedelta) -> list[Any]:
    story = Story()
    zone = timezone(offset)
    events = []
    for name, cls in CASE_EVENT_TYPES.items():
        given = {"envelope", "timestamp", "originator_id", "originator_version",
                 "originator_topic", *DEFAULTS.get(name, {})}
        payload = {f.name: _example(str(f.type), zone) for f in dataclasses.fields(cls)
                   if f.name not in given and f.default is dataclasses.MISSING}
        if name == "CaseOpened":
            payload["personal_data"] = SealedValue("k", "n", "c")
        event = story.add(name, T.astimezone(zone), recorded=(T + timedelta(hours=1)).astimezone(
            zone), **payload)
        if hash_format > 1:
            envelope = dataclasses.replace(event.envelope, hash_format=hash_format,
                                           command_fingerprint="ab" * 32,
                                           previous_hash="cd" * 32)
            event.__dict__["envelope"] = envelope
        events.append(event)
    return events


def test_every_transcoding_the_ledger_registers_has_a_twin() -> None:
    """A new transcoding without a twin would send every row that uses it down the slow path."""
    names = MAPPER.transcoder.names  # type: ignore[attr-defined]
    assert set(names) == set(TWINS)
    assert all(type(names[name]) is kind for name, (kind, _) in TWINS.items())


@pytest.mark.parametrize("hash_format", [1, 2])
@pytest.mark.parametrize("hours", [0, 2, -5.5])
def test_every_case_event_type_hashes_alike(hash_format: int, hours: float) -> None:
    assert DEFAULTS  # the payload defaults that make each type
    for event in every_case_event(hash_format, timedelta(hours=hours)):
        stored = MAPPER.to_stored_event(event)
        assert agrees(stored), f"{type(event).__name__} went down the slow path"


def state_of(event: Any) -> dict[str, Any]:
    return dict(json.loads(MAPPER.to_stored_event(event).state))


def opened(hash_format: int = 2) -> Any:
    return every_case_event(hash_format, timedelta(hours=2))[0]


def restored(event: Any, state: dict[str, Any] | bytes, topic: str | None = None) -> StoredEvent:
    stored = MAPPER.to_stored_event(event)
    raw = state if isinstance(state, bytes) else json.dumps(state).encode()
    return StoredEvent(stored.originator_id, stored.originator_version, topic or stored.topic, raw)


Edit = Callable[[dict[str, Any]], Any]


def _env(s: dict[str, Any]) -> dict[str, Any]:
    return dict(s["envelope"]["_data_"])


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(s: dict[str, Any]) -> None:
        target = s
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return edit


def _drop(path: tuple[Any, ...]) -> Edit:
    def edit(s: dict[str, Any]) -> None:
        target = s
        for key in path[:-1]:
            target = target[key]
        target.pop(path[-1], None)
    return edit


ENV = ("envelope", "_data_")
STAMP = ("timestamp", "_data_")
TIME = {"_type_": "datetime_iso", "_data_": "2026-01-05T09:00:00+02:00"}
EDITS: dict[str, Edit] = {
    "time without microseconds": _set(STAMP, "2026-01-05T09:00:00+02:00"),
    "time in -00:00": _set(STAMP, "2026-01-05T09:00:00.000000-00:00"),
    "time with 60 offset minutes": _set(STAMP, "2026-01-05T09:00:00.000000+05:60"),
    "time with offset seconds": _set(STAMP, "2026-01-05T09:00:00.000000+05:30:15"),
    "naive time": _set(STAMP, "2026-01-05T09:00:00.000000"),
    "time with a space": _set(STAMP, "2026-01-05 09:00:00.000000+00:00"),
    "time in basic format": _set(STAMP, "20260105T090000+0000"),
    "time that is no time": _set(STAMP, "2026-13-05T09:00:00.000000+00:00"),
    "time as a number": _set(STAMP, 5),
    "time as a plain string": _set(("timestamp",), "2026-01-05T09:00:00+00:00"),
    "no timestamp": _drop(("timestamp",)),
    "legal time moved": _set((*ENV, "occurred_at", "_data_"), "2026-01-05T11:00:00.000000+04:00"),
    "format 1 claimed": _drop((*ENV, "hash_format")),
    "format as text": _set((*ENV, "hash_format"), "2"),
    "format as float": _set((*ENV, "hash_format"), 2.0),
    "format as bool": _set((*ENV, "hash_format"), True),
    "format 3": _set((*ENV, "hash_format"), 3),
    "actor with a key more": _set((*ENV, "actor", "_data_", "extra"), "x"),
    "actor without a key": _drop((*ENV, "actor", "_data_", "role")),
    "actor as a list": _set((*ENV, "actor", "_data_"), ["a", "b", "c", "d"]),
    "actor id a number": _set((*ENV, "actor", "_data_", "id"), 7),
    "actor id a time": _set((*ENV, "actor", "_data_", "id"), TIME),
    "legal basis of three": _set((*ENV, "legal_basis", 0, "_data_"), ["a", "b", "c"]),
    "legal basis of one": _set((*ENV, "legal_basis", 0, "_data_"), ["a"]),
    "legal basis as text": _set((*ENV, "legal_basis", 0, "_data_"), "ab"),
    "legal bases as text": _set((*ENV, "legal_basis"), "ab"),
    "evidence as a dict": _set((*ENV, "evidence_refs"), {"a": 1}),
    "envelope without previous_hash": _drop((*ENV, "previous_hash")),
    "envelope without command_id": _drop((*ENV, "command_id")),
    "envelope with a key more": _set((*ENV, "extra"), 1),
    "envelope as a plain dict": lambda s: s.__setitem__("envelope", _env(s)),
    "envelope as text": _set(("envelope",), "x"),
    "no envelope": _drop(("envelope",)),
    "an envelope inside an envelope": _set(("envelope", "_data_"), {"_type_": "envelope",
                                                                     "_data_": {}}),
    "unknown marker": _set(("nationality",), {"_type_": "nope", "_data_": 1}),
    "marker name a list": _set(("nationality",), {"_type_": [1], "_data_": 1}),
    "marker with a third key": _set(("nationality",), {"_type_": "uuid_hex", "_data_": "a" * 32,
                                                       "x": 1}),
    "uuid marker": _set(("nationality",), {"_type_": "uuid_hex", "_data_": "A" * 32}),
    "uuid marker in braces": _set(("nationality",), {"_type_": "uuid_hex",
                                                     "_data_": "{" + "a" * 32 + "}"}),
    "bad uuid": _set(("nationality",), {"_type_": "uuid_hex", "_data_": "zz"}),
    "decimal marker": _set(("nationality",), {"_type_": "decimal_str", "_data_": " 1.50e3 "}),
    "decimal from a number": _set(("nationality",), {"_type_": "decimal_str", "_data_": 5}),
    "bad decimal": _set(("nationality",), {"_type_": "decimal_str", "_data_": "x"}),
    "date marker": _set(("nationality",), {"_type_": "date_iso", "_data_": "2026-01-05"}),
    "date in basic format": _set(("nationality",), {"_type_": "date_iso", "_data_": "20260105"}),
    "sealed value with a key more": _set(("personal_data", "_data_", "x"), 1),
    "sealed value without a key": _drop(("personal_data", "_data_", "nonce")),
    "nested plain dict with a marker": _set(("nationality",), {"a": [{"b": TIME}]}),
    "a float": _set(("nationality",), 1e-05),
    "a float that prints alike": _set(("nationality",), 1.5),
    "a huge integer": _set(("nationality",), 10 ** 30),
    "a negative huge integer": _set(("nationality",), -(10 ** 20)),
    "member state a number": _set(("member_state",), 5),
    "no member state": _drop(("member_state",)),
    "class version older": _set(("class_version",), 1),
    "class version newer": _set(("class_version",), 9),
    "class version as text": _set(("class_version",), "2"),
    "originator fields in the state": lambda s: s.update(originator_id="x",
                                                         originator_version=99),
    "deep nesting": _set(("nationality",), json.loads("[" * 60 + "]" * 60)),
    "control character": _set(("nationality",), "a\x01\x7f\u2028\u00e9\U0001f600"),
}
RAW: dict[str, bytes] = {
    "not json": b"{not json",
    "a list": b"[]",
    "not utf-8": b'{"a": "\xff"}',
    "byte order mark": b"\xef\xbb\xbf{}",
    "NaN": b'{"nationality": NaN}',
    "lone surrogate": b'{"nationality": "\\ud800"}',
    "top-level marker": b'{"_type_": "uuid_hex", "_data_": "' + b"a" * 32 + b'"}',
}


@pytest.mark.parametrize("name", sorted(EDITS))
@pytest.mark.parametrize("hash_format", [1, 2])
def test_a_tampered_row_hashes_alike_or_is_decoded(name: str, hash_format: int) -> None:
    event = opened(hash_format)
    state = state_of(event)
    EDITS[name](state)
    agrees(restored(event, state))


@pytest.mark.parametrize("name", sorted(RAW))
def test_unparsable_rows_are_left_to_the_decode_path(name: str) -> None:
    stored = restored(opened(), RAW[name])
    assert fast_path(stored) is None or fast_path(stored) == decode_path(stored)


def test_escaped_keys_and_duplicate_keys_are_read_as_the_library_reads_them() -> None:
    event = opened()
    raw = MAPPER.to_stored_event(event).state
    escaped = raw.replace(b'"nationality":"SY"', b'"nationality":{"\\u005ftype_":"uuid_hex",'
                                                  b'"_data_":"' + b"b" * 32 + b'"}')
    assert escaped != raw
    assert agrees(restored(event, escaped))
    twice = raw.replace(b'"nationality":"SY"', b'"nationality":"SY","nationality":"FR"')
    assert agrees(restored(event, twice))
    assert b'"FR"' in (fast_path(restored(event, twice)) or (b"",))[0]


@pytest.mark.parametrize("topic", ["pact-ledger:case.NoSuchEvent", "builtins:dict",
                                   "pact-ledger:case.Case", "nope"])
def test_a_topic_without_an_event_class_is_decoded(topic: str) -> None:
    stored = restored(opened(), state_of(opened()), topic=topic)
    assert fast_path(stored) is None or fast_path(stored) == decode_path(stored)


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(timezones=st.timezones() | st.builds(
    timezone, st.timedeltas(min_value=-timedelta(hours=23, minutes=59),
                            max_value=timedelta(hours=23, minutes=59)))),
       written=st.sampled_from(["isoformat", "seconds", "text"]), text=st.text(max_size=40),
       hash_format=st.sampled_from([1, 2]))
def test_any_stored_time_hashes_alike(moment: datetime, written: str, text: str,
                                      hash_format: int) -> None:
    value = moment.isoformat() if written == "isoformat" else \
        moment.isoformat(timespec="seconds") if written == "seconds" else text
    event = opened(hash_format)
    state = state_of(event)
    state["timestamp"]["_data_"] = value
    state["envelope"]["_data_"]["occurred_at"]["_data_"] = value
    agrees(restored(event, state))


@settings(max_examples=200, deadline=None)
@given(value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["_type_", "_data_", "a", "key_id", "nonce", "ciphertext"]) | st.text(
            max_size=3), inner, max_size=3) | st.builds(
        lambda name, data: {"_type_": name, "_data_": data},
        st.sampled_from([*TWINS, "nope"]), inner), max_leaves=12))
def test_any_stored_value_hashes_alike(value: Any) -> None:
    event = opened()
    state = state_of(event)
    state["nationality"] = value
    agrees(restored(event, state))


def test_a_stream_id_is_the_row_s_own() -> None:
    event = opened()
    stored = MAPPER.to_stored_event(event)
    other = StoredEvent(uuid4(), stored.originator_version, stored.topic, stored.state)
    assert agrees(other)
    assert UUID(json.loads(fast_path(other)[0])["stream"]) == other.originator_id  # type: ignore


# --- hash format 3: the stored bytes hashed as they are ------------------------------------------
def verify_path(stored: StoredEvent) -> Any:
    """What verify's decode path finds for the row: (chain, leaf, previous_hash, member state)."""
    try:
        event = MAPPER.to_domain_event(stored)
        row, leaf = _row(Stored(None, str(stored.originator_id), stored.originator_version,
                                event, topic=stored.topic, state=stored.state))
    except Exception:
        return None
    state = getattr(event, "member_state", None)
    return row.hash, leaf, row.previous, state if isinstance(state, str) else None


def hashed(stored: StoredEvent, named: frozenset[str] = frozenset()) -> Any:
    return TWIN.hashed(stored.topic, str(stored.originator_id), stored.originator_version,
                       stored.state, set(named))


def agrees_3(stored: StoredEvent) -> bool:
    """As `agrees`; a row the decode path cannot read may still be hashed as stored (its bytes
    changed, so verify reports it ALTERED rather than UNDECODABLE)."""
    fast, slow = hashed(stored), verify_path(stored)
    if fast is not None and slow is not None:
        assert fast == slow, stored.state[:400]
    if fast is not None and slow is None:
        assert fast[:2] == descriptor_hashes(stored.topic, str(stored.originator_id),
                                             stored.originator_version, stored.state)
    return fast is not None


def compact(state: dict[str, Any]) -> bytes:
    """JSON as the transcoder writes it (so that the row takes the fast path if it can)."""
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()


def test_every_format_3_event_hashes_as_its_descriptor_without_parsing() -> None:
    for event in every_case_event(3, timedelta(hours=2)):
        stored = MAPPER.to_stored_event(event)
        fast = hashed(stored)
        assert fast is not None and fast == verify_path(stored), type(event).__name__
        assert fast[:2] == descriptor_hashes(stored.topic, str(event.originator_id),
                                             event.originator_version, stored.state)
        # once the stream named its member state, only the hashes and previous_hash are read
        assert hashed(stored, frozenset({str(event.originator_id)})) == (*fast[:3], None)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_tampered_format_3_row_hashes_alike_or_is_decoded(name: str) -> None:
    event = opened(3)
    state = state_of(event)
    EDITS[name](state)
    agrees_3(restored(event, compact(state)))
    agrees_3(restored(event, state))  # written with spaces: not the transcoder's bytes


@pytest.mark.parametrize("name", sorted(RAW))
def test_unparsable_format_3_rows_are_left_to_the_decode_path(name: str) -> None:
    agrees_3(restored(opened(3), RAW[name]))


def test_escaped_and_duplicate_keys_of_format_3_are_read_as_the_library_reads_them() -> None:
    event = opened(3)
    raw = MAPPER.to_stored_event(event).state
    for changed in (raw.replace(b'"hash_format":3', b'"hash_format":3,"hash\\u005fformat":2'),
                    raw.replace(b'"hash_format":3', b'"hash_format":3,"hash_format":2'),
                    raw.replace(b'"previous_hash":', b'"previous_hash":null,"previous_hash":'),
                    raw.replace(b'"nationality":', b'"member_state":"FR","nationality":')):
        assert changed != raw
        agrees_3(restored(event, changed))


@pytest.mark.parametrize("searched", [1024, 3])
def test_a_batch_of_format_3_rows_hashes_as_its_rows_one_by_one(
        searched: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hashed_rows` searches a batch's keys and escapes once for the whole batch: a row that
    breaks its conditions (a key twice, a key missing, an escape, a previous_hash not as the
    transcoder writes it), wherever it stands in the batch, is hashed exactly as `hashed`
    hashes it alone, and so is every other row of that batch."""
    monkeypatch.setattr(stored_canonical, "_SEARCHED", searched)  # batches searched in parts
    events = every_case_event(3, timedelta(hours=2))
    stored = [MAPPER.to_stored_event(event) for event in events]
    raw = stored[1].state
    odd = {
        "key twice, another missing": (
            raw.replace(b'"hash_format":3', b'"hash_format":3,"hash_format":2'),
            raw.replace(b'"hash_format":3,', b'')),
        "previous_hash twice, another missing": (
            raw.replace(b'"previous_hash":', b'"previous_hash":null,"previous_hash":'),
            raw.replace(b'"previous_hash":', b'"previous_hashes":')),
        "previous_hash also deeper": (raw[:-1] + b',"x":{"previous_hash":null}}',),
        "hash_format also deeper": (raw[:-1] + b',"x":{"hash_format":3}}',),
        "escape": (raw.replace(b'"hash_format":3', b'"hash_format":3,"x":"\\u005f"'),),
        "escaped key": (raw.replace(b'"hash_format":3', b'"hash_format":3,"hash\\u005fformat":2'),),
        "format 3 first, deeper": (b'{"x":{"hash_format":3},' + raw[1:].replace(
            b'"hash_format":3', b'"hash_format":2'),),
        "previous_hash upper case": (re_previous(raw, b'"' + b"AB" * 32 + b'"'),),
        "previous_hash short": (re_previous(raw, b'"' + b"ab" * 31 + b'"'),),
        "previous_hash unquoted": (re_previous(raw, b"ab" * 32),),
        "previous_hash nulls": (re_previous(raw, b"nullx"),),
        "previous_hash a number": (re_previous(raw, b"3"),),
        "previous_hash at the end": (raw[:raw.rfind(b'"previous_hash":') + 16] + b"null",),
        "format 2 in format 3's place": (raw.replace(b'"hash_format":3', b'"hash_format":2'),),
        "format 33": (raw.replace(b'"hash_format":3', b'"hash_format":33'),),
    }
    for name, changed in odd.items():
        for at in (0, 1, len(stored) - 1):
            rows = [(p, str(s.originator_id), s.originator_version, s.topic, s.state)
                    for p, s in enumerate(stored, 1)]
            for i, state in enumerate(changed):
                p, stream, version, topic, _ = rows[(at + i) % len(rows)]
                rows[(at + i) % len(rows)] = (p, stream, version, topic, state)
            for named in (set(), {rows[0][1]}):
                alone, batch = set(named), set(named)
                expected = []
                for row in rows:
                    found = TWIN.hashed(row[3], row[1], row[2], row[4], alone)
                    expected.append(row if found is None else (*row[:3], *found))
                assert TWIN.hashed_rows(rows, batch) == expected, name
                assert batch == alone, name


def re_previous(raw: bytes, value: bytes) -> bytes:
    """`raw` with its previous_hash's value replaced by `value` (written as it is)."""
    key = raw.rfind(b'"previous_hash":') + 16
    end = min(i for i in (raw.find(b",", key), raw.find(b"}", key)) if i >= 0)
    return raw[:key] + value + raw[end:]


def _each_key_counted(states: list[bytes]) -> bool:
    """`_once_each` as it was written before its one-search form: each key counted apart."""
    joined = b"\x00".join(states)
    return b"\\" not in joined and joined.count(b'"hash_format":') == len(states) and \
        joined.count(b'"previous_hash":') == len(states)


_KEYED = b'{"envelope":{"_data_":{"hash_format":3,"x":"%s","previous_hash":null}},"y":"%s"}'
#: Text that puts another `hash` beside, inside or around the keys (overlapping ones too).
_PIECES = [b"", b"hash", b"hashash", b"h", b"ash", b"_hash", b"hash_", b'"hash_format":',
           b'"previous_hash":', b'"hash_format', b'hash":', b"\\", b"sh", b"hashh"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_PIECES)), min_size=1,
                max_size=6))
def test_each_key_once_in_one_search_is_each_key_counted(pieces: list[tuple[bytes, bytes]]
                                                        ) -> None:
    """The one search for `hash` says what counting each key says, for rows holding each key
    at least once (what its callers know), whatever else holds `hash` around them."""
    states = [_KEYED % (x, y) for x, y in pieces]
    assert stored_canonical._once_each(states) == _each_key_counted(states)


def test_each_key_once_where_a_ciphertext_holds_hash() -> None:
    """A `hash` in a value sends the search to count each key: still each key once."""
    states = [_KEYED % (b"", b""), _KEYED % (b"x+Xf3cDS2l6wzGhashE/WJW2k", b"")]
    assert stored_canonical._once_each(states)
    assert not stored_canonical._once_each([_KEYED % (b'"hash_format":', b"hash")])

"""`checked_rows` reads the usual row (the next of a stream taken inline) with one comparison
against its predecessor's hash as named (`ledger.range_check._LINK`); every other row goes the
row-by-row reading. Rows changed so that the comparison does not hold, or holds where the
row-by-row reading would say otherwise, give what the two-step way gives (both backends: the
stream ids as each backend reads them)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ledger.range_check import checked_rows
from ledger.stored_canonical import StoredCanonical
from ledger.streamed_check import checked_range
from pact_ledger.wiring import Container
from projections.stored_rows import Streams
from tests.support.stored_demo import demo_rows

pytestmark = pytest.mark.storage

_NAMED = re.compile(rb'"previous_hash":"([0-9a-f]{64})"\}')


def _compare(twin: StoredCanonical, rows: list[Any], unnamed: bool) -> bool:
    """`checked_rows` against the two steps over `rows` as one range (fresh `named` each);
    True: a `Checked`."""
    mine, theirs = set[str](), set[str]()
    found = checked_rows(twin, rows, mine, Streams(dashed=False), set() if unnamed else None)
    expected = checked_range(twin.hashed_rows(rows, theirs))  # type: ignore[arg-type]
    if unnamed:  # (the two steps parse every row of an unnamed stream: only None compares)
        assert (found is None) == (expected is None)
        return found is not None
    if expected is None:
        assert found is None and mine == set()
        return False
    assert found is not None
    checked, leaves = found
    assert (list(checked.positions), checked.leaves, checked.streams, checked.states) == \
        (list(expected.positions), expected.leaves, expected.streams, expected.states)
    assert b"".join(leaves) == checked.leaves and mine == theirs
    return True


def _later(rows: list[Any]) -> list[int]:
    """Indexes of rows whose stream has a row before them, naming a predecessor's hash."""
    seen: set[str] = set()
    found = []
    for i, row in enumerate(rows):
        if row[1] in seen and _NAMED.search(row[4]):
            found.append(i)
        seen.add(row[1])
    return found


def test_rows_the_comparison_does_not_take_read_row_by_row(container: Container) -> None:
    rows, twin = demo_rows(container, cases=4, seed=3)
    assert _compare(twin, rows, False) and _compare(twin, rows, True)
    later = _later(rows)
    assert len(later) > 10
    at = later[len(later) // 2]

    def changed(index: int, state: bytes) -> list[Any]:
        position, stream, version, topic, _ = rows[index]
        return [*rows[:index], (position, stream, version, topic, state), *rows[index + 1:]]

    state = rows[at][4]
    named = _NAMED.search(state)
    assert named is not None
    value = named.group(1)
    # previous_hash not the envelope's last field: read row by row, the same range checked
    # (the range ends there: the row's own hash changed, its successor's link breaks)
    moved = state.replace(b'"previous_hash":"%s"}' % value,
                          b'"previous_hash":"%s","x":1}' % value)
    assert _compare(twin, changed(at, moved)[:at + 1], False)
    assert _compare(twin, changed(at, moved)[:at + 1], True)
    # a predecessor's hash in upper case, one digit changed, null: the chain breaks (None)
    for other in (value.upper(), value[:10] + (b"0" if value[10:11] != b"0" else b"1")
                  + value[11:]):
        assert not _compare(twin, changed(at, state.replace(value, other)), False)
        assert not _compare(twin, changed(at, state.replace(value, other)), True)
    nulled = state.replace(b'"%s"}' % value, b"null}")
    assert not _compare(twin, changed(at, nulled), False)
    # a version skipped: None
    position, stream, version, topic, _ = rows[at]
    skipped = [*rows[:at], (position, stream, version + 1, topic, state), *rows[at + 1:]]
    assert not _compare(twin, skipped, False)


def test_a_chain_not_started_goes_on_unstarted(container: Container) -> None:
    """A stream whose rows all name no predecessor (null after null: `chain_check._break`) is
    one `Checked` with that stream not started, as the two steps give it."""
    rows, twin = demo_rows(container, cases=4, seed=3)
    stream = rows[_later(rows)[0]][1]
    unstarted = [(p, s, v, t, _NAMED.sub(b'"previous_hash":null}', state) if s == stream
                  else state) for p, s, v, t, state in rows]
    assert _compare(twin, unstarted, False)
    found = checked_rows(twin, unstarted, set(), Streams(dashed=False))
    assert found is not None
    (entry,) = [entry for entry in found[0].streams if entry[0] == stream]
    assert entry[2] is None and entry[5] is False

"""`verify`'s workers check their own ranges end to end (both backends): each range hashed and
chain-checked in one pass (`ledger.range_check`, the very `Checked` the two-step way gives),
matched against the hash table and the stored subtrees within it by the worker
(`ledger.streamed_check.range_subtrees`); a change in the middle of a worker's range gives the
report one process gives, which is the full check's."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ledger.range_check import checked_rows
from ledger.streamed_check import Checked, checked_range
from ledger.verification import ALTERED, SUBTREE_MISMATCH, TABLE_MISMATCH, Report
from pact_ledger.demo.seeding import seed_demo
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections import integrity_checks, parallel_hashing
from projections.stored_rows import Streams
from tests.support.clock import ManualClock
from tests.support.stored_demo import demo_rows
from tests.support.tamper import StoredRows

pytestmark = pytest.mark.storage


def _both(container: Container) -> tuple[Report, Report, Report]:
    """The report with workers (ranges of 8), in this process alone, and the full check's,
    each naming every stream's member state; asked for none, each is the same report naming
    none (no row parsed to find one: `EveryStream`)."""
    integrity = container.reads.integrity
    found: dict[bool, tuple[Report, Report, Report]] = {}
    for states in (True, False):
        integrity.parallel_from = 1
        try:
            workers = integrity.verify_ledger(member_states=states)
        finally:
            integrity.parallel_from = 10 ** 9
        found[states] = (workers, integrity.verify_ledger(member_states=states),
                         integrity.verify_whole(member_states=states))
    assert found[False] == tuple(dataclasses.replace(report, stream_states={})
                                 for report in found[True])
    return found[True]


def test_one_pass_gives_what_the_two_steps_give(container: Container) -> None:
    """`checked_rows` gives `checked_range(hashed_rows(...))` for every range of a demo ledger
    (whatever its length); a range whose chain breaks inside is None, the streams it named
    left as they were."""
    rows, twin = demo_rows(container, cases=4, seed=3)
    for size in (1, 5, 8, 64, len(rows)):
        mine, theirs = set[str](), set[str]()
        for at in range(0, len(rows), size):
            chunk = rows[at:at + size]
            found = checked_rows(twin, chunk, mine, Streams(dashed=False))
            expected = checked_range(twin.hashed_rows(chunk, theirs))  # type: ignore[arg-type]
            if expected is None:  # (a stream's chain broken by the range's edge: none here)
                assert found is None
                continue
            assert found is not None, (size, at)
            checked, leaves = found
            assert (list(checked.positions), checked.leaves, checked.streams, checked.states) \
                == (list(expected.positions), expected.leaves, expected.streams, expected.states)
            assert b"".join(leaves) == checked.leaves
            assert mine == theirs
    # a chain broken in the middle of a range: None, and `named` untouched
    same = list(rows)
    at = next(i for i in range(8, len(same)) if any(r[1] == same[i][1] for r in same[:i]))
    position, stream, version, topic, state = same[at]
    same[at] = (position, stream, version + 1, topic, state)
    named = set[str]()
    assert checked_rows(twin, same, named, Streams(dashed=False)) is None
    assert named == set()
    # positions not consecutive: None (the two-step way takes them)
    assert checked_rows(twin, rows[:3] + rows[4:9], set(), Streams(dashed=False)) is None


def test_workers_match_their_ranges_with_the_tables(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every worker's range comes with its table rows and stored subtrees matched, and the
    report is the full check's; a state byte changed in the middle of a range, a hash table
    leaf and stored subtrees of levels 0 and 1 within a range each give, with workers, the
    report one process and the full check give."""
    monkeypatch.setattr(parallel_hashing, "CHUNK", 8)
    seed_demo(container, cases=3, seed=2)
    container.runner.catch_up()
    integrity = container.reads.integrity
    top = integrity.table.stored_size()
    assert top > 40
    integrity.parallel_from = 1
    try:
        batches = list(integrity.scan_batches(checked=True, tree=(top, top)))
    finally:
        integrity.parallel_from = 10 ** 9
    assert batches and all(type(b) is Checked and b.tree is not None for b in batches)
    assert sum(b.tree.matched for b in batches if b.tree is not None) == top
    workers, alone, whole = _both(container)
    assert workers == alone == whole and whole.valid

    rows = StoredRows(container.settings)
    try:
        middle = 8 * 2 + 4  # the middle of the third range
        state = rows.raw_state(middle)
        at = state.index(b'"occurred_at"') + 30  # a digit of the time
        rows.set_state(middle, state[:at] + (b"1" if state[at:at + 1] != b"1" else b"2")
                       + state[at + 1:])
        workers, alone, whole = _both(container)
        assert not whole.valid and whole.first_problem is not None
        assert whole.first_problem.position == middle
        assert whole.first_problem.reason in (ALTERED, TABLE_MISMATCH)
        assert workers == alone == whole
        rows.set_state(middle, state)
        assert _both(container)[0].valid
    finally:
        rows.close()
    for table, column, where, reason in (
            ("event_hashes", "leaf_hash", "position = 29", SUBTREE_MISMATCH),
            ("merkle_nodes", "hash", "level = 0 AND idx = 12", SUBTREE_MISMATCH),
            ("merkle_nodes", "hash", "level = 1 AND idx = 10", SUBTREE_MISMATCH)):
        found = container.db.fetchone(f"SELECT {column} AS kept FROM {table} WHERE {where}")
        assert found is not None
        with container.db.transaction() as tx:
            tx.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", ("00" * 32,))
        workers, alone, whole = _both(container)
        assert reason in {p.reason for p in whole.problems}, (table, where)
        assert workers == alone == whole, (table, where)
        with container.db.transaction() as tx:
            tx.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (found["kept"],))
    assert _both(container)[0].valid


def test_a_range_that_took_a_stream_for_named_is_checked_again(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker does not parse rows for a member state where the stream's version 1 is not
    its to read (`Checked.uncertain`); where no earlier range named one after all, the range
    is checked again in this process, to the same report (and the same member states)."""
    rows, twin = demo_rows(container, cases=3, seed=2, catch_up=True)
    later = rows[len(rows) // 2:]  # streams opened before it: uncertain
    found = checked_rows(twin, later, set(), Streams(dashed=False), set())
    exact = checked_rows(twin, later, set(), Streams(dashed=False))
    assert found is not None and exact is not None
    assert found[0].uncertain and (found[0].leaves, found[0].streams) == \
        (exact[0].leaves, exact[0].streams)
    opened = {row[1] for row in rows[:len(rows) // 2]}
    assert set(found[0].uncertain) <= opened

    monkeypatch.setattr(parallel_hashing, "CHUNK", 8)
    expected = container.reads.integrity.verify_whole(member_states=True)
    again: list[int] = []
    integrity = container.reads.integrity
    redo = integrity._checked_again
    monkeypatch.setattr(integrity, "_checked_again",
                        lambda *args: again.append(args[2]) or redo(*args))
    passed = integrity_checks.hashed_ranges

    def unsure(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for lo, hi, readable, results in passed(*args, **kwargs):  # type: ignore[arg-type]
            if isinstance(results, Checked) and lo == 17:
                results.uncertain.append("not-named-before")
            yield lo, hi, readable, results

    monkeypatch.setattr(integrity_checks, "hashed_ranges", unsure)
    workers, _, whole = _both(container)
    assert again == [17] and workers == whole == expected and whole.valid


@pytest.mark.parametrize("helpers", [0, 1])
def test_verify_starts_no_more_workers_than_the_operator_allows(
        settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
        helpers: int) -> None:
    """`PACT_LEDGER_HELPER_PROCESSES`: 0 hashes every row in this process, 1 in one worker;
    the report is the full check's either way."""
    monkeypatch.setattr(parallel_hashing, "CHUNK", 8)
    asked: list[int] = []
    hashing = integrity_checks.hashed_ranges

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked.append(args[-1])
        return hashing(*args, **kwargs)

    monkeypatch.setattr(integrity_checks, "hashed_ranges", counted)
    container = build(dataclasses.replace(settings, helper_processes=helpers), clock=clock)
    try:
        seed_demo(container, cases=2, seed=2)
        container.runner.catch_up()
        workers, alone, whole = _both(container)
        assert workers == alone == whole and whole.valid
        # (one worker each time: `_both` checks with member states and without)
        assert asked == ([] if helpers == 0 else [1, 1])
    finally:
        container.close()

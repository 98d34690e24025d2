"""How many cases a projection keeps in memory between batches (`projections.batch_state`):
the live follower's bound, and the larger one of a rebuild or a catch-up far behind."""

from __future__ import annotations

import sqlite3

import pytest

from projections import batch_state
from projections.batch_state import BatchState, Kept, in_bulk


def _kept(cases: int) -> Kept[int]:
    kept: Kept[int] = Kept()
    kept.items.update((f"case-{i}", i) for i in range(cases))
    return kept


def test_the_live_bound_drops_the_oldest_cases_first() -> None:
    state: BatchState[int] = BatchState(limit=3, deferring_limit=10)
    kept = _kept(8)
    assert state.evict(kept) == []  # (nothing dirty: nothing for the caller to write)
    assert list(kept.items) == ["case-5", "case-6", "case-7"]


def test_a_catch_up_in_bulk_keeps_up_to_the_larger_bound_then_the_live_one_again() -> None:
    state: BatchState[int] = BatchState(limit=3, deferring_limit=10)
    kept = _kept(12)
    with in_bulk():
        state.evict(kept)
        assert list(kept.items) == [f"case-{i}" for i in range(2, 12)]
    state.evict(kept)
    assert list(kept.items) == ["case-9", "case-10", "case-11"]


def test_a_deferring_build_keeps_up_to_the_larger_bound_and_returns_dirty_cases_it_drops(
        ) -> None:
    # (budget 0: the bound only, whatever the memory)
    state: BatchState[int] = BatchState(limit=3, deferring_limit=5, memory_budget=0)
    state.defer()
    kept = _kept(7)
    kept.dirty.update({"case-0": 10, "case-3": 13})
    assert state.evict(kept) == [("case-0", 0, 10)]
    assert len(kept.items) == 5 and kept.dirty == {"case-3": 13}


def test_a_deferring_build_keeps_every_case_while_under_its_memory_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_state, "DEFERRING_MEMORY", 2**62)  # (capped: a quarter of RAM)
    monkeypatch.setattr(batch_state, "resident_bytes", lambda: 2**20)
    state: BatchState[int] = BatchState(limit=3, deferring_limit=5)
    state.defer()
    kept = _kept(9)
    assert state.evict(kept) == []
    assert len(kept.items) == 9 and kept.ceiling is None


def test_once_over_its_budget_a_build_keeps_as_many_cases_as_it_held_then(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays bounded: reaching the budget fixes the number of cases kept (the oldest
    leave first, dirty ones returned for writing), even if the memory measured falls again."""
    resident = {"now": 2**40}
    monkeypatch.setattr(batch_state, "resident_bytes", lambda: resident["now"])
    state: BatchState[int] = BatchState(limit=3, deferring_limit=5, memory_budget=2**30)
    state.defer()
    kept = _kept(8)
    assert state.evict(kept) == [] and kept.ceiling == 8
    resident["now"] = 2**20
    kept.items.update({"case-8": 8, "case-9": 9})
    kept.dirty.update({"case-1": 11, "case-9": 19})
    assert state.evict(kept) == [("case-1", 1, 11)]
    assert list(kept.items) == [f"case-{i}" for i in range(2, 10)]


def test_the_budget_does_not_apply_to_a_catch_up_in_bulk(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """(a live server's catch-up far behind keeps its count bound: only a rebuild's build,
    which writes a case's rows when it pushes the case out, keeps more)"""
    monkeypatch.setattr(batch_state, "resident_bytes", lambda: 2**20)
    state: BatchState[int] = BatchState(limit=3, deferring_limit=5)
    kept = _kept(9)
    with in_bulk():
        state.evict(kept)
    assert len(kept.items) == 5


def test_a_budget_given_is_used_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """(the operator's `PACT_LEDGER_REBUILD_MEMORY_MB`: not capped, not the default)"""
    monkeypatch.setattr(batch_state, "resident_bytes", lambda: 2**33)
    monkeypatch.setattr(batch_state, "DEFERRING_MEMORY", 2**20)
    state: BatchState[int] = BatchState(limit=3, deferring_limit=5, memory_budget=2**62)
    state.defer()
    kept = _kept(9)
    assert state.evict(kept) == [] and len(kept.items) == 9 and kept.ceiling is None
    state = BatchState(limit=3, deferring_limit=5)  # the default budget: reached
    state.defer()
    assert state.evict(kept) == [] and len(kept.items) == 9 and kept.ceiling == 9


class _Recorded(batch_state.DeferredRows[int]):
    """A deferring projection that records which cases each write was given."""

    def __init__(self) -> None:
        self._kept = BatchState(limit=3, deferring_limit=50, memory_budget=0)
        self.writes: list[list[str]] = []

    def _write_dirty(self, tx: object, kept: Kept[int]) -> None:  # type: ignore[override]
        self.writes.append(list(kept.dirty))


def test_deferred_rows_are_written_a_given_number_of_cases_at_a_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's end writes its deferred rows in transactions of `WRITE_CHUNK` cases
    (`projections.blue_green`): each call writes the first cases marked and leaves the others
    dirty until the last."""
    monkeypatch.setattr(batch_state, "WRITE_CHUNK", 2)
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    db.execute("CREATE TABLE projection_tracking (name TEXT, position INTEGER)")
    db.execute("INSERT INTO projection_tracking VALUES (?, 0)", (batch_state.TRACKING_NAME,))
    projection = _Recorded()
    projection.defer_writes()
    kept = projection._kept.begin(db.cursor())  # type: ignore[arg-type]
    kept.items.update((f"case-{i}", i) for i in range(5))
    kept.dirty.update(dict.fromkeys(kept.items))
    calls = 0
    while projection.has_deferred():
        projection.write_deferred(db.cursor(), 3)  # type: ignore[arg-type]
        calls += 1
    assert calls == 2
    assert projection.writes == [["case-0", "case-1"], ["case-2"], ["case-3", "case-4"]]
    kept.dirty.update(dict.fromkeys(kept.items))
    projection.writes.clear()
    projection.write_deferred(db.cursor())  # type: ignore[arg-type]  # (all of them)
    assert projection.writes == [["case-0", "case-1"], ["case-2", "case-3"], ["case-4"]]
    assert not projection.has_deferred()

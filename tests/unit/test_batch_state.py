"""How many cases a projection keeps in memory between batches (`projections.batch_state`):
the live follower's bound, and the larger one of a rebuild or a catch-up far behind."""

from __future__ import annotations

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
    state: BatchState[int] = BatchState(limit=3, deferring_limit=5)
    state.defer()
    kept = _kept(7)
    kept.dirty.update({"case-0": 10, "case-3": 13})
    assert state.evict(kept) == [("case-0", 0, 10)]
    assert len(kept.items) == 5 and kept.dirty == {"case-3": 13}

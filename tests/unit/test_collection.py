"""Garbage collection while projections work in bulk (`projections.collection`): automatic
collections are off for as long as any bulk run lasts, each batch collects the young objects
(cyclic garbage included), and the collector's own setting comes back afterwards."""

from __future__ import annotations

import gc
import weakref

import pytest

from projections import collection


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_collections_are_paused_while_bulk_runs_last_and_restored_after() -> None:
    assert gc.isenabled()
    with collection.paused():
        assert not gc.isenabled()
        with collection.paused():  # (a catch-up inside a rebuild, or on another thread)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer run still lasts
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collection.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_batch_collects_cyclic_garbage_once_many_objects_were_made_since_the_last(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collection, "YOUNG_LIMIT", 50_000)
    with collection.paused():
        gc.collect()
        ref = _cycle()
        collection.after_batch()  # few objects made since: left for later
        assert ref() is not None
        kept: list[list[int]] = [[] for _ in range(60_000)]  # (lists: the collector tracks them)
        collection.after_batch()
        assert ref() is None
        assert len(kept) == 60_000


def test_a_bulk_run_that_fails_restores_the_collector() -> None:
    try:
        with collection.paused():
            raise RuntimeError("a batch failed")
    except RuntimeError:
        pass
    assert gc.isenabled()

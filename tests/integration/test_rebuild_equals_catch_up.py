"""Every read-model table ends the same whichever way the log was applied: a rebuild (one large
batch into fresh tables) and a catch-up in small batches (per-case state kept in memory from
batch to batch, rows written per batch) must write the very same rows, on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections import batch_state
from projections.case_projection import CaseProjection
from projections.deadline_projection import DeadlineProjection
from tests.support.demo_ledger import record_demo


def _tables(container: Container) -> dict[str, list[dict[str, Any]]]:
    names = [t for p in container.runner.projections for t in p.tables]
    return {name: sorted((dict(r) for r in container.db.fetchall(f"SELECT * FROM {name}")),
                         key=repr) for name in names}


def _record_demo(container: Container) -> int:
    return record_demo(container)


def _rebuild_after_catch_up(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Record the demo, catch up in batches of 7, rebuild: the rebuild's tables must be the
    catch-up's (returned for further checks)."""
    events = _record_demo(container)
    assert container.runner.catch_up(batch_size=7) == events
    caught_up = _tables(container)
    assert container.runner.rebuild() == events
    assert _tables(container) == caught_up
    return caught_up


def test_a_rebuild_writes_what_a_catch_up_in_small_batches_wrote(settings: Settings) -> None:
    container = build(settings)
    try:
        caught_up = _rebuild_after_catch_up(container)
        for name in ("case_list", "case_events", "case_deadlines", "deadline_trackers",
                     "case_nationality"):
            assert caught_up[name], name
    finally:
        container.close()


def test_a_rebuild_in_small_batches_keeping_few_cases_writes_the_same(
        settings: Settings) -> None:
    """A rebuild writes each case's row and tracker once, when its build ends or when the case
    leaves memory (and reads it back when the case comes again): with batches of 9 and room for
    3 cases (no memory budget to keep more: `PACT_LEDGER_REBUILD_MEMORY_MB=0`, wired into the
    projections), most cases leave and come back several times, and the rows are the same."""
    env = {"PACT_LEDGER_DATABASE_URL": settings.database_url, "PACT_LEDGER_REBUILD_MEMORY_MB": "0"}
    container = build(Settings.from_env(env))
    try:
        events = _record_demo(container)
        assert container.runner.catch_up(batch_size=7) == events
        caught_up = _tables(container)
        deferring = [p for p in container.runner.projections
                     if isinstance(p, CaseProjection | DeadlineProjection)]
        assert len(deferring) == 2 and all(p.rebuild_memory == 0 for p in deferring)
        container.runner.projections = tuple(
            type(p)(kept_cases=3, kept_while_rebuilding=3, rebuild_memory=p.rebuild_memory)
            if isinstance(p, CaseProjection | DeadlineProjection) else p
            for p in container.runner.projections)
        assert container.runner.rebuild(batch_size=9) == events
        assert _tables(container) == caught_up
    finally:
        container.close()


def test_a_rebuild_writing_its_kept_cases_in_small_chunks_writes_the_same(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that kept every case writes their rows at its end a chunk of cases at a time
    (`batch_state.WRITE_CHUNK`), each chunk in a transaction of its own: with chunks of 2, the
    rows are the catch-up's."""
    monkeypatch.setattr(batch_state, "WRITE_CHUNK", 2)
    container = build(settings)
    try:
        _rebuild_after_catch_up(container)
    finally:
        container.close()


def test_catch_ups_in_several_batch_sizes_and_memory_bounds_write_what_a_rebuild_writes(
        settings: Settings) -> None:
    """A catch-up far behind keeps more cases in memory than the live follower
    (`projections.batch_state.in_bulk`); with either bound hit (room for 3 cases) or not, and
    batches of 5, 64 and a rebuild's size, the tables are the rebuild's."""
    container = build(settings)
    try:
        events = _record_demo(container)
        assert container.runner.rebuild() == events
        rebuilt = _tables(container)
        default = container.runner.projections
        small = tuple(
            CaseProjection(kept_cases=3, kept_while_rebuilding=3)
            if isinstance(p, CaseProjection)
            else DeadlineProjection(kept_cases=3, kept_while_rebuilding=3)
            if isinstance(p, DeadlineProjection) else p
            for p in default)
        for projections, batch_size in ((small, 5), (default, 64), (small, 64), (default, None)):
            container.runner.projections = projections
            with container.db.transaction() as tx:
                for table in [t for p in projections for t in p.tables]:
                    tx.execute(f"DELETE FROM {table}")
                tx.execute("UPDATE projection_tracking SET position = 0")
            assert container.runner.catch_up(batch_size=batch_size) == events
            assert _tables(container) == rebuilt, (batch_size, projections is small)
    finally:
        container.close()

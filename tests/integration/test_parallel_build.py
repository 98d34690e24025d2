"""A rebuild whose first pass is split with a worker process (`projections.parallel_build`)
writes the very rows a serial one writes, on both backends; a worker that fails leaves its
part to the rebuilding process, and the rows are still the same."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections import cores, parallel_build
from tests.support.demo_ledger import record_demo


def _tables(container: Container) -> dict[str, list[dict[str, Any]]]:
    names = [t for p in container.runner.projections for t in p.tables]
    return {name: sorted((dict(r) for r in container.db.fetchall(f"SELECT * FROM {name}")),
                         key=repr) for name in names}


def _serial_then_split(container: Container, monkeypatch: pytest.MonkeyPatch,
                       caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Record the demo, rebuild without a worker, rebuild with one (batches of 9): the same
    rows; return the build's log records."""
    events = record_demo(container)
    monkeypatch.setattr(parallel_build, "PARALLEL_FROM", sys.maxsize)
    assert container.runner.rebuild(batch_size=9) == events
    serial = _tables(container)
    assert serial["case_deadlines"] and serial["deadline_trackers"] and serial["case_list"]
    monkeypatch.setattr(parallel_build, "PARALLEL_FROM", 1)
    with caplog.at_level(logging.INFO, logger=parallel_build.__name__):
        assert container.runner.rebuild(batch_size=9) == events
    assert _tables(container) == serial
    return [r for r in caplog.records if r.name == parallel_build.__name__]


def test_a_rebuild_split_with_a_worker_writes_what_a_serial_one_writes(
        settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    container = build(settings)
    try:
        records = _serial_then_split(container, monkeypatch, caplog)
        assert [r.levelno for r in records] == [logging.INFO]
        assert "a worker built DeadlineProjection" in records[0].getMessage()
    finally:
        container.close()


@pytest.mark.parametrize("limit", ["no helper processes", "a quota of one core"])
def test_no_worker_where_the_operator_allows_none(
        settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, tmp_path: Path, limit: str) -> None:
    """`PACT_LEDGER_HELPER_PROCESSES=0`, or a cgroup CPU quota of one core (a container's
    `--cpus 1`, which the affinity does not show): the rebuild builds every table in its own
    process, however long the log (the same rows, no worker's line in the log)."""
    if limit == "a quota of one core":
        (tmp_path / "cpu.max").write_text("100000 100000\n")
        monkeypatch.setattr(cores, "CGROUP", tmp_path)
    else:
        settings = dataclasses.replace(settings, helper_processes=0)
    container = build(settings)
    try:
        events = record_demo(container)
        monkeypatch.setattr(parallel_build, "PARALLEL_FROM", sys.maxsize)
        assert container.runner.rebuild(batch_size=9) == events
        serial = _tables(container)
        monkeypatch.setattr(parallel_build, "PARALLEL_FROM", 1)
        with caplog.at_level(logging.INFO, logger=parallel_build.__name__):
            assert container.runner.rebuild(batch_size=9) == events
        assert _tables(container) == serial
        assert not [r for r in caplog.records if r.name == parallel_build.__name__]
    finally:
        container.close()


def test_a_worker_that_fails_leaves_its_part_to_the_rebuild(
        settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A worker whose `ledger`/`projections` are not this process's refuses to build: the
    rebuilding process builds the deadline tables itself, and says so. What a failed worker
    may have left in its place does not count (on SQLite, its file holds a tracking row far
    along and a stray tracker here: the part starts afresh)."""
    planned = parallel_build.plan

    def elsewhere(*args: Any, **kwargs: Any) -> parallel_build.Part | None:
        part = planned(*args, **kwargs)
        if part is None:
            return None
        if part.backend == "sqlite":
            with sqlite3.connect(part.target) as left:
                left.execute("CREATE TABLE projection_tracking (name TEXT PRIMARY KEY, "
                             "position INTEGER NOT NULL)")
                left.execute("INSERT INTO projection_tracking VALUES (?, ?)",
                             (part.tracking, part.until // 2))
                left.execute("CREATE TABLE deadline_trackers (case_id TEXT PRIMARY KEY, "
                             "position INTEGER, state TEXT)")
                left.execute("INSERT INTO deadline_trackers VALUES ('stray', 1, '{}')")
            left.close()
        return dataclasses.replace(
            part, code=("/elsewhere/ledger/__init__.py", "/elsewhere/projections/__init__.py"))

    monkeypatch.setattr(parallel_build, "plan", elsewhere)
    before = len(parallel_build.FAILURES)
    container = build(settings)
    try:
        records = _serial_then_split(container, monkeypatch, caplog)
        assert [r.levelno for r in records] == [logging.WARNING]
        assert "/elsewhere/ledger" in records[0].getMessage()
        failures = parallel_build.FAILURES[before:]
        del parallel_build.FAILURES[before:]
        assert len(failures) == 1 and "this process builds its part" in failures[0]
    finally:
        container.close()

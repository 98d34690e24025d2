"""The bulk import stores exactly what `Ledger.handle` stores for the same commands at the same
clock: the same rows, byte for byte, in the same order (the batch path decides each command by
the same rules; only how its events reach the store differs). The cases carry no names, so that
no personal data is sealed: a sealing's nonce (and a new case's key) is random by design.
Solidarity steps too: every event is stamped by the ledger's clock, never the wall clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.bulk_import import BulkImport
from ledger.envelope import Actor
from ledger.solidarity import commands as s
from pact_ledger.import_format import line_of, read_items
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import BatchedKeyVault
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.support.clock import ManualClock
from tests.support.import_lines import case_lines
from tests.support.pgserver import TemporaryPostgres
from tests.support.solidarity import COMMISSION, YEAR, cycle_steps, meta

pytestmark = pytest.mark.storage

IMPORTER = Actor("it-import", "CASE_WORKER", "IT migration", "IT")


@pytest.fixture
def twin(settings: Settings, tmp_path: Path, request: pytest.FixtureRequest,
         clock: ManualClock) -> Iterator[Container]:
    """A second, empty ledger on the same backend and clock."""
    if settings.backend == "sqlite":
        built = build(Settings(f"sqlite:///{tmp_path / 'twin.sqlite'}"), clock=clock)
        yield built
        built.close()
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres")
    name = f"t_{uuid.uuid4().hex[:12]}"
    built = build(Settings(server.create_database(name)), clock=clock)
    yield built
    built.close()
    server.drop_database(name)


def _rows(container: Container) -> list[tuple[Any, ...]]:
    notifications = container.ledger.recorder.select_notifications(start=1, limit=10_000)
    return [(str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
            for n in notifications]


def test_an_import_stores_the_bytes_that_commands_one_by_one_store(
        container: Container, twin: Container) -> None:
    cases = [case_lines(f"IT-BY-{n}", first_day=n) for n in range(6)]
    lines = [line for step in zip(*cases, strict=True) for line in step]  # cases interleaved
    for item in read_items(lines, IMPORTER):
        assert item.meta is not None
        twin.ledger.handle(item.command, item.meta)
    bulk = BulkImport(container.ledger, batch_events=7,  # batches that split cases
                      keys=BatchedKeyVault(container.keystore),
                      store=batch_store(container.ledger.recorder))
    committed: list[int] = []  # events stored when each batch's `after_batch` ran
    bulk.after_batch = lambda: committed.append(len(_rows(container)))
    results = list(bulk.run(read_items(lines, IMPORTER)))
    assert [r.status for r in results] == ["recorded"] * 30
    imported, handled = _rows(container), _rows(twin)
    assert len(imported) == sum(r.events for r in results) > 30
    assert imported == handled
    # after each committed batch, once: at least 7 events each, all of them at the end
    assert len(committed) >= 3 and committed[-1] == len(imported)
    assert all(b - a >= 7 for a, b in zip([0, *committed[:-2]], committed[:-1], strict=True))


def test_solidarity_steps_store_the_same_bytes_at_the_same_clock(
        container: Container, twin: Container, clock: ManualClock) -> None:
    """The Union-level steps and pledges, imported on one ledger and handled one by one on the
    other at the same fixed clock (an import acting for the Commission): the same rows, each
    stamped with the clock's time."""
    *up_to_forum, pool = cycle_steps()  # pledges are made before the pool is established
    pledges = [(f"PLEDGE-{ms}", s.MakePledge(YEAR, ms, "RELOCATION", 100, 0, None),
                "2025-11-27") for ms in ("DE", "FR")]
    commands = [*up_to_forum, *pledges, pool]
    lines = [line_of(command, meta(day, command_id=f"sol/{name}"))
             for name, command, day in commands]
    for item in read_items(lines, COMMISSION):
        assert item.meta is not None
        twin.ledger.handle(item.command, item.meta)
    bulk = BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                      store=batch_store(container.ledger.recorder))
    assert [r.status for r in bulk.run(read_items(lines, COMMISSION))] == ["recorded"] * len(lines)
    imported = _rows(container)
    assert len(imported) > len(lines) and imported == _rows(twin)
    mapper = container.ledger.mapper
    stamps = {mapper.to_domain_event(n).timestamp
              for n in container.ledger.recorder.select_notifications(start=1, limit=10_000)}
    assert stamps == {clock()}


def test_cases_pushed_out_of_memory_are_read_again_to_the_same_bytes(
        container: Container, twin: Container) -> None:
    """Two cases kept between batches of three events, six cases interleaved: most lines find
    their case pushed out and read it back from the store; the rows are still those
    `Ledger.handle` stores."""
    cases = [case_lines(f"IT-OUT-{n}", first_day=n) for n in range(6)]
    lines = [line for step in zip(*cases, strict=True) for line in step]
    for item in read_items(lines, IMPORTER):
        assert item.meta is not None
        twin.ledger.handle(item.command, item.meta)
    bulk = BulkImport(container.ledger, batch_events=3, kept_aggregates=2,
                      keys=BatchedKeyVault(container.keystore),
                      store=batch_store(container.ledger.recorder))
    assert [r.status for r in bulk.run(read_items(lines, IMPORTER))] == ["recorded"] * 30
    assert len(bulk._kept) == 2  # noqa: SLF001 - trimmed at each batch's end
    assert _rows(container) == _rows(twin)

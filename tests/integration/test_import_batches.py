"""The batch path of the bulk import (`ledger.bulk_import`, `pact_ledger.import_store`) on both
backends: the cases of a batch read from the store in one query, the batch written in one, a
re-run answered from that one query, and a refusal that comes after its command changed a case
in memory leaving no trace there (the lines after it recorded as if it had never been sent)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from ledger.bulk_import import BatchStore, BulkImport
from ledger.case import commands as c
from ledger.case.access_to_procedure.steps import LODGING_REQUIRES_REGISTRATION
from ledger.case.aggregate import Case
from ledger.envelope import Actor
from ledger.errors import RuleViolation
from ledger.handlers import COMMAND_HANDLERS
from pact_ledger.import_format import read_items
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import BatchedKeyVault
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.support.import_lines import case_lines

pytestmark = pytest.mark.storage

IMPORTER = Actor("it-import", "CASE_WORKER", "IT migration", "IT")


class CountingStore:
    """The real batch store, counting its calls."""

    def __init__(self, store: BatchStore) -> None:
        self.store = store
        self.reads: list[int] = []
        self.writes: list[int] = []

    def stored(self, ids: Collection[UUID]) -> dict[UUID, list[StoredEvent]]:
        self.reads.append(len(ids))
        return self.store.stored(ids)

    def write(self, events: list[StoredEvent]) -> None:
        self.writes.append(len(events))
        self.store.write(events)


def _bulk(container: Container) -> tuple[BulkImport, CountingStore]:
    store = CountingStore(batch_store(container.ledger.recorder))
    return BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                      store=store), store


def _steps(container: Container, reference: str) -> list[tuple[Any, ...]]:
    return [(type(e).__name__, e.originator_version, e.envelope.command_id.split("/")[-1],
             e.envelope.occurred_at, e.envelope.previous_hash is None)
            for e in container.ledger.events.get(Case.create_id("IT", reference))]


def test_a_batch_reads_its_cases_in_one_query_and_writes_in_one(container: Container) -> None:
    lines = [line for n in range(20) for line in case_lines(f"IT-BQ-{n}")]
    bulk, store = _bulk(container)
    results = list(bulk.run(read_items(lines, IMPORTER)))
    assert [r.status for r in results] == ["recorded"] * 100
    assert store.reads == [20]  # the 20 cases, asked at once (all new)
    assert store.writes == [sum(r.events for r in results)]

    again, store = _bulk(container)
    results = list(again.run(read_items(lines, IMPORTER)))
    assert [r.status for r in results] == ["replayed"] * 100
    assert store.reads == [20] and store.writes == []
    assert container.reads.integrity.verify_ledger().valid


class CountingEvents:
    """The ledger's event store, counting the streams read."""

    def __init__(self, events: Any) -> None:
        self.events = events
        self.reads = 0

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self.reads += 1
        return self.events.get(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.events, name)


def test_a_re_run_checks_each_replay_from_the_batch_query_alone(container: Container) -> None:
    """A resumed import replays every line: each replay's fingerprint is compared with the
    recorded one from the events its batch read at once, not by reading its case again; a
    command id used for a different command is still refused."""
    lines = [line for n in range(5) for line in case_lines(f"IT-RR-{n}")]
    bulk, _ = _bulk(container)
    assert {r.status for r in bulk.run(read_items(lines, IMPORTER))} == {"recorded"}
    changed = json.loads(lines[1])  # the same command id, another place
    changed["input"]["place"] = "Elsewhere"
    counting = CountingEvents(container.ledger.events)
    container.ledger.events = counting  # type: ignore[assignment]
    try:
        again, store = _bulk(container)
        results = list(again.run(read_items([*lines, json.dumps(changed)], IMPORTER)))
    finally:
        container.ledger.events = counting.events
    assert [r.status for r in results] == ["replayed"] * 25 + ["refused"]
    assert "commandId" in str(results[-1].error)
    assert store.reads == [5] and counting.reads == 0


def test_a_refusal_after_its_command_changed_a_case_leaves_no_trace(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    real = COMMAND_HANDLERS[c.RegisterApplication]

    def registers_then_refuses(ledger: Any, command: Any, step: Any) -> Any:
        """The real handler, then a rule saying no (as a rule checked late would)."""
        changes = real.handler(ledger, command, step)
        if step.command_id.endswith("/late-refusal"):
            raise RuleViolation(LODGING_REQUIRES_REGISTRATION, "refused after the change")
        return changes

    monkeypatch.setitem(COMMAND_HANDLERS, c.RegisterApplication,
                        dataclasses.replace(real, handler=registers_then_refuses))
    plain = case_lines("IT-PLAIN-1", prefix="p")
    refused = case_lines("IT-REF-1", prefix="r")
    late = json.loads(refused[3])
    late["input"]["commandId"] = "r/late-refusal"
    lines = [*plain, *refused[:3], json.dumps(late), *refused[3:]]

    bulk, store = _bulk(container)
    results = list(bulk.run(read_items(lines, IMPORTER)))
    assert [r.status for r in results].count("refused") == 1
    refusal = next(r for r in results if r.status == "refused")
    assert refusal.item.line == 9 and isinstance(refusal.error, RuleViolation)
    assert [r.status for r in results if r is not refusal] == ["recorded"] * 10
    assert len(store.writes) == 1  # the refusal did not cut the batch
    assert _steps(container, "IT-REF-1") == _steps(container, "IT-PLAIN-1")
    assert "late-refusal" not in {step[2] for step in _steps(container, "IT-REF-1")}
    assert container.reads.integrity.verify_ledger().valid


def test_a_case_changed_by_another_writer_during_a_batch_is_decided_again(
        container: Container, settings: Settings) -> None:
    lines = [line for n in range(3) for line in case_lines(f"IT-RACE-{n}")]
    other = build(settings)  # another writer on the same database

    class RacingStore(CountingStore):
        def write(self, events: list[StoredEvent]) -> None:
            if not self.writes:  # before the batch's commit: the other writer opens a case
                command = read_items(case_lines("IT-RACE-1")[:1], IMPORTER)
                item = next(iter(command))
                assert item.meta is not None
                other.ledger.handle(item.command, item.meta)
            super().write(events)

    try:
        store = RacingStore(batch_store(container.ledger.recorder))
        bulk = BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                          store=store)
        results = list(bulk.run(read_items(lines, IMPORTER)))
    finally:
        other.close()
    assert len(store.writes) == 1  # refused by the database: nothing of the batch written
    statuses = [r.status for r in results]
    assert statuses.count("replayed") == 1 and statuses.count("recorded") == 14
    for n in range(3):
        assert len(_steps(container, f"IT-RACE-{n}")) == 6  # each step once
    assert container.reads.integrity.verify_ledger().valid


def test_a_case_refused_after_its_data_was_sealed_leaves_no_key(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    real = COMMAND_HANDLERS[c.StartScreening]

    def opens_then_refuses(ledger: Any, command: Any, step: Any) -> Any:
        changes = real.handler(ledger, command, step)  # the names sealed under a new key
        if step.command_id == "gone/0":
            raise RuleViolation(LODGING_REQUIRES_REGISTRATION, "refused after sealing")
        return changes

    monkeypatch.setitem(COMMAND_HANDLERS, c.StartScreening,
                        dataclasses.replace(real, handler=opens_then_refuses))
    lines = [case_lines("IT-GONE-1", prefix="gone")[0], case_lines("IT-KEPT-1")[0]]
    for n, line in enumerate(lines):
        data = json.loads(line)
        data["input"]["person"].update(familyName="Exemplar", givenNames=f"N{n}")
        lines[n] = json.dumps(data)
    bulk, _ = _bulk(container)
    results = list(bulk.run(read_items(lines, IMPORTER)))
    assert [r.status for r in results] == ["refused", "recorded"]
    gone, kept = (str(Case.create_id("IT", ref)) for ref in ("IT-GONE-1", "IT-KEPT-1"))
    assert set(container.keystore.keys([gone, kept])) == {kept}

"""What a bulk import keeps in memory between its lines (`ledger.bulk_import.BulkImport`), on both
backends: after barriers (`forget`, a parallel import's workers) it reads again only the cases
the barriers recorded on and the shared streams, and the data keys only when one of them was an
erasure; what it remembers of a case (its commands' fingerprints, its opening seal) goes when
the case leaves memory, and a later replay of its lines still finds them recorded; a parallel
import's own process (`forget_cases`) reads every case again after its workers' lines, but not
the shared aggregates only its lines record on."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from ledger.bulk_import import BulkImport
from ledger.case.aggregate import Case
from ledger.case.commands import AssignProcedure
from ledger.command_meta import CommandMeta
from ledger.reference_data.recognition import RecognitionReference
from pact_ledger.import_format import line_of, read_items
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import BatchedKeyVault
from pact_ledger.wiring import Container
from tests.integration.test_import_keys import IMPORTER, CountingKeys, _named
from tests.integration.test_statistics import load, table
from tests.support.acting import principal
from tests.support.steps import T0

pytestmark = pytest.mark.storage


class CountingStore:
    """The real batch store, noting which aggregates it is asked to read."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.asked: list[UUID] = []

    def stored(self, ids: Collection[UUID]) -> Any:
        self.asked.extend(ids)
        return self.store.stored(ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def _bulk(container: Container, **kwargs: Any) -> tuple[BulkImport, CountingStore, CountingKeys]:
    store = CountingStore(batch_store(container.ledger.recorder))
    keys = CountingKeys(container.keystore)
    return BulkImport(container.ledger, keys=BatchedKeyVault(keys),  # type: ignore[arg-type]
                      store=store, **kwargs), store, keys


def _run(bulk: BulkImport, lines: Sequence[str]) -> list[str]:
    return [r.status for r in bulk.run(read_items(lines, IMPORTER))]


@pytest.mark.parametrize("keys_destroyed", [False, True])
def test_after_barriers_only_their_cases_are_read_again(container: Container,
                                                        keys_destroyed: bool) -> None:
    first, second = _named("IT-KEPT-1", "k1"), _named("IT-KEPT-2", "k2")
    one = Case.create_id("IT", "IT-KEPT-1")
    bulk, store, keys = _bulk(container)
    assert _run(bulk, [*first[:3], *second[:3]]) == ["recorded"] * 6
    store.asked.clear()
    reads = keys.reads
    bulk.forget({one}, keys_destroyed=keys_destroyed)  # a barrier recorded on the first case
    assert _run(bulk, [*first[3:], *second[3:]]) == ["recorded"] * 4
    assert set(store.asked) == {one}  # the second case stayed in memory
    # the registrations open each case's date of birth: with its key kept, or read again
    assert (keys.reads > reads) is keys_destroyed
    assert container.reads.integrity.verify_ledger().valid


def test_what_is_remembered_of_a_case_leaves_with_it(container: Container) -> None:
    cases = [_named(f"IT-EVICT-{n}", f"ev{n}") for n in range(5)]
    lines = [line for case in cases for line in case[:3]]
    bulk, _, _ = _bulk(container, kept_aggregates=2, batch_events=3)
    assert _run(bulk, lines) == ["recorded"] * len(lines)
    kept = set(bulk._kept)  # noqa: SLF001
    assert len(kept) <= 2
    assert set(bulk._fingerprints) <= kept  # noqa: SLF001
    assert set(bulk._opening_seals) <= kept  # noqa: SLF001
    # the cases that left memory are read again: their commands replay, the rest record
    again, _, _ = _bulk(container, kept_aggregates=2, batch_events=3)
    rest = [line for case in cases for line in case[3:]]
    assert _run(again, lines + rest) == ["replayed"] * len(lines) + ["recorded"] * len(rest)
    assert container.reads.integrity.verify_ledger().valid


def test_a_memory_budget_keeps_every_case_until_the_process_reaches_it(
        container: Container) -> None:
    """`memory_budget`: below it, every case used stays in memory whatever the fixed bound (2
    here), so their later lines read none of them back; from the batch end where the process
    holds the budget, the number kept then stays the bound (the resident memory is the
    edge's reading, `projections.batch_state.resident_bytes`: here a number the test sets)."""
    cases = [_named(f"IT-BUDGET-{n}", f"bu{n}") for n in range(8)]
    ids = [Case.create_id("IT", f"IT-BUDGET-{n}") for n in range(8)]
    resident = [100]
    bulk, store, _ = _bulk(container, kept_aggregates=2, batch_events=3, memory_budget=1000,
                           resident=lambda: resident[0])
    opened = [line for case in cases[:4] for line in case[:3]]
    assert _run(bulk, opened) == ["recorded"] * len(opened)
    assert set(bulk._kept) == set(ids[:4]) and bulk.kept_ceiling is None  # noqa: SLF001
    store.asked.clear()
    later = [line for case in cases[:4] for line in case[3:]]
    assert _run(bulk, later) == ["recorded"] * len(later)
    assert not set(store.asked) & set(ids[:4])  # none read back
    resident[0] = 1000  # the process now holds its budget
    more = [line for case in cases[4:] for line in case[:3]]
    assert _run(bulk, more) == ["recorded"] * len(more)
    ceiling = bulk.kept_ceiling
    assert ceiling is not None and 4 <= ceiling < 8
    assert len(bulk._kept) == ceiling  # noqa: SLF001 - no longer growing
    # without a budget (or without a reading of the memory), the fixed bound as before
    fixed, _, _ = _bulk(container, kept_aggregates=2, batch_events=3, resident=lambda: 100)
    assert _run(fixed, [line for case in cases for line in case[:3]]) == [
        "replayed"] * 24
    assert len(fixed._kept) <= 2 and fixed.kept_ceiling is None  # noqa: SLF001
    assert container.reads.integrity.verify_ledger().valid


def test_memory_mb_sets_the_budget_and_key_cache_of_an_import_process(
        container: Container) -> None:
    """`pact-ledger import --memory-mb` (`PACT_LEDGER_IMPORT_MEMORY_MB`) through `bulk_import`,
    which the CLI and each worker of `--workers` call: the budget of the process's
    `BulkImport`, and a key cache large enough for the cases it may keep."""
    from pact_ledger.import_vault import KNOWN_KEYS
    from pact_ledger.import_wiring import KEYS_PER_MIB, bulk_import

    bulk = bulk_import(container, 5_000, None, 4_096)
    assert bulk.memory_budget == 4_096 * 2**20
    assert bulk._resident is not None and bulk._resident() > 0  # noqa: SLF001
    assert bulk.keys.known_keys == 4_096 * KEYS_PER_MIB > KNOWN_KEYS  # type: ignore[union-attr]
    plain = bulk_import(container, 5_000, None, 0)
    assert plain.memory_budget == 0
    assert plain.keys.known_keys == KNOWN_KEYS  # type: ignore[union-attr]


class CountingRepository:
    """The ledger's repository, noting which aggregates it is asked for (the shared ones a
    batch reads through it: `ledger.bulk_import._BatchRepository`)."""

    def __init__(self, repository: Any) -> None:
        self.repository = repository
        self.asked: list[UUID] = []

    def get(self, aggregate_id: UUID, **kwargs: Any) -> Any:
        self.asked.append(aggregate_id)
        return self.repository.get(aggregate_id, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repository, name)


def _assigned(reference: str, prefix: str) -> list[str]:
    """The case's lines to a lodged application, then its procedure (which reads the
    recognition rates: a shared aggregate, `ledger.reference_data`)."""
    meta = CommandMeta(actor=principal("CASE_WORKER", "IT"), occurred_at=T0 + timedelta(days=7),
                       command_id=f"{prefix}/assign")
    return [*_named(reference, prefix),
            line_of(AssignProcedure(Case.create_id("IT", reference), "REGULAR"), meta)]


def test_after_the_workers_lines_the_ordered_lane_reads_cases_again_not_shared_streams(
        container: Container) -> None:
    """A parallel import's own process (`forget_cases`, before each barrier line): the workers
    may have recorded on any case, so every case is read again; the shared aggregates it read
    (here the recognition rates; a solidarity account in a real file, one event longer per
    credit) only its own lines change, so they stay in memory."""
    load(container, table("t-2024", 2024, SY="0.90"))
    reference = RecognitionReference.create_id()
    one = Case.create_id("IT", "IT-LANE-1")
    repository = CountingRepository(container.ledger._repository)  # noqa: SLF001
    container.ledger._repository = repository  # type: ignore[assignment]  # noqa: SLF001
    bulk, store, _ = _bulk(container)
    first = _assigned("IT-LANE-1", "ln1")
    assert _run(bulk, first) == ["recorded"] * 6
    assert repository.asked.count(reference) == 1
    bulk.forget_cases()  # the workers' lines came here
    store.asked.clear()
    second = _assigned("IT-LANE-2", "ln2")
    # (a replay is reported at once, the batch's lines at its commit)
    assert sorted(_run(bulk, [*second, first[-1]])) == ["recorded"] * 6 + ["replayed"]
    assert repository.asked.count(reference) == 1  # kept
    assert one in store.asked  # read again to replay its line
    assert container.reads.integrity.verify_ledger().valid

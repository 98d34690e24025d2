"""The data keys a bulk import keeps between lines (`pact_ledger.import_vault`), on both backends:
a line that is not about a case (a solidarity step) leaves them kept, so a later step that opens
a case's date of birth does not ask the key store again; an erasure among the lines still makes
the import ask for every key again (it destroyed one)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from ledger.bulk_import import BulkImport
from ledger.case.aggregate import Case
from ledger.case.erasure.commands import ErasePersonalData
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from pact_ledger.import_format import line_of, read_items
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import BatchedKeyVault
from pact_ledger.wiring import Container
from tests.support.acting import principal
from tests.support.import_lines import case_lines
from tests.support.solidarity import cycle_steps, meta
from tests.support.steps import T0

pytestmark = pytest.mark.storage

#: An EU-level import: each line names its own actor (IT officers, the Commission).
IMPORTER = Actor("eu-import", "ADMINISTRATOR", "EU migration import", "EU")


class CountingKeys:
    """The real key store, counting its reads of stored keys."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.reads = 0

    def keys(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        self.reads += 1
        return self.store.keys(key_ids)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def _named(reference: str, prefix: str) -> list[str]:
    """`case_lines` whose person has names and a date of birth (sealed under the case's key,
    opened again by the registration's age rules)."""
    lines = case_lines(reference, prefix=prefix)
    opening = json.loads(lines[0])
    opening["input"]["person"].update(familyName="Exemplar", givenNames="Amal",
                                      dateOfBirth="1990-01-01")
    return [json.dumps(opening), *lines[1:]]


def _union_step(command_id: str) -> str:
    """The first Union-level step of a solidarity cycle (recorded through `Ledger.handle`)."""
    _, command, day = cycle_steps()[0]
    return line_of(command, meta(day, command_id=command_id))


def _erasure(reference: str) -> str:
    return line_of(ErasePersonalData(Case.create_id("IT", reference), "DATA_SUBJECT_REQUEST"),
                   CommandMeta(actor=principal("DATA_PROTECTION_OFFICER", "IT"),
                               occurred_at=T0.replace(day=T0.day + 2),
                               command_id=f"erase/{reference}"))


def _import(container: Container, lines: list[str]) -> tuple[list[str], CountingKeys]:
    counting = CountingKeys(container.keystore)
    bulk = BulkImport(container.ledger, keys=BatchedKeyVault(counting),  # type: ignore[arg-type]
                      store=batch_store(container.ledger.recorder))
    return [r.status for r in bulk.run(read_items(lines, IMPORTER))], counting


def test_a_line_about_no_case_leaves_the_kept_keys_in_place(container: Container) -> None:
    """Screening and registration of a named case, a Union-level solidarity step between them: the
    registration opens the date of birth with the key kept since the opening (on main, every
    line through `Ledger.handle` made the import read each key again: one query per case)."""
    plain = _named("IT-KEY-1", "a")
    _, without = _import(container, plain)
    named = _named("IT-KEY-2", "b")
    statuses, counting = _import(container, [*named[:3], _union_step("union/1"), *named[3:]])
    assert statuses == ["recorded"] * 6
    assert counting.reads == without.reads
    assert container.reads.integrity.verify_ledger().valid


def test_an_erasure_among_the_lines_makes_the_import_read_its_keys_again(
        container: Container) -> None:
    """Two named cases screened; one is erased (its key destroyed after the commit); the
    other's registration then reads its key from the store again, and finds it."""
    first, second = _named("IT-ERA-1", "e1"), _named("IT-ERA-2", "e2")
    _, without = _import(container, [*_named("IT-ERA-0", "e0"), *_named("IT-ERA-9", "e9")])
    lines = [*first[:3], *second[:3], _erasure("IT-ERA-1"), *second[3:]]
    statuses, counting = _import(container, lines)
    assert statuses == ["recorded"] * 9
    assert counting.reads == without.reads + 1
    assert set(container.keystore.keys([str(Case.create_id("IT", r))
                                        for r in ("IT-ERA-1", "IT-ERA-2")])) \
        == {str(Case.create_id("IT", "IT-ERA-2"))}
    assert container.reads.integrity.verify_ledger().valid

"""The same commands imported (`ledger.bulk_import`, `pact_ledger.import_format`) and sent as
GraphQL mutations over HTTP end in the same case: same read model, same events."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ledger.bulk_import import BulkImport
from ledger.case.aggregate import Case
from ledger.envelope import Actor
from pact_ledger.import_format import read_items
from pact_ledger.import_store import batch_store
from pact_ledger.import_vault import BatchedKeyVault
from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient
from tests.support.import_lines import case_lines

IMPORTER = Actor("it-import", "CASE_WORKER", "IT migration", "IT")
#: What differs between two cases of the same steps: their identity.
IDENTITY = {"case_id", "national_reference", "person_id", "seq"}


def _without_identity(row: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in row.items() if k not in IDENTITY}
    details = json.loads(kept.pop("details"))
    details.pop("personal_data")  # the case's person id and key id
    return {**kept, "details": details}


def _send(http: httpx.Client, line: str) -> None:
    data = json.loads(line)
    actor = Actor(data["actor"]["id"], data["actor"]["role"], data["actor"]["authority"],
                  data["actor"]["memberState"])
    name = data["mutation"]
    result = GraphQLClient(http, actor)(
        f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) "
        "{ __typename ... on CommandError { code message } } }", {"input": data["input"]})
    assert result[name]["__typename"] == "CommandSucceeded", result


def _events(container: Container, case_id: Any) -> list[tuple[Any, ...]]:
    return [(type(e).__name__, e.originator_version, e.timestamp, e.envelope.actor,
             e.envelope.occurred_at, e.envelope.legal_basis)
            for e in container.ledger.events.get(case_id)]


def test_an_imported_case_equals_the_same_case_recorded_by_mutations(
        container: Container, http: httpx.Client) -> None:
    for line in case_lines("IT-GQL-1", prefix="same"):
        _send(http, line)
    bulk = BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                      store=batch_store(container.ledger.recorder))
    results = list(bulk.run(read_items(case_lines("IT-IMP-1", prefix="other"), IMPORTER)))
    assert [r.status for r in results] == ["recorded"] * 5
    container.runner.catch_up()

    by_mutation, imported = Case.create_id("IT", "IT-GQL-1"), Case.create_id("IT", "IT-IMP-1")
    rows = [container.reads.cases.case(str(i)) for i in (by_mutation, imported)]
    assert rows[0] is not None and rows[1] is not None
    assert rows[0]["status"] == "LODGED"
    same = [_without_identity(row) for row in rows]
    assert same[0] == same[1]
    assert _events(container, by_mutation) == _events(container, imported)
    assert container.reads.integrity.verify_ledger().valid

    # Imported again (a re-run): nothing new, each line a replay.
    again = list(bulk.run(read_items(case_lines("IT-IMP-1", prefix="other"), IMPORTER)))
    assert [r.status for r in again] == ["replayed"] * 5
    assert len(_events(container, imported)) == len(_events(container, by_mutation))

"""Issue 10, defect 4, on PostgreSQL: when the database fails while a command is being saved,
the client is told that the outcome is unknown and which command id to retry with, never that
nothing was recorded; the retry with that id records the step once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.e2e.conftest import GraphQLClient, serving
from tests.e2e.test_hostile_requests import MAKE, application
from tests.support.acting import principal
from tests.support.pgserver import TemporaryPostgres

FAIL_INSERTS = [
    "CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'storage failed' USING ERRCODE = 'XX000'; END $$",
    "CREATE TRIGGER fail_insert BEFORE INSERT ON pactledger_events "
    "FOR EACH ROW EXECUTE FUNCTION fail_insert()",
]


@pytest.fixture
def pg_container(postgres: TemporaryPostgres) -> Iterator[Container]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    built = build(Settings(postgres.create_database(name)))
    yield built
    built.close()
    postgres.drop_database(name)


def test_a_failed_commit_is_reported_unknown_and_the_retry_records_once(
        pg_container: Container) -> None:
    url = pg_container.settings.postgres_url
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in FAIL_INSERTS:
            conn.execute(statement)
    with serving(pg_container) as base, httpx.Client(base_url=base, timeout=30) as http:
        gql = GraphQLClient(http, principal("CASE_WORKER", "IT"))
        result = gql(MAKE, {"input": application("IT-UK-1")})["makeApplication"]
        assert result["__typename"] == "OutcomeUnknown", result
        assert result["code"] == "OUTCOME_UNKNOWN" and result["commandId"]
        assert "not known" in result["message"] and "Nothing was recorded" not in str(result)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TRIGGER fail_insert ON pactledger_events")
        retry = application("IT-UK-1", result["commandId"])
        first = gql(MAKE, {"input": retry})["makeApplication"]
        again = gql(MAKE, {"input": retry})["makeApplication"]
        assert (first["__typename"], first["replayed"]) == ("CommandSucceeded", False), first
        assert (again["__typename"], again["replayed"]) == ("CommandSucceeded", True), again
        cases = gql("{ cases { totalCount edges { node { version } } } }")["cases"]
        assert cases["totalCount"] == 1

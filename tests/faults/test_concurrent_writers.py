"""Concurrent writers, on both backends: many writers on one case (over HTTP, the real server)
and writers in separate ledger instances (as separate processes would be) on many cases, some
shared. Nothing acknowledged is lost, nothing is recorded twice, no stream is reordered, and the
read models equal a rebuild from the log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import httpx

from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.errors import ConcurrentChange
from pact_ledger.wiring import Container, build
from tests.e2e.conftest import GraphQLClient, serving
from tests.support.acting import principal
from tests.support.fault_figures import add
from tests.support.flows import screened_applicant
from tests.support.steps import at

INFORM = """mutation($input: ProvideInformationInput!) { provideInformation(input: $input) {
  __typename ... on CommandSucceeded { replayed version } ... on CommandError { code } } }"""
WRITERS, EACH = 8, 8


def stream_of(container: Container, case_id: UUID) -> list[Any]:
    return list(container.ledger.events.get(case_id))


def command_ids(events: list[Any]) -> list[str]:
    return [e.envelope.command_id for e in events]


def read_models(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    """Every table a rebuild refills, as sorted rows."""
    tables = [t for p in container.runner.projections for t in p.tables]
    return {t: sorted(tuple(str(v) for v in dict(r).values())
                      for r in container.db.fetchall(f"SELECT * FROM {t}")) for t in tables}


def assert_equal_to_a_rebuild(container: Container) -> int:
    container.runner.catch_up()
    before = read_models(container)
    container.runner.rebuild()
    assert read_models(container) == before
    return sum(len(rows) for rows in before.values())


def assert_log_order(container: Container, case_id: UUID) -> None:
    """Versions 1..n, in the order of their log positions (no stream reordered)."""
    events = stream_of(container, case_id)
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    container.runner.catch_up()
    rows = container.db.fetchall("SELECT version FROM case_events WHERE case_id = ? "
                                 "ORDER BY seq", (str(case_id),))
    assert [r["version"] for r in rows] == list(range(1, len(events) + 1))


def until_recorded(send: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A client's retry loop: the same command (same id) again after CONCURRENT_CHANGE."""
    for _ in range(20):
        result = send()
        if result.get("code") != "CONCURRENT_CHANGE":
            return result
        add("concurrency conflicts answered CONCURRENT_CHANGE and retried")
    raise AssertionError("still concurrent after 20 retries")


def test_many_writers_on_one_case_over_http(container: Container) -> None:
    case_id = screened_applicant(container.ledger, "IT-RACE-1")
    base = len(stream_of(container, case_id))
    with serving(container) as url, httpx.Client(base_url=url, timeout=60) as http:
        gql = GraphQLClient(http, principal("CASE_WORKER", "IT"))

        def writer(w: int) -> list[dict[str, Any]]:
            results = []
            for i in range(EACH):
                command = {"caseId": str(case_id), "topics": [f"t{w}-{i}"], "language": "ar",
                           "occurredAt": "2026-04-01T10:00:00+02:00",
                           "commandId": f"race-{w}-{i}"}
                results.append(until_recorded(lambda cmd=command: gql(  # type: ignore[misc]
                    INFORM, {"input": cmd})["provideInformation"]))
            # each writer also retries one of its commands: recorded once, answered replayed
            again = gql(INFORM, {"input": {**command, "commandId": f"race-{w}-{EACH - 1}"}})
            results.append(again["provideInformation"])
            return results

        with ThreadPoolExecutor(WRITERS) as pool:
            answers = [r for rs in pool.map(writer, range(WRITERS)) for r in rs]
    acknowledged = [a for a in answers if a["__typename"] == "CommandSucceeded"]
    assert len(acknowledged) == len(answers) == WRITERS * (EACH + 1), answers
    assert sum(a["replayed"] for a in acknowledged) == WRITERS
    events = stream_of(container, case_id)
    ids = command_ids(events[base:])
    expected = {f"race-{w}-{i}" for w in range(WRITERS) for i in range(EACH)}
    assert sorted(ids) == sorted(expected)  # none lost, none twice
    assert_log_order(container, case_id)
    rows = assert_equal_to_a_rebuild(container)
    add("requests", len(answers))
    add("concurrent commands acknowledged", len(acknowledged))
    add("events checked", len(events))
    add("read-model rows compared with a rebuild", rows)
    add("lost", len(expected - set(ids)))
    add("duplicated", len(ids) - len(set(ids)))


def test_writers_in_separate_ledgers_on_many_cases(container: Container) -> None:
    """Each writer is its own ledger instance with its own connections (as a second process
    is): they race on shared cases and write their own."""
    shared = [screened_applicant(container.ledger, f"IT-SHARED-{i}") for i in range(3)]
    base = {case: len(stream_of(container, case)) for case in shared}
    writers, per_writer = 4, 3
    errors: list[BaseException] = []
    lock = threading.Lock()

    ledgers = [build(container.settings) for _ in range(writers)]  # schema set up one by one

    def writer(w: int) -> list[str]:
        own = ledgers[w]
        done = []
        try:
            for n in range(per_writer):  # own cases
                screened_applicant(own.ledger, f"IT-OWN-{w}-{n}")
            for round_ in range(4):  # shared cases, all writers at once
                for case in shared:
                    command_id = f"w{w}-r{round_}-{case.hex[:6]}"
                    for _ in range(20):
                        try:
                            own.ledger.handle(c.ProvideInformation(case, (command_id,), "fa"),
                                              at(10, actor=principal("CASE_WORKER", "IT"),
                                                 command_id=command_id))
                            done.append(command_id)
                            break
                        except ConcurrentChange:
                            add("concurrency conflicts answered CONCURRENT_CHANGE and retried")
                            continue
        except BaseException as error:  # reported below, with the others
            with lock:
                errors.append(error)
        finally:
            own.close()
        return done

    with ThreadPoolExecutor(writers) as pool:
        acknowledged = [i for ids in pool.map(writer, range(writers)) for i in ids]
    assert errors == []
    assert len(acknowledged) == writers * 4 * len(shared)
    recorded: list[str] = []
    checked = 0
    for case in shared:
        events = stream_of(container, case)
        recorded += command_ids(events[base[case]:])
        assert_log_order(container, case)
        checked += len(events)
    assert sorted(recorded) == sorted(acknowledged)
    for w in range(writers):
        for n in range(per_writer):
            own_case = Case.create_id("IT", f"IT-OWN-{w}-{n}")
            assert_log_order(container, own_case)
            checked += len(stream_of(container, own_case))
    rows = assert_equal_to_a_rebuild(container)
    assert container.reads.integrity.verify_ledger().valid
    add("concurrent commands acknowledged", len(acknowledged) + writers * per_writer * 5)
    add("events checked", checked)
    add("read-model rows compared with a rebuild", rows)
    add("lost", len(set(acknowledged) - set(recorded)))
    add("duplicated", len(recorded) - len(set(recorded)))

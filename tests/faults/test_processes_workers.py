"""`pact-ledger serve --workers N` on PostgreSQL: the workers start at once on a fresh database
(schema creation must not race), answer on one port with read-your-writes, one of them leads
the projection, and their connections stay within the per-process budget that lets 8 workers
fit PostgreSQL's default 100 connections. Also: a command that could only be committed after
its deadline is not recorded, and says so."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
import psycopg
import pytest

from ledger.case import commands as c
from pact_ledger.leader import LEADER_LOCK_KEY
from pact_ledger.settings import CONNECTIONS_PER_PROCESS, Settings
from pact_ledger.wiring import build
from projections.consistency import ConsistentLedger, DeadlineExceeded
from tests.support.pgserver import TemporaryPostgres
from tests.support.processes import (
    HEADERS,
    READ,
    Driver,
    ServerProcess,
    free_port,
    leaders,
    running,
    server_env,
    verify,
    wait_until,
)
from tests.support.steps import at

#: Connections of one server process at most: the event store's pool, the read pool, the key
#: store's pool, the leader's session.
PER_PROCESS = CONNECTIONS_PER_PROCESS


def test_serve_with_workers_on_a_fresh_database(postgres: TemporaryPostgres,
                                                tmp_path: Path) -> None:
    settings = Settings(postgres.create_database("workers_fresh"))
    port = free_port()
    cli = str(Path(sys.executable).parent / "pact-ledger")
    env = server_env(settings.database_url, tmp_path)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([cli, "serve", "--workers", "2", "--port", str(port)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    front = ServerProcess(env, log, port)
    front.proc = proc
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: httpx.get(f"{url}/readyz", timeout=2).status_code == 200, 90), \
            log.read_text()[-3000:]
        driver = Driver([front], "WORK")
        driver.run(60, threads=4)
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            leaders = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND objid = %s", (LEADER_LOCK_KEY & 0xFFFFFFFF,)).fetchone()
            sessions = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()").fetchone()
    finally:
        front.stop()
    assert leaders is not None and leaders[0] == 1
    assert sessions is not None and sessions[0] <= 2 * PER_PROCESS
    assert 8 * PER_PROCESS <= 100 - 3 - 8  # superuser reserve, room for the CLI and admins
    figures = driver.figures
    assert len(figures.acknowledged) == 60 and figures.stale_reads == []
    verdict = verify(settings, figures)
    print(f"\nserve --workers 2: {figures.requests} requests, {sessions[0]} sessions; {verdict}")
    assert verdict.lost == 0 and verdict.equal_to_rebuild


#: A mutation that asks only for its consistency token: nothing waits for the read models.
RECORD_ONLY = """mutation($input: MakeApplicationInput!) { makeApplication(input: $input) {
  __typename ... on CommandSucceeded { caseId version position } } }"""


def test_separate_server_processes_started_at_once_all_serve(
        postgres: TemporaryPostgres, tmp_path: Path) -> None:
    """Four independent servers (not one supervisor's workers) start together on a fresh
    database: each becomes ready, one leads the projection, and a command recorded through
    each is read through the next one with its consistency token (X-Pact-Min-Position)."""
    settings = Settings(postgres.create_database("workers_at_once"))
    env = server_env(settings.database_url, tmp_path)
    with running(env, tmp_path, 4) as servers, httpx.Client(timeout=30) as http:
        assert all(s.ready()["status"] == "ready" for s in servers)
        assert wait_until(lambda: len(leaders(servers)) == 1, 30)
        for i, server in enumerate(servers):
            answer = http.post(f"{server.url}/graphql", headers=HEADERS, json={
                "query": RECORD_ONLY, "variables": {"input": {
                    "memberState": "IT", "nationalReference": f"AT-ONCE-{i}",
                    "place": "Lampedusa", "person": {"nationality": "SY"},
                    "occurredAt": "2026-03-02T10:00:00Z"}}}).json()
            recorded = answer["data"]["makeApplication"]
            assert recorded["__typename"] == "CommandSucceeded", answer
            assert recorded["position"] > 0
            reader = servers[(i + 1) % len(servers)]
            read = http.post(f"{reader.url}/graphql", json={
                "query": READ, "variables": {"id": recorded["caseId"]}},
                headers={**HEADERS, "X-Pact-Min-Position": str(recorded["position"])}).json()
            assert read["data"]["case"]["version"] == recorded["version"], read
        bad = http.post(f"{servers[0].url}/graphql", json={"query": READ, "variables": {
            "id": recorded["caseId"]}}, headers={**HEADERS, "X-Pact-Min-Position": "soon"})
        assert bad.status_code == 400 and "X-Pact-Min-Position" in bad.text
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            sessions = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()").fetchone()
        assert sessions is not None and sessions[0] <= 4 * PER_PROCESS


def test_processes_starting_at_once_create_the_schema_once(postgres: TemporaryPostgres) -> None:
    settings = Settings(postgres.create_database("schema_race"))
    errors: list[BaseException] = []
    built = []

    def start() -> None:
        try:
            built.append(build(settings))
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for container in built:
        container.close()
    assert errors == [] and len(built) == 4


def test_a_command_past_its_deadline_is_not_recorded(postgres: TemporaryPostgres) -> None:
    settings = Settings(postgres.create_database("deadline"))
    container = build(settings)
    commands = ConsistentLedger(container.ledger, container.runner, deadline=1.0)
    try:
        command = c.MakeApplication(member_state="IT", national_reference="LATE-1",
                                    place="Rome", person=c.Person(nationality="SY"))
        before = container.runner.log_position()
        blocker = psycopg.connect(settings.database_url)
        # The event store's table, locked: loading the case waits until the lock goes.
        blocker.execute("LOCK TABLE pactledger_events IN ACCESS EXCLUSIVE MODE")
        releaser = threading.Timer(2.0, blocker.commit)  # the database answers, but too late
        releaser.start()
        try:
            with pytest.raises(DeadlineExceeded) as refused:
                commands.handle(command, at(0))
        finally:
            releaser.join()
            blocker.close()
        assert refused.value.code == "DEADLINE_EXCEEDED"
        assert "Not recorded" in refused.value.message
        assert container.runner.log_position() == before
    finally:
        container.close()


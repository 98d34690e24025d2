"""Issue 13's done-criterion: several server processes on a PostgreSQL primary with a hot
standby; commands and reads go through all of them; the projection leader is killed (-9) under
load; every read stays correct and current, another process takes the lead, nothing
acknowledged is lost, and the read models equal a clean rebuild."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg

from ledger.case import commands as c
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.pgserver import TemporaryPostgres, TemporaryStandby
from tests.support.processes import (
    HEADERS,
    Driver,
    leaders,
    running,
    server_env,
    verify,
    wait_until,
)
from tests.support.steps import at


def test_leader_killed_under_load_on_a_primary_with_a_standby(tmp_path: Path) -> None:
    import httpx

    with TemporaryPostgres(settings={"synchronous_commit": "on"}) as primary:
        url = primary.create_database("ledger")
        settings = Settings(url)
        build(settings).close()  # the schema exists before the standby is cloned
        with TemporaryStandby(primary) as standby, running(
                server_env(url, tmp_path, standby.url("ledger")), tmp_path, 3) as servers:
            assert wait_until(lambda: len(leaders(servers)) == 1, 15)
            (leader,) = leaders(servers)
            driver = Driver(servers, "LEAD")
            load = threading.Thread(target=driver.run, args=(150, 3))
            load.start()
            assert wait_until(lambda: len(driver.figures.acknowledged) >= 40, 60)
            leader.kill()
            driver.figures.faults.append("kill -9 of the projection leader")
            load.join(timeout=150)
            survivors = [s for s in servers if s.alive]
            assert wait_until(lambda: len(leaders(survivors)) == 1, 15)

            # A step recorded by no server (as the CLI would): the new leader projects it,
            # and the standby serves it.
            writer = build(settings)
            try:
                outcome = writer.ledger.handle(
                    c.MakeApplication(member_state="IT", national_reference="LEAD-cli",
                                      place="Rome", person=c.Person(nationality="SY")),
                    at(0))
            finally:
                writer.close()
            query = {"query": "query($id: ID!) { case(id: $id) { version } }",
                     "variables": {"id": str(outcome.aggregate_id)}}
            assert wait_until(lambda: all(
                httpx.post(f"{s.url}/graphql", json=query, headers=HEADERS).json()["data"]
                ["case"] is not None for s in survivors), 15)
            cases = {case_id for case_id, _ in driver.figures.acknowledged.values()}
            totals = [httpx.post(f"{s.url}/graphql", headers=HEADERS, json={
                "query": "{ cases(first: 1) { totalCount } }"}).json()["data"]["cases"]
                ["totalCount"] for s in survivors]
            assert totals == [len(cases) + 1] * len(survivors)
            # The queries were the standby's: the servers hold sessions there.
            assert all("replicaPosition" in s.ready() for s in survivors)
            with psycopg.connect(standby.url("ledger")) as conn:
                sessions = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'ledger' "
                    "AND pid <> pg_backend_pid()").fetchone()
            assert sessions is not None and sessions[0] >= len(survivors)
        figures = driver.figures
        assert len(figures.acknowledged) == 150
        assert figures.stale_reads == []
        verdict = verify(settings, figures)
        print(f"\nleader kill: {figures.requests} requests, {figures.reads} cross-process reads, "
              f"faults {figures.faults}, {figures.transport_errors} transport errors, "
              f"{figures.unknown_answers} unknown answers; {verdict}")
        assert verdict.lost == 0 and verdict.false_not_recorded == 0
        assert verdict.equal_to_rebuild

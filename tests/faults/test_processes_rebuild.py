"""Rebuilds while serving (issue 10, defect 3), on both backends: readers never see the read
models empty or partial, a rebuild killed with -9 mid-build leaves the live tables as they
were, an assignment recorded during a rebuild takes the recognition rate from a complete
source, and a server that finds read models of an older version rebuilds them blue-green."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from ledger.case import commands as c
from pact_ledger.demo import seed_demo
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections.blue_green import BUILD_SCHEMA
from projections.queries import CaseFilter
from projections.read_model_version import READ_MODEL_VERSION, set_version
from projections.runner import TRACKING_NAME, StaleReadModels
from tests.support.acting import handle
from tests.support.flows import screened_applicant
from tests.support.pgserver import TemporaryPostgres
from tests.support.processes import read_model_snapshot, wait_until
from tests.support.steps import at

CASES = 30
_TEMPLATES: dict[str, str] = {}


def _template(settings: Settings, request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo ledger, recorded once per backend and copied for each test."""
    if settings.backend not in _TEMPLATES:
        if settings.backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'seed.sqlite'}"
        else:
            server: TemporaryPostgres = request.getfixturevalue("postgres")
            url = server.create_database(f"seed_{uuid.uuid4().hex[:10]}")
        container = build(Settings(url))
        seed_demo(container, cases=CASES, seed=11)
        container.runner.catch_up()
        container.close()
        _TEMPLATES[settings.backend] = url
    return _TEMPLATES[settings.backend]


@pytest.fixture
def seeded_settings(settings: Settings, request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """`settings` over a copy of the demo ledger."""
    template = _template(settings, request, tmp_path_factory)
    if settings.backend == "sqlite":
        shutil.copyfile(Settings(template).sqlite_path, settings.sqlite_path)
        return settings
    server: TemporaryPostgres = request.getfixturevalue("postgres")
    name = urlsplit(settings.database_url).path.lstrip("/")
    server.drop_database(name)
    server.create_database(name, template=urlsplit(template).path.lstrip("/"))
    return settings


def seeded(settings: Settings) -> Container:
    return build(settings)


def test_reads_during_rebuilds_are_never_partial(seeded_settings: Settings) -> None:
    settings = seeded_settings
    container = seeded(settings)
    try:
        cases = container.reads.cases.count(CaseFilter())
        events = container.db.fetchone("SELECT COUNT(*) AS n FROM case_events")["n"]
        seen: list[tuple[int, int]] = []
        errors: list[BaseException] = []
        done = threading.Event()

        def read() -> None:
            while not done.is_set():
                try:
                    seen.append((container.reads.cases.count(CaseFilter()), container.db.fetchone(
                        "SELECT COUNT(*) AS n FROM case_events")["n"]))
                    time.sleep(0.002)  # leave the rebuild some of the interpreter
                except BaseException as error:  # noqa: BLE001  (reported below)
                    errors.append(error)
                    return

        readers = [threading.Thread(target=read) for _ in range(2)]
        for r in readers:
            r.start()
        rebuilt = [container.runner.rebuild() for _ in range(3)]
        done.set()
        for r in readers:
            r.join(timeout=30)
        print(f"\nreads during 3 rebuilds ({settings.backend}): {len(seen)} reads, "
              f"{rebuilt} events applied per rebuild")
        assert errors == []
        assert len(seen) > 10
        assert set(seen) == {(cases, events)}
        assert rebuilt == [container.runner.log_position()] * 3
    finally:
        container.close()


def test_assignment_during_a_rebuild_takes_the_rate_from_a_complete_source(
        settings: Settings) -> None:
    """The rate is the published figure loaded as reference data into the event store (APR Art
    42(1)(j)), so a rebuild of the read models (which empties the ledger's own statistics) does
    not change it."""
    from tests.integration.test_statistics import decide, load, table

    container = build(settings)
    try:
        for i in range(10):  # the ledger's own rate: 1 grant in 10, shown beside, not used
            decide(container, f"PK-{i}", "PK", "UNFOUNDED" if i else "REFUGEE_STATUS")
        load(container, table("r-2025", 2025, PK="0.10"))
        container.runner.catch_up()
        case_id = screened_applicant(container.ledger, "PK-new", nationality="PK")
        assigned: list[object] = []

        def assign_now(position: int, last: int) -> None:  # called mid-rebuild
            if not assigned:
                outcome = handle(container.ledger, c.AssignProcedure(case_id, "ACCELERATED"),
                                 at(7))
                assigned.append(outcome)

        container.runner.rebuild(assign_now)
        assert assigned
        container.runner.catch_up()
        payload = container.reads.cases.timeline(str(case_id))[-1]["payload"]
        assert '"recognition_rate":"0.1000"' in payload
        assert '"border_mandatory":true' in payload
    finally:
        container.close()


def _build_in_progress(settings: Settings, container: Container) -> bool:
    if settings.backend == "sqlite":
        return Path(str(settings.sqlite_path) + ".rebuild").exists()
    row = container.db.fetchone("SELECT COUNT(*) AS n FROM information_schema.tables "
                                "WHERE table_schema = ? AND table_name = 'case_list'",
                                (BUILD_SCHEMA,))
    return bool(row and row["n"])


def test_a_rebuild_killed_mid_build_leaves_the_live_read_models(
        seeded_settings: Settings) -> None:
    settings = seeded_settings
    container = seeded(settings)
    try:
        before = read_model_snapshot(container)
        env = {**os.environ, "PACT_LEDGER_DATABASE_URL": settings.database_url}
        kills = 0
        for _attempt in range(5):
            cli = str(Path(sys.executable).parent / "pact-ledger")
            proc = subprocess.Popen([cli, "rebuild"], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                started = wait_until(lambda p=proc: _build_in_progress(settings, container)
                                     or p.poll() is not None, 60, interval=0.005)
            finally:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            if started and _build_in_progress(settings, container):
                kills += 1
                assert read_model_snapshot(container) == before  # serving as before
                break
        print(f"\nrebuild killed mid-build ({settings.backend}): {kills} kill(s), "
              f"{container.runner.log_position()} events")
        assert kills == 1
        assert container.runner.rebuild() == container.runner.log_position()
        assert read_model_snapshot(container) == before
        assert not _build_in_progress(settings, container)
    finally:
        container.close()


def test_a_server_finding_older_read_models_rebuilds_them_blue_green(
        seeded_settings: Settings) -> None:
    settings = seeded_settings
    from pact_ledger.server import create_app
    from tests.e2e.conftest import SECURITY, bearer
    from tests.support.live_server import live_server

    container = seeded(settings)
    try:
        before = read_model_snapshot(container)
        with container.db.transaction() as tx:
            set_version(tx, TRACKING_NAME, READ_MODEL_VERSION - 1)
        assert container.runner.version() == READ_MODEL_VERSION - 1
        with live_server(create_app(container, SECURITY)) as url:
            query = {"query": "{ cases(first: 1) { totalCount } }"}
            assert wait_until(lambda: httpx.post(f"{url}/graphql", json=query, headers=bearer(
                "CASE_WORKER")).status_code == 200, 60)
            total = httpx.post(f"{url}/graphql", json=query,
                               headers=bearer("CASE_WORKER")).json()
            ready = httpx.get(f"{url}/readyz").json()
        assert container.runner.version() == READ_MODEL_VERSION
        assert ready["status"] == "ready" and ready["readModelVersion"] == READ_MODEL_VERSION
        assert read_model_snapshot(container) == before
        assert "errors" not in total and total["data"]["cases"]["totalCount"] > 0
    finally:
        container.close()


def test_a_server_does_not_extend_read_models_of_another_version(settings: Settings) -> None:
    container = build(settings)
    try:
        with container.db.transaction() as tx:
            set_version(tx, TRACKING_NAME, READ_MODEL_VERSION + 1)  # a newer server's tables
        screened_applicant(container.ledger, "NEWER-1")
        position = container.runner.position()
        with pytest.raises(StaleReadModels):
            container.runner.wait_for(container.runner.log_position(), timeout=5)
        assert container.runner.position() == position
    finally:
        container.close()

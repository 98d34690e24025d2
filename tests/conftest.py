"""Shared fixtures. Storage-dependent tests take `settings` (or `container`) and so run twice:
once on an SQLite file, once on a fresh database of a real PostgreSQL server that the session
starts itself (see tests/support/pgserver.py). The container's clock is a `ManualClock` fixed
ten years after T0 (`tests.support.cases.NOW`), never the wall clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.support.cases import NOW
from tests.support.clock import ManualClock
from tests.support.pgserver import TemporaryPostgres

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    with TemporaryPostgres() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres")
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    yield Settings(url)
    server.drop_database(name)


@pytest.fixture
def clock() -> ManualClock:
    """The ledger's and the read models' "now" in storage tests; a test may move it."""
    return ManualClock(NOW)


@pytest.fixture
def container(settings: Settings, clock: ManualClock) -> Iterator[Container]:
    built = build(settings, clock=clock)
    yield built
    built.close()



def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fault suite's figures in one block (tests/faults/README.md says how to read them)."""
    from tests.support.fault_figures import FIGURES

    passed = [r.nodeid for r in terminalreporter.stats.get("passed", [])
              if getattr(r, "when", "call") == "call"]
    tamperings = sum(1 for n in passed if "test_tamper.py::" in n and "untouched" not in n
                     and "digest_extends" not in n)
    tamperings += sum(1 for n in passed
                      if "test_personal_data_log_integrity.py::test_every_change" in n)
    if not FIGURES and not tamperings:
        return
    terminalreporter.section("fault suite figures")
    for name, count in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {count}")
    terminalreporter.write_line(f"tamperings injected and caught: {tamperings}")


# Hypothesis's per-example deadline is a timed assertion: on a shared machine it fails tests
# that are merely slow. Speed is measured by benchmarks/, never by tests.
hypothesis_settings.register_profile("pact-ledger", deadline=None)
hypothesis_settings.load_profile("pact-ledger")

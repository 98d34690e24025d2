"""kill -9 of a server process under load, on both backends: every acknowledged command is
kept, reads through the other process stay current, and the read models equal a clean rebuild
(issue 10's fault suite)."""

from __future__ import annotations

import threading
from pathlib import Path

from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.support.processes import Driver, ServerProcess, running, server_env, verify, wait_until

COMMANDS = 90


def test_a_server_killed_under_load_loses_nothing_acknowledged(settings: Settings,
                                                               tmp_path: Path) -> None:
    build(settings).close()
    processes = 2 if settings.backend == "postgres" else 1  # SQLite: one process serves
    with running(server_env(settings.database_url, tmp_path), tmp_path, processes) as servers:
        driver = Driver(servers, f"KILL-{settings.backend}")
        load = threading.Thread(target=driver.run, args=(COMMANDS, 3))
        load.start()
        assert wait_until(lambda: len(driver.figures.acknowledged) >= 25, 60)
        victim: ServerProcess = servers[0]
        victim.kill()
        driver.figures.faults.append(f"kill -9 of a server ({settings.backend})")
        victim.start()  # the restarted process resumes from the tracking position
        load.join(timeout=120)
    figures = driver.figures
    assert len(figures.acknowledged) == COMMANDS
    assert figures.stale_reads == []
    verdict = verify(settings, figures)
    print(f"\nserver kill ({settings.backend}): {figures.requests} requests, "
          f"{figures.transport_errors} transport errors, {figures.unknown_answers} unknown; "
          f"{verdict}")
    assert verdict.lost == 0 and verdict.false_not_recorded == 0 and verdict.equal_to_rebuild

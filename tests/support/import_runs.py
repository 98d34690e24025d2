"""Runs of `pact-ledger import` for the crash tests: the log's position polled beside a running
import, and an import killed with SIGKILL once part of its file is in."""

from __future__ import annotations

import signal
import subprocess
import time

from ledger.application import Ledger
from pact_ledger.settings import Settings


def log_position(settings: Settings, create: bool = True) -> int:
    """The log's last position. Polling beside a running import creates nothing: a bare
    `Ledger` creating its tables takes no schema lock, and PostgreSQL refuses two sessions
    replacing the same function at once ("tuple concurrently updated")."""
    env = settings.eventsourcing_env()
    if not create:
        env = {**env, "CREATE_TABLE": "n"}
    ledger = Ledger(env=env)
    try:
        return ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()


def kill_mid_way(command: list[str], env: dict[str, str], settings: Settings,
                 events: int = 200) -> None:
    """Start the import `command` and SIGKILL it once the log holds `events` events (bounded:
    two minutes); it must have been killed, not have finished, and have recorded something."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while log_position(settings, create=False) < events and process.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL  # killed, not finished
    assert log_position(settings) > 0

"""`pact-ledger import --workers N` against the sequential import of the same file, on both
backends: the same stored events (each stream, in order), the same refusals, and a parallel
import killed with SIGKILL mid-way, then run again: every command recorded exactly once."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ledger.application import Ledger
from ledger.personal_data.sealed import SealedValue
from pact_ledger.cli import main
from pact_ledger.demo.script import demo_entries
from pact_ledger.import_format import line_of
from pact_ledger.import_parallel import _kinds, case_key
from pact_ledger.settings import Settings
from tests.integration.test_import import _mixed
from tests.support.import_lines import case_lines
from tests.support.import_runs import kill_mid_way, log_position
from tests.support.pgserver import TemporaryPostgres

pytestmark = pytest.mark.storage


@pytest.fixture
def other(settings: Settings, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """A second empty ledger on the same backend."""
    if settings.database_url.startswith("sqlite"):
        yield Settings(f"sqlite:///{tmp_path / 'other.sqlite'}")
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres")
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield Settings(server.create_database(name))
    server.drop_database(name)


def run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args], env={
        "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"})


def _streams(settings: Settings) -> dict[Any, list[tuple[str, dict[str, Any]]]]:
    """Each stream's events as the rules decided them: without the recording time, the hash
    chain and the nonces of sealed data (a fresh random key per case and per run)."""
    ledger = Ledger(env=settings.eventsourcing_env())
    try:
        last = ledger.recorder.max_notification_id() or 0
        streams: dict[Any, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for notification in ledger.recorder.select_notifications(start=1, limit=last + 1):
            event = ledger.mapper.to_domain_event(notification)
            shown = {k: (v.key_id if isinstance(v, SealedValue) else v)
                     for k, v in vars(event).items() if k not in ("timestamp", "personal_data")}
            if "envelope" in shown:
                shown["envelope"] = dataclasses.replace(shown["envelope"], previous_hash="")
            streams[event.originator_id].append((type(event).__name__, shown))
        return dict(streams)
    finally:
        ledger.close()


def _running(argument: str) -> list[int]:
    """The processes whose command line holds `argument`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and argument.encode() in \
                    (entry / "cmdline").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return found


def test_workers_store_what_the_sequential_import_stores(
        settings: Settings, other: Settings, tmp_path: Path) -> None:
    lines = [line_of(command, meta)
             for _, command, meta in demo_entries(170, 11, datetime(2026, 11, 30, tzinfo=UTC))]
    path = tmp_path / "cases.ndjson"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    kinds = _kinds()
    barriers = [n for n, line in enumerate(lines, 1) if case_key(line, kinds) is None]
    assert barriers and len(barriers) < len(lines) / 10  # crisis lines among case lines
    args = ("--member-state", "EU", "--role", "ADMINISTRATOR", "--no-catch-up", "--batch", "300")
    one = run(settings, str(path), *args)
    # (each worker keeps every case it used up to 256 MiB: the file's cases all stay)
    two = run(other, str(path), *args, "--workers", "2", "--memory-mb", "256")
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    said = re.compile(r"Recorded (\d+) commands \((\d+) events\)")
    assert said.search(one.stdout).groups() == said.search(two.stdout).groups()  # type: ignore[union-attr]
    sequential, parallel = _streams(settings), _streams(other)
    assert sequential.keys() == parallel.keys() and len(sequential) > 100
    assert sequential == parallel  # every stream: same events, same order
    again = run(other, str(path), *args, "--workers", "2")
    assert again.exit_code == 0 and "Recorded 0 commands" in again.stdout
    assert f"{len(lines)} already recorded" in again.stdout
    assert _streams(other) == parallel


def test_workers_refuse_and_report_the_same_lines(
        settings: Settings, other: Settings, tmp_path: Path) -> None:
    path, bad = _mixed(tmp_path)
    reports = [tmp_path / "one.ndjson", tmp_path / "two.ndjson"]
    one = run(settings, str(path), "--member-state", "IT", "--report", str(reports[0]))
    two = run(other, str(path), "--member-state", "IT", "--report", str(reports[1]),
              "--workers", "3")
    assert one.exit_code == two.exit_code == 1
    entries = [sorted((json.loads(line) for line in r.read_text().splitlines()),
                      key=lambda e: e["line"]) for r in reports]
    assert entries[0] == entries[1]
    assert {e["line"] for e in entries[1] if e["status"] == "refused"} == set(bad)
    refusals = [sorted(line for line in r.stderr.splitlines() if line.startswith("line "))
                for r in (one, two)]
    assert refusals[0] == refusals[1] and len(refusals[1]) == len(bad)
    stop = run(other, str(path), "--member-state", "IT", "--workers", "2", "--stop-on-error")
    assert stop.exit_code == 2 and "--stop-on-error needs one worker" in stop.output


def test_a_parallel_import_killed_mid_way_and_run_again_records_every_command_once(
        settings: Settings, tmp_path: Path) -> None:
    lines = [line for n in range(300) for line in case_lines(f"IT-P-{n}")]
    path = tmp_path / "big.ndjson"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    log_position(settings)  # the event tables exist before the import starts
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": settings.database_url, "COLUMNS": "250"}
    command = [str(Path(sys.executable).parent / "pact-ledger"), "import", str(path),
               "--member-state", "IT", "--batch", "40", "--workers", "2", "--no-progress"]
    kill_mid_way([*command, "--no-catch-up"], env, settings)
    # its workers end too (after their next commit, or when their pipe ends)
    deadline = time.monotonic() + 60
    while _running(str(path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(str(path))

    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr
    said = re.search(r"Recorded (\d+) commands .* (\d+) already recorded .* 0 refused",
                     " ".join(result.stdout.split()))
    assert said is not None, result.stdout
    recorded, replayed = int(said[1]), int(said[2])
    assert replayed > 0 and recorded > 0 and recorded + replayed == len(lines)
    streams = _streams(settings)
    ids = Counter((stream, name, shown["envelope"].command_id)
                  for stream, events in streams.items() for name, shown in events
                  if "envelope" in shown and shown["envelope"].command_id.startswith("IT-P-"))
    assert max(ids.values()) == 1  # nothing twice
    assert {json.loads(line)["input"]["commandId"] for line in lines} \
        == {command_id for _, _, command_id in ids}  # nothing lost

"""Storage throughput of the ledger beside raw baselines on the same database, in the same run.

For each backend, demo cases are recorded into a fresh database through `Ledger.handle` (one
transaction per command) and the read models are rebuilt from the whole log. Beside each figure:

* append: plain INSERTs of the very rows the ledger stored (same bytes), grouped into one
  transaction per command exactly as the ledger grouped them, into a table the script creates
  (`bench_raw_events`: an id plus a unique (originator_id, version), like the event table);
* rebuild: a plain `SELECT *` of the event table, every row fetched.

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` (a superuser URL) names a server to create a fresh
database on; otherwise a throwaway server is started (`tests/support/pgserver.py`). Its settings
(fsync, synchronous_commit) are printed, as are SQLite's: they decide commit costs.

    .venv/bin/python benchmarks/bench_storage.py [--cases N] [--backend sqlite|postgres|both]

Appending stops after --time-limit seconds (the later phases handle only what was appended).
Figures are indicative; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.case.commands import CaseCommand, MakeApplication, StartScreening  # noqa: E402
from ledger.command_meta import CommandMeta  # noqa: E402
from ledger.errors import LedgerError  # noqa: E402
from pact_ledger.demo import demo_script  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import Container, build  # noqa: E402

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"
TARGET_EVENTS = 20_000
Script = list[tuple[CaseCommand, CommandMeta]]


def expected_events(script: Script) -> int:
    """Events the script records: one per command, plus `CaseOpened` for each opening command."""
    opening = sum(
        isinstance(cmd, StartScreening)
        or (isinstance(cmd, MakeApplication) and cmd.person is not None)
        for cmd, _ in script
    )
    return len(script) + opening


def cases_for(events: int, seed: int, now: datetime) -> int:
    """The number of demo cases that records about `events` events."""
    probe = 500
    per_case = expected_events(list(demo_script(probe, seed, now))) / probe
    return max(1, round(events / per_case))


@dataclass
class Figures:
    backend: str
    setting: str
    cases: int = 0
    commands: int = 0
    events: int = 0
    refused: int = 0
    complete: bool = True  # False when the append phase hit the time limit
    append_s: float = 0.0
    rebuild_events: int = 0
    rebuild_s: float = 0.0
    decode_s: float = 0.0
    raw_insert_s: float = 0.0
    scan_rows: int = 0
    scan_s: float = 0.0
    notes: list[str] = field(default_factory=list)


# --- the ledger ------------------------------------------------------------------------------
def run_ledger(container: Container, script: Script, figures: Figures, limit: float) -> list[int]:
    """Append the script through the ledger; returns the events written per command."""
    groups: list[int] = []
    ledger = container.ledger
    start = time.perf_counter()
    for i, (command, meta) in enumerate(script):
        try:
            outcome = ledger.handle(command, meta)
        except LedgerError as e:
            figures.refused += 1
            if figures.refused <= 3:
                figures.notes.append(f"refused: {type(command).__name__}: {e}")
            continue
        if outcome.positions:
            groups.append(len(outcome.positions))
        if i % 200 == 0 and time.perf_counter() - start > limit:
            figures.complete = False
            break
    figures.append_s = time.perf_counter() - start
    figures.commands = len(groups)
    figures.events = sum(groups)
    return groups


def run_rebuild(container: Container, figures: Figures) -> None:
    """Time a full rebuild of the read models (with the tables full, as in real use)."""
    container.runner.catch_up()
    start = time.perf_counter()
    figures.rebuild_events = container.runner.rebuild()
    figures.rebuild_s = time.perf_counter() - start
    # Where the time goes: reading and decoding the log alone, in the runner's batches.
    recorder, mapper = container.ledger.recorder, container.ledger.mapper
    start, position = time.perf_counter(), 0
    while batch := recorder.select_notifications(position + 1, container.runner.batch_size):
        for n in batch:
            mapper.to_domain_event(n)
        position = batch[-1].id
    figures.decode_s = time.perf_counter() - start


# --- raw baselines ---------------------------------------------------------------------------
class SQLiteRaw:
    def __init__(self, path: Path, table: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN, as the library
        self.path = path
        self.table = table

    def setting(self) -> str:
        journal = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
        sync = self.conn.execute("PRAGMA synchronous").fetchone()[0]
        return (f"journal_mode={journal}, synchronous={sync} (2 = FULL), "
                f"file system {_file_system(self.path)}")

    def rows(self) -> list[tuple[Any, ...]]:
        sql = f"SELECT originator_id, originator_version, topic, state FROM {self.table}"
        return self.conn.execute(sql + " ORDER BY rowid").fetchall()

    def insert(self, rows: Sequence[tuple[Any, ...]], groups: Sequence[int]) -> float:
        self.conn.execute("DROP TABLE IF EXISTS bench_raw_events")
        self.conn.execute(
            "CREATE TABLE bench_raw_events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "originator_id TEXT NOT NULL, version INTEGER NOT NULL, topic TEXT NOT NULL, "
            "state BLOB NOT NULL, UNIQUE (originator_id, version))"
        )
        sql = "INSERT INTO bench_raw_events (originator_id, version, topic, state) VALUES (?,?,?,?)"
        return _grouped(rows, groups, self._transaction(sql))

    def _transaction(self, sql: str) -> Callable[[Sequence[tuple[Any, ...]]], None]:
        def write(group: Sequence[tuple[Any, ...]]) -> None:
            self.conn.execute("BEGIN")
            self.conn.executemany(sql, group)
            self.conn.execute("COMMIT")
        return write

    def scan(self) -> tuple[int, float]:
        start = time.perf_counter()
        count = sum(1 for _ in self.conn.execute(f"SELECT * FROM {self.table}"))
        return count, time.perf_counter() - start

    def close(self) -> None:
        self.conn.close()


class PostgresRaw:
    def __init__(self, url: str, table: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url)
        self.table = table

    def setting(self) -> str:
        values = [self.conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                  for name in ("server_version", "fsync", "synchronous_commit")]
        self.conn.commit()
        return f"PostgreSQL {values[0]}, fsync={values[1]}, synchronous_commit={values[2]}"

    def rows(self) -> list[tuple[Any, ...]]:
        sql = f"SELECT originator_id, originator_version, topic, state FROM {self.table}"
        rows = self.conn.execute(sql + " ORDER BY notification_id").fetchall()  # type: ignore[arg-type]
        self.conn.commit()
        return rows

    def insert(self, rows: Sequence[tuple[Any, ...]], groups: Sequence[int]) -> float:
        self.conn.execute("DROP TABLE IF EXISTS bench_raw_events")
        self.conn.execute(
            "CREATE TABLE bench_raw_events (id BIGSERIAL PRIMARY KEY, originator_id UUID NOT NULL, "
            "version INTEGER NOT NULL, topic TEXT NOT NULL, state BYTEA NOT NULL, "
            "UNIQUE (originator_id, version))"
        )
        self.conn.commit()
        sql = ("INSERT INTO bench_raw_events (originator_id, version, topic, state) "
               "VALUES (%s, %s, %s, %s)")

        def write(group: Sequence[tuple[Any, ...]]) -> None:
            with self.conn.cursor() as cur:
                cur.executemany(sql, group)
            self.conn.commit()

        return _grouped(rows, groups, write)

    def scan(self) -> tuple[int, float]:
        start = time.perf_counter()
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT * FROM {self.table}")  # type: ignore[arg-type]
            count = len(cur.fetchall())
        self.conn.commit()
        return count, time.perf_counter() - start

    def close(self) -> None:
        self.conn.close()


def _file_system(path: Path) -> str:
    """The type of the file system holding `path` (commit costs depend on it), if known."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/self/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    resolved = str(path.resolve())
    found = [(len(mount), kind) for mount, kind in mounts
             if resolved == mount or resolved.startswith(mount.rstrip("/") + "/")]
    return max(found)[1] if found else "unknown"


def _grouped(rows: Sequence[tuple[Any, ...]], groups: Sequence[int],
             write: Callable[[Sequence[tuple[Any, ...]]], None]) -> float:
    """Write `rows` in transactions of the given sizes; returns the seconds taken."""
    start, offset = time.perf_counter(), 0
    for size in groups:
        write(rows[offset:offset + size])
        offset += size
    return time.perf_counter() - start


# --- one backend -----------------------------------------------------------------------------
def measure(backend: str, url: str, script: Script, cases: int, limit: float) -> Figures:
    settings = Settings(url)
    container = build(settings)
    table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    raw: SQLiteRaw | PostgresRaw
    if settings.backend == "sqlite":
        raw = SQLiteRaw(settings.sqlite_path, table)
    else:
        raw = PostgresRaw(settings.postgres_url, table)
    figures = Figures(backend, raw.setting(), cases=cases)
    figures.notes.append(f"event table: {table}")
    try:
        print(f"  appending {len(script):,} commands through Ledger.handle ...", flush=True)
        groups = run_ledger(container, script, figures, limit)
        print(f"  rebuilding the read models from {figures.events:,} events ...", flush=True)
        run_rebuild(container, figures)
        print("  raw baselines ...", flush=True)
        rows = raw.rows()
        if len(rows) != figures.events:
            figures.notes.append(f"{len(rows)} stored rows for {figures.events} events appended")
        figures.raw_insert_s = raw.insert(rows, groups)
        figures.scan_rows, figures.scan_s = raw.scan()
        figures.notes.append(
            f"mean stored event: {sum(len(r[3]) for r in rows) / max(1, len(rows)):.0f} bytes "
            f"of state; {figures.events / max(1, figures.commands):.2f} events per command"
        )
    finally:
        raw.close()
        container.close()
    return figures


def report(f: Figures) -> None:
    def rate(n: int, s: float) -> float:
        return n / s if s > 0 else float("nan")

    scan = rate(f.scan_rows, f.scan_s)
    rows = [
        ("append, commands/s", rate(f.commands, f.append_s),
         rate(f.commands, f.raw_insert_s), "raw INSERT, 1 tx per command"),
        ("append, events/s", rate(f.events, f.append_s),
         rate(f.events, f.raw_insert_s), "raw INSERT, same rows"),
        ("rebuild, events/s", rate(f.rebuild_events, f.rebuild_s), scan, "plain SELECT *"),
        ("  log read+decode, ev/s", rate(f.events, f.decode_s), scan, "plain SELECT *"),
    ]
    print(f"\n{f.backend}: {f.setting}")
    print(f"{f.cases:,} cases, {f.commands:,} commands, {f.events:,} events"
          + ("" if f.complete else " (append stopped at the time limit)")
          + (f", {f.refused} refused" if f.refused else ""))
    header = f"{'measure':<26}{'ledger':>10}{'baseline':>11}  {'baseline/ledger':>15}  baseline"
    print(header)
    print("-" * (len(header) + 22))
    for name, ledger, base, what in rows:
        print(f"{name:<26}{ledger:>10,.0f}{base:>11,.0f}  {base / ledger:>14.1f}x  {what}")
    for note in f.notes:
        print(f"  ({note})")


def run_sqlite(script: Script, cases: int, limit: float) -> Figures:
    with tempfile.TemporaryDirectory(prefix="pact-bench-storage-") as tmp:
        path = Path(tmp) / "ledger.sqlite"
        print(f"\nSQLite: fresh database {path}", flush=True)
        return measure("SQLite", f"sqlite:///{path}", script, cases, limit)


def run_postgres(script: Script, cases: int, limit: float) -> Figures:
    from tests.support.pgserver import TemporaryPostgres

    server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None)
    where = "the server named by " + BENCH_URL if server.is_external else "a throwaway server"
    print(f"\nPostgreSQL: starting or checking {where} ...", flush=True)
    with server:
        name = f"pact_bench_storage_{os.getpid()}_{int(time.time())}"
        url = server.create_database(name)
        cluster = f" (cluster in {server.base_dir})" if server.base_dir else ""
        print(f"PostgreSQL: fresh database {name}{cluster}", flush=True)
        try:
            return measure("PostgreSQL", url, script, cases, limit)
        finally:
            server.drop_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=None,
                        help=f"demo cases to record (default: about {TARGET_EVENTS:,} events)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="seconds at most for appending, per backend (default 300)")
    args = parser.parse_args()

    now = datetime.now(UTC)
    cases = args.cases or cases_for(TARGET_EVENTS, args.seed, now)
    script = list(demo_script(cases, args.seed, now))
    print(f"Demo script: {cases:,} cases, {len(script):,} commands, "
          f"{expected_events(script):,} events ({expected_events(script) / cases:.2f} per case)")
    results = []
    if args.backend in ("sqlite", "both"):
        results.append(run_sqlite(script, cases, args.time_limit))
    if args.backend in ("postgres", "both"):
        results.append(run_postgres(script, cases, args.time_limit))
    for figures in results:
        report(figures)


if __name__ == "__main__":
    main()

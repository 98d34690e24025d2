"""Bulk import (`pact-ledger import`) beside the raw insert of the same rows, in the same run.

An import file of demo cases (`bench_scale.write_file`, about --events events) is imported
into a fresh database per run and backend, by the CLI in a subprocess (its own figures: events
per wall-clock second of the import, leaving out process start, and per CPU second of the
import process, which other load on the machine distorts far less); then the very rows it
stored (same bytes) are inserted plainly into a table of the same shape, 5,000 per transaction
(SQLite: executemany; PostgreSQL: COPY, as the import writes them). Printed per backend: each
run, then the medians and the ratio import / raw.

    .venv/bin/python benchmarks/bench_import.py [--events 20000] [--runs 3] [--backend both]
                                                [--workers 1 --workers 2]

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` (a superuser URL) or a throwaway server
(tests/support/pgserver.py: fsync off). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_scale import CLI, write_file  # noqa: E402
from benchmarks.host_steal import Steal  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"
BATCH = 5_000


def import_file(url: str, path: Path, workers: int = 1) -> tuple[int, float, float]:
    """(events, events/s, events per CPU second of the import's processes) as `pact-ledger
    import` reports them."""
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": url, "COLUMNS": "300"}
    subprocess.run([CLI, "load-recognition-rates", "--sample", "--published-at", "2020-01-01"],
                   env=env, check=True, capture_output=True)
    done = subprocess.run([CLI, "import", str(path), "--member-state", "EU", "--role",
                           "ADMINISTRATOR", "--no-catch-up", "--no-progress", "--workers",
                           str(workers)], env=env,
                          capture_output=True, text=True, check=False)
    said = re.search(r"\((\d+) events\) in [\d.]+ s \(([\d,]+) events/s, ([\d,]+) per CPU",
                     " ".join(done.stdout.split()))
    if said is None:
        raise SystemExit(f"import failed: {done.stdout}\n{done.stderr[-2000:]}")
    return int(said[1]), float(said[2].replace(",", "")), float(said[3].replace(",", ""))


def stored_rows(url: str) -> tuple[str, list[tuple[Any, ...]]]:
    container = build(Settings(url))
    try:
        recorder = container.ledger.recorder
        table = recorder.events_table_name  # type: ignore[attr-defined]
        order = "rowid" if url.startswith("sqlite") else "notification_id"
        rows = container.db.fetchall(f"SELECT originator_id, originator_version, topic, state "
                                     f"FROM {table} ORDER BY {order}")
        return table, [(r["originator_id"], r["originator_version"], r["topic"],
                        bytes(r["state"])) for r in rows]
    finally:
        container.close()


def raw_sqlite(url: str, rows: list[tuple[Any, ...]]) -> float:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("DROP TABLE IF EXISTS bench_raw_import")
    conn.execute("CREATE TABLE bench_raw_import (originator_id TEXT, originator_version INTEGER,"
                 " topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO bench_raw_import VALUES (?, ?, ?, ?)",
                         [(str(r[0]), r[1], r[2], r[3]) for r in rows[start:start + BATCH]])
        conn.execute("COMMIT")
    took = time.perf_counter() - started
    conn.execute("DROP TABLE bench_raw_import")
    conn.close()
    return len(rows) / took


def raw_postgres(url: str, rows: list[tuple[Any, ...]]) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_import")
        conn.execute("CREATE TABLE bench_raw_import (originator_id uuid NOT NULL, "
                      "originator_version bigint NOT NULL, topic text, state bytea, "
                      "notification_id bigserial, PRIMARY KEY (originator_id, "
                      "originator_version))")
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("LOCK TABLE bench_raw_import IN EXCLUSIVE MODE")
                with cur.copy("COPY bench_raw_import (originator_id, originator_version, "
                              "topic, state) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["uuid", "int8", "text", "bytea"])
                    for row in rows[start:start + BATCH]:
                        copy.write_row(row)
        took = time.perf_counter() - started
        conn.execute("DROP TABLE bench_raw_import")
    return len(rows) / took


def measure(name: str, fresh: Callable[[int], str], path: Path, runs: int,
            workers: list[int]) -> None:
    """Per run: the import with each number of workers (a fresh database each), then the raw
    insert of the rows the first stored."""
    rates: dict[int, list[float]] = {w: [] for w in workers}
    per_cpu: dict[int, list[float]] = {w: [] for w in workers}
    raws = []
    with Steal() as steal:
        for run in range(runs):
            said = []
            for n, count in enumerate(workers):
                url = fresh(run * len(workers) + n)
                events, rate, cpu_rate = import_file(url, path, count)
                rates[count].append(rate)
                per_cpu[count].append(cpu_rate)
                said.append(f"{count} worker{'s' if count > 1 else ''}: {rate:,.0f} events/s "
                            f"({cpu_rate:,.0f} per CPU second; {events:,} events)")
                if n == 0:
                    _, rows = stored_rows(url)
            raw = raw_sqlite(url, rows) if url.startswith("sqlite") else raw_postgres(url, rows)
            raws.append(raw)
            print(f"{name} run {run + 1}: import {' | '.join(said)} | raw insert of the same "
                  f"{len(rows):,} rows, {BATCH:,} per transaction: {raw:,.0f} rows/s; load "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
    raw = statistics.median(raws)
    print(f"{name}: {steal.text()} during these runs", flush=True)
    for count in workers:
        rate = statistics.median(rates[count])
        print(f"{name} median of {runs}, {count} worker(s): import {rate:,.0f} events/s, "
              f"{statistics.median(per_cpu[count]):,.0f} per CPU second | raw {raw:,.0f} rows/s "
              f"| import / raw {rate / raw:.1%}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", type=int, action="append",
                        help="`import --workers N` (repeatable: each measured every run; "
                             "default 1)")
    args = parser.parse_args()
    workers = args.workers or [1]
    with tempfile.TemporaryDirectory(prefix="pact-bench-import-") as tmp:
        path = Path(tmp) / "import.ndjson"
        lines = write_file(path, args.events, seed=11)
        print(f"Import file: {lines:,} lines ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
        if args.backend in ("sqlite", "both"):
            measure("SQLite", lambda run: f"sqlite:///{Path(tmp) / f'ledger-{run}.sqlite'}",
                    path, args.runs, workers)
        if args.backend in ("postgres", "both"):
            from tests.support.pgserver import TemporaryPostgres

            with TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None) as server:
                names: list[str] = []

                def fresh(run: int) -> str:
                    names.append(f"pact_bench_import_{os.getpid()}_{run}")
                    return server.create_database(names[-1])

                try:
                    measure("PostgreSQL", fresh, path, args.runs, workers)
                finally:
                    for name in names:
                        server.drop_database(name)


if __name__ == "__main__":
    main()

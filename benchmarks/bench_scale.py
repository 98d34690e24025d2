"""Scale run: a large ledger built with `pact-ledger import`, then the existing commands on it,
each beside a raw baseline measured in the same run on the same database.

For each backend: demo cases (`pact_ledger.demo`) written as an NDJSON import file
(`pact_ledger.import_format`), about --events events, then

* import: `pact-ledger import FILE` in a subprocess (its own rate, which leaves out process
  start and catch-up) | raw: plain INSERTs of the very rows stored (same bytes), one
  transaction per batch of the import's size, into a table the script creates;
* rebuild: `runner.rebuild()` of every read model | raw: `SELECT` of every event row, fetched;
* verify: `verify_ledger()` | raw: `SELECT` + SHA-256 of every stored state;
* digest: `integrity.digest()` (size and Merkle root); an inclusion and a consistency proof
  from the stored subtrees (`IntegrityQueries`), median of 20;
* GraphQL: a page of 20 cases and one case's timeline through the real ASGI app (in-process
  client, production token checks), median and p99 of --requests each | raw: the same rows by
  plain SQL, serialised with orjson.

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` (a superuser URL) or a throwaway server
(`tests/support/pgserver.py`).

    .venv/bin/python benchmarks/bench_scale.py [--events N ...] [--backend sqlite|postgres|both]

Figures are indicative (and the machine may be shared: say so beside them); nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.demo.script import demo_entries  # noqa: E402
from pact_ledger.import_format import line_of  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import Container, build  # noqa: E402

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"
EVENTS_PER_CASE = 14.5  # the demo's mix, measured
BATCH = 5_000
CLI = str(Path(sys.executable).parent / "pact-ledger")
CASES_QUERY = """{ cases(first: 20) { edges { node { id memberState nationalReference
  nationality status procedure lastDecisionType updatedAt } } } }"""
TIMELINE_QUERY = """query T($id: ID!) { caseTimeline(caseId: $id) { position version type
  occurredAt recordedAt actor { id role authority memberState } legalBasis { act article }
  commandId correlationId payload } }"""


def write_file(path: Path, events: int, seed: int) -> int:
    """The import file for about `events` events; returns its number of lines."""
    cases = max(1, round(events / EVENTS_PER_CASE))
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for _, command, meta in demo_entries(cases, seed, datetime.now(UTC)):
            out.write(line_of(command, meta) + "\n")
            lines += 1
    return lines


class Raw:
    """Plain DB-API access to the ledger's database, for the baselines."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.mark = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(url)
            self.mark = "%s"

    def rows(self, table: str, size: int = 10_000) -> Iterator[list[tuple[Any, ...]]]:
        cur = self.conn.cursor()
        cur.execute(f"SELECT originator_id, originator_version, topic, state FROM {table} "
                    "ORDER BY notification_id" if "notification_id" in self.columns(table)
                    else f"SELECT originator_id, originator_version, topic, state FROM {table}")
        while chunk := cur.fetchmany(size):
            yield chunk
        self.conn.commit()

    def columns(self, table: str) -> set[str]:
        cur = self.conn.cursor()
        cur.execute(f"SELECT * FROM {table} WHERE 1 = 0")
        names = {d[0] for d in cur.description}
        self.conn.commit()
        return names

    def insert_rate(self, table: str, batch: int) -> float:
        """Rows/s of plain INSERTs of `table`'s rows into a fresh table, `batch` per commit."""
        blob = "BLOB" if self.mark == "?" else "BYTEA"
        cur = self.conn.cursor()
        cur.execute("DROP TABLE IF EXISTS bench_raw_events")
        cur.execute(f"CREATE TABLE bench_raw_events (id INTEGER PRIMARY KEY, originator_id TEXT,"
                    f" originator_version INTEGER, topic TEXT, state {blob}, "
                    "UNIQUE (originator_id, originator_version))")
        self.conn.commit()
        rows = [r for chunk in self.rows(table) for r in chunk]
        sql = ("INSERT INTO bench_raw_events (id, originator_id, originator_version, topic, "
               f"state) VALUES ({', '.join([self.mark] * 5)})")
        started = time.perf_counter()
        for start in range(0, len(rows), batch):
            cur.executemany(sql, [(start + i + 1, str(r[0]), r[1], r[2], r[3])
                                  for i, r in enumerate(rows[start:start + batch])])
            self.conn.commit()
        took = time.perf_counter() - started
        cur.execute("DROP TABLE bench_raw_events")
        self.conn.commit()
        return len(rows) / took

    def select_rate(self, table: str, hashing: bool) -> float:
        started, n = time.perf_counter(), 0
        for chunk in self.rows(table):
            n += len(chunk)
            if hashing:
                for r in chunk:
                    hashlib.sha256(bytes(r[3])).digest()
        return n / (time.perf_counter() - started)

    def page_rows(self, case_id: str) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
        import orjson

        def page() -> bytes:
            cur = self.conn.cursor()
            cur.execute("SELECT * FROM case_list ORDER BY seq LIMIT 20")
            body = orjson.dumps([list(r) for r in cur.fetchall()], default=str)
            self.conn.commit()
            return body

        def timeline() -> bytes:
            cur = self.conn.cursor()
            cur.execute(f"SELECT originator_version, topic, state FROM {self.table} WHERE "
                        f"originator_id = {self.mark} ORDER BY originator_version", (case_id,))
            body = orjson.dumps([[r[0], r[1], bytes(r[2]).decode("utf-8", "replace")]
                                 for r in cur.fetchall()])
            self.conn.commit()
            return body

        return page, timeline

    table = ""


def timed(call: Callable[[], Any], n: int) -> tuple[float, float]:
    """(median, p99) in ms of `n` calls."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def graphql_latency(container: Container, case_id: str, n: int) -> dict[str, tuple[float, float]]:
    from starlette.testclient import TestClient

    from ledger.envelope import Actor
    from pact_ledger.security import Limits, SecuritySettings
    from pact_ledger.server import create_app
    from pact_ledger.tokens import KeyRing, TokenService

    tokens = TokenService(KeyRing.parse(f"bench:{secrets.token_urlsafe(32)}"))
    auth = {"authorization": "Bearer " + tokens.issue(Actor("bench", "AUDITOR", "Benchmark",
                                                            "EU"), timedelta(hours=2))}
    app = create_app(container, SecuritySettings(tokens, Limits(rate_per_minute=10**9)))
    with TestClient(app) as client:
        def page() -> None:
            response = client.post("/graphql", json={"query": CASES_QUERY}, headers=auth)
            assert response.status_code == 200 and "errors" not in response.json(), response.text

        def timeline() -> None:
            response = client.post("/graphql", json={"query": TIMELINE_QUERY,
                                                     "variables": {"id": case_id}}, headers=auth)
            assert response.status_code == 200 and "errors" not in response.json(), response.text

        page()  # warm
        timeline()
        return {"page of 20 cases": timed(page, n), "timeline": timed(timeline, n)}


def measure(name: str, url: str, path: Path, lines: int, requests: int) -> None:
    env = {**os.environ, "PACT_LEDGER_DATABASE_URL": url, "COLUMNS": "200"}
    subprocess.run([CLI, "load-recognition-rates", "--sample", "--published-at", "2020-01-01"],
                   env=env, check=True, capture_output=True)
    print(f"\n== {name}: importing {lines:,} lines ...", flush=True)
    started = time.perf_counter()
    done = subprocess.run([CLI, "import", str(path), "--member-state", "EU", "--role",
                           "ADMINISTRATOR", "--no-catch-up", "--no-progress"], env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    said = re.search(r"Recorded (\d+) commands \((\d+) events\) in ([\d.]+) s", done.stdout)
    per_cpu = re.search(r"([\d,]+) per CPU second", done.stdout)
    if said is None:
        raise SystemExit(f"import failed: {done.stdout}\n{done.stderr[-2000:]}")
    events, took = int(said[2]), float(said[3])
    refused = re.search(r"(\d+) refused", done.stdout)
    container = build(Settings(url))
    raw = Raw(url)
    try:
        table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
        raw.table = table
        total = container.ledger.recorder.max_notification_id() or 0
        insert = raw.insert_rate(table, BATCH)
        print(f"import      {events / took:>10,.0f} events/s ({events:,} events; "
              f"{per_cpu[1] if per_cpu else '?'} per CPU second of the import process, "
              f"which leaves out other load)", flush=True)
        print(f"            ({events:,} events, "
              f"{refused[1] if refused else '?'} lines refused; {wall:.0f} s with process "
              f"start)  | raw INSERT, {BATCH:,} per commit: {insert:,.0f} rows/s "
              f"({events / took / insert:.1%})", flush=True)

        # Caught up first: a rebuild of read models that lag behind the log left the hash
        # table at its old size here (reported; `pact-ledger rebuild` does the same).
        started = time.perf_counter()
        caught = container.runner.catch_up()
        print(f"catch-up    {caught / (time.perf_counter() - started):>10,.0f} events/s "
              f"({caught:,} events, every read model)", flush=True)
        started = time.perf_counter()
        applied = container.runner.rebuild()
        rebuild = applied / (time.perf_counter() - started)
        select = raw.select_rate(table, hashing=False)
        print(f"rebuild     {rebuild:>10,.0f} events/s ({applied:,} events)  | raw SELECT: "
              f"{select:,.0f} rows/s ({rebuild / select:.2%})", flush=True)

        started = time.perf_counter()
        report = container.reads.integrity.verify_ledger()
        verify = time.perf_counter() - started
        floor = raw.select_rate(table, hashing=True)
        print(f"verify      {verify:>10.1f} s = {total / verify:,.0f} events/s "
              f"(valid: {report.valid})  | raw SELECT + SHA-256: {floor:,.0f} rows/s "
              f"({total / verify / floor:.1%})", flush=True)

        started = time.perf_counter()
        printed = subprocess.run([CLI, "digest"], env=env, capture_output=True, text=True,
                                 check=True).stdout
        cli_digest = time.perf_counter() - started
        started = time.perf_counter()
        digest = container.reads.integrity.digest()
        print(f"digest      {time.perf_counter() - started:>10.3f} s in process (size "
              f"{digest.size:,}); `pact-ledger digest` {cli_digest:.1f} s with process start "
              f"and catch-up (size {json.loads(printed)['size']:,})", flush=True)

        from projections.integrity_checks import IntegrityQueries

        queries = IntegrityQueries(container.db)
        size = digest.size
        inclusion = timed(lambda: queries.inclusion(size // 2 + 1), 20)
        consistency = timed(lambda: queries.consistency(size // 3), 20)
        print(f"proofs      inclusion median {inclusion[0]:.2f} ms, consistency median "
              f"{consistency[0]:.2f} ms (from the stored subtrees, tree of {size:,})",
              flush=True)

        case_id = str(container.db.fetchall(
            "SELECT case_id FROM case_list ORDER BY version DESC LIMIT 1")[0]["case_id"])
        figures = graphql_latency(container, case_id, requests)
        page, timeline = raw.page_rows(case_id)
        raws = {"page of 20 cases": timed(page, requests), "timeline": timed(timeline, requests)}
        for label, (median, p99) in figures.items():
            raw_median, raw_p99 = raws[label]
            print(f"GraphQL {label:<17} median {median:6.1f} ms p99 {p99:6.1f} ms  | raw SQL "
                  f"+ orjson: median {raw_median:.2f} ms p99 {raw_p99:.2f} ms", flush=True)
    finally:
        raw.conn.close()
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, action="append",
                        help="ledger size (repeatable: e.g. 10000 and 1000000; default 1M)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    for events in args.events or [1_000_000]:
        run_size(events, args)


def run_size(events: int, args: argparse.Namespace) -> None:
    print(f"\n===== about {events:,} events", flush=True)
    with tempfile.TemporaryDirectory(prefix="pact-bench-scale-") as tmp:
        path = Path(tmp) / "import.ndjson"
        started = time.perf_counter()
        lines = write_file(path, events, args.seed)
        print(f"Import file: {lines:,} lines, {path.stat().st_size / 1e6:,.0f} MB "
              f"(written in {time.perf_counter() - started:.0f} s)", flush=True)
        if args.backend in ("sqlite", "both"):
            started = time.perf_counter()
            measure("SQLite", f"sqlite:///{Path(tmp) / 'ledger.sqlite'}", path, lines,
                    args.requests)
            print(f"(SQLite, all of the above: {time.perf_counter() - started:.0f} s)",
                  flush=True)
        if args.backend in ("postgres", "both"):
            from tests.support.pgserver import TemporaryPostgres

            server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None)
            with server:
                name = f"pact_bench_scale_{os.getpid()}"
                url = server.create_database(name)
                started = time.perf_counter()
                try:
                    measure("PostgreSQL", url, path, lines, args.requests)
                finally:
                    server.drop_database(name)
                print(f"(PostgreSQL, all of the above: {time.perf_counter() - started:.0f} s)",
                      flush=True)


if __name__ == "__main__":
    main()

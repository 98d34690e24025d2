"""The stages of the scale run (benchmarks/bench_scale.py), each run in a child process of its
own so that its peak RSS and CPU seconds are its own (os.wait4 in the parent).

Run as `python benchmarks/scale_stages.py STAGE URL [CASE_REQUESTS]`; prints progress lines
as it goes and, last, one line `RESULT {json}`. Every stage measures the product's figure and
its raw baseline on the same database in the same process.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.worker_cpu import cpu_with_workers  # noqa: E402
from pact_ledger.settings import DATABASE_URL, Settings  # noqa: E402
from pact_ledger.wiring import Container, build  # noqa: E402
from projections import parallel_build  # noqa: E402

BATCH = 5_000
CASES_QUERY = """{ cases(first: 20) { edges { node { id memberState nationalReference
  nationality status procedure lastDecisionType updatedAt } } } }"""
TIMELINE_QUERY = """query T($id: ID!) { caseTimeline(caseId: $id) { position version type
  occurredAt recordedAt actor { id role authority memberState } legalBasis { act article }
  commandId correlationId payload } }"""


def rss_mb() -> float:
    """Current resident set size of this process, MB (from /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    """Peak resident set size of this process so far, MB (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


#: Free disk space (bytes) below which the raw-insert baseline stops early (env
#: PACT_LEDGER_BENCH_DISK_RESERVE_GB, default 20).
DISK_RESERVE = int(float(os.environ.get("PACT_LEDGER_BENCH_DISK_RESERVE_GB", "20")) * 2**30)
#: Set (to anything but empty): a rebuild or catch-up without a build worker
#: (`projections.parallel_build`), to compare with one.
SERIAL = "PACT_LEDGER_BENCH_SERIAL"


def free_bytes(path: str = "/") -> int:
    """Free space on the disk holding `path` (the kept cluster lives under /tmp, on /)."""
    return shutil.disk_usage(path).free


def say(text: str) -> None:
    print(text, flush=True)


class Milestones:
    """A progress callback that prints the rate and RSS at each tenth (and at least every
    `every` seconds): a rate that falls as the ledger grows, or RSS that keeps rising, shows."""

    def __init__(self, label: str, every: float = 60.0) -> None:
        self.label, self.every = label, every
        self.started = self.last_time = time.perf_counter()
        self.cpu = cpu_with_workers()
        self.last_done, self.next_tenth = 0, 0.1
        self.seen: list[dict[str, float]] = []

    def __call__(self, done: int, target: int) -> None:
        now = time.perf_counter()
        if target <= 0 or done == self.last_done or (
                done / target < self.next_tenth and now - self.last_time < self.every
                and done < target):
            return
        window = max(now - self.last_time, 1e-9)
        mark = {"done": done, "target": target, "elapsed_s": round(now - self.started, 1),
                "window_rate": round((done - self.last_done) / window),
                "cpu_s": round(cpu_with_workers() - self.cpu, 1), "rss_mb": round(rss_mb())}
        self.seen.append(mark)
        say(f"  .. {self.label} {done:,}/{target:,} at {mark['elapsed_s']:.0f} s: "
            f"{mark['window_rate']:,} ev/s since the last mark, RSS {mark['rss_mb']:,} MB, "
            f"CPU {mark['cpu_s']:.0f} s")
        self.last_time, self.last_done = now, done
        while self.next_tenth <= done / target:
            self.next_tenth += 0.1


class Raw:
    """Plain DB-API access to the ledger's database, for the baselines."""

    def __init__(self, url: str, table: str) -> None:
        self.url, self.table = url, table
        if url.startswith("sqlite"):
            self.conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.mark = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(url)
            self.mark = "%s"

    def rows(self, size: int = 10_000) -> Iterator[list[tuple[Any, ...]]]:
        order = " ORDER BY notification_id" if "notification_id" in self.columns() else ""
        # PostgreSQL: a server-side cursor, else psycopg holds every row in memory at once.
        cur = self.conn.cursor() if self.mark == "?" else self.conn.cursor(name="scale_rows")
        cur.execute("SELECT originator_id, originator_version, topic, state FROM "
                    f"{self.table}{order}")
        while chunk := cur.fetchmany(size):
            yield chunk
        self.conn.commit()

    def columns(self) -> set[str]:
        cur = self.conn.cursor()
        cur.execute(f"SELECT * FROM {self.table} WHERE 1 = 0")
        names = {d[0] for d in cur.description}
        self.conn.commit()
        return names

    def insert_rate(self, batch: int) -> tuple[float, int, bool]:
        """(rows/s, rows, stopped for disk) of plain INSERTs of the stored rows into a fresh
        table, `batch` per commit (read one batch at a time from a first copy, so memory stays
        flat at any size). The copy is as large as the events table (~13 GB at 10M events): it
        stops early, the rate then measured on the rows inserted, once the disk's free space
        falls below DISK_RESERVE (the machine is shared)."""
        blob = "BLOB" if self.mark == "?" else "BYTEA"
        cur = self.conn.cursor()
        cur.execute("DROP TABLE IF EXISTS bench_raw_events")
        cur.execute(f"CREATE TABLE bench_raw_events (id INTEGER PRIMARY KEY, originator_id TEXT,"
                    f" originator_version INTEGER, topic TEXT, state {blob}, "
                    "UNIQUE (originator_id, originator_version))")
        self.conn.commit()
        sql = ("INSERT INTO bench_raw_events (id, originator_id, originator_version, topic, "
               f"state) VALUES ({', '.join([self.mark] * 5)})")
        reader = Raw(self.url, self.table)  # a second connection reads while this one writes
        took, n, stopped = 0.0, 0, False
        try:
            for chunk in reader.rows(batch):
                if n % (20 * batch) == 0 and free_bytes() < DISK_RESERVE:
                    stopped = True
                    say(f"  .. raw-insert stopped after {n:,} rows: less than "
                        f"{DISK_RESERVE / 2**30:.0f} GiB free on the disk")
                    break
                values = [(n + i + 1, str(r[0]), r[1], r[2], r[3]) for i, r in enumerate(chunk)]
                started = time.perf_counter()
                cur.executemany(sql, values)
                self.conn.commit()
                took += time.perf_counter() - started
                n += len(chunk)
        finally:
            reader.conn.close()
        cur.execute("DROP TABLE bench_raw_events")
        self.conn.commit()
        return n / max(took, 1e-9), n, stopped

    def grouped_insert_seconds(self, after: int, groups: list[int]) -> float:
        """Seconds to insert the rows stored after notification `after` plainly into a fresh
        table, one transaction per group (a command's events)."""
        position = "rowid" if self.mark == "?" else "notification_id"
        cur = self.conn.cursor()
        cur.execute(f"SELECT originator_id, originator_version, topic, state FROM {self.table} "
                    f"WHERE {position} > {self.mark} ORDER BY {position}", (after,))
        rows = cur.fetchall()
        blob = "BLOB" if self.mark == "?" else "BYTEA"
        cur.execute("DROP TABLE IF EXISTS bench_raw_append")
        cur.execute(f"CREATE TABLE bench_raw_append (originator_id TEXT, originator_version "
                    f"INTEGER, topic TEXT, state {blob}, PRIMARY KEY (originator_id, "
                    "originator_version))")
        self.conn.commit()
        sql = f"INSERT INTO bench_raw_append VALUES ({', '.join([self.mark] * 4)})"
        started, at = time.perf_counter(), 0
        for n in groups:
            cur.executemany(sql, [(str(r[0]), r[1], r[2], r[3]) for r in rows[at:at + n]])
            self.conn.commit()
            at += n
        took = time.perf_counter() - started
        cur.execute("DROP TABLE bench_raw_append")
        self.conn.commit()
        return took

    def select_rate(self, hashing: bool) -> float:
        started, n = time.perf_counter(), 0
        for chunk in self.rows():
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

        # SQLite stores the UUID as 32 hex digits; PostgreSQL as a uuid.
        key = uuid.UUID(case_id).hex if self.mark == "?" else case_id

        def timeline() -> bytes:
            cur = self.conn.cursor()
            cur.execute(f"SELECT originator_version, topic, state FROM {self.table} WHERE "
                        f"originator_id = {self.mark} ORDER BY originator_version", (key,))
            rows = cur.fetchall()
            assert rows, f"no events of {case_id} in {self.table}"
            body = orjson.dumps([[r[0], r[1], bytes(r[2]).decode("utf-8", "replace")]
                                 for r in rows])
            self.conn.commit()
            return body

        return page, timeline


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
        return {"page": timed(page, n), "timeline": timed(timeline, n)}


def fresh_cases(script: Any, tag: str) -> list[tuple[Any, Any]]:
    """The demo's commands with national references (and so case ids) of their own: the
    demo numbers its cases from 1, which the imported ledger already holds."""
    import dataclasses

    from ledger.case.aggregate import Case

    ids: dict[Any, Any] = {}
    out = []
    for command, meta in script:
        ref = getattr(command, "national_reference", None)
        if ref is not None and hasattr(command, "member_state"):
            new = f"{ref}-{tag}"
            ids[Case.create_id(command.member_state, ref)] = Case.create_id(
                command.member_state, new)
            command = dataclasses.replace(command, national_reference=new)
        elif getattr(command, "case_id", None) in ids:
            command = dataclasses.replace(command, case_id=ids[command.case_id])
        out.append((command, dataclasses.replace(meta, command_id=str(uuid.uuid4()))))
    return out


def append(container: Container, raw: Raw, before: int, cases: int = 40) -> dict[str, Any]:
    """`Ledger.handle` of new demo cases' commands onto the ledger as it is (one transaction per
    command) | raw: the very rows it stored, inserted plainly with the same grouping. Adds
    events: run it last. A fresh seed each run, so no command is already recorded."""
    from ledger.errors import LedgerError
    from pact_ledger.demo import demo_script

    tag = f"B{int(time.time()) % 1_000_000}"
    script = fresh_cases(demo_script(cases, 11, datetime.now(UTC)), tag)
    groups: list[int] = []
    wall, cpu = time.perf_counter(), cpu_with_workers()
    for command, meta in script:
        try:
            result = container.ledger.handle(command, meta)
        except LedgerError:
            continue
        outcome = getattr(result, "outcome", result)
        if outcome.positions:
            groups.append(len(outcome.positions))
    wall, cpu = time.perf_counter() - wall, cpu_with_workers() - cpu
    return {"commands": len(groups), "rate": len(groups) / wall,
            "cpu_ms": 1000 * cpu / max(1, len(groups)),
            "raw_rate": len(groups) / raw.grouped_insert_seconds(before, groups)}


def _projected(out: dict[str, Any], label: str, run: Callable[[Milestones], int],
               cpu: float) -> tuple[int, float]:
    """Run a catch-up or rebuild with progress marks; its rates go into `out`."""
    marks = Milestones(label)
    started = time.perf_counter()
    applied = run(marks)
    took = time.perf_counter() - started
    out.update(applied=applied, seconds=took, rate=applied / max(took, 1e-9),
               cpu_rate=applied / max(cpu_with_workers() - cpu, 1e-9), marks=marks.seen)
    return applied, took


def fill_hashes(container: Container, marks: Milestones) -> int:
    """The hash table (each event's hashes and the stored subtrees) filled alone, a batch at a
    time from where it stands, as the projector fills it (`IntegrityProjection.process`): what
    `verify`, `digest` and `proofs` compare and read, without the other read models (an import
    leaves it empty; a rebuild fills it too, and skips the positions it already holds)."""
    from projections.integrity_projection import IntegrityProjection

    (integrity,) = [p for p in container.runner.projections
                    if isinstance(p, IntegrityProjection)]
    app, db = container.ledger, container.db
    row = db.fetchone("SELECT COALESCE(MAX(position), 0) AS top FROM event_hashes")
    position = int(row["top"]) if row else 0
    target = app.recorder.max_notification_id() or 0
    applied = 0
    while True:
        notifications = app.recorder.select_notifications(position + 1, BATCH)
        if not notifications:
            return applied
        batch = [(n.id, app.mapper.to_domain_event(n)) for n in notifications]
        with db.transaction() as tx:
            integrity.process(tx, batch)
        position = notifications[-1].id
        applied += len(batch)
        marks(position, target)


def stage(name: str, url: str, requests: int) -> dict[str, Any]:
    """Run one stage on the ledger at `url`; returns its figures."""
    # The operator's settings from the environment (PACT_LEDGER_REBUILD_MEMORY_MB, say), as
    # `pact-ledger` reads them, with this stage's database.
    container = build(Settings.from_env({**os.environ, DATABASE_URL: url}))
    table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    raw = Raw(url, table)
    total = container.ledger.recorder.max_notification_id() or 0
    out: dict[str, Any] = {"events": total}
    # RSS sampled while the stage runs (the parent also gets the peak from wait4).
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(5.0):
            samples.append(rss_mb())

    threading.Thread(target=sample, daemon=True).start()
    try:
        cpu = cpu_with_workers()
        if name == "raw-insert":
            rate, rows, stopped = raw.insert_rate(BATCH)
            out.update(raw_insert_rows_s=rate, raw_insert_rows=rows,
                       raw_insert_stopped_for_disk=stopped)
        elif name == "catch-up":
            applied, took = _projected(out, "catch-up", container.runner.catch_up, cpu)
        elif name == "hashes":
            _projected(out, "hashes", lambda marks: fill_hashes(container, marks), cpu)
        elif name == "rebuild":
            budget = container.settings.rebuild_memory
            say("  .. memory budget: " + ("the default (PACT_LEDGER_REBUILD_MEMORY_MB unset)"
                                          if budget is None else f"{budget // 2**20:,} MiB"))
            applied, took = _projected(out, "rebuild", container.runner.rebuild, cpu)
            out["peak_rss_before_raw_mb"] = round(peak_mb())
            say(f"  .. rebuild done: {applied:,} events in {took:.0f} s, peak RSS so far "
                f"{out['peak_rss_before_raw_mb']:,} MB; raw SELECT next")
            out["raw_select_rows_s"] = raw.select_rate(hashing=False)
        elif name == "verify":
            started = time.perf_counter()
            report = container.reads.integrity.verify_ledger()
            took = time.perf_counter() - started
            out.update(seconds=took, rate=total / max(took, 1e-9), valid=report.valid,
                       cpu_rate=total / max(cpu_with_workers() - cpu, 1e-9))
            out["peak_rss_before_raw_mb"] = round(peak_mb())
            say(f"  .. verify done in {took:.0f} s (valid {report.valid}), peak RSS so far "
                f"{out['peak_rss_before_raw_mb']:,} MB (this process); raw SELECT+SHA next")
            out["raw_hash_rows_s"] = raw.select_rate(hashing=True)
        elif name == "digest":
            started = time.perf_counter()
            digest = container.reads.integrity.digest()
            out.update(seconds=time.perf_counter() - started, size=digest.size)
        elif name == "proofs":
            from projections.integrity_checks import IntegrityQueries

            queries = IntegrityQueries(container.db)
            size = container.reads.integrity.digest().size
            out["size"] = size
            out["inclusion_ms"] = timed(lambda: queries.inclusion(size // 2 + 1), 20)
            out["consistency_ms"] = timed(lambda: queries.consistency(size // 3), 20)
        elif name == "graphql":
            rows = container.db.fetchall(
                "SELECT case_id, version FROM case_list ORDER BY version DESC LIMIT 1")
            if not rows:  # the read models are built by a rebuild or catch-up stage before
                raise SystemExit("graphql: case_list is empty (run rebuild or catch-up first)")
            case_id = str(rows[0]["case_id"])
            out["timeline_events"] = rows[0]["version"]
            out["graphql_ms"] = graphql_latency(container, case_id, requests)
            page, timeline = raw.page_rows(case_id)
            out["raw_ms"] = {"page": timed(page, requests), "timeline": timed(timeline, requests)}
        elif name == "append":
            out.update(append(container, raw, total))
        else:
            raise SystemExit(f"unknown stage {name}")
    finally:
        stop.set()
        raw.conn.close()
        container.close()
    out["rss_samples_mb"] = [round(s) for s in samples[:: max(1, len(samples) // 40)]]
    return out


if __name__ == "__main__":
    if os.environ.get(SERIAL):
        parallel_build.PARALLEL_FROM = sys.maxsize
        say("  .. without a build worker (PACT_LEDGER_BENCH_SERIAL)")
    result = stage(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 200)
    print("RESULT " + json.dumps(result), flush=True)

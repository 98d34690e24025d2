"""Append throughput of the ledger beside the raw insert of the same rows, in the same run.

For each backend and run, demo commands are recorded into a fresh database and the very rows
the ledger stored (same bytes, same grouping: one transaction per command) are then inserted
plainly into a table of the same shape (`bench_storage.SQLiteRaw` / `PostgresRaw`). Printed
per path, the median of the runs, with the ratio ledger / raw:

* `Ledger.handle`, one client (and the Python CPU per command of the client process);
* `ConsistentLedger.handle`, one client: what a mutation calls (append, then read-your-writes);
* PostgreSQL only: 8 client processes at once, each with its own ledger and its own cases,
  beside 8 processes inserting their rows plainly at once; then the same rows sent by 8
  processes exactly as the ledger's recorder sends them (table lock, NOTIFY, the rows as one
  simple query: `ORDERED`), to tell the cost of the storage trip and its ordering from the
  ledger's own work.

    .venv/bin/python benchmarks/bench_append.py [--cases 300] [--runs 3] [--backend both]
                                                [--cache 50]

`--cache N` holds at most N aggregates in the ledger's cache (`AGGREGATE_CACHE_MAXSIZE`; default
20,000, so the demo's cases all stay cached): with fewer than the cases in flight, most commands
load their case from the store, as in a member state whose open cases outnumber the cache.

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` (a superuser URL) or a throwaway server
(tests/support/pgserver.py: fsync and synchronous_commit off, so commits cost a round trip, not
a disk flush; with `--durable` on disk with both on, so commits wait for their flush and
concurrent writers can share one). The 8-process line also gives the client CPU per command
(all 8 processes) and the server's (a throwaway server's processes), each beside raw's. The
machine's cores are shared with the database and any other job: read the
ratios. Nothing is asserted. With `PACT_BENCH_WAITS=1` the 8-process line is preceded by what
the inserting sessions were doing (`pg_stat_activity` sampled every 3 ms: waiting for their
client, for a lock, for a WAL flush, or running), to tell client CPU from server-side waits.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_storage import BENCH_URL, PostgresRaw, Script, SQLiteRaw  # noqa: E402
from benchmarks.host_steal import Steal  # noqa: E402
from ledger.case.aggregate import Case  # noqa: E402
from ledger.errors import LedgerError  # noqa: E402
from pact_ledger.demo import demo_script  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402

CLIENTS = 8


def _append(handle: Callable[[Any, Any], Any], script: Script) -> tuple[list[int], float, float]:
    """(events per recorded command, wall seconds, CPU seconds of this process)."""
    groups: list[int] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for command, meta in script:
        try:
            result = handle(command, meta)
        except LedgerError:
            continue
        outcome = getattr(result, "outcome", result)
        if outcome.positions:
            groups.append(len(outcome.positions))
    return groups, time.perf_counter() - wall, time.process_time() - cpu


def _raw(url: str, table: str) -> SQLiteRaw | PostgresRaw:
    settings = Settings(url)
    if settings.backend == "sqlite":
        return SQLiteRaw(settings.sqlite_path, table)
    return PostgresRaw(settings.postgres_url, table)


def one_client(url: str, script: Script, consistent: bool,
               server_pid: int | None = None) -> dict[str, float]:
    container = build(Settings(url))
    try:
        handle = container.commands.handle if consistent else container.ledger.handle
        server_began = server_cpu(server_pid)
        groups, wall, cpu = _append(handle, script)
        ledger_server = server_cpu(server_pid) - server_began
        table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    finally:
        container.close()
    raw = _raw(url, table)
    try:
        rows = raw.rows()
        server_began, raw_cpu = server_cpu(server_pid), time.process_time()
        raw_s = raw.insert(rows, groups)
        raw_cpu, raw_server = (time.process_time() - raw_cpu,
                               server_cpu(server_pid) - server_began)
    finally:
        raw.close()
    commands = max(1, len(groups))
    result = {"ledger": len(groups) / wall, "raw": len(groups) / raw_s,
              "cpu_ms": 1000 * cpu / commands}
    if server_pid is not None:  # a local PostgreSQL: both sides' CPU, beside raw's
        result |= {"raw_cpu_ms": 1000 * raw_cpu / commands,
                   "server_ms": 1000 * ledger_server / commands,
                   "raw_server_ms": 1000 * raw_server / commands}
    return result


# --- 8 clients on PostgreSQL -----------------------------------------------------------------
def _client(url: str, script: Script, start: Any, out: Any) -> None:
    container = build(Settings(url))
    try:
        start.wait()
        groups, wall, cpu = _append(container.ledger.handle, script)
        out.put((groups, wall, cpu, time.time()))
    finally:
        container.close()


#: The ledger's insert trip (`pact_ledger.pg_recorder`) for the raw table: the table lock that
#: keeps commit order equal to log order, the notification of live followers, the rows as
#: literals and their ids returned, sent as one simple query (one implicit transaction).
ORDERED = (b"LOCK TABLE bench_raw_events IN EXCLUSIVE MODE; NOTIFY bench_raw_events; "
           b"INSERT INTO bench_raw_events (originator_id, version, topic, state) VALUES ")


def _raw_client(url: str, rows: list[tuple[Any, ...]], groups: list[int], ordered: bool,
                start: Any, out: Any) -> None:
    """`ordered`: each transaction sent as the ledger's recorder sends it (`ORDERED`, through
    libpq's PQexec, the rows rendered by the recorder's own `_values`) instead of psycopg's
    INSERT and COMMIT."""
    import psycopg
    from eventsourcing.persistence import StoredEvent

    from pact_ledger.pg_recorder import _values

    sql = ("INSERT INTO bench_raw_events (originator_id, version, topic, state) "
           "VALUES (%s, %s, %s, %s)")
    with psycopg.connect(url, autocommit=ordered) as conn:
        start.wait()
        wall, cpu, offset = time.perf_counter(), time.process_time(), 0
        for size in groups:
            group = rows[offset:offset + size]
            if ordered:
                stored = [StoredEvent(*row) for row in group]
                res = conn.pgconn.exec_(ORDERED + _values(stored) + b" RETURNING id")
                if res.status != psycopg.pq.ExecStatus.TUPLES_OK:
                    raise psycopg.errors.error_from_result(res, encoding=conn.info.encoding)
            else:
                with conn.cursor() as cur:
                    cur.executemany(sql, group)
                conn.commit()
            offset += size
        out.put((len(groups), time.perf_counter() - wall, time.process_time() - cpu))


def server_cpu(pid: int | None) -> float:
    """CPU seconds of a local server process and its children, reaped ones included (0 when
    unknown: an external server)."""
    if pid is None:
        return 0.0
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid:
            ticks += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
        elif int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _by_case(script: Script, parts: int) -> list[Script]:
    """The script split into `parts` scripts with disjoint cases (each case's steps in order)."""
    shares: list[Script] = [[] for _ in range(parts)]
    owner: dict[str, int] = {}
    for command, meta in script:
        case_id = getattr(command, "case_id", None)
        if case_id is None and hasattr(command, "national_reference"):
            case_id = Case.create_id(command.member_state, command.national_reference)
        shares[owner.setdefault(str(case_id), len(owner) % parts)].append((command, meta))
    return shares


class WaitSampler:
    """Samples, every few milliseconds, what the database's other sessions are doing
    (`pg_stat_activity`: running, waiting for a lock, for the client, for I/O...): the share of
    samples per state tells CPU from waiting on the server's side."""

    def __init__(self, url: str) -> None:
        import psycopg

        self._conn = psycopg.connect(url, autocommit=True)
        self.counts: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        # Only the sessions that insert (their last statement: the events' or the raw insert;
        # the ledger's other pooled connections sit idle and would dilute the shares).
        query = ("SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                 "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                 "AND backend_type = 'client backend' AND (query LIKE '%LOCK TABLE%' "
                 "OR query LIKE '%bench_raw_events%' OR query IN ('COMMIT', 'BEGIN'))")
        while not self._stop.wait(0.003):
            for state, kind, event in self._conn.execute(query).fetchall():
                key = f"{state}:{kind or 'CPU'}:{event or '-'}"
                self.counts[key] = self.counts.get(key, 0) + 1

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.close()

    def shares(self) -> str:
        total = sum(self.counts.values()) or 1
        return ", ".join(f"{k} {v / total:.0%}" for k, v in
                         sorted(self.counts.items(), key=lambda kv: -kv[1])[:6])


WAITS = os.environ.get("PACT_BENCH_WAITS") == "1"



def _run_at_once(ctx: Any, target: Any, args: list[tuple[Any, ...]], url: str,
                 server_pid: int | None, label: str) -> tuple[list[Any], float, float]:
    """Start one process per `args` at a barrier; their results, the wall seconds and the
    server's CPU seconds from the barrier until every result came (sessions sampled when
    PACT_BENCH_WAITS is set)."""
    start, out = ctx.Barrier(len(args) + 1), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*a, start, out)) for a in args]
    for p in procs:
        p.start()
    sampler = WaitSampler(Settings(url).postgres_url) if WAITS else None
    start.wait()
    began, server_began = time.perf_counter(), server_cpu(server_pid)
    if sampler is not None:
        with sampler:
            results = [out.get(timeout=600) for _ in procs]
        print(f"    {label} sessions: {sampler.shares()}", flush=True)
    else:
        results = [out.get(timeout=600) for _ in procs]
    seconds = time.perf_counter() - began
    server = server_cpu(server_pid) - server_began
    for p in procs:
        p.join()
    return results, seconds, server

def eight_clients(url: str, script: Script, server_pid: int | None = None) -> dict[str, float]:
    ctx = multiprocessing.get_context("fork")
    build(Settings(url)).close()  # the schema, once
    shares = _by_case(script, CLIENTS)
    results, ledger_s, ledger_server = _run_at_once(
        ctx, _client, [(url, share) for share in shares], url, server_pid, "ledger")
    commands = sum(len(r[0]) for r in results)
    # The raw baseline: the stored rows, split the same way, inserted by 8 processes at once.
    raw = PostgresRaw(Settings(url).postgres_url, "pactledger_events")
    try:
        rows = raw.rows()
        raw.insert([], [])  # (re)creates bench_raw_events, empty
    finally:
        raw.close()
    by_stream: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_stream.setdefault(row[0], []).append(row)
    streams = list(by_stream.values())
    raw_shares: list[tuple[list[tuple[Any, ...]], list[int]]] = []
    for i in range(CLIENTS):
        mine = streams[i::CLIENTS]
        raw_shares.append(([r for s in mine for r in s], [1] * sum(len(s) for s in mine)))
    # (one event per transaction here: the ledger's 1.1 events per command, rounded down)
    raw_results, raw_s, raw_server = _run_at_once(
        ctx, _raw_client, [(Settings(url).postgres_url, r, g, False) for r, g in raw_shares],
        url, server_pid, "raw")
    raw_tx = sum(r[0] for r in raw_results)
    # The same rows sent as the ledger's recorder sends them (ORDERED): what its storage trip
    # (the table lock keeping commit order equal to log order, NOTIFY, one simple query) costs
    # 8 writers at once, apart from the ledger's own work.
    raw = PostgresRaw(Settings(url).postgres_url, "pactledger_events")
    try:
        raw.insert([], [])  # empty again
    finally:
        raw.close()
    ordered_results, ordered_s, ordered_server = _run_at_once(
        ctx, _raw_client, [(Settings(url).postgres_url, r, g, True) for r, g in raw_shares],
        url, server_pid, "raw, ordered")
    ordered_tx = sum(r[0] for r in ordered_results)
    events = sum(sum(r[0]) for r in results)
    return {"ledger": commands / ledger_s, "raw": raw_tx / raw_s,
            "ordered": ordered_tx / ordered_s,
            "ordered_cpu_ms": 1000 * sum(r[2] for r in ordered_results) / max(1, ordered_tx),
            "ordered_server_ms": 1000 * ordered_server / max(1, ordered_tx),
            "ledger_events": events / ledger_s, "raw_events": raw_tx / raw_s,
            "cpu_ms": 1000 * sum(r[2] for r in results) / max(1, commands),
            "raw_cpu_ms": 1000 * sum(r[2] for r in raw_results) / max(1, raw_tx),
            "server_ms": 1000 * ledger_server / max(1, commands),
            "raw_server_ms": 1000 * raw_server / max(1, raw_tx)}


# --- runs ------------------------------------------------------------------------------------
def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _line(name: str, runs: list[dict[str, float]], unit: str = "cmd/s") -> None:
    ledger, raw = _median(runs, "ledger"), _median(runs, "raw")
    spread = ", ".join(f"{r['ledger']:,.0f}/{r['raw']:,.0f}" for r in runs)
    cpu = f"; client CPU {_median(runs, 'cpu_ms'):.2f} ms/cmd" if "cpu_ms" in runs[0] else ""
    if "raw_cpu_ms" in runs[0]:
        cpu += (f" (raw {_median(runs, 'raw_cpu_ms'):.2f}); server CPU "
                f"{_median(runs, 'server_ms'):.2f} ms/cmd "
                f"(raw {_median(runs, 'raw_server_ms'):.2f})")
    print(f"  {name:<34}{ledger:>9,.0f} {unit}  raw {raw:>8,.0f}  = {ledger / raw:>5.0%} of raw"
          f"{cpu}   (runs: {spread})", flush=True)
    if "ordered" in runs[0]:
        ordered = _median(runs, "ordered")
        each = ", ".join(f"{r['ordered']:,.0f}" for r in runs)
        print(f"  {'  raw sent as the ledger sends it':<34}{ordered:>9,.0f} {unit}  raw "
              f"{raw:>8,.0f}  = {ordered / raw:>5.0%} of raw (table lock, NOTIFY and the rows "
              f"in one simple query: `ORDERED`); client CPU "
              f"{_median(runs, 'ordered_cpu_ms'):.2f} ms/cmd; server CPU "
              f"{_median(runs, 'ordered_server_ms'):.2f} ms/cmd   (runs: {each})", flush=True)


def run_backend(backend: str, fresh: Callable[[], tuple[str, Callable[[], None]]],
                script: Script, runs: int, only: str = "all",
                server_pid: int | None = None) -> None:
    print(f"\n{backend}: {len(script):,} commands per run, median of {runs} runs", flush=True)
    paths: list[tuple[str, Callable[[str], dict[str, float]]]] = [
        ("Ledger.handle, 1 client", lambda url: one_client(url, script, False, server_pid)),
        ("ConsistentLedger.handle, 1 client", lambda url: one_client(url, script, True)),
    ]
    if backend.startswith("PostgreSQL"):
        paths.append((f"Ledger.handle, {CLIENTS} processes",
                      lambda url: eight_clients(url, script, server_pid)))
    chosen = {"all": paths, "one": paths[:1], "consistent": paths[1:2], "eight": paths[2:]}[only]
    for name, measure in chosen:
        results = []
        with Steal() as steal:
            for _ in range(runs):
                url, drop = fresh()
                try:
                    results.append(measure(url))
                finally:
                    drop()
        _line(name, results)
        print(f"  {'':<34}({steal.text()} during these runs)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--paths", choices=("all", "one", "consistent", "eight"), default="all",
                        help="one client, the mutation path, 8 processes (PostgreSQL), or all")
    parser.add_argument("--durable", action="store_true",
                        help="the throwaway PostgreSQL on disk (under /var/tmp) with fsync and "
                             "synchronous_commit on: commits wait for a flush, as in production")
    parser.add_argument("--cache", type=int, default=None,
                        help="at most this many aggregates cached (AGGREGATE_CACHE_MAXSIZE)")
    args = parser.parse_args()
    if args.cache is not None:  # (the ledger's settings read it from the environment)
        os.environ["AGGREGATE_CACHE_MAXSIZE"] = str(args.cache)
        print(f"aggregate cache: at most {args.cache:,} (the demo has {args.cases:,} cases)")
    script = list(demo_script(args.cases, args.seed, datetime.now(UTC)))
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="pact-bench-append-") as tmp:
            counter = iter(range(1_000_000))

            def fresh_sqlite() -> tuple[str, Callable[[], None]]:
                path = Path(tmp) / f"ledger-{next(counter)}.sqlite"
                return f"sqlite:///{path}", lambda: None

            run_backend("SQLite", fresh_sqlite, script, args.runs, args.paths)
    if args.backend in ("postgres", "both"):
        from tests.support.pgserver import TemporaryPostgres

        durable = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
        if args.durable:  # on a disk: /dev/shm's fsync is free
            os.environ["TMPDIR"] = tempfile.tempdir = "/var/tmp"
        server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None,
                                   settings=durable if args.durable else None)
        with server:
            pid = None if server.is_external else server._proc.pid  # type: ignore[union-attr]
            names = iter(range(1_000_000))

            def fresh_pg() -> tuple[str, Callable[[], None]]:
                name = f"pact_bench_append_{os.getpid()}_{next(names)}"
                return server.create_database(name), lambda: server.drop_database(name)

            run_backend("PostgreSQL" + (" (durable: fsync and synchronous_commit on, on disk)"
                                         if args.durable else ""),
                        fresh_pg, script, args.runs, args.paths, pid)


if __name__ == "__main__":
    main()

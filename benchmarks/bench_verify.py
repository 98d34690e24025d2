"""`verify` beside its raw floor; digests and proofs from the stored subtrees beside every leaf.

`--part verify` (needs `--ledger FILE`, an SQLite ledger, e.g. `pact-ledger demo --cases 6900`
for ~100k events; copied first, and for PostgreSQL its events, hash table and subtrees copied
into a throwaway database): median of --runs runs, alternating, wall and CPU time (this
process and its children):

* `verify_ledger()`, the whole check (`pact-ledger verify`), and from `PARALLEL_FROM` events
  on the same without worker processes; then the check naming each stream's member state
  (`member_states=True`: a national auditor's `verifyLedger`, cut to its streams);
* raw floor: a plain `SELECT` of every stored row (topic, id, version, state) + SHA-256 of
  each stored state, the same connection kind;
* before: the same `verify_ledger()` with every row decoded into domain objects and hashed
  through `canonical_record` (the decode path), one run;
* `pact-ledger verify` in a process of its own, --runs times: the check's seconds as it prints
  them (its workers started from nothing: forks of the command, or of a fork server started
  for them) and the whole command's.

`--part proofs`: synthetic leaf hashes are inserted straight into `event_hashes`, and the
subtree store is filled the way the integrity projection fills it (`extend_subtrees`, one call
per batch). Then, median of --runs runs each:

* digest from the store (what `ledgerDigest` serves), an inclusion and a consistency proof;
* raw floor: a plain `SELECT leaf_hash FROM event_hashes ORDER BY position`, every row fetched;
* the old way: every leaf read (`HashTable.leaves`) and the root / proof computed from them.

    .venv/bin/python benchmarks/bench_verify.py --part verify --ledger L.sqlite [--runs 3]
    .venv/bin/python benchmarks/bench_verify.py --part proofs [--events N]
    [--backend sqlite|postgres|both]

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` names a server, else a throwaway one is started.
Figures are indicative; nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import re
import resource
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

from benchmarks.host_steal import Steal  # noqa: E402
from benchmarks.worker_cpu import cpu_with_workers  # noqa: E402
from ledger import proofs  # noqa: E402
from projections import parallel_hashing  # noqa: E402
from projections.db import PostgresDatabase, ReadDatabase, SQLiteDatabase  # noqa: E402
from projections.integrity_checks import IntegrityQueries  # noqa: E402
from projections.integrity_projection import INTEGRITY_DDL, HashTable, extend_subtrees  # noqa: E402

Timed = tuple[float, float]  # (wall seconds, CPU seconds of this process and its workers)


def timed(work: Callable[[], Any]) -> tuple[Timed, Any]:
    # (the fork server's own start, once per process, is not counted)
    wall, used = time.perf_counter(), cpu_with_workers()
    result = work()
    return (time.perf_counter() - wall, cpu_with_workers() - used), result


def raw_floor(settings: Any, table: str) -> int:
    """SELECT every stored row + SHA-256 of each state: what any check must at least do."""
    sql = f"SELECT originator_id, originator_version, topic, state FROM {table} ORDER BY " + \
        ("rowid" if settings.backend == "sqlite" else "notification_id")
    n = 0
    if settings.backend == "sqlite":
        conn = sqlite3.connect(settings.sqlite_path)
        cur = conn.execute(sql)
        while chunk := cur.fetchmany(5000):
            n += len(chunk)
            for r in chunk:
                hashlib.sha256(r[3]).digest()
        conn.close()
        return n
    import psycopg

    with psycopg.connect(settings.postgres_url) as conn, conn.cursor() as cur:
        cur.execute(sql)  # type: ignore[arg-type]
        while chunk := cur.fetchmany(5000):
            n += len(chunk)
            for r in chunk:
                hashlib.sha256(r[3]).digest()
    return n


def copy_ledger_to_postgres(source: Path, url: str) -> None:
    """The SQLite ledger's events, hash table and subtrees, byte for byte, into PostgreSQL."""
    import psycopg

    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    container = build(Settings(url))
    table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    container.close()
    conn = sqlite3.connect(source)
    with psycopg.connect(url) as pg, pg.cursor() as cur:
        for sql, copy_sql in (
            ("SELECT originator_id, originator_version, topic, state FROM stored_events "
             "ORDER BY rowid",
             f"COPY {table} (originator_id, originator_version, topic, state) FROM STDIN"),
            ("SELECT position, stream, stream_version, hash, leaf_hash FROM event_hashes",
             "COPY event_hashes (position, stream, stream_version, hash, leaf_hash) FROM STDIN"),
            ("SELECT level, idx, hash, position FROM merkle_nodes",
             "COPY merkle_nodes (level, idx, hash, position) FROM STDIN"),
        ):
            with cur.copy(copy_sql) as copy:  # type: ignore[arg-type]
                for row in conn.execute(sql):
                    copy.write_row(row)
        cur.execute("UPDATE projection_tracking SET position = (SELECT MAX(notification_id) "
                    f"FROM {table})")
    conn.close()


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory so far of this process, and of its largest child (a worker)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def measure_verify(name: str, url: str, runs: int, before_run: bool = True) -> None:
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    settings = Settings(url)
    container = build(settings)
    try:
        integrity = container.reads.integrity
        table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
        events = container.ledger.recorder.max_notification_id() or 0
        if integrity.table.stored_size() < events:
            print(f"  {name}: filling the hash table first ...", flush=True)
            container.runner.catch_up()
        floors: list[Timed] = []
        checks: list[Timed] = []
        single: list[Timed] = []
        national: list[Timed] = []
        with Steal() as steal:
            for _ in range(runs):
                took, n = timed(lambda: raw_floor(settings, table))
                floors.append(took)
                took, report = timed(integrity.verify_ledger)
                checks.append(took)
                # (what a national auditor's check does besides: each stream's member state)
                took, named = timed(lambda: integrity.verify_ledger(member_states=True))
                national.append(took)
                assert dataclasses.replace(named, stream_states={}) == report
                if events >= integrity.parallel_from:  # the same in this process alone
                    parallel_from, integrity.parallel_from = integrity.parallel_from, events + 1
                    took, alone = timed(integrity.verify_ledger)
                    integrity.parallel_from = parallel_from
                    single.append(took)
                    assert alone == report
                assert report.valid and report.events_checked == n == events, \
                    report.problems[:3]
        print(f"  ({steal.text()} during the runs below)", flush=True)
        rss = peak_rss_mb()  # before the decode path, which holds every decoded row
        commands = [command_line(url) for _ in range(runs)]
        if not before_run:
            before: Timed = (float("nan"), float("nan"))
            _print(name, events, runs, floors, checks, before, rss, single, national)
            return _print_command(events, commands)
        # (the decode path takes none of `scan_batches`' options: every row decoded, in order)
        integrity.scan_batches = (  # type: ignore[method-assign]
            lambda *_, **__: integrity._decoding_batches())
        before, old = timed(integrity.verify_ledger)  # every row decoded, as before
        assert old == report
    finally:
        container.close()
    _print(name, events, runs, floors, checks, before, rss, single, national)
    _print_command(events, commands)


def command_line(url: str) -> Timed:
    """`pact-ledger verify` in a process of its own, as an operator runs it: (the seconds its
    check took, as it prints them; the whole command's wall seconds, start-up included)."""
    script = Path(sys.executable).with_name("pact-ledger")
    began = time.perf_counter()
    done = subprocess.run([str(script), "verify"], capture_output=True, text=True, check=True,
                          env={**os.environ, "PACT_LEDGER_DATABASE_URL": url})
    whole = time.perf_counter() - began
    took = re.search(r"Checked \d+ events in ([0-9.]+) s", done.stdout)
    assert took is not None, done.stdout
    return float(took.group(1)), whole


def _print_command(events: int, commands: list[Timed]) -> None:
    check = statistics.median(c for c, _ in commands)
    whole = statistics.median(w for _, w in commands)
    print(f"  `pact-ledger verify`, a process of its own: its check {events / check:,.0f} ev/s "
          f"({check:.2f} s), the whole command {whole:.2f} s (median of {len(commands)}; runs: "
          + ", ".join(f"{c:.2f}/{w:.2f}" for c, w in commands) + ")")


def _print(name: str, events: int, runs: int, floors: list[Timed], checks: list[Timed],
           before: Timed, rss: tuple[float, float], single: list[Timed],
           national: list[Timed]) -> None:
    for failure in parallel_hashing.FAILURES:  # the "workers" figures are this process's
        print(f"  WARNING: {failure}")
    parallel_hashing.FAILURES.clear()
    def rates(found: list[Timed]) -> tuple[float, float, str]:
        wall = statistics.median(events / w for w, _ in found)
        cpu = statistics.median(events / max(c, 1e-9) for _, c in found)
        return wall, cpu, ", ".join(f"{events / w:,.0f}" for w, _ in found)

    fw, fc, feach = rates(floors)
    vw, vc, veach = rates(checks)
    print(f"\n{name}: verify, {events:,} events (median of {runs} runs, alternating; "
          f"peak RSS after the verify runs {rss[0]:.0f} MB; children, as forked {rss[1]:.0f} MB)")
    print(f"  {'':34}{'ev/s wall':>11}{'ev/s CPU':>11}   runs (ev/s wall)")
    print(f"  {'verify_ledger()':34}{vw:>11,.0f}{vc:>11,.0f}   {veach}")
    nw, nc, neach = rates(national)
    print(f"  {'verify_ledger(member_states=True)':34}{nw:>11,.0f}{nc:>11,.0f}   {neach}")
    if single:
        sw, sc, seach = rates(single)
        print(f"  {'verify_ledger(), one process':34}{sw:>11,.0f}{sc:>11,.0f}   {seach}")
    print(f"  {'raw: SELECT + SHA-256 of each state':34}{fw:>11,.0f}{fc:>11,.0f}   {feach}")
    print(f"  {'before: decode path, one run':34}{events / before[0]:>11,.0f}"
          f"{events / max(before[1], 1e-9):>11,.0f}")
    print(f"  CPU per event: verify {1e6 / vc:.1f} us, raw floor {1e6 / fc:.1f} us")
    print(f"  verify / raw floor: {vw / fw:.0%} wall, {vc / fc:.0%} CPU "
          f"(decode path: {events / before[0] / fw:.0%} wall)")
    # Each run's verify beside the floor measured just before it (the machine's load moves
    # both within seconds; their medians may come from different minutes):
    paired = [f / v for (v, _), (f, _) in zip(checks, floors, strict=True)]
    print(f"  verify / raw floor, run by run: median {statistics.median(paired):.0%} wall "
          f"(runs: {', '.join(f'{p:.0%}' for p in paired)})")


def run_verify(ledger: Path, backend: str, runs: int, before_run: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="pact-bench-verify-") as tmp:
        copy = Path(tmp) / "ledger.sqlite"
        with sqlite3.connect(ledger) as source, sqlite3.connect(copy) as target:
            source.backup(target)  # the write-ahead log's pages too
        if backend in ("sqlite", "both"):
            measure_verify("SQLite", f"sqlite:///{copy}", runs, before_run)
        if backend in ("postgres", "both"):
            from tests.support.pgserver import TemporaryPostgres

            server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None)
            with server:
                name = f"pact_bench_verify_{os.getpid()}_{int(time.time())}"
                url = server.create_database(name)
                try:
                    copy_ledger_to_postgres(copy, url)
                    measure_verify("PostgreSQL", url, runs, before_run)
                finally:
                    server.drop_database(name)

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"
BATCH = 10_000


def fill(db: ReadDatabase, events: int) -> tuple[float, float]:
    """Insert `events` synthetic leaves; seconds spent inserting them, and extending the store."""
    with db.transaction() as tx:
        for statement in INTEGRITY_DDL:
            tx.execute(statement)
    inserting = extending = 0.0
    for start in range(0, events, BATCH):
        rows = [(p, f"s{p % 997}", p // 997 + 1, hashlib.sha256(b"%d" % p).hexdigest(),
                 hashlib.sha256(b"\x00%d" % p).hexdigest())
                for p in range(start + 1, min(start + BATCH, events) + 1)]
        with db.transaction() as tx:
            t0 = time.perf_counter()
            tx.executemany("INSERT INTO event_hashes (position, stream, stream_version, hash, "
                           "leaf_hash) VALUES (?, ?, ?, ?, ?)", rows)
            t1 = time.perf_counter()
            extend_subtrees(tx, rows[0][0])
            extending += time.perf_counter() - t1
            inserting += t1 - t0
    return inserting, extending


def median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def measure(name: str, db: ReadDatabase, events: int, runs: int) -> None:
    print(f"\n{name}: filling {events:,} synthetic leaves ...", flush=True)
    inserting, extending = fill(db, events)
    print(f"  insert into event_hashes {inserting:.1f} s; extend merkle_nodes {extending:.1f} s "
          f"({events / extending:,.0f} leaves/s)")
    queries, table = IntegrityQueries(db), HashTable(db)
    middle, m = events // 2 + 1, events // 3

    def raw() -> int:
        return len(db.fetchall("SELECT leaf_hash FROM event_hashes ORDER BY position"))

    def old_digest() -> str:
        return proofs.root(table.leaves()[1]).hex()

    def old_inclusion() -> list[bytes]:
        return proofs.inclusion_proof(middle - 1, table.leaves()[1])

    def old_consistency() -> list[bytes]:
        return proofs.consistency_proof(m, table.leaves()[1])

    t_cached, digest = median(queries.digest, runs)
    t_raw, _ = median(raw, runs)
    slow = max(1, min(runs, 3))
    t_old, old_root = median(old_digest, slow)
    assert digest.root == old_root and digest.size == events, "roots differ"
    t_inc, inclusion = median(lambda: queries.inclusion(middle), runs)
    t_inc_old, path = median(old_inclusion, slow)
    assert inclusion is not None and inclusion.path == [p.hex() for p in path]
    t_con, consistency = median(lambda: queries.consistency(m), runs)
    t_con_old, cpath = median(old_consistency, slow)
    assert consistency is not None and consistency.path == [p.hex() for p in cpath]
    ms = 1000.0
    print(f"  {name}, {events:,} leaves (median of {runs}; old way median of {slow}):")
    print(f"    digest from stored subtrees  {t_cached * ms:9.2f} ms")
    print(f"    SELECT all leaf hashes (raw) {t_raw * ms:9.2f} ms")
    print(f"    digest from all leaves (old) {t_old * ms:9.2f} ms  "
          f"({t_old / t_cached:,.0f}x the stored-subtree digest)")
    print(f"    inclusion proof: {t_inc * ms:.2f} ms (old {t_inc_old * ms:.0f} ms); "
          f"consistency proof: {t_con * ms:.2f} ms (old {t_con_old * ms:.0f} ms)")


def run_sqlite(events: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pact-bench-verify-") as tmp:
        db = SQLiteDatabase(Path(tmp) / "ledger.sqlite")
        try:
            measure("SQLite", db, events, runs)
        finally:
            db.close()


def run_postgres(events: int, runs: int) -> None:
    from tests.support.pgserver import TemporaryPostgres

    server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None)
    with server:
        name = f"pact_bench_verify_{os.getpid()}_{int(time.time())}"
        url = server.create_database(name)
        db = PostgresDatabase(url, max_size=2)
        try:
            measure("PostgreSQL", db, events, runs)
        finally:
            db.close()
            server.drop_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--part", choices=("verify", "proofs"), default="proofs")
    parser.add_argument("--ledger", type=Path, help="an SQLite ledger file (--part verify)")
    parser.add_argument("--no-before", action="store_true",
                        help="--part verify: skip the decode path's run")
    args = parser.parse_args()
    if args.part == "verify":
        if args.ledger is None:
            parser.error("--part verify needs --ledger FILE")
        run_verify(args.ledger, args.backend, args.runs, not args.no_before)
        return
    if args.backend in ("sqlite", "both"):
        run_sqlite(args.events, args.runs)
    if args.backend in ("postgres", "both"):
        run_postgres(args.events, args.runs)


if __name__ == "__main__":
    main()

"""Digests and proofs from the stored subtrees (`merkle_nodes`) beside reading every leaf.

Synthetic leaf hashes are inserted straight into `event_hashes` (benchmark only: no events are
recorded, so `verify` itself is not measured here; see bench_storage.py), and the subtree store
is filled the way the integrity projection fills it (`extend_subtrees`, one call per batch).
Then, median of --runs runs each:

* digest from the store (what `ledgerDigest` serves), an inclusion and a consistency proof;
* raw floor: a plain `SELECT leaf_hash FROM event_hashes ORDER BY position`, every row fetched;
* the old way: every leaf read (`HashTable.leaves`) and the root / proof computed from them.

    .venv/bin/python benchmarks/bench_verify.py [--events N] [--backend sqlite|postgres|both]

PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` names a server, else a throwaway one is started.
Figures are indicative; nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import proofs  # noqa: E402
from projections.db import PostgresDatabase, ReadDatabase, SQLiteDatabase  # noqa: E402
from projections.integrity_checks import IntegrityQueries  # noqa: E402
from projections.integrity_projection import INTEGRITY_DDL, HashTable, extend_subtrees  # noqa: E402

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
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        run_sqlite(args.events, args.runs)
    if args.backend in ("postgres", "both"):
        run_postgres(args.events, args.runs)


if __name__ == "__main__":
    main()

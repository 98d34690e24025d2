"""A bulk import's lookup of a batch's cases on PostgreSQL, with and without table statistics.

An import's writes hold the event table in EXCLUSIVE mode nearly all the time; autovacuum's
ANALYZE cannot take its lock meanwhile and skips the table, so during a long import the table
has no statistics. This fills a throwaway server's event table the way an import does (COPY in
one transaction a batch, under that lock: `--cases` cases of `--events` events each, states of
`--state-bytes`) and, with no ANALYZE run, times the lookup `PostgresBatchStore.stored` sends
for 5-300 ids of cases not stored (what a batch's new cases cost it), with the server's own
plan and with the plan the import now fixes (`SET LOCAL enable_seqscan = off` and no parallel
workers); then the same after an ANALYZE. Median of --runs lookups each; the plan's first
line shown.

    .venv/bin/python benchmarks/import_lookup.py [--cases 150000] [--events 16] [--runs 5] \
        [--state-bytes 900]

Nothing is asserted; the cluster is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.import_store import LOOKUP_PLAN  # noqa: E402
from tests.support.pgserver import TemporaryPostgres  # noqa: E402

#: `PostgresBatchStore.stored`'s query, on this script's table.
SELECT = ("SELECT originator_id, originator_version, topic, state FROM events WHERE "
          "originator_id = ANY(%s) ORDER BY originator_id, originator_version")


def fill(conn: object, cases: int, events: int, size: int) -> None:
    state = os.urandom(size)
    done = 0
    while done < cases:
        chunk = min(5_000, cases - done)
        with conn.transaction(), conn.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute("LOCK TABLE events IN EXCLUSIVE MODE")
            with cur.copy("COPY events (originator_id, originator_version, topic, state) "
                          "FROM STDIN") as copy:
                for _ in range(chunk):
                    case = uuid.uuid4()
                    for version in range(1, events + 1):
                        copy.write_row((case, version, "pact-ledger:case.Step", state))
        done += chunk


def lookup(conn: object, ids: list[uuid.UUID], fixed: bool) -> tuple[float, str]:
    with conn.transaction(), conn.cursor() as cur:  # type: ignore[attr-defined]
        if fixed:
            cur.execute(LOOKUP_PLAN)
        plan = cur.execute("EXPLAIN " + SELECT, [ids]).fetchone()[0]
        started = time.perf_counter()
        cur.execute(SELECT, [ids]).fetchall()
        return time.perf_counter() - started, plan


def measure(conn: object, label: str, runs: int) -> None:
    print(f"\n{label}")
    for n in (5, 20, 50, 300):
        for fixed in (False, True):
            times, plan = [], ""
            for _ in range(runs):
                took, plan = lookup(conn, [uuid.uuid4() for _ in range(n)], fixed)
                times.append(took)
            name = "fixed plan" if fixed else "server's plan"
            print(f"  {n:4} new ids, {name:13} {statistics.median(times) * 1000:9.1f} ms "
                  f"(max {max(times) * 1000:.1f})   {plan.split('  (')[0].strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=150_000)
    parser.add_argument("--events", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--state-bytes", type=int, default=900, help="a stored state's size "
                        "(the demo's: ~890 bytes)")
    args = parser.parse_args()
    import psycopg

    with TemporaryPostgres() as pg:
        url = pg.create_database("lookup")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE events (originator_id uuid NOT NULL, originator_version "
                         "integer NOT NULL, topic text NOT NULL, state bytea NOT NULL, "
                         "notification_id bigserial, PRIMARY KEY (originator_id, "
                         "originator_version))")
            conn.execute("ALTER TABLE events SET (autovacuum_enabled = off)")  # as if locked
            started = time.perf_counter()
            fill(conn, args.cases, args.events, args.state_bytes)
            rows = args.cases * args.events
            print(f"{rows:,} events of {args.cases:,} cases copied in "
                  f"{time.perf_counter() - started:.1f} s; statistics: "
                  f"{conn.execute('SELECT count(*) FROM pg_stats WHERE tablename = %s', ['events']).fetchone()[0]} columns")  # noqa: E501
            measure(conn, "no ANALYZE (as during an import):", args.runs)
            conn.execute("ANALYZE events")
            measure(conn, "after ANALYZE:", args.runs)


if __name__ == "__main__":
    main()

"""Where a `verify` worker's CPU goes, per event: reading, `checked_rows`, the table and subtrees.

Runs a worker's work (`projections.parallel_hashing.hash_range`'s steps) in this process over
every range of an SQLite ledger, CPU time per part (the statements to the hash table and the
stored subtrees apart from the Merkle levels built here). One process sees every range, so it
parses fewer rows than two workers do (each parses the streams it saw open). Indicative only.

    .venv/bin/python benchmarks/verify_worker_parts.py LEDGER.sqlite [RUNS]
"""

from __future__ import annotations

import gc
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger.range_check import checked_rows  # noqa: E402
from ledger.streamed_check import range_subtrees  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402
from projections import parallel_hashing  # noqa: E402


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    container = build(Settings(f"sqlite:///{path}"))
    try:
        integrity, app = container.reads.integrity, container.ledger
        last = app.recorder.max_notification_id() or 0
        if integrity.table.stored_size() < last:
            container.runner.catch_up()
        size = integrity.table.stored_size()
        top, = integrity.joined.query("SELECT COALESCE(MAX(position), 0) FROM event_hashes",
                                      ())[0]
        source = parallel_hashing.source_of(app)
        assert source is not None
        source = replace(source, tables=parallel_hashing.tables_of(integrity.table.db))
        chunk = parallel_hashing.CHUNK
        ranges = [(lo, min(lo + chunk - 1, last)) for lo in range(1, last + 1, chunk)]
        clock = time.process_time
        gc.freeze()
        for _ in range(runs):
            parallel_hashing._start(source)
            worker = parallel_hashing._worker
            joined = worker["joined"]
            query, sql = joined.query, [0.0]

            def timed(statement: str, params: tuple[Any, ...], query: Any = query,
                      sql: list[float] = sql) -> Any:
                t0 = clock()
                try:
                    return query(statement, params)
                finally:
                    sql[0] += clock() - t0

            joined.query = timed
            read = check = tree = 0.0
            gc.disable()
            for lo, hi in ranges:
                t0 = clock()
                rows = worker["read"](lo, hi)
                t1 = clock()
                done = checked_rows(worker["twin"], rows, worker["named"], worker["streams"],
                                    worker["unnamed"])
                t2 = clock()
                assert done is not None, (lo, hi)
                found, leaves = done
                found.tree = range_subtrees(found.positions, leaves, top, size, joined.leaves,
                                            joined.nodes)
                tree += clock() - t2
                read, check = read + t1 - t0, check + t2 - t1
            gc.enable()
            us = 1e6 / last
            print(f"{last:,} events: read {read * us:.2f}, checked_rows {check * us:.2f}, "
                  f"table and subtrees {tree * us:.2f} (statements {sql[0] * us:.2f}, Merkle "
                  f"and comparisons {(tree - sql[0]) * us:.2f}); total "
                  f"{(read + check + tree) * us:.2f} us CPU per event", flush=True)
    finally:
        container.close()


if __name__ == "__main__":
    main()

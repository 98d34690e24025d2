"""The rebuild's build over the first N events of a SQLite ledger, with its rate per mark.

Runs `projections.blue_green._Build` into a scratch file beside a COPY of the ledger (nothing is
switched in; the scratch file is removed at the end) and prints, every --every events, the rate
per CPU second since the last mark, the RSS, and the size of the build file and of its WAL: how
the build's pace changes as the ledger grows (issue 15: the same rate at 10k and at 1M events).

    .venv/bin/python benchmarks/build_prefix.py /tmp/copy/ledger.sqlite --events 300000
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402
from projections import blue_green, collection  # noqa: E402
from projections.runner import TRACKING_NAME  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--every", type=int, default=50_000)
    parser.add_argument("--checkpointer-thread", action="store_true",
                        help="checkpoint the build file's WAL from a thread every 0.5 s (before "
                             "s7: the rebuild now leaves it to SQLite in the build's thread)")
    parser.add_argument("--keep", type=Path, metavar="FILE",
                        help="keep the build file there (to compare its tables with another's)")
    args = parser.parse_args()
    container = build(Settings(f"sqlite:///{args.ledger}"))
    path = args.ledger.with_name(f"{args.ledger.name}.prefix-build-{os.getpid()}")
    blue_green._remove(path)
    db = blue_green._BuildFile(path, checkpoint_every=0.5 if args.checkpointer_thread else None)
    wal = path.with_name(path.name + "-wal")
    projections = container.runner.projections
    marks = {"at": 0, "cpu": time.process_time(), "wall": time.perf_counter()}
    first = dict(marks)

    def progress(position: int, _target: int) -> None:
        if position - marks["at"] < args.every and position < args.events:
            return
        cpu, wall = time.process_time(), time.perf_counter()
        done = position - marks["at"]
        print(f"{position:>9,}: {done / (cpu - marks['cpu']):7,.0f} ev/CPU-s "
              f"{done / (wall - marks['wall']):7,.0f} ev/s  RSS {rss_mb():6,.0f} MB  "
              f"build {path.stat().st_size / 2**20:7,.0f} MB  "
              f"WAL {wal.stat().st_size / 2**20 if wal.exists() else 0:7,.0f} MB", flush=True)
        marks.update(at=position, cpu=cpu, wall=wall)

    try:
        with collection.paused():
            b = blue_green._Build(container.ledger, db, projections, TRACKING_NAME)
            b.catch_up(until=args.events, progress=progress)
        cpu = time.process_time() - first["cpu"]
        print(f"total {b.applied:,} events, {b.applied / cpu:,.0f} per CPU second, "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB, "
              f"WAL at end {wal.stat().st_size / 2**20 if wal.exists() else 0:,.0f} MB",
              flush=True)
    finally:
        db.close()
        if args.keep is not None:
            with sqlite3.connect(path) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            path.rename(args.keep)
        blue_green._remove(path)


if __name__ == "__main__":
    main()

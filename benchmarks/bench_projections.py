"""Projection throughput at several ledger sizes, beside raw baselines from the same run.

For each ledger (a SQLite ledger file given with --ledger, copied first, or one of about
--events N events recorded here through `Ledger.handle`) and backend:

* rebuild: `runner.rebuild()` (blue-green, batches of 5,000), the read models full; from
  `--parallel-from` events (`projections.parallel_build.PARALLEL_FROM`) with a worker process
  building the deadline tables beside it, and with `--serial-too` also without (", serial"),
  alternating run by run;
* catch-up from zero: the read-model tables emptied and the runner's `catch_up()` (batches
  of 5,000; the live follower keeps 500), as a new server or a new projection starts;
* baselines: a plain `SELECT *` of the event table (every row fetched), and reading the log
  through the recorder with every event decoded (`select_notifications` + `to_domain_event`).

PostgreSQL gets the very same stored events (COPY of the SQLite rows into a fresh database's
event table). Each figure is the median of --runs runs; wall time and CPU time (the process's
and its build worker's) are both printed (the machine may be shared: the CPU rate is the
steadier one), with the peak RSS. The CPU by stage comes from a run without a worker.

    .venv/bin/python benchmarks/bench_projections.py --ledger data/10k.sqlite --ledger 100k.sqlite
    .venv/bin/python benchmarks/bench_projections.py --events 10000 --backend sqlite

Figures are indicative; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.worker_cpu import cpu_with_workers  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import Container, build  # noqa: E402
from projections import parallel_build  # noqa: E402

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"
Timed = tuple[float, float]  # (wall seconds, CPU seconds)
Found = dict[str, Any]  # "events", then runs (list[Timed]) or CPU by stage (dict) by measure


def timed(work: Callable[[], object]) -> Timed:
    wall, cpu = time.perf_counter(), cpu_with_workers()
    work()
    return time.perf_counter() - wall, cpu_with_workers() - cpu


@contextmanager
def serial() -> Iterator[None]:
    """No build worker while this lasts (`projections.parallel_build.PARALLEL_FROM`)."""
    was = parallel_build.PARALLEL_FROM
    parallel_build.PARALLEL_FROM = sys.maxsize
    try:
        yield
    finally:
        parallel_build.PARALLEL_FROM = was


def record_ledger(path: Path, events: int) -> None:
    """A demo ledger of about `events` events, recorded through `Ledger.handle`."""
    from benchmarks.bench_storage import cases_for
    from ledger.errors import LedgerError
    from pact_ledger.demo import demo_script

    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # fixed: the same ledger every run
    container = build(Settings(f"sqlite:///{path}"))
    try:
        for command, meta in demo_script(cases_for(events, 3, now), 3, now):
            try:
                container.ledger.handle(command, meta)
            except LedgerError:
                pass
    finally:
        container.close()


def empty_read_models(container: Container) -> None:
    tables = [t for p in container.runner.projections for t in p.tables]
    with container.db.transaction() as tx:
        for table in tables:
            tx.execute(f"DELETE FROM {table}")
        tx.execute("UPDATE projection_tracking SET position = 0")


def raw_scan(container: Container, settings: Settings) -> int:
    table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    if settings.backend == "sqlite":
        conn = sqlite3.connect(settings.sqlite_path)
        try:
            return sum(1 for _ in conn.execute(f"SELECT * FROM {table}"))
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(settings.postgres_url) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT * FROM {table}")  # type: ignore[arg-type]
        return len(cur.fetchall())


def read_decode(container: Container, batch: int = 5000) -> int:
    recorder, mapper, position, count = container.ledger.recorder, container.ledger.mapper, 0, 0
    while notifications := recorder.select_notifications(position + 1, batch):
        for n in notifications:
            mapper.to_domain_event(n)
        count += len(notifications)
        position = notifications[-1].id
    return count


def copy_to_postgres(source: Path, url: str) -> None:
    """The SQLite ledger's stored events, byte for byte, into a fresh PostgreSQL ledger."""
    import psycopg

    container = build(Settings(url))
    table = container.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    container.close()
    conn = sqlite3.connect(source)
    rows = conn.execute("SELECT originator_id, originator_version, topic, state "
                        "FROM stored_events ORDER BY rowid")
    with psycopg.connect(url) as pg, pg.cursor() as cur:
        with cur.copy(f"COPY {table} (originator_id, originator_version, topic, state) "  # type: ignore[arg-type]
                      "FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    conn.close()


class Stages:
    """CPU seconds spent per stage (reading the log, decoding, each projection) while it runs:
    each projection's `process` and the recorder's and mapper's calls wrapped with a timer."""

    def __init__(self, container: Container) -> None:
        self.cpu: dict[str, float] = {}
        recorder, mapper = container.ledger.recorder, container.ledger.mapper
        self._wrap(recorder, "select_notifications", "read (select_notifications)")
        self._wrap(mapper, "to_domain_event", "decode (to_domain_event)")
        for projection in container.runner.projections:
            self._wrap(projection, "process", type(projection).__name__)

    def _wrap(self, owner: object, method: str, label: str) -> None:
        inner = getattr(owner, method)

        def timed_call(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                self.cpu[label] = self.cpu.get(label, 0.0) + time.process_time() - start

        setattr(owner, method, timed_call)

    def take(self) -> dict[str, float]:
        taken, self.cpu = self.cpu, {}
        return taken


def stages_of(container: Container, name: str) -> dict[str, float]:
    """One run of `name` with its CPU seconds by stage (and "(total)"), without a build worker
    (`serial`: every projection's stage in this process)."""
    stages = Stages(container)
    with serial():
        if name == "rebuild":
            cpu = timed(container.runner.rebuild)[1]
        else:
            empty_read_models(container)
            cpu = timed(container.runner.catch_up)[1]
    return {**stages.take(), "(total)": cpu}


def measure(url: str, runs: int, only: str | None = None,
            prefill: bool = True, serial_too: bool = False) -> Found:
    settings = Settings(url)
    container = build(settings)
    try:
        events = container.ledger.recorder.max_notification_id() or 0
        found: Found = {"events": events}
        if prefill:  # the live read models and the hash table full, as in real use
            container.runner.catch_up()
        for name in ("rebuild", "catch-up from zero"):
            if only is None or name == only:
                found[f"stages: {name}"] = stages_of(container, name)
                container.close()
                container = build(settings)  # (unwrapped again for the timed runs)
        def rebuild() -> None:
            container.runner.rebuild()

        def from_zero() -> None:
            empty_read_models(container)
            container.runner.catch_up()

        def serially(work: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                with serial():
                    work()
            return run

        chosen = [(name, work) for name, work in (
            ("rebuild", rebuild), ("catch-up from zero", from_zero),
            ("rebuild, serial", serially(rebuild)),
            ("catch-up from zero, serial", serially(from_zero)),
            ("SELECT * (raw)", lambda: raw_scan(container, settings)),
            ("read + decode (raw)", lambda: read_decode(container)),
        ) if (only is None or name.startswith(only) or "raw" in name)
            and (serial_too or not name.endswith(", serial"))]
        for _ in range(runs):  # (alternating: each measure's runs spread over the same minutes)
            for name, work in chosen:
                found.setdefault(name, []).append(timed(work))
        return found
    finally:
        container.close()


def report(label: str, found: Found) -> None:
    events = found["events"]
    assert isinstance(events, int)
    runs = next(len(v) for v in found.values() if isinstance(v, list))
    print(f"\n{label}: {events:,} events (median of {runs} runs; "
          f"peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    print(f"{'measure':<24}{'ev/s wall':>12}{'ev/s CPU':>12}   runs (ev/s wall)")
    rates = {}
    for name, runs in found.items():
        if name == "events" or name.startswith("stages: "):
            continue
        assert isinstance(runs, list)
        wall = statistics.median(events / w for w, _ in runs)
        cpu = statistics.median(events / max(c, 1e-9) for _, c in runs)
        rates[name] = wall
        each = ", ".join(f"{events / w:,.0f}" for w, _ in runs)
        print(f"{name:<24}{wall:>12,.0f}{cpu:>12,.0f}   {each}")
    for name in ("rebuild", "catch-up from zero"):
        if name not in rates:
            continue
        print(f"  {name}: {rates['SELECT * (raw)'] / rates[name]:.1f}x under SELECT *, "
              f"{rates['read + decode (raw)'] / rates[name]:.1f}x under read + decode")
    for key, stages in found.items():
        if not key.startswith("stages: "):
            continue
        assert isinstance(stages, dict)
        total = stages.pop("(total)")
        print(f"  CPU by stage, {key[8:]} (one extra run without a build worker, "
              f"{total:.2f} CPU-s in all; "
              "ev/s = events per CPU-second of that stage alone):")
        for stage, cpu in sorted(stages.items(), key=lambda kv: -kv[1]):
            print(f"    {stage:<34}{cpu:>8.2f} s {100 * cpu / total:>5.1f} %"
                  f"{events / max(cpu, 1e-9):>12,.0f} ev/s")
        rest = total - sum(stages.values())
        print(f"    {'(rest: SQL of the runner, commits, switch)':<34}{rest:>8.2f} s "
              f"{100 * rest / total:>5.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", action="append", type=Path, default=[],
                        help="a SQLite ledger file to measure (copied first); repeatable")
    parser.add_argument("--events", type=int, action="append", default=[],
                        help="record a demo ledger of about N events first; repeatable")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("rebuild", "catch-up from zero"),
                        help="measure only this (and the raw baselines)")
    parser.add_argument("--no-prefill", action="store_true",
                        help="skip catching the live read models up first (large ledgers)")
    parser.add_argument("--serial-too", action="store_true",
                        help="also each measure without a build worker (`, serial`), "
                             "alternating run by run with the default")
    parser.add_argument("--parallel-from", type=int, default=parallel_build.PARALLEL_FROM,
                        help="events from which a build splits off a worker "
                             "(projections.parallel_build.PARALLEL_FROM)")
    args = parser.parse_args()
    parallel_build.PARALLEL_FROM = args.parallel_from

    with tempfile.TemporaryDirectory(prefix="pact-bench-projections-") as tmp:
        ledgers = list(args.ledger)
        for n in args.events:
            path = Path(tmp) / f"recorded-{n}.sqlite"
            print(f"recording a demo ledger of about {n:,} events ...", flush=True)
            record_ledger(path, n)
            ledgers.append(path)
        server = None
        if args.backend in ("postgres", "both"):
            from tests.support.pgserver import TemporaryPostgres

            server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None)
            server.__enter__()
        try:
            for i, source in enumerate(ledgers):
                if args.backend in ("sqlite", "both"):
                    copy = Path(tmp) / f"ledger-{i}.sqlite"
                    shutil.copy(source, copy)
                    found = measure(f"sqlite:///{copy}", args.runs, args.only,
                                    not args.no_prefill, args.serial_too)
                    report(f"SQLite, {source.name}", found)
                if server is not None:
                    name = f"pact_bench_projections_{os.getpid()}_{i}"
                    url = server.create_database(name)
                    try:
                        copy_to_postgres(source, url)
                        found = measure(url, args.runs, args.only, not args.no_prefill,
                                        args.serial_too)
                        report(f"PostgreSQL, {source.name}", found)
                    finally:
                        server.drop_database(name)
        finally:
            if server is not None:
                server.__exit__(None, None, None)


if __name__ == "__main__":
    main()

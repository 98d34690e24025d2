"""Where a rebuild's time goes after its last batch: prints wall and CPU seconds (this process)
at every phase boundary of `projections.blue_green` — the build's batches (every 100,000
events), each projection's deferred writes (`write_deferred`), the approach to the switch, the
replay under its lock and the switch itself (for SQLite the row copy into the live tables).

    .venv/bin/python benchmarks/rebuild_phases.py COPY-OF-LEDGER.sqlite [--probe]

It rebuilds the read models of the file it is given (SQLite: the ledger file itself), so give
it a copy. One JSON line per boundary; the `done` line says how long the switch held the live
tracking row (`locked_s`, its longest attempt `longest_locked_s`), the longest write transaction
on the live file outside it (`longest_staging_write_s`, SQLite staging: copy, sync, emptying the
old tables; absent before staging existed) and `after_build_s`, the wall time from the end of
the build's first catch-up to the end of the rebuild (the switch as a whole).

`--probe`: meanwhile another process asks for the live file's write lock every 0.2 s as an
append does (`BEGIN IMMEDIATE`, the event store's 30 s busy timeout) and records a real append
(`screened_applicant`, 5 events) every 2 s; the `probe` line gives the longest wait (and when
it began, in this process's seconds), the appends recorded and those refused, and how long an
append took (median and longest, and when the longest began: a commit that crosses SQLite's
checkpoint threshold runs the checkpoint). Figures are
indicative on a shared machine: the load average is on every line, and CPU seconds are the ones
to compare.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402
from projections import blue_green, parallel_build  # noqa: E402

STARTED, CPU, STARTED_UNIX = time.perf_counter(), time.process_time(), time.time()
EVERY = 100_000
#: When the build's first catch-up ended (the switch's work begins).
BUILT: list[float] = []


def mark(what: str, **extra: Any) -> None:
    print(json.dumps({"at_s": round(time.perf_counter() - STARTED, 2),
                      "cpu_s": round(time.process_time() - CPU, 2), "what": what,
                      "load": round(os.getloadavg()[0], 1), **extra}), flush=True)


def timed(owner: Any, name: str) -> None:
    """Replace `owner.name` by the same callable marking its start and end."""
    inner: Callable[..., Any] = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        mark(f"{name} start", ints=[a for a in (*args, *kwargs.values()) if isinstance(a, int)])
        try:
            return inner(*args, **kwargs)
        finally:
            mark(f"{name} end")
            if name == "catch_up" and not BUILT:
                BUILT.append(time.perf_counter())

    setattr(owner, name, wrapped)


class Probe:
    """Another process asking for the live file's write lock as appends do, and appending,
    while the rebuild runs (its own process: no share of this one's GIL)."""

    def __init__(self, path: Path) -> None:
        self.stop_file = path.with_name(path.name + ".probe-stop")
        self.stop_file.unlink(missing_ok=True)
        self.child = subprocess.Popen([sys.executable, __file__, "--probe-child", str(path)],
                                      stdout=subprocess.PIPE, text=True)

    def stop(self) -> dict[str, Any]:
        self.stop_file.touch()
        out, _ = self.child.communicate(timeout=300)
        self.stop_file.unlink(missing_ok=True)
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        result["longest_wait_at_s"] = round(result.pop("longest_wait_at") - STARTED_UNIX, 2)
        began = result.pop("append_longest_at")  # (0: no append)
        result["append_longest_at_s"] = round(began - STARTED_UNIX, 2) if began else None
        return result


def probe_child(path: Path) -> None:
    from tests.support.flows import screened_applicant

    stop_file = path.with_name(path.name + ".probe-stop")
    container = build(Settings(f"sqlite:///{path}"))
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    longest, longest_at, tries, refused, appended, append_refused = 0.0, 0.0, 0, 0, 0, 0
    last_append = time.monotonic()
    append_seconds: list[float] = []
    append_longest_at = 0.0
    deadline = time.monotonic() + 4 * 3600
    try:
        while not stop_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
            started = time.monotonic()
            tries += 1
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
            except sqlite3.OperationalError:
                refused += 1
            if time.monotonic() - started > longest:  # (when it began to wait)
                longest = time.monotonic() - started
                longest_at = time.time() - longest
            if time.monotonic() - last_append >= 2.0:
                last_append = time.monotonic()
                try:
                    began = time.monotonic()
                    screened_applicant(container.ledger, f"PROBE-{appended}-{os.getpid()}")
                    took = time.monotonic() - began
                    if took > max(append_seconds, default=0.0):
                        append_longest_at = time.time() - took
                    append_seconds.append(took)
                    appended += 1
                except Exception as error:  # (what a client would have been refused)
                    append_refused += 1
                    print(f"append refused: {type(error).__name__}: {error}"[:160],
                          file=sys.stderr)
    finally:
        conn.close()
        container.close()
    print(json.dumps({"lock_tries": tries, "lock_refused": refused,
                      "longest_wait_s": round(longest, 3), "longest_wait_at": longest_at,
                      "appends": appended, "appends_refused": append_refused,
                      "append_median_s": round(statistics.median(append_seconds), 3)
                      if append_seconds else None,
                      "append_longest_s": round(max(append_seconds, default=0.0), 3),
                      "append_longest_at": append_longest_at}))


def main() -> None:
    if sys.argv[1:2] == ["--probe-child"]:
        return probe_child(Path(sys.argv[2]))
    args = [a for a in sys.argv[1:] if a != "--probe"]
    if len(args) != 1 or args[0].startswith("-"):  # (--help: not a ledger to rebuild)
        sys.exit(__doc__)
    path = Path(args[0]).resolve()
    if not path.is_file():  # it rebuilds the file it is given: never one made up here
        sys.exit(f"{path}: no such ledger file\n{__doc__}")
    container = build(Settings(f"sqlite:///{path}"))
    probe = Probe(path) if "--probe" in sys.argv else None
    try:
        phases: list[tuple[Any, str]] = [
            (blue_green._Build, "catch_up"), (blue_green._Build, "advance_kept"),
            (blue_green._Build, "keep_live"), (blue_green._Switch, "approach"),
            (blue_green._Switch, "replay"), (blue_green, "_switch_sqlite")]
        phases += [(parallel_build.Worker, "finish"), (parallel_build, "adopt_sqlite"),
                   (blue_green._Build, "create_late_indexes")]
        staged = getattr(blue_green, "StagedTables", None)
        if staged is not None:
            phases += [(staged, "clear_leftovers"), (staged, "stage"), (staged, "sync"),
                       (staged, "drop_old")]
        for owner, name in phases:
            timed(owner, name)
        for projection in container.runner.projections:
            if isinstance(projection, blue_green.DeferredWrites):
                timed(projection, "write_deferred")
        reached = [0]

        def progress(position: int, target: int) -> None:
            if position - reached[0] >= EVERY or position == target:
                reached[0] = position
                mark("batch", position=position, target=target)

        report = blue_green.SwitchReport()
        applied = container.runner.rebuild(progress, report=report)
        ended = time.perf_counter()
        if probe is not None:
            mark("probe", **probe.stop())
        writes = getattr(report, "writes", None)
        staging = {} if writes is None else {
            "longest_staging_write_s": round(writes.longest_seconds, 3),
            "longest_staging_write": writes.longest_what,
            "staging_writes": writes.transactions,
            "staging_write_total_s": round(writes.total_seconds, 2),
            "staging_writes_by_what": {what: [int(n), round(seconds, 2)] for what, (n, seconds)
                                       in writes.by_what.items()}}
        mark("done", applied=applied, locked_s=round(report.locked_seconds, 3),
             longest_locked_s=round(getattr(report, "longest_locked_seconds",
                                            report.locked_seconds), 3),
             locked_events=report.locked_events, lock_attempts=report.lock_attempts,
             after_build_s=round(ended - BUILT[0], 2) if BUILT else None, **staging)
    finally:
        if probe is not None and probe.child.poll() is None:
            probe.stop()
        container.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    mark("closed", children_cpu_s=round(children.ru_utime + children.ru_stime, 2))


if __name__ == "__main__":
    main()

"""The blue-green switch after `pact-ledger import --no-catch-up`: how long a rebuild holds the
live tracking row (live readers and writers wait meanwhile) and how long the rebuild takes,
this code beside the switch of another git revision (default `s4-integ`, which replayed the
whole lag of the kept-live hash table under the lock), interleaved, median of --runs.

The import is done once per backend into a template (SQLite file copied, PostgreSQL database
created from it), so each rebuild starts from the same ledger with read models at 0. For the
other revision the lock time is the whole switch function's (the build had just caught up, so
its unlocked part is empty); for this code `SwitchReport.locked_seconds`.

    .venv/bin/python benchmarks/bench_switch.py --events 30000 --runs 3 --backend sqlite

Figures are indicative (the machine may be shared: the load average is printed)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_import import import_file  # noqa: E402
from benchmarks.bench_scale import write_file  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402
from projections import blue_green  # noqa: E402
from projections.runner import REBUILD_BATCH, TRACKING_NAME  # noqa: E402


def other_revision(rev: str, folder: Path) -> ModuleType:
    source = subprocess.run(["git", "show", f"{rev}:projections/blue_green.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    path = folder / "blue_green_other.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("blue_green_other", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rebuild_once(url: str, module: ModuleType, ours: bool) -> dict[str, Any]:
    container = build(Settings(url))
    try:
        switch_name = "_switch_postgres" if url.startswith("postgres") else "_switch_sqlite"
        inner = getattr(module, switch_name)
        spent: list[float] = []

        def timed_switch(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        setattr(module, switch_name, timed_switch)
        report = blue_green.SwitchReport()
        extra = {"report": report} if ours else {}
        runner = container.runner
        cpu, started = time.process_time(), time.perf_counter()
        applied = module.rebuild(runner.app, runner.db, runner.projections, TRACKING_NAME, None,
                                 REBUILD_BATCH, **extra)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        setattr(module, switch_name, inner)
        hashes = container.db.fetchone("SELECT COUNT(*) AS n FROM event_hashes")
        assert hashes is not None and int(hashes["n"]) == runner.log_position() == applied
        return {"applied": applied, "total_s": took, "cpu_s": cpu, "switch_s": sum(spent),
                "locked_s": report.locked_seconds if ours else sum(spent),
                "locked_events": report.locked_events if ours else None}
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--other", default="s4-integ", help="git revision to compare with")
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    with ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-switch-")))
        other = other_revision(args.other, base)
        path = base / "import.ndjson"
        lines = write_file(path, args.events, seed=7)
        print(f"import file: {lines:,} commands; other revision: {args.other}", flush=True)
        for backend in backends:
            if backend == "sqlite":
                template = base / "template.sqlite"
                template_url = f"sqlite:///{template}"
            else:
                from tests.support.pgserver import TemporaryPostgres

                server = stack.enter_context(TemporaryPostgres(
                    external_url=os.environ.get("PACT_LEDGER_BENCH_POSTGRES_URL") or None))
                template_url = str(server.create_database("pact_bench_switch_template"))
            events, rate, _ = import_file(template_url, path)
            if backend == "sqlite":
                with sqlite3.connect(template) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            print(f"{backend}: imported {events:,} events ({rate:,.0f} events/s), read models "
                  "left at 0", flush=True)
            figures: dict[str, list[dict[str, Any]]] = {"other": [], "this": []}
            for run in range(args.runs):
                for name, module in (("other", other), ("this", blue_green)):
                    if backend == "sqlite":
                        copy = base / f"{name}-{run}.sqlite"
                        shutil.copyfile(template, copy)
                        url = f"sqlite:///{copy}"
                    else:
                        url = str(server.create_database(
                            f"pact_bench_switch_{name}_{run}",
                            template="pact_bench_switch_template"))
                    got = rebuild_once(url, module, name == "this")
                    figures[name].append(got)
                    under = got["locked_events"]
                    print(f"  {backend} run {run + 1} {name:5}: rebuild {got['total_s']:7.1f} s "
                          f"({got['cpu_s']:.1f} CPU s), switch {got['switch_s']:6.2f} s, lock "
                          f"held {got['locked_s']:6.3f} s, events replayed under it "
                          f"{'all lag' if under is None else under}"
                          f"; load {'/'.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
            for key in ("locked_s", "switch_s", "total_s", "cpu_s"):
                other_m = statistics.median(f[key] for f in figures["other"])
                this_m = statistics.median(f[key] for f in figures["this"])
                print(f"{backend} median {key:9}: other {other_m:8.3f}  this {this_m:8.3f}  "
                      f"(this/other {this_m / max(other_m, 1e-9):.3f})", flush=True)


if __name__ == "__main__":
    main()

"""Instructions the client process spends recording the demo's commands, under valgrind.

Wall and CPU time on a shared machine move by 10-30% between runs; the number of instructions a
process executes does not (two runs of the same code differ by ~0.05% with a fixed hash seed).
So a change to the append path too small for `bench_append.py` to show is measured here: the
demo's commands are recorded through `Ledger.handle` by a process run under valgrind's
cachegrind (no cache simulation), then the same process is run again without recording them,
and the difference is printed (the process's start, the imports and the demo script are the
same in both, so they cancel). Only user-space instructions of the client are counted: not the
kernel's (fsync), not PostgreSQL's server.

    .venv/bin/python benchmarks/append_instructions.py [--cases 100] [--cache 20]
                                                       [--backend sqlite|postgres] [--code DIR]

`--cache N`: `AGGREGATE_CACHE_MAXSIZE` (fewer cases held than in flight: most commands replay
their case from the store). `--code DIR`: the checkout whose code is measured (another worktree,
for a before/after; default this one). PostgreSQL: `PACT_LEDGER_BENCH_POSTGRES_URL` (a superuser
URL) or a throwaway server (tests/support/pgserver.py). Needs `valgrind` (Debian's package).
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_URL = "PACT_LEDGER_BENCH_POSTGRES_URL"

#: Run in the measured process, from the checkout being measured (its code first on the path).
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from datetime import UTC, datetime
from ledger.errors import LedgerError
from pact_ledger.demo import demo_script
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
script = list(demo_script(int(sys.argv[2]), 3, datetime(2026, 6, 1, tzinfo=UTC)))
container = build(Settings(sys.argv[3]))
recorded = 0
if sys.argv[4] == "record":
    for command, meta in script:
        try:
            container.ledger.handle(command, meta)
            recorded += 1
        except LedgerError:
            pass
container.close()
print("recorded", recorded, file=sys.stderr)
"""


def instructions(code: Path, cases: int, url: str, mode: str, cache: int | None) -> tuple[int, int]:
    """(instructions, commands recorded) of one process under cachegrind."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if cache is not None:
        env["AGGREGATE_CACHE_MAXSIZE"] = str(cache)
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", CHILD, str(code), str(cases), url, mode],
        env=env, capture_output=True, text=True, check=False)
    refs = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    recorded = re.search(r"recorded (\d+)", done.stderr)
    if done.returncode != 0 or refs is None or recorded is None:
        raise SystemExit(f"the measured process failed:\n{done.stderr[-3000:]}")
    return int(refs[1].replace(",", "")), int(recorded[1])


@contextmanager
def databases(backend: str) -> Iterator[tuple[str, str]]:
    """Two empty databases: one to record into, one for the run that records nothing."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="pact-bench-instructions-") as tmp:
            yield f"sqlite:///{tmp}/record.sqlite", f"sqlite:///{tmp}/idle.sqlite"
        return
    from tests.support.pgserver import TemporaryPostgres

    server = TemporaryPostgres(external_url=os.environ.get(BENCH_URL) or None)
    with server:
        names = [f"pact_bench_instructions_{os.getpid()}_{n}" for n in ("record", "idle")]
        urls = [server.create_database(name) for name in names]
        try:
            yield urls[0], urls[1]
        finally:
            for name in names:
                server.drop_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--cache", type=int, default=None,
                        help="at most this many aggregates cached (AGGREGATE_CACHE_MAXSIZE)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose code is measured (default this one)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with databases(args.backend) as (record_url, idle_url):
        total, recorded = instructions(args.code, args.cases, record_url, "record", args.cache)
        idle, _ = instructions(args.code, args.cases, idle_url, "idle", args.cache)
    held = "default" if args.cache is None else f"{args.cache:,}"
    print(f"{args.backend}, code at {args.code}, {args.cases} demo cases, cache {held}: "
          f"{recorded:,} commands recorded in {total - idle:,} instructions "
          f"({(total - idle) / max(1, recorded):,.0f} a command; the process without them "
          f"{idle:,})")


if __name__ == "__main__":
    main()

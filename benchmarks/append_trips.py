"""Where one client's append time goes: system calls (round trips, flushes) and CPU per command.

Runs the demo script through `Ledger.handle` in a child process (one client) on a fresh
database, under `strace -f -c` when asked, and prints the child's commands, wall and CPU per
command; with `--strace`, the calls per command of the kinds that cost a wait (sends and
receives: round trips to PostgreSQL; fsync/fdatasync: flushes).

    .venv/bin/python benchmarks/append_trips.py [--backend postgres] [--cases 300] [--strace]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, time
from datetime import datetime
sys.path.insert(0, {root!r})
from ledger.errors import LedgerError
from pact_ledger.demo import demo_script
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
script = list(demo_script({cases}, 3, datetime.fromisoformat({now!r})))
container = build(Settings({url!r}))
handle = container.ledger.handle
done = 0
wall, cpu = time.perf_counter(), time.process_time()
for command, meta in script:
    try:
        handle(command, meta)
        done += 1
    except LedgerError:
        pass
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
container.close()
print(json.dumps({{"commands": done, "wall": wall, "cpu": cpu}}))
"""

KINDS = ("sendto", "recvfrom", "poll", "fsync", "fdatasync", "pwrite64", "pread64", "write",
         "read")


def _strace_counts(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[-1] in KINDS and parts[3].isdigit():
            counts[parts[-1]] = int(parts[3])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--strace", action="store_true")
    args = parser.parse_args()
    now = datetime.now(UTC).isoformat()
    with tempfile.TemporaryDirectory(prefix="pact-trips-") as tmp:
        if args.backend == "postgres":
            from tests.support.pgserver import TemporaryPostgres

            server = TemporaryPostgres()
            server.start()
            url = server.create_database(f"trips_{os.getpid()}")
        else:
            server = None
            url = f"sqlite:///{tmp}/ledger.sqlite"
        try:
            child = CHILD.format(root=str(ROOT), cases=args.cases, now=now, url=url)
            out = Path(tmp) / "strace.txt"
            command = [sys.executable, "-c", child]
            if args.strace:
                command = ["strace", "-f", "-c", "-o", str(out), *command]
            began = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            elapsed = time.perf_counter() - began
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            n = figures["commands"]
            print(f"{args.backend}: {n} commands, {n / figures['wall']:,.0f} cmd/s, "
                  f"client CPU {1000 * figures['cpu'] / n:.3f} ms/cmd "
                  f"(process {elapsed:.1f} s)")
            if args.strace:
                counts = _strace_counts(out)
                print("  per command: " + ", ".join(
                    f"{k} {counts.get(k, 0) / n:.2f}" for k in KINDS))
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()

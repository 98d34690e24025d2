"""Where a parallel import's time goes: the CPU of each of its processes over the whole run.

Runs `pact-ledger import FILE --workers N ...` into a fresh database of a throwaway PostgreSQL
cluster (`tests/support/pgserver.py`) and reads every process's CPU (user + system) from /proc
every --every seconds: the importing process, its workers, PostgreSQL's backends. A worker busy
much less than the wall time waits (on PostgreSQL, on the parent's lines, on the other worker);
this says how much, not on what. Every process whose command names `pact-ledger` or `postgres`
is counted (run it on an otherwise quiet machine), and a process's last --every seconds are not.

    .venv/bin/python benchmarks/import_processes.py FILE [--lines 1000000] \
        [--server shared_buffers=16MB] -- --workers 2 --memory-mb 3000

Nothing is asserted; the cluster is removed afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_http import cpu_seconds  # noqa: E402
from tests.support.pgserver import TemporaryPostgres  # noqa: E402

CLI = str(Path(sys.executable).with_name("pact-ledger"))
WATCHED = ("pact-ledger", "postgres")


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return "?"


def watched() -> dict[int, tuple[str, float]]:
    """The CPU so far of every process of the import or of PostgreSQL."""
    found: dict[int, tuple[str, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            command = command_of(int(entry))
            if any(name in command for name in WATCHED):
                with contextlib.suppress(OSError):  # (gone meanwhile)
                    found[int(entry)] = (command, cpu_seconds(int(entry)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--lines", type=int, default=0, help="only the first N lines (0: all)")
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--server", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the throwaway PostgreSQL server (repeatable), e.g. "
                             "shared_buffers=16MB: a 1M-event ledger's indexes beyond the "
                             "buffers, as a 10M one's are beyond the default 128MB")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    args.import_args = argv[split + 1:]  # `pact-ledger import` options, after --
    settings = dict(setting.split("=", 1) for setting in args.server)
    with tempfile.TemporaryDirectory() as folder, TemporaryPostgres(settings=settings) as pg:
        path = args.file
        if args.lines:
            path = Path(folder) / "lines.ndjson"
            with args.file.open(encoding="utf-8") as source, path.open("w") as out:
                out.writelines(islice(source, args.lines))
        url = str(pg.create_database("processes"))
        env = {**os.environ, "COLUMNS": "300", "PACT_LEDGER_DATABASE_URL": url}
        subprocess.run([CLI, "load-recognition-rates", "--sample", "--published-at",
                        "2020-01-01"], env=env, check=True, capture_output=True)
        before = watched()
        started = time.perf_counter()
        proc = subprocess.Popen([CLI, "import", str(path), "--member-state", "EU", "--role",
                                 "ADMINISTRATOR", "--no-catch-up", "--no-progress",
                                 *args.import_args], env=env, stdout=subprocess.PIPE, text=True)
        seen: dict[int, tuple[str, float]] = {}
        while proc.poll() is None:
            seen.update(watched())
            time.sleep(args.every)
        wall = time.perf_counter() - started
        out = proc.stdout.read() if proc.stdout else ""
    said = [line for line in out.splitlines() if line.startswith("Recorded")]
    print(said[-1] if said else f"(the import said: {out.strip()[-500:]})")
    if settings:
        print("server settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    print(f"wall {wall:.1f} s; CPU of each process over the run (share of the wall time):")
    total = 0.0
    for pid, (command, cpu) in sorted(seen.items(), key=lambda kv: -kv[1][1]):
        used = cpu - before.get(pid, (command, 0.0))[1]
        total += used
        if used >= 0.5:
            role = "import" if "pact-ledger" in command else "postgres"
            print(f"  {used:8.1f} s {used / wall:5.0%}  {role:8} {pid} {command[:70]}")
    print(f"total {total:.1f} CPU-s of the {wall * (os.cpu_count() or 1):.1f} that "
          f"{os.cpu_count()} cores give in that time")


if __name__ == "__main__":
    main()

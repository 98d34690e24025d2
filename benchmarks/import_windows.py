"""Does the bulk import slow down as the ledger grows? Its rate per window of events, in process.

Imports the first --lines lines of an import file (default: the 1M-event scale file) into a
fresh ledger, wired as `pact-ledger import` wires it (the batch store, the batched key vault,
the collector frozen per batch), and prints for every --window events: events per CPU second
of this process (what a shared machine distorts least) and per wall-clock second, the peak RSS
and the load average; then the last windows' rate against the first windows'. `--spy N:OUT`
records a py-spy profile (collapsed stacks) of window N into OUT, for --spy-seconds.
`--collector default` leaves Python's collector as it is (as the import ran before
`pact_ledger.import_frozen.frozen_batches`), to see what the collector costs as the import grows.

    .venv/bin/python benchmarks/import_windows.py [--file F] [--lines 350000] [--window 50000]
        [--url sqlite:///...] [--spy 1:/tmp/early.txt --spy 6:/tmp/late.txt]

Nothing is asserted; the database is left in a temporary folder that is removed (unless --url).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALE_FILE = Path("/tmp/scale1m/1000000/import.ndjson")
PY_SPY = os.environ.get("PY_SPY", "/tmp/person-trace/spyenv/bin/py-spy")


def _cpu() -> float:
    return time.process_time()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url: str, path: Path, lines: int, window: int, batch: int,
        spies: dict[int, str], spy_seconds: float, collector: str = "frozen",
        kept: int | None = None, known_keys: int | None = None,
        load_rates: bool = True, memory_mb: int = 0) -> list[float]:
    """Imports, printing a line per window; returns the events per CPU second of each."""
    os.environ["PACT_LEDGER_DATABASE_URL"] = url
    cli = str(Path(sys.executable).with_name("pact-ledger"))
    if load_rates:
        subprocess.run([cli, "load-recognition-rates", "--sample", "--published-at",
                        "2020-01-01"], check=True, capture_output=True)

    from ledger.envelope import Actor
    from pact_ledger.import_format import read_items
    from pact_ledger.import_frozen import frozen_batches
    from pact_ledger.import_vault import BatchedKeyVault
    from pact_ledger.import_wiring import bulk_import
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    principal = Actor(id="import", role="ADMINISTRATOR", authority="EU migration import",
                      member_state="EU")
    rates: list[float] = []
    spying: list[subprocess.Popen[bytes]] = []
    container = build(Settings.from_env())
    try:
        frozen = frozen_batches() if collector == "frozen" else contextlib.nullcontext()
        with path.open(encoding="utf-8") as handle, frozen as after_batch:
            bulk = bulk_import(container, batch, after_batch, memory_mb)
            if kept is not None:
                bulk.kept_aggregates = kept
            if known_keys is not None:
                bulk.keys.known_keys = known_keys  # type: ignore[union-attr]
            store, reread = bulk.store, [0]

            def stored(ids):  # type: ignore[no-untyped-def]
                found = store_stored(ids)
                reread[0] += sum(len(rows) for rows in found.values())
                return found

            store_stored = store.stored
            store.stored = stored  # type: ignore[method-assign]  # counts the rows read again
            vault = bulk.keys
            assert isinstance(vault, BatchedKeyVault)
            key_store, key_reads = vault.store, [0]
            store_keys = key_store.keys

            def keys(ids):  # type: ignore[no-untyped-def]
                key_reads[0] += 1
                return store_keys(ids)

            key_store.keys = keys  # type: ignore[method-assign]  # counts the key-store reads
            events = refused = 0
            number = 0
            started, cpu, mark = time.perf_counter(), _cpu(), 0

            def spy(n: int) -> None:
                if n in spies:
                    spying.append(subprocess.Popen(
                        [PY_SPY, "record", "--pid", str(os.getpid()), "--duration",
                         str(int(spy_seconds)), "--format", "raw", "--output", spies[n],
                         "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

            spy(1)
            for result in bulk.run(read_items(islice(handle, lines), principal)):
                events += result.events
                refused += result.status == "refused"
                if events - mark >= window:
                    now, cpu_now = time.perf_counter(), _cpu()
                    rate = (events - mark) / (cpu_now - cpu)
                    rates.append(rate)
                    number = len(rates)
                    print(f"window {number}: events {mark:,}-{events:,} | {rate:,.0f} per CPU "
                          f"s | {(events - mark) / (now - started):,.0f} ev/s | peak RSS "
                          f"{_rss_mb():,.0f} MB | cases kept {len(bulk._kept):,}"
                          + (f" (held at {bulk.kept_ceiling:,}: memory budget reached)"
                             if bulk.kept_ceiling is not None else "") + " | stored "
                          f"events read again {reread[0]:,} | key-store reads {key_reads[0]:,} "
                          f"| load "
                          f"{os.getloadavg()[0]:.1f}", flush=True)
                    reread[0] = key_reads[0] = 0
                    started, cpu, mark = now, cpu_now, events
                    spy(number + 1)
            print(f"{events:,} events recorded, {refused} lines refused", flush=True)
    finally:
        container.close()
        for process in spying:
            process.wait(timeout=spy_seconds + 60)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=SCALE_FILE)
    parser.add_argument("--lines", type=int, default=350_000)
    parser.add_argument("--window", type=int, default=50_000, help="events per window")
    parser.add_argument("--batch", type=int, default=5_000, help="events per transaction")
    parser.add_argument("--url", help="the ledger (default: a fresh SQLite file)")
    parser.add_argument("--spy", action="append", default=[], metavar="N:OUT",
                        help="py-spy record window N (1 = the first) into OUT")
    parser.add_argument("--spy-seconds", type=float, default=30)
    parser.add_argument("--collector", choices=("frozen", "default"), default="frozen",
                        help="default: Python's automatic collections as they are, nothing "
                             "frozen (as the import ran before `frozen_batches`)")
    parser.add_argument("--kept", type=int, help="cases kept in memory (default: the "
                        "import's own KEPT_AGGREGATES): a small file with a small bound shows "
                        "what a large file meets at the bound")
    parser.add_argument("--memory-mb", type=int, default=0, help="as `pact-ledger import "
                        "--memory-mb`: every case used stays in memory up to this resident "
                        "memory (default 0: the fixed bound only)")
    parser.add_argument("--known-keys", type=int, help="data keys kept (default: "
                        "import_vault.KNOWN_KEYS)")
    parser.add_argument("--no-rates", action="store_true", help="the ledger (--url) has the "
                        "recognition rates already (loading them catches the read models up, "
                        "which a ledger filled with rows of its own cannot)")
    args = parser.parse_args()
    spies = {int(n): out for n, out in (s.split(":", 1) for s in args.spy)}
    with tempfile.TemporaryDirectory(prefix="pact-import-windows-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'ledger.sqlite'}"
        rates = run(url, args.file, args.lines, args.window, args.batch, spies,
                    args.spy_seconds, args.collector, args.kept, args.known_keys,
                    not args.no_rates, args.memory_mb)
    if len(rates) >= 4:
        early, late = statistics.median(rates[:2]), statistics.median(rates[-2:])
        print(f"first two windows {early:,.0f} per CPU s, last two {late:,.0f}: "
              f"late / early {late / early:.2f}x", flush=True)


if __name__ == "__main__":
    main()

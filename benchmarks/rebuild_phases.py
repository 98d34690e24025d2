"""Where a rebuild's time goes after its last batch: prints wall and CPU seconds (this process)
at every phase boundary of `projections.blue_green` — the build's batches (every 100,000
events), each projection's deferred writes (`write_deferred`), the approach to the switch, the
replay under its lock and the switch itself (for SQLite the row copy into the live tables).

    .venv/bin/python benchmarks/rebuild_phases.py COPY-OF-LEDGER.sqlite

It rebuilds the read models of the file it is given (SQLite: the ledger file itself), so give
it a copy. One JSON line per boundary; the last says how long the switch held the live
tracking row (`SwitchReport`). Figures are indicative on a shared machine: the load average is
on every line, and CPU seconds are the ones to compare.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402
from projections import blue_green  # noqa: E402

STARTED, CPU = time.perf_counter(), time.process_time()
EVERY = 100_000


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

    setattr(owner, name, wrapped)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    container = build(Settings(f"sqlite:///{Path(sys.argv[1]).resolve()}"))
    try:
        for owner, name in ((blue_green._Build, "catch_up"), (blue_green._Build, "advance_kept"),
                            (blue_green._Build, "keep_live"), (blue_green._Switch, "approach"),
                            (blue_green._Switch, "replay"), (blue_green, "_switch_sqlite")):
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
        mark("done", applied=applied, locked_s=round(report.locked_seconds, 2),
             locked_events=report.locked_events, lock_attempts=report.lock_attempts)
    finally:
        container.close()
    mark("closed")


if __name__ == "__main__":
    main()

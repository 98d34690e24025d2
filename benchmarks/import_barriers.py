"""What a bulk import's upkeep of its kept cases costs per barrier, per batch and per refused
line, with every case of a ledger kept in memory (loaded as `pact-ledger import` loads them):
`forget` (a parallel import's worker after barrier lines: crisis, solidarity, reference data,
the case steps that credit a solidarity account, erasures), a batch's end with more
fingerprints than kept cases (the state once the kept cases reached their bound), and a line
refused by its rules (the refusal undone in the aggregates it may have changed), beside the
same refusal with no case kept. Run it from two checkouts on the same ledger to compare; the
cost of each should not grow with the number of kept cases.

    .venv/bin/python benchmarks/import_barriers.py DATA_DIR   # a ledger's data folder (copied)
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger.bulk_import import BulkImport  # noqa: E402
from ledger.case.commands import RegisterApplication  # noqa: E402
from ledger.command_meta import CommandMeta  # noqa: E402
from ledger.envelope import Actor  # noqa: E402
from pact_ledger.import_format import line_of, read_items  # noqa: E402
from pact_ledger.import_store import batch_store  # noqa: E402
from pact_ledger.import_vault import BatchedKeyVault  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402

LEDGER, KEYS = "pact-ledger.sqlite", "pact-ledger-keys.sqlite"


def median_ms(call: Callable[[], object], runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pact-import-barriers-") as tmp:
        for name in os.listdir(args.data_dir):
            source, target = args.data_dir / name, Path(tmp) / name
            if name in (LEDGER, KEYS):
                with sqlite3.connect(source) as a, sqlite3.connect(target) as b:
                    a.backup(b)  # (the write-ahead log's pages too)
            elif name.endswith(".key"):
                shutil.copy(source, target)
        os.environ["PACT_LEDGER_DATA_DIR"] = tmp
        container = build(Settings(f"sqlite:///{Path(tmp) / LEDGER}"))
        try:
            with sqlite3.connect(Path(tmp) / LEDGER) as conn:
                ids = [UUID(str(r[0])) for r in conn.execute(
                    "SELECT DISTINCT originator_id FROM stored_events")]
            bulk = BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                              store=batch_store(container.ledger.recorder))
            for aggregate_id, rows in bulk.store.stored(ids).items():
                bulk._kept[aggregate_id] = bulk._projected(rows, [])  # type: ignore[assignment]  # noqa: SLF001
            flag = "keys_destroyed" in inspect.signature(bulk.forget).parameters
            forget: Callable[[], object] = (
                (lambda: bulk.forget(set(), keys_destroyed=False)) if flag
                else (lambda: bulk.forget(set())))

            def batch_end() -> None:
                bulk._fingerprints[UUID(int=0)] = {}  # noqa: SLF001 (one left behind)
                list(bulk._flush())  # noqa: SLF001

            kept = len(bulk._kept)  # noqa: SLF001
            refused_many = median_ms(lambda: _refused(bulk), 200)
            few = BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                             store=batch_store(container.ledger.recorder))
            refused_few = median_ms(lambda: _refused(few), 200)
            print(f"{kept:,} kept cases ({ROOT.name}): "
                  f"forget after barriers {median_ms(forget):.2f} ms"
                  f"{'' if flag else ' (every data key read again afterwards)'}; "
                  f"a batch's end with a fingerprint left over {median_ms(batch_end):.2f} ms "
                  "(median of 30 calls each); a refused line "
                  f"{refused_many:.3f} ms, with no case kept {refused_few:.3f} ms (median of 200)")
        finally:
            container.close()


def _refused(bulk: BulkImport) -> None:
    """One line refused by its rules (a case that does not exist), as an import adds it."""
    item = next(iter(read_items([REFUSED], IMPORTER)))
    bulk._swap()  # noqa: SLF001 (the batch's view, as a run puts it in place)
    try:
        result = bulk._add(item)  # noqa: SLF001
    finally:
        bulk._restore()  # noqa: SLF001
    assert result is not None and result.status == "refused", result


IMPORTER = Actor("it-import", "CASE_WORKER", "IT migration", "IT")
REFUSED = line_of(RegisterApplication(UUID(int=1)), CommandMeta(
    actor=IMPORTER, occurred_at=datetime(2026, 1, 5, tzinfo=UTC), command_id="bench/refused"))


if __name__ == "__main__":
    main()

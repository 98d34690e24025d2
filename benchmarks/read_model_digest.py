"""A digest of every read-model table after a rebuild, to compare two versions of the code.

Copies the SQLite ledger (never writes to the one given), optionally into a throwaway PostgreSQL
too (`--postgres`: the same stored events, COPY), rebuilds the read models with this tree's code
(`runner.rebuild()`, blue-green) and prints one line per table: its row count and the SHA-256 of
its rows sorted (each row's values in column order, `repr`). Two trees that print the same lines
wrote the same rows. `--deferring-limit N` makes the rebuild keep at most N cases per projection
(pushing the others out and reading them back), to compare a build that evicts with one that
does not. `--catch-up` fills the read models by a catch-up from zero instead (the tables
emptied and the tracking row at 0 first, as a new server starts); `--empty-hashes` empties the
hash table too (`event_hashes`, `merkle_nodes`: the projections kept live), which is then digested
as well.

    .venv/bin/python benchmarks/read_model_digest.py /tmp/vm-led/l115k.sqlite
    .venv/bin/python benchmarks/read_model_digest.py --catch-up --empty-hashes L.sqlite
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402


def digest(url: str, deferring_limit: int | None, catch_up: bool = False,
           empty_hashes: bool = False) -> list[str]:
    container = build(Settings(url))
    try:
        if deferring_limit is not None:
            from projections import batch_state

            batch_state.DEFERRING_MEMORY = 0  # (a count bound only, where the code has a budget)
            for projection in container.runner.projections:
                kept = getattr(projection, "_kept", None)
                if kept is not None:
                    kept.deferring_limit = deferring_limit
        tables = sorted(t for p in container.runner.projections for t in p.tables)
        hashes = ["event_hashes", "merkle_nodes"] if empty_hashes else []
        with container.db.transaction() as tx:
            for name in (tables if catch_up else []) + hashes:
                tx.execute(f"DELETE FROM {name}")
            if catch_up:
                tx.execute("UPDATE projection_tracking SET position = 0")
        if catch_up:
            applied = container.runner.catch_up()
            lines = [f"caught up {applied} events from zero"]
        else:
            applied = container.runner.rebuild()
            lines = [f"rebuilt {applied} events"]
        for name in tables + hashes:
            rows = sorted(repr(tuple(r.values())) for r in
                          container.db.fetchall(f"SELECT * FROM {name}"))
            sha = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            lines.append(f"{name:<28}{len(rows):>10} {sha}")
        return lines
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--deferring-limit", type=int)
    parser.add_argument("--catch-up", action="store_true",
                        help="a catch-up from zero instead of a rebuild")
    parser.add_argument("--empty-hashes", action="store_true",
                        help="empty the hash table first too, and digest it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "ledger.sqlite"
        shutil.copy(args.ledger, copy)
        keys = args.ledger.with_name(args.ledger.stem + "-keys.sqlite")
        if keys.exists():
            shutil.copy(keys, Path(tmp) / "ledger-keys.sqlite")
        for name in ("dev-master.key",):
            if (args.ledger.parent / name).exists():
                shutil.copy(args.ledger.parent / name, Path(tmp) / name)
        if not args.postgres:
            print("\n".join(digest(f"sqlite:///{copy}", args.deferring_limit, args.catch_up,
                                   args.empty_hashes)))
            return
        from benchmarks.bench_projections import copy_to_postgres
        from tests.support.pgserver import TemporaryPostgres

        with TemporaryPostgres() as server:
            url = server.create_database(f"pact_digest_{os.getpid()}")
            copy_to_postgres(copy, url)
            print("\n".join(digest(url, args.deferring_limit, args.catch_up, args.empty_hashes)))


if __name__ == "__main__":
    main()

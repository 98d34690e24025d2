"""Every stored row of a fixed-clock, fixed-randomness demo run, as text, to compare two trees.

A change to the append path must leave the stored events, event hashes, Merkle nodes, read
models and key-store rows byte for byte as they were. This records the demo script (fixed
clock, fixed seed; data keys, nonces and command ids from a counter instead of the operating
system's randomness; a fixed master key), catches the read models up, runs the erasure job
eleven years later (so that keys are destroyed too), then writes every table of the ledger and
of the key store, ordered, one row a line. Run it from each tree with that tree's interpreter
and compare the files with `cmp`:

    .venv/bin/python benchmarks/append_dump.py sqlite /tmp/a.txt [--cases 40]
    cd ../main && .venv/bin/python /path/to/append_dump.py sqlite /tmp/b.txt
    cmp /tmp/a.txt /tmp/b.txt

`postgres` runs on a throwaway server (tests/support/pgserver.py).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import os
import sqlite3
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, os.getcwd())  # the tree it is run from, not this file's

import ledger.application as application  # noqa: E402
import ledger.personal_data.cipher as cipher  # noqa: E402
import pact_ledger.erasure as erasure  # noqa: E402
import pact_ledger.keystore as keystore  # noqa: E402
from ledger.errors import LedgerError  # noqa: E402
from pact_ledger.demo import demo_script  # noqa: E402
from pact_ledger.master_keys import MasterKeys  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
_counter = itertools.count()


def _fixed_bytes(n: int) -> bytes:
    out = b""
    while len(out) < n:
        out += hashlib.sha256(f"r{next(_counter)}".encode()).digest()
    return out[:n]


class _FixedOs:
    urandom = staticmethod(_fixed_bytes)


def _fix_randomness() -> None:
    cipher.os = _FixedOs  # type: ignore[assignment]  # the nonces
    cipher.new_key = lambda: _fixed_bytes(32)  # the data keys
    application.uuid4 = lambda: uuid.UUID(bytes=_fixed_bytes(16), version=4)  # type: ignore[attr-defined]
    erasure.uuid4 = application.uuid4  # type: ignore[attr-defined]
    keystore._now = lambda: "2026-11-30T12:00:00.000000+00:00"  # noqa: SLF001


def record(url: str, cases: int) -> str:
    master = MasterKeys.parse("m1:" + base64.b64encode(bytes(range(32))).decode())
    settings = Settings(url)
    settings = type(settings)(**{**vars(settings), "master_keys": master})
    moment = [NOW]
    container = build(settings, clock=lambda: moment[0])
    try:
        recorded = 0
        for command, meta in demo_script(cases, 3, NOW):
            try:
                container.ledger.handle(command, meta)
                recorded += 1
            except LedgerError:
                pass
        container.runner.catch_up()
        moment[0] = NOW + timedelta(days=365 * 11)
        run = erasure.erase_due(container)
        return f"{recorded} commands recorded; {len(run.erased)} cases erased"
    finally:
        container.close()


def _value(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def dump_sqlite(path: Path, out: TextIO) -> None:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in names:
            out.write(f"== {path.name} {name}\n")
            order = "1" if name == "sqlite_sequence" else "1, 2"
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
                out.write(repr(row) + "\n")
    finally:
        conn.close()


def dump_postgres(url: str, out: TextIO) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema "
            "NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' "
            "ORDER BY 1, 2").fetchall()
        for schema, name in tables:
            out.write(f"== {schema}.{name}\n")
            for row in conn.execute(f'SELECT * FROM "{schema}"."{name}" ORDER BY 1, 2'):
                out.write(repr(tuple(_value(v) for v in row)) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=("sqlite", "postgres"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=40)
    args = parser.parse_args()
    _fix_randomness()
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="pact-append-dump-") as tmp:
            print(record(f"sqlite:///{tmp}/ledger.sqlite", args.cases))
            with args.out.open("w") as out:
                for path in sorted(Path(tmp).glob("*.sqlite")):
                    dump_sqlite(path, out)
        return
    from tests.support.pgserver import TemporaryPostgres

    with TemporaryPostgres() as server:
        url = server.create_database("pact_append_dump")
        print(record(url, args.cases))
        with args.out.open("w") as out:
            dump_postgres(url, out)


if __name__ == "__main__":
    main()

"""The SHA-256 of every stored row of an import at a fixed clock with fixed randomness, to compare
two trees: a change to the import path must leave the events and key-store rows byte for byte as
they were.

Imports FILE (`pact-ledger import`'s own wiring: the batch store, the batched key vault) into a
fresh SQLite ledger with the ledger's clock fixed, data keys and nonces from a counter
(`append_dump`'s fixed randomness) and a fixed master key; prints the number of event rows and
key-store rows and one SHA-256 over all of them (in log order), and with --rows, writes one line
per row (its SHA-256) to compare with `cmp`. Run it from each tree with that tree's interpreter:

    .venv/bin/python benchmarks/import_dump.py FILE [--rows /tmp/a.txt]
    cd ../main && .venv/bin/python /path/to/import_dump.py FILE [--rows /tmp/b.txt]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, os.getcwd())  # the tree it is run from, not this file's

from benchmarks.append_dump import NOW, _fix_randomness  # noqa: E402
from ledger.bulk_import import BulkImport  # noqa: E402
from ledger.envelope import Actor  # noqa: E402
from pact_ledger.import_format import read_items  # noqa: E402
from pact_ledger.import_store import batch_store  # noqa: E402
from pact_ledger.import_vault import BatchedKeyVault  # noqa: E402
from pact_ledger.master_keys import MasterKeys  # noqa: E402
from pact_ledger.reference_files import load_command, sample_recognition_rates  # noqa: E402
from pact_ledger.settings import Settings  # noqa: E402
from pact_ledger.wiring import build  # noqa: E402

PRINCIPAL = Actor(id="import", role="ADMINISTRATOR", authority="EU migration import",
                  member_state="EU")


def record(url: str, path: Path) -> str:
    master = MasterKeys.parse("m1:" + base64.b64encode(bytes(range(32))).decode())
    settings = Settings(url)
    settings = type(settings)(**{**vars(settings), "master_keys": master})
    container = build(settings, clock=lambda: NOW)
    try:
        published = datetime(2020, 1, 1, tzinfo=UTC)  # as `load-recognition-rates --sample`
        container.ledger.handle(*load_command(sample_recognition_rates(), published))
        bulk = BulkImport(container.ledger, keys=BatchedKeyVault(container.keystore),
                          store=batch_store(container.ledger.recorder))
        with path.open(encoding="utf-8") as lines:
            statuses = [r.status for r in bulk.run(read_items(lines, PRINCIPAL))]
        return ", ".join(f"{statuses.count(s)} {s}" for s in ("recorded", "replayed", "refused"))
    finally:
        container.close()


def digests(folder: Path) -> list[str]:
    """One SHA-256 per stored row: the events in log order, then the key store's keys."""
    out = []
    for path, query in ((folder / "ledger.sqlite", "SELECT originator_id, originator_version, "
                         "topic, state FROM stored_events ORDER BY rowid"),
                        (folder / "ledger-keys.sqlite", "SELECT * FROM data_keys ORDER BY 1")):
        conn = sqlite3.connect(path)
        try:
            for row in conn.execute(query):
                out.append(hashlib.sha256(repr(row).encode()).hexdigest())
        finally:
            conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--rows", type=Path, help="write each row's SHA-256, a line each")
    args = parser.parse_args()
    _fix_randomness()
    with tempfile.TemporaryDirectory(prefix="pact-import-dump-") as tmp:
        said = record(f"sqlite:///{tmp}/ledger.sqlite", args.file.resolve())
        rows = digests(Path(tmp))
    print(f"{said}; {len(rows)} rows, SHA-256 of all "
          f"{hashlib.sha256(''.join(rows).encode()).hexdigest()}")
    if args.rows is not None:
        args.rows.write_text("".join(f"{r}\n" for r in rows))


if __name__ == "__main__":
    main()

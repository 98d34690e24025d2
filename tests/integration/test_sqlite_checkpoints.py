"""WAL checkpoints of the SQLite read models run in a thread of their own, not inside the commit
of a request that happens to cross SQLite's threshold (issue 15: that commit was the tail of a
page that writes the access log); and the access log's row hash is the canonical encoding's."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

from ledger.proofs import canonical_bytes
from projections.db import SQLiteDatabase
from projections.personal_data_log_chain import HASHED, row_hash


def test_request_connections_leave_checkpoints_to_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "reads.sqlite"
    db = SQLiteDatabase(path, checkpoint_every=0.05)
    try:
        assert db.fetchone("PRAGMA wal_autocheckpoint")["wal_autocheckpoint"] == 0
        with db.transaction() as tx:
            tx.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
        for start in range(0, 3000, 500):  # ~3 MB: SQLite's own threshold is 1,000 pages
            with db.transaction() as tx:
                tx.executemany("INSERT INTO t (body) VALUES (?)",
                               [(bytes(1000),) for _ in range(start, start + 500)])
        # the database file itself receives the pages, without any further commit
        deadline = time.monotonic() + 30
        while path.stat().st_size < 3_000_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size >= 3_000_000
        checkpointer = db._checkpointer
        assert checkpointer is not None
    finally:
        db.close()
    assert not checkpointer._thread.is_alive()  # close stops it
    with sqlite3.connect(path) as conn:  # every committed row is there
        assert conn.execute("SELECT COUNT(*) FROM t").fetchone() == (3000,)


def test_a_stopped_checkpointer_stays_stopped_and_sqlite_checkpoints_itself(tmp_path: Path
                                                                          ) -> None:
    db = SQLiteDatabase(tmp_path / "reads.sqlite")
    try:
        assert db.fetchone("PRAGMA wal_autocheckpoint") == {"wal_autocheckpoint": 0}
        checkpointer = db._checkpointer
        assert checkpointer is not None
        db.stop_checkpointer()
        assert not checkpointer._thread.is_alive() and db._checkpointer is None
        assert db.fetchone("PRAGMA wal_autocheckpoint") == {"wal_autocheckpoint": 1000}
        other: dict[str, int] = {}

        def connect() -> None:  # a connection opened later starts none again
            other.update(db.fetchone("PRAGMA wal_autocheckpoint") or {})

        thread = threading.Thread(target=connect)
        thread.start()
        thread.join(timeout=30)
        assert other == {"wal_autocheckpoint": 1000} and db._checkpointer is None
    finally:
        db.close()


def test_without_a_checkpointer_sqlite_checkpoints_itself(tmp_path: Path) -> None:
    db = SQLiteDatabase(tmp_path / "reads.sqlite", checkpoint_every=None)
    try:
        assert db.fetchone("PRAGMA wal_autocheckpoint")["wal_autocheckpoint"] == 1000
        assert db._checkpointer is None
    finally:
        db.close()


def test_access_log_row_hash_is_sha256_of_the_canonical_encoding() -> None:
    texts = ["", "plain", 'quote " and \\ backslash', "new\nline\ttab\r\b\f", "\x00\x1f\x7f",
             "é € \u2028 😀 /", "2026-11-30T12:00:00.123456+00:00", '["familyName"]']
    for i, text in enumerate(texts):
        values: dict[str, object] = {name: texts[(i + j) % len(texts)]
                                     for j, name in enumerate(HASHED)}
        values["via"] = text
        for previous in (None, hashlib.sha256(text.encode()).hexdigest()):
            record = {**{n: values[n] for n in HASHED}, "previous_hash": previous}
            expected = hashlib.sha256(canonical_bytes(record)).hexdigest()
            assert row_hash(values, previous) == expected
    values = {name: "x" for name in HASHED}
    values["fields"] = 7  # not text (a row altered by hand): still the canonical encoding
    record = {**values, "previous_hash": None}
    assert row_hash(values, None) == hashlib.sha256(canonical_bytes(record)).hexdigest()

"""A rebuild's build file keeps its WAL at about one batch's size (issue 15: a 1M-event build's
WAL reached 10.8 GB when a checkpointer thread had to find the gap between two batches)."""

from __future__ import annotations

from pathlib import Path

from projections.blue_green import _BuildFile


def test_a_build_files_wal_starts_over_after_each_large_commit(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite.rebuild"
    db = _BuildFile(path)
    wal = path.with_name(path.name + "-wal")
    try:
        with db.transaction() as tx:
            tx.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
        sizes = []
        for batch in range(8):  # back to back, each ~8 MB: past SQLite's 1,000-page threshold
            with db.transaction() as tx:
                tx.executemany("INSERT INTO t (body) VALUES (?)",
                               [(bytes([batch]) * 4000,) for _ in range(2000)])
            sizes.append(wal.stat().st_size)
        assert max(sizes) < 1.5 * sizes[0], sizes
        assert db._checkpointer is None  # (SQLite checkpoints in the committing thread)
        assert db.fetchone("SELECT COUNT(*) AS n FROM t") == {"n": 16000}
    finally:
        db.close()

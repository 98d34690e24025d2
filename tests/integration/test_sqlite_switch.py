"""SQLite's switch copies the rebuilt rows into staging tables in short transactions before it
takes the ledger file's write lock (`projections.sqlite_switch`): appends go through while the
copy runs, readers see the old tables or the new ones only, and a rebuild stopped at any chunk
leaves the live tables (or the switched ones) whole, with the next rebuild clearing what it
left behind. The schema after a switch reads as a fresh one's."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from projections import blue_green
from projections.runner import TRACKING_NAME
from projections.sqlite_switch import NEXT, OLD, StagedTables, Staging
from tests.support.cases import NOW
from tests.support.clock import ManualClock
from tests.support.flows import rejected_with_return, screened_applicant

Tables = dict[str, list[tuple[str, ...]]]


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    built = build(Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}"), clock=ManualClock(NOW))
    yield built
    built.close()


def _path(container: Container) -> Path:
    return container.db.path  # type: ignore[attr-defined, no-any-return]


def _tables(container: Container) -> list[str]:
    return [t for p in container.runner.projections for t in p.tables]


def _read_models(conn: sqlite3.Connection, tables: list[str]) -> Tables:
    return {t: sorted(tuple(str(v) for v in r) for r in conn.execute(f"SELECT * FROM {t}"))
            for t in tables}


def _schema(path: Path) -> list[tuple[str, str, str, str | None]]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                   "WHERE name NOT LIKE 'sqlite_stat%'").fetchall())


def _leftovers(path: Path) -> list[str]:
    return [name for _, name, _, _ in _schema(path) if name.endswith((NEXT, OLD))]


def _rebuild(container: Container, staging: Staging,
             report: blue_green.SwitchReport | None = None) -> int:
    runner = container.runner
    return blue_green.rebuild(runner.app, runner.db, runner.projections, TRACKING_NAME,
                              batch=7, report=report, staging=staging)


def _ledger(container: Container, cases: int, prefix: str) -> None:
    for i in range(cases):
        rejected_with_return(container.ledger, f"{prefix}-{i}")


class _Stop(Exception):
    pass


def test_appends_take_the_write_lock_between_chunks_and_readers_keep_the_old_tables(
        container: Container) -> None:
    """Between two chunks of the copy nobody holds the ledger file's write lock (a writer with
    no busy timeout gets it), an append there succeeds, and a reader sees the live tables as
    before the rebuild; a reader's transaction begun before the switch keeps the old rows
    after it, and the next one sees the new rows, the append included exactly once."""
    _ledger(container, 6, "SS-1")
    container.runner.catch_up()
    with container.db.transaction() as tx:  # (old rows a rebuild must replace)
        tx.execute("UPDATE case_list SET status = 'TAMPERED'")
    path, tables = _path(container), _tables(container)
    before = _read_models(sqlite3.connect(path), tables)
    reader = sqlite3.connect(path, isolation_level=None)
    chunks: list[str] = []

    def between(what: str) -> None:
        chunks.append(what)
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")  # (fails at once if the lock were held)
            probe.execute("ROLLBACK")
        finally:
            probe.close()
        if what == "case_events" and chunks.count(what) == 2:
            screened_applicant(container.ledger, "SS-1-during")
        if what in tables:
            assert _read_models(sqlite3.connect(path), tables) == before
            if reader.in_transaction is False:
                reader.execute("BEGIN")
                assert _read_models(reader, tables) == before

    report = blue_green.SwitchReport()
    _rebuild(container, Staging(chunk_rows=3, between_chunks=between), report)
    assert chunks.count("case_events") >= 3 and reader.in_transaction
    assert _read_models(reader, tables) == before  # (its snapshot: the old tables whole)
    reader.execute("COMMIT")
    container.runner.catch_up()
    after = _read_models(reader, tables)
    statuses = {row[6] for row in after["case_list"]}  # (status: 7th column)
    assert "TAMPERED" not in statuses and len(after["case_list"]) == 7
    events = container.runner.log_position()
    case_events = [(r[1], r[2]) for r in after["case_events"]]
    assert len(case_events) == len(set(case_events)) == events
    assert report.writes.transactions > 10 and report.lock_attempts >= 1
    assert _leftovers(path) == []
    reader.close()


def test_the_schema_after_a_switch_reads_as_a_fresh_one_and_the_file_checks_ok(
        container: Container, tmp_path: Path) -> None:
    _ledger(container, 3, "SS-2")
    fresh = _schema(_path(container))
    for _ in range(2):  # (twice: the staging names are free again after each)
        _rebuild(container, Staging(chunk_rows=2))
        assert _schema(_path(container)) == fresh
    with sqlite3.connect(_path(container)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # Another process opening the file (and this one's connections) use the switched tables.
    other = build(Settings(f"sqlite:///{_path(container)}"), clock=ManualClock(NOW))
    try:
        assert other.runner.position() == container.runner.log_position()
        screened_applicant(other.ledger, "SS-2-after")
        other.runner.catch_up()
        count = container.db.fetchone("SELECT COUNT(*) AS n FROM case_list")
        assert count == {"n": 4}
    finally:
        other.close()


def test_small_tables_are_copied_and_dropped_whole_in_one_transaction_each_way(
        container: Container) -> None:
    """Read models of fewer rows than a first chunk cost the live file's write lock twice in
    all (copied with the staging tables' creation, the old ones dropped together), not a
    transaction or two per table, each followed by a pause; the result is the same."""
    _ledger(container, 2, "SS-S")
    container.runner.catch_up()
    path, tables = _path(container), _tables(container)
    live = _read_models(sqlite3.connect(path), tables)
    assert 0 < max(len(rows) for rows in live.values()) < 100
    fresh = _schema(path)
    written: list[str] = []
    report = blue_green.SwitchReport()
    _rebuild(container, Staging(between_chunks=written.append), report)
    assert written == ["create staging", "drop small tables"]
    assert report.writes.transactions == 2
    assert _read_models(sqlite3.connect(path), tables) == live
    assert _leftovers(path) == [] and _schema(path) == fresh


def test_an_old_table_of_at_most_a_chunk_of_rows_is_dropped_whole(
        container: Container) -> None:
    """An old table of more rows than a first chunk but at most `chunk_rows` goes in one
    transaction of its own (a DROP frees its pages for less than deleting its rows costs);
    a larger one is emptied in chunks first, as before; the result is the same."""
    _ledger(container, 13, "SS-W")
    container.runner.catch_up()
    path, tables = _path(container), _tables(container)
    live = _read_models(sqlite3.connect(path), tables)
    timeline = len(live["case_events"])
    assert timeline > 100
    fresh = _schema(path)
    for chunk_rows, drops in ((timeline, 1), (timeline - 1, 3)):
        written: list[str] = []
        _rebuild(container, Staging(chunk_rows=chunk_rows, between_chunks=written.append))
        # whole: the DROP alone; in chunks: its indexes, then 100 rows, then the rest
        assert written.count("case_events" + OLD) == drops
        assert _read_models(sqlite3.connect(path), tables) == live
        assert _leftovers(path) == [] and _schema(path) == fresh


@pytest.mark.parametrize("stop_at", ["case_list", "case_events", "sync", "case_deadlines"])
def test_a_rebuild_stopped_before_the_switch_leaves_the_live_tables_and_the_next_clears_up(
        container: Container, stop_at: str) -> None:
    """Stopped between two chunks of the copy (or of the sync after the build caught up with
    events recorded meanwhile): the live tables and their position as they were; staging
    tables left behind, which the next rebuild empties and drops before it builds, ending as
    a rebuild that never stopped."""
    _ledger(container, 5, "SS-3")
    container.runner.catch_up()
    path, tables = _path(container), _tables(container)
    fresh = _schema(path)
    seen: list[str] = []

    def stop(what: str) -> None:
        seen.append(what)
        if what == "case_list" and seen.count(what) == 1:
            rejected_with_return(container.ledger, "SS-3-during")  # (so that a sync runs)
        if what == stop_at and seen.count(what) == 2 - (stop_at == "sync"):
            raise _Stop

    before = _read_models(sqlite3.connect(path), tables)
    position = container.runner.position()
    with pytest.raises(_Stop):
        _rebuild(container, Staging(chunk_rows=2, between_chunks=stop))
    assert _read_models(sqlite3.connect(path), tables) == before
    assert container.runner.position() == position
    assert _leftovers(path) != []
    _rebuild(container, Staging(chunk_rows=2))
    assert _leftovers(path) == [] and _schema(path) == fresh
    rebuilt = _read_models(sqlite3.connect(path), tables)
    assert container.runner.rebuild() == container.runner.log_position()
    assert _read_models(sqlite3.connect(path), tables) == rebuilt


def test_a_rebuild_stopped_after_the_switch_leaves_the_new_tables_and_the_next_clears_up(
        container: Container) -> None:
    """Stopped while emptying the old tables: the switch has committed, the live tables are
    the new ones whole; the old tables left behind go at the next rebuild."""
    _ledger(container, 4, "SS-4")
    container.runner.catch_up()  # (old tables with rows to empty: an empty one goes at once)
    path, tables = _path(container), _tables(container)
    fresh = _schema(path)

    def stop(what: str) -> None:
        if what == "case_list" + OLD:
            raise _Stop

    with pytest.raises(_Stop):
        _rebuild(container, Staging(chunk_rows=2, between_chunks=stop))
    assert container.runner.position() == container.runner.log_position()
    switched = _read_models(sqlite3.connect(path), tables)
    assert len(switched["case_list"]) == 4
    assert "case_list" + OLD in _leftovers(path)
    _rebuild(container, Staging(chunk_rows=2))
    assert _leftovers(path) == [] and _schema(path) == fresh
    assert _read_models(sqlite3.connect(path), tables) == switched


def test_events_the_live_runner_applied_just_before_the_lock_are_replayed_under_it(
        container: Container) -> None:
    """The live runner got ahead of the build between its last catch-up and the switch's lock:
    the switch replays those events into the build under the lock (writing the build file
    while it holds the live one) and the staging tables follow them before the renames."""
    _ledger(container, 3, "SS-5")
    container.runner.catch_up()
    seen: list[str] = []

    def meanwhile(what: str) -> None:
        seen.append(what)
        if what == "case_list" and seen.count(what) == 1:
            rejected_with_return(container.ledger, "SS-5-copy")  # (so that a sync runs)
        if what == "sync" and seen.count(what) == 1:
            screened_applicant(container.ledger, "SS-5-lock")
            follower = threading.Thread(target=container.runner.catch_up)
            follower.start()  # (the live runner's thread, as the server's)
            follower.join(timeout=120)

    report = blue_green.SwitchReport()
    _rebuild(container, Staging(chunk_rows=2, between_chunks=meanwhile), report)
    events = container.runner.log_position()
    assert report.locked_events >= 5 and container.runner.position() == events
    switched = _read_models(sqlite3.connect(_path(container)), _tables(container))
    assert len(switched["case_list"]) == 5
    assert len(switched["case_events"]) == events
    assert container.runner.rebuild() == events
    assert _read_models(sqlite3.connect(_path(container)), _tables(container)) == switched


def test_old_tables_lose_their_indexes_before_their_rows_and_nothing_is_zeroed(
        container: Container) -> None:
    """Emptying an old table begins with dropping its own indexes (so that the rows' chunks
    maintain none), all in one transaction, on a connection that frees pages
    without overwriting them (read models hold no personal data in clear; Debian's SQLite
    zeroes freed pages by default, which made a drop hold the lock for seconds)."""
    _ledger(container, 3, "SS-I")
    container.runner.catch_up()
    path = _path(container)
    indexes_left: list[tuple[int, int]] = []  # (indexes, rows) of case_list__old per chunk

    def probe(what: str) -> None:
        if what == "case_list" + OLD:
            with sqlite3.connect(path) as conn:
                indexes = conn.execute(
                    "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? "
                    "AND sql IS NOT NULL", (what,)).fetchone()[0]
                exists = conn.execute("SELECT COUNT(*) FROM sqlite_schema WHERE name = ?",
                                      (what,)).fetchone()[0]
                rows = conn.execute(f"SELECT COUNT(*) FROM {what}").fetchone()[0] \
                    if exists else -1
            indexes_left.append((indexes, rows))

    _rebuild(container, Staging(chunk_rows=1, between_chunks=probe))
    # case_list's five indexes (`projections.case_projection`) in one transaction, then a row
    # at a time, and the table dropped with the chunk that finds it empty
    assert indexes_left == [(0, 3), (0, 2), (0, 1), (0, 0), (0, -1)]
    assert _leftovers(path) == []
    staged = StagedTables(path, path.with_name("other.sqlite"), [], 5.0)
    try:
        staged.attach()
        assert [staged.conn.execute(f"PRAGMA {schema}.secure_delete").fetchone()[0]
                for schema in ("main", "build")] == [0, 0]
    finally:
        staged.close()


def test_a_chunk_is_sized_by_the_time_the_last_one_held_the_lock(tmp_path: Path) -> None:
    """About half of CHUNK_SECONDS at the last chunk's pace, growing at most GROWTH times at a
    step (rows may be larger than those timed) and never past `chunk_rows`."""
    staged = StagedTables(tmp_path / "live.sqlite", tmp_path / "build.sqlite", [], 5.0,
                          chunk_rows=20_000)
    try:
        assert staged._next_rows(100, 0.001) == 1_600  # fast: 16 times, not 100 times
        assert staged._next_rows(1_600, 0.02) == 8_000  # 0.1 s at that pace
        assert staged._next_rows(8_000, 0.4) == 2_000  # too slow: shrinks to 0.1 s
        assert staged._next_rows(10_000, 0.0) == 20_000  # capped by chunk_rows
        assert staged._next_rows(1, 5.0) == 1  # at least one row
    finally:
        staged.close()


def test_staging_follows_rows_whose_unique_key_moved_to_another_rowid(tmp_path: Path) -> None:
    """The build deletes a row and inserts its key again under a new rowid, and moves another
    key between rows: the sync, one change per transaction, ends with the staging table equal
    to the build's (REPLACE removes a stale row a later change rewrites anyway)."""
    live, build_path = tmp_path / "live.sqlite", tmp_path / "build.sqlite"
    ddl = ["CREATE TABLE t (k TEXT NOT NULL UNIQUE, v INTEGER NOT NULL)",
           "CREATE INDEX t_v ON t (v)"]
    for path in (live, build_path):
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in ddl:
                conn.execute(statement)
    writer = sqlite3.connect(build_path, isolation_level=None)
    writer.executemany("INSERT INTO t (k, v) VALUES (?, ?)", [(f"k{i}", i) for i in range(6)])
    staged = StagedTables(live, build_path, ["t"], 5.0, chunk_rows=1)
    try:
        staged.attach()
        staged.stage()
        writer.execute("DELETE FROM t WHERE k = 'k1'")
        writer.execute("INSERT INTO t (k, v) VALUES ('k1', 100)")  # (same key, new rowid)
        writer.execute("UPDATE t SET v = 33 WHERE k = 'k3'")  # (k3's row changed first,)
        writer.execute("UPDATE t SET k = 'k9' WHERE k = 'k2'")
        writer.execute("UPDATE t SET k = 'k2' WHERE k = 'k3'")  # (then takes k2)
        writer.execute("DELETE FROM t WHERE k = 'k4'")
        staged.sync()
        rows = "SELECT rowid, k, v FROM {} ORDER BY rowid"
        assert (staged.conn.execute(rows.format("main.t" + NEXT)).fetchall()
                == staged.conn.execute(rows.format("build.t")).fetchall())
        cursor = staged.conn.cursor()
        cursor.execute("BEGIN")
        staged.swap(cursor)
        cursor.execute("COMMIT")
    finally:
        staged.close()
        writer.close()
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert sorted(conn.execute("SELECT type, name, sql FROM sqlite_schema "
                                   "WHERE tbl_name = 't'").fetchall()) == sorted(
            [("table", "t", ddl[0]), ("index", "t_v", ddl[1]),
             ("index", "sqlite_autoindex_t_1", None)])
        assert conn.execute("SELECT k, v FROM t ORDER BY k").fetchall() == [
            ("k0", 0), ("k1", 100), ("k2", 33), ("k5", 5), ("k9", 2)]


def test_the_staging_checkpoints_keep_the_wal_to_about_a_chunk(tmp_path: Path) -> None:
    """The staging connection runs no checkpoint of its own (it would wait for two disk
    flushes after nearly every chunk); its `Checkpointer` runs each beside the next chunk. So the
    live file's WAL starts over again and again: it stays far smaller than all that was copied
    (without the checkpoints it holds every chunk: 5.8 MB here)."""
    live, build_path = tmp_path / "live.sqlite", tmp_path / "build.sqlite"
    for path in (live, build_path):
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE t (k TEXT NOT NULL UNIQUE, body BLOB NOT NULL)")
        conn.close()
    size, rows = 64 * 1024, 80
    with sqlite3.connect(build_path) as conn:
        conn.executemany("INSERT INTO t VALUES (?, randomblob(?))",
                         [(f"k{n}", size) for n in range(rows)])
    conn.close()
    app = sqlite3.connect(live)  # (the server's: the WAL outlives the staging connection)
    app.execute("SELECT COUNT(*) FROM t").fetchall()
    # (the pause a busy machine's staging loop may leave: the checkpoint is not timed here)
    staged = StagedTables(live, build_path, ["t"], 5.0, chunk_rows=2,
                          between_chunks=lambda what: time.sleep(0.05))
    try:
        assert staged.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        staged.attach()
        staged.stage()
        assert staged.conn.execute(f"SELECT COUNT(*) FROM main.t{NEXT}").fetchone()[0] == rows
    finally:
        staged.close()
        wal = live.with_name(live.name + "-wal").stat().st_size
        app.close()
    assert wal < rows * size / 2, wal


def test_a_build_fills_its_tables_before_it_makes_the_indexes_of_random_keys(
        container: Container, tmp_path: Path) -> None:
    """The indexes whose keys arrive in random order (`blue_green.LATE_INDEXES`) are absent
    from the build file while its rows go in, and made afterwards exactly as the live file has
    them (so the staging copy and the switch find the same schema)."""
    _ledger(container, 3, "SS-L")
    container.runner.catch_up()
    runner = container.runner
    late = blue_green.LATE_INDEXES
    db = blue_green._BuildFile(tmp_path / "build.sqlite")  # noqa: SLF001
    try:
        def indexes() -> dict[str, str]:
            return {r["name"]: r["sql"] for r in db.fetchall(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")}

        build = blue_green._Build(runner.app, db, runner.projections, TRACKING_NAME, 7, late)  # noqa: SLF001
        assert set(indexes()) & late == set()
        build.catch_up()
        assert set(indexes()) & late == set()
        assert db.fetchone("SELECT COUNT(*) AS n FROM case_events") == {
            "n": container.db.fetchone("SELECT COUNT(*) AS n FROM case_events")["n"]}
        build.create_late_indexes()
        made = indexes()
        with sqlite3.connect(_path(container)) as conn:
            live = dict(conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                                     "AND sql IS NOT NULL").fetchall())
        assert late <= set(made) and {name: made[name] for name in late} == {
            name: live[name] for name in late}
    finally:
        db.close()

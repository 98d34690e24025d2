"""The event store's insert (on PostgreSQL one round trip, one implicit transaction:
`pact_ledger/pg_recorder.py`; on
SQLite the statements without the library's wrappers: `pact_ledger/sqlite_recorder.py`):
positions come back in the order of the events, a duplicate version is refused with nothing
written, and the store keeps working after a refusal."""

from __future__ import annotations

import gc
import threading
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build


def _events(stream: object, versions: range) -> list[StoredEvent]:
    return [StoredEvent(originator_id=stream, originator_version=v, topic="test:Inserted",
                        state=b'{"v": %d}' % v) for v in versions]


def test_positions_in_order_and_a_duplicate_writes_nothing(container: Container) -> None:
    recorder = container.ledger.recorder
    assert type(recorder).__name__ in ("ImplicitTripRecorder", "LeanSQLiteRecorder")
    stream = uuid4()
    first = recorder.insert_events(_events(stream, range(1, 4)))
    assert first is not None and list(first) == sorted(first) and len(first) == 3
    end = recorder.max_notification_id()
    duplicate = _events(stream, range(4, 6))
    duplicate[1] = replace(duplicate[1], originator_version=3)  # clashes with a stored one
    with pytest.raises(IntegrityError):
        recorder.insert_events(duplicate)
    assert recorder.max_notification_id() == end  # not even version 4
    assert [e.originator_version for e in recorder.select_events(stream)] == [1, 2, 3]
    after = recorder.insert_events(_events(stream, range(4, 5)))  # the store still works
    assert after is not None and after[0] > end
    stored = recorder.select_notifications(after[0], 1)
    assert stored[0].originator_id == stream and stored[0].state == b'{"v": 4}'


def test_postgres_inserts_bound_their_lock_wait_for_the_session(postgres: object) -> None:
    """The lock timeout goes with a connection's first insert and stays for its session (the
    insert is one implicit transaction without `SET LOCAL`): every later insert on that
    connection still waits at most that long for the table lock."""
    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    name = f"t_{uuid4().hex[:12]}"
    url = postgres.create_database(name)  # type: ignore[attr-defined]
    container = build(Settings(url))
    try:
        recorder = container.ledger.recorder
        stream = uuid4()
        for version in (1, 2, 3):  # the first sends the SET, the others not
            recorder.insert_events(_events(stream, range(version, version + 1)))
        pool = recorder.datastore.pool  # type: ignore[attr-defined]
        seen = set()
        for _ in range(pool.max_size):
            with recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
                if getattr(conn, "_pact_lock_timeout", False):
                    seen.add(conn.execute("SHOW lock_timeout").fetchone()["lock_timeout"])
        assert seen == {f"{recorder.datastore.lock_timeout}s"}  # type: ignore[attr-defined]
        assert [e.originator_version for e in recorder.select_events(stream)] == [1, 2, 3]
    finally:
        container.close()
        postgres.drop_database(name)  # type: ignore[attr-defined]


_AWKWARD_TOPICS = ("test:It's", "test:back\\slash", "test:Ünïcode ✓", "test:''--")


def _awkward(stream: object) -> list[StoredEvent]:
    """Every byte value in the states, quotes, backslashes and non-ASCII in the topics."""
    return [StoredEvent(originator_id=stream, originator_version=v, topic=topic,
                        state=bytes(range(256)) + b"'\\" + topic.encode())
            for v, topic in enumerate(_AWKWARD_TOPICS, start=1)]


def test_awkward_values_are_stored_byte_exact(container: Container) -> None:
    """The PostgreSQL insert renders its values itself (not through the driver's quoting):
    what comes back is exactly what was given."""
    recorder = container.ledger.recorder
    stream = uuid4()
    events = _awkward(stream)
    recorder.insert_events(events)
    stored = recorder.select_events(stream)
    assert [(e.originator_id, e.originator_version, e.topic, bytes(e.state)) for e in stored] \
        == [(e.originator_id, e.originator_version, e.topic, e.state) for e in events]


def test_postgres_insert_without_standard_conforming_strings(postgres: object) -> None:
    """On a server whose sessions escape backslashes in plain literals, the insert falls back
    to the driver's quoting and still stores the same bytes, refusing a duplicate as before."""
    import psycopg

    from pact_ledger.settings import Settings
    from pact_ledger.wiring import build

    name = f"t_{uuid4().hex[:12]}"
    url = postgres.create_database(name)  # type: ignore[attr-defined]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET standard_conforming_strings = off')
    container = build(Settings(url))
    try:
        recorder = container.ledger.recorder
        with recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
            assert conn.execute("SHOW standard_conforming_strings").fetchone()[
                "standard_conforming_strings"] == "off"
        stream = uuid4()
        events = _awkward(stream)
        recorder.insert_events(events)
        with pytest.raises(IntegrityError):
            recorder.insert_events(events[:1])
        stored = recorder.select_events(stream)
        assert [(e.topic, bytes(e.state)) for e in stored] == [(e.topic, e.state) for e in events]
    finally:
        container.close()
        postgres.drop_database(name)  # type: ignore[attr-defined]



def test_sqlite_insert_connection_of_a_finished_thread_is_closed(tmp_path: Path) -> None:
    """Worker threads come and go in a server: each thread's insert connection must go with
    it, not pile up open until the store closes."""
    container = build(Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}"))
    try:
        recorder = container.ledger.recorder
        assert type(recorder).__name__ == "LeanSQLiteRecorder"
        made: list[weakref.ref[Any]] = []

        def insert() -> None:
            recorder.insert_events(_events(uuid4(), range(1, 2)))
            made.append(weakref.ref(recorder._local.writer))  # noqa: SLF001

        for _ in range(3):
            thread = threading.Thread(target=insert)
            thread.start()
            thread.join()
        gc.collect()
        assert len(made) == 3
        assert [ref() for ref in made] == [None, None, None]  # closed with their threads
        assert len(recorder._writers) == 0  # noqa: SLF001
        assert recorder.max_notification_id() == 3  # and the events stayed written
    finally:
        container.close()


def test_sqlite_stream_reads_give_the_library_rows(tmp_path: Path) -> None:
    """The recorder's own `select_events` (on the thread's connection) returns exactly what the
    library's gives, for every combination of its bounds, order and limit, and nothing of
    another stream; a stream never written reads as empty."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    container = build(Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}"))
    try:
        recorder = container.ledger.recorder
        assert type(recorder).__name__ == "LeanSQLiteRecorder"
        stream, other = uuid4(), uuid4()
        recorder.insert_events(_events(other, range(1, 4)))
        for version in range(1, 7):  # interleaved with the other stream's rows
            recorder.insert_events(_events(stream, range(version, version + 1)))
            recorder.insert_events(_events(other, range(version + 3, version + 4)))
        library = SQLiteApplicationRecorder.select_events
        asked = 0
        for gt in (None, 0, 2, 6):
            for lte in (None, 1, 4, 9):
                for desc in (False, True):
                    for limit in (None, 1, 3):
                        ours = recorder.select_events(stream, gt=gt, lte=lte, desc=desc,
                                                      limit=limit)
                        theirs = library(recorder, stream, gt=gt, lte=lte, desc=desc,
                                         limit=limit)
                        assert ours == theirs, (gt, lte, desc, limit)
                        assert all(e.originator_id == stream for e in ours)
                        asked += bool(ours)
        assert asked > 20  # (most combinations do find rows)
        assert [e.originator_version for e in recorder.select_events(stream, desc=True)] == [
            6, 5, 4, 3, 2, 1]
        assert recorder.select_events(uuid4()) == []
        assert recorder.select_events(str(stream)) == library(recorder, str(stream))
    finally:
        container.close()


def test_the_sqlite_writer_connection_is_made_as_the_pools(tmp_path: Path) -> None:
    """The recorder's own insert connection (`sqlite_recorder._writer_connection`, made to keep
    more than one statement compiled) has every setting of the library's pool connection: the
    same file, autocommit, rows, lock timeout and WAL journal. (How many statements sqlite3
    keeps compiled cannot be read back: `benchmarks/append_instructions.py` shows it.)"""
    container = build(Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}"))
    try:
        recorder: Any = container.ledger.recorder
        writer = recorder._writer()  # noqa: SLF001
        pools = recorder.datastore.pool._create_connection()._sqlite_conn  # noqa: SLF001
        try:
            for conn in (writer, pools):
                assert not conn.in_transaction
            assert writer.isolation_level == pools.isolation_level is None
            assert writer.row_factory is pools.row_factory
            for pragma in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys"):
                assert (writer.execute(f"PRAGMA {pragma}").fetchone()[0]
                        == pools.execute(f"PRAGMA {pragma}").fetchone()[0]), pragma
            assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert ([tuple(r)[1:] for r in writer.execute("PRAGMA database_list")]
                    == [tuple(r)[1:] for r in pools.execute("PRAGMA database_list")])
        finally:
            pools.close()
    finally:
        container.close()

"""Rebuild the read models without any reader seeing them empty or partial (blue-green).

The whole log is applied into a fresh set of tables beside the live ones, which keep serving and
keep following meanwhile: on PostgreSQL a schema of its own (`read_models_build`, reached through
the build connections' search_path, so the projections' SQL is unchanged); on SQLite a file of
its own beside the database. Then one transaction holds the live tracking row (no live batch
runs meanwhile), lets the build catch up to at least the live position, and replaces the live
tables: PostgreSQL drops them and moves the new ones in (DDL is transactional, so a reader sees
the old tables or the new, never a mix); SQLite renames staging tables in, which were filled
from the build file beforehand in short transactions (`projections.sqlite_switch`: the live
file's write lock, which appends need too, is never held for a copy of the read models; WAL: a
reader keeps the old snapshot until the renames commit). Marten's projection versions work the
same way.

Live readers and writers wait while the switch holds that row (and the tables), so the switch
replays under it at most `bound` events (one batch by default): before taking it, the build and
the projections kept live (`keep_live`) are brought to the log's end in ordinary batches, each
its own transaction, as often as events keep arriving faster; a switch that finds more than the
bound left once it holds the lock lets go and catches up again (`SwitchReport` counts both).

A rebuild killed at any point leaves the live tables as they were, or switched whole (SQLite:
killed after the renames, before the old tables are dropped); the next one starts afresh, and
on SQLite first drops the staging or old tables left behind.
The build writes each case's own rows (case row, deadline tracker) once, when it ends or when the
case leaves the projection's memory, not at every batch (`DeferredWrites`): the switch follows
only a build whose rows are all written.
Only one rebuild runs at a time (PostgreSQL: an advisory lock; SQLite: a file lock).
From `parallel_build.PARALLEL_FROM` events the build's first pass, from zero to the log's end
as it was at the start, is split with a worker process that builds the deadline tables
meanwhile (`projections.parallel_build`); then every projection goes on together.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from eventsourcing.application import Application

from ledger.event_bytes import decoded_batch
from projections import batch_state, collection, parallel_build
from projections.db import PostgresDatabase, ReadDatabase, SQLiteDatabase, Tx
from projections.read_model_version import READ_MODEL_VERSION, set_version
from projections.sqlite_switch import StagedTables, Staging, WriteLocks, give_way
from projections.tables import create_tables

log = logging.getLogger(__name__)

BUILD_SCHEMA = "read_models_build"
#: pg_advisory_lock key of "a rebuild is running" (any 64-bit number unique to this use).
REBUILD_LOCK_KEY = 0x5041_4354_0002
BATCH = 5000
#: Events per transaction when the kept-live projections catch up on the live tables before the
#: switch: each holds the live write lock (on SQLite, the one appends need), so as few as the
#: live runner's batch (a batch of 5,000 held it 3-6 s at 10k events under load).
KEPT_BATCH = 500
SWITCH_ATTEMPTS = 40
#: The indexes a SQLite build creates once its rows are in, not while it fills its tables:
#: their keys come in random order (a case's id, a due date), so every commit of the build
#: rewrote most of their pages (at 1M events the timeline's (case, version) index is 61 MB,
#: and a batch of 5,000 events touched ~4,400 of its pages). No projection reads through them
#: during a build (an upsert's key is its table's primary key, kept; those read by a
#: projection, e.g. `solidarity_events_stream`, are not here). Created after the build's rows
#: are in, in one transaction of the build file's own (no lock that appends need), by
#: SQLite's sort: `_Build.create_late_indexes`. A worker's part file never creates them.
LATE_INDEXES = frozenset({
    "case_events_case", "case_list_ms", "case_list_status", "case_list_nat", "case_list_proc",
    "case_list_appeal", "case_deadlines_due", "case_deadlines_ms", "case_deadlines_case"})
#: Catch-ups without the lock before the switch takes it whatever is left (events arriving
#: faster than a build applies them would otherwise keep it from ever switching).
UNLOCKED_ROUNDS = 20

Progress = Callable[[int, int], None]


class RebuildRunning(RuntimeError):
    """Another process is rebuilding the read models right now."""


@dataclass
class SwitchReport:
    """What the switch did while holding the live tracking row: how long live readers and
    writers may have waited, and how many events it replayed meanwhile (build and kept-live
    projections together; at most the bound unless events kept arriving for every round)."""

    locked_seconds: float = 0.0
    locked_events: int = 0
    unlocked_rounds: int = 0
    lock_attempts: int = 0
    #: The longest single attempt at the switch's transaction.
    longest_locked_seconds: float = 0.0
    #: SQLite: the staging transactions on the live file before and after the switch (copy,
    #: sync, emptying the old tables), each holding its write lock.
    writes: WriteLocks = field(default_factory=WriteLocks)


class _StillBehind(Exception):
    """Once it held the lock, the switch found more than its bound left to replay."""


class BuiltProjection(Protocol):
    tables: tuple[str, ...]
    ddl: list[str]

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None: ...


@runtime_checkable
class DeferredWrites(Protocol):
    """A projection that can leave its per-case rows unwritten while a build runs on this
    thread, and write each once at the end (`projections.batch_state`): a case's events span
    several batches of a large log, and its row would be written again at each."""

    def defer_writes(self) -> None: ...

    def has_deferred(self) -> bool: ...

    def write_deferred(self, tx: Tx, cases: int | None = None) -> None: ...

    def stop_deferring(self) -> None: ...


class _Build:
    """The new tables while they fill: the same projections over another database."""

    def __init__(self, app: Application, db: ReadDatabase,
                 projections: Sequence[BuiltProjection], tracking: str,
                 batch: int = BATCH, late_indexes: Collection[str] = ()) -> None:
        """`late_indexes`: indexes (by name) left out of the tables until
        `create_late_indexes` (`LATE_INDEXES`)."""
        self.batch = batch
        ddl = [s for p in projections for s in p.ddl]
        #: the CREATE INDEX statements held back (`late_indexes`)
        self.late_ddl = [s for s in ddl if _index_name(s) in late_indexes]
        create_tables(db, [s for s in ddl if s not in self.late_ddl], tracking)
        # A projection with no tables to rebuild (the hash table, a witness kept once) would
        # only fill a copy that the switch throws away: it stays live (`keep_live`).
        self.kept = [p for p in projections if not p.tables]
        projections = [p for p in projections if p.tables]
        self.app, self.db, self.projections, self.tracking = app, db, projections, tracking
        self.applied = 0
        self.kept_applied = 0
        #: How far this build has brought the kept-live projections in the live tables (None:
        #: not yet; they are then as far as the live tracking row).
        self.kept_position: int | None = None

    def create_late_indexes(self) -> None:
        """The indexes held back, built from the rows now in (one transaction)."""
        if self.late_ddl:
            with self.db.transaction() as tx:
                for statement in self.late_ddl:
                    tx.execute(statement)
            self.late_ddl = []

    def position(self) -> int:
        row = self.db.fetchone("SELECT position FROM projection_tracking WHERE name = ?",
                               (self.tracking,))
        return int(row["position"]) if row else 0

    def catch_up(self, until: int | None = None, progress: Progress | None = None,
                 live_db: ReadDatabase | None = None, skip: Sequence[Any] = ()) -> int:
        """Apply batches until the log is exhausted, or up to `until` (no event after it); the
        per-case rows that projections defer (`DeferredWrites`) are all written before this
        returns. With `live_db` (never under the switch's lock), the projections kept live
        take each batch as decoded for the build (`feed_kept`) rather than read and decode it
        again. `skip`: projections left out (a worker builds their tables meanwhile,
        `projections.parallel_build`)."""
        position = self.position()
        target = self.app.recorder.max_notification_id() or 0
        applying = [p for p in self.projections if not any(p is s for s in skip)]
        deferring = [p for p in applying if isinstance(p, DeferredWrites)]
        for deferred in deferring:
            deferred.defer_writes()
        try:
            while until is None or position < until:
                notifications = self.app.recorder.select_notifications(
                    position + 1, self.batch, stop=until)
                if not notifications:
                    break
                before = position
                with decoded_batch(self.app.mapper, notifications) as batch:
                    with self.db.transaction() as tx:
                        for projection in applying:
                            projection.process(tx, batch)
                        position = notifications[-1].id
                        tx.execute("UPDATE projection_tracking SET position = ? WHERE name = ?",
                                   (position, self.tracking))
                    self.applied += len(batch)
                    if live_db is not None:
                        self.feed_kept(live_db, before, batch)
                collection.after_batch()
                if progress is not None:
                    progress(position, max(target, position))
            # A transaction per `WRITE_CHUNK` cases of each projection (`batch_state`, read
            # here when the build ends, as the projections read it): one for them all made
            # the build file's WAL as large as every row written (1.4 GB at 1M events). Safe to
            # commit part-way: the tracking position does not move, and the switch follows only
            # a build whose rows are all written (a build stopped here is thrown away).
            while any(p.has_deferred() for p in deferring):  # (no empty transaction: the
                with self.db.transaction() as tx:  # SQLite switch holds the build file)
                    for deferred in deferring:
                        deferred.write_deferred(tx, batch_state.WRITE_CHUNK)
        finally:
            for deferred in deferring:
                deferred.stop_deferring()  # (rows left unwritten: their state is dropped)
        return position

    def feed_kept(self, live_db: ReadDatabase, before: int,
                  batch: Sequence[tuple[int, Any]]) -> None:
        """The projections kept live take the build's batch (after `before`) in transactions of
        their own on the live tables, `KEPT_BATCH` events each (on SQLite each holds the write
        lock appends need, and gives way after it), under `advance_kept`'s contract (the live
        tracking row held, only events after it); events between where they stand and
        `before` are read first (`keep_live`). Once they are past the batch (a rebuild: the
        live tables are at the log's end), nothing is opened."""
        if not self.kept:
            return
        lock = " FOR UPDATE" if live_db.dialect == "postgres" else ""
        for offset in range(0, len(batch), KEPT_BATCH):
            part = batch[offset:offset + KEPT_BATCH]
            end = part[-1][0]
            if self.kept_position is not None and self.kept_position >= end:
                before = end
                continue
            started = time.monotonic()
            with live_db.transaction() as tx:
                start = self.kept_from(_lock_tracking(tx, self.tracking, lock))
                if start < before:
                    start = self.keep_live(tx, start, before)
                fresh = [item for item in part if item[0] > start]
                if fresh:
                    for projection in self.kept:
                        projection.process(tx, fresh)
                    self.kept_applied += len(fresh)
            self.kept_position = max(start, end)  # (once committed)
            before = end
            if live_db.dialect == "sqlite":  # (PostgreSQL queues the waiting writers)
                give_way(time.monotonic() - started)

    def kept_from(self, live: int) -> int:
        """The position the kept-live projections have reached, given the live tracking one."""
        return live if self.kept_position is None else max(live, self.kept_position)

    def left(self, live: int, position: int) -> int:
        """Events the switch would replay under its lock with the live tracking row at `live`
        and this build at `position`: the build up to live, the kept projections up to it."""
        kept = position - self.kept_from(live) if self.kept else 0
        return max(0, live - position) + max(0, kept)

    def advance_kept(self, live_db: ReadDatabase, tracking: str) -> None:
        """Without the switch lock, bring the projections kept live up to this build's position,
        `KEPT_BATCH` events per transaction on the live tables. Each transaction holds the live
        tracking row (as a live batch does) and applies only events after it: the live runner
        applies the others, and a kept projection leaves a position it already holds as it was
        (the hash table's contract), so the runner passing these again later changes nothing."""
        if not self.kept:
            return
        target = self.position()
        lock = " FOR UPDATE" if live_db.dialect == "postgres" else ""
        while True:
            started = time.monotonic()
            with live_db.transaction() as tx:
                start = self.kept_from(_lock_tracking(tx, tracking, lock))
                if start >= target:
                    self.kept_position = start
                    return
                self.kept_position = self.keep_live(
                    tx, start, min(target, start + min(self.batch, KEPT_BATCH)))
            if live_db.dialect == "sqlite":  # (PostgreSQL queues the waiting writers)
                give_way(time.monotonic() - started)

    def keep_live(self, tx: Tx, live: int, position: int) -> int:
        """Bring the projections kept live from `live` to `position` in `tx`; return the
        position reached (the switch moves the tracking row past them: a live table left
        behind would stay short for good, e.g. the hash table when the read models were behind
        the log). Events applied are counted in `kept_applied`."""
        while live < position:
            notifications = self.app.recorder.select_notifications(
                live + 1, min(BATCH, position - live))
            if not notifications:
                break
            with decoded_batch(self.app.mapper,
                               [n for n in notifications if n.id <= position]) as batch:
                for projection in self.kept:
                    projection.process(tx, batch)
            self.kept_applied += len(batch)
            live = notifications[-1].id
        return live


def rebuild(app: Application, db: ReadDatabase, projections: Sequence[BuiltProjection],
            tracking: str, progress: Progress | None = None, batch: int = BATCH,
            bound: int | None = None, report: SwitchReport | None = None,
            staging: Staging | None = None, helpers: int | None = None) -> int:
    """Rebuild every read model blue-green; return the number of events applied. The switch
    replays at most `bound` events (default: one batch) while it holds the live tracking row;
    `report` receives how long it held it and what it replayed meanwhile. `staging`: SQLite's
    chunks before the switch (`projections.sqlite_switch`). `helpers`: at most this many
    worker processes beside this one (`parallel_build.plan`; None: its default)."""
    tables = [t for p in projections for t in p.tables]
    switch = _Switch(db, tracking, batch if bound is None else bound,
                     SwitchReport() if report is None else report)
    with collection.paused():  # (no full collections walking the cases kept: `collection`)
        if isinstance(db, PostgresDatabase):
            applied = _rebuild_postgres(app, db, projections, tables, switch, progress, batch,
                                        helpers)
        elif isinstance(db, SQLiteDatabase):
            applied = _rebuild_sqlite(app, db, projections, tables, switch, progress, batch,
                                      staging or Staging(), helpers)
        else:
            raise TypeError(f"no blue-green rebuild for {type(db).__name__}")
    done = switch.report
    log.info("read-model switch held the live tracking row %.3f s, replaying %d events under "
             "it (%d catch-ups without it, %d lock attempts; %d events rebuilt)",
             done.locked_seconds, done.locked_events, done.unlocked_rounds, done.lock_attempts,
             applied)
    return applied


class _Switch:
    """The approach to the switch (without the lock) and its locked part, on either backend."""

    def __init__(self, live_db: ReadDatabase, tracking: str, bound: int,
                 report: SwitchReport) -> None:
        self.live_db, self.tracking, self.bound, self.report = live_db, tracking, bound, report
        self.behind = 0  # lock attempts given up because too much was left

    def approach(self, build: _Build) -> None:
        """Without the lock: bring the build and the kept-live projections to the log's end,
        again while more than the bound arrived meanwhile (a bounded number of rounds)."""
        for _ in range(UNLOCKED_ROUNDS):
            build.catch_up(live_db=self.live_db)
            build.advance_kept(self.live_db, self.tracking)
            self.report.unlocked_rounds += 1
            end = build.app.recorder.max_notification_id() or 0
            position = build.position()
            kept = end - build.kept_from(0) if build.kept else 0
            if max(0, end - position) + max(0, kept) <= self.bound:
                return

    def replay(self, tx: Any, build: _Build, live: int, last_try: bool) -> int:
        """Under the lock (the live tracking row at `live`): the build to at least `live`, the
        kept-live projections to the build's position; return that position. More than the
        bound left (unless `last_try`): `_StillBehind`, to let go and approach again."""
        self.report.lock_attempts += 1
        if build.left(live, build.position()) > self.bound and not last_try:
            self.behind += 1
            raise _StillBehind
        applied, kept = build.applied, build.kept_applied
        position = build.catch_up(until=live)
        build.keep_live(tx, build.kept_from(live), position)
        self.report.locked_events += build.applied - applied + build.kept_applied - kept
        return position

    def last_try(self, attempt: int) -> bool:
        return attempt == SWITCH_ATTEMPTS - 1 or self.behind >= UNLOCKED_ROUNDS

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Time the lock is held: from asking for it (a wait is bounded: PostgreSQL's
        lock_timeout, SQLite's busy timeout) to commit or rollback."""
        started = time.monotonic()
        try:
            yield
        finally:
            held = time.monotonic() - started
            self.report.locked_seconds += held
            self.report.longest_locked_seconds = max(self.report.longest_locked_seconds, held)


# --- PostgreSQL --------------------------------------------------------------------------------
def _rebuild_postgres(app: Application, db: PostgresDatabase,
                      projections: Sequence[BuiltProjection], tables: list[str],
                      switch: _Switch, progress: Progress | None, batch: int,
                      helpers: int | None) -> int:
    import psycopg

    with psycopg.connect(db.url, autocommit=True, **db.timeouts.connect_kwargs()) as lock:
        got = lock.execute("SELECT pg_try_advisory_lock(%s)", (REBUILD_LOCK_KEY,)).fetchone()
        if not got or not got[0]:
            raise RebuildRunning("another process is rebuilding the read models")
        try:
            return _build_and_switch_postgres(app, db, lock, projections, tables, switch,
                                              progress, batch, helpers)
        finally:
            # Released here, not by closing the connection: the server ends the session only
            # after the client has gone, so a rebuild started right after this one could
            # still find the lock held (RebuildRunning).
            with contextlib.suppress(psycopg.Error):
                lock.execute("SELECT pg_advisory_unlock(%s)", (REBUILD_LOCK_KEY,))


def _build_and_switch_postgres(app: Application, db: PostgresDatabase, lock: Any,
                               projections: Sequence[BuiltProjection], tables: list[str],
                               switch: _Switch, progress: Progress | None, batch: int,
                               helpers: int | None) -> int:
    live_schema = lock.execute("SELECT current_schema()").fetchone()[0]
    lock.execute(f"DROP SCHEMA IF EXISTS {BUILD_SCHEMA} CASCADE")
    lock.execute(f"CREATE SCHEMA {BUILD_SCHEMA}")
    build_db = PostgresDatabase(db.url, max_size=2, search_path=f"{BUILD_SCHEMA},public",
                                timeouts=db.timeouts)
    try:
        build = _Build(app, build_db, projections, switch.tracking, batch)
        part = parallel_build.plan(app, build_db, build.projections,
                                   app.recorder.max_notification_id() or 0, switch.tracking,
                                   batch, helpers=helpers)
        if part is not None:
            parallel_build.prepare_postgres(lock)
            _first_pass(build, part, progress, db)
            parallel_build.adopt_postgres(lock, part, BUILD_SCHEMA)
        build.catch_up(progress=progress, live_db=db)
        _switch_postgres(db, build, tables, switch, live_schema)
    finally:
        build_db.close()
        lock.execute(f"DROP SCHEMA IF EXISTS {BUILD_SCHEMA} CASCADE")
        parallel_build.drop_postgres(lock)
    return build.applied


def _first_pass(build: _Build, part: parallel_build.Part, progress: Progress | None,
                live_db: ReadDatabase) -> None:
    """Positions 1..`part.until` with a worker building `part` meanwhile (else, if it fails,
    this process after the others: `parallel_build.Worker.finish`)."""
    worker = parallel_build.Worker(part)
    try:
        build.catch_up(until=part.until, progress=progress, live_db=live_db,
                       skip=parallel_build.taken_by(part, build.projections))
        worker.finish()
    except BaseException:
        worker.close(at_once=True)  # (its part is no longer wanted: the build is thrown away)
        raise


def _switch_postgres(db: PostgresDatabase, build: _Build, tables: list[str], switch: _Switch,
                     live_schema: str) -> None:
    import psycopg

    for attempt in range(SWITCH_ATTEMPTS):
        switch.approach(build)
        try:
            with switch.held(), db.transaction() as tx:
                # Short lock waits: give way to readers rather than let PostgreSQL's deadlock
                # detector (1 s) pick a reader as the victim; then try again.
                tx.execute("SET LOCAL lock_timeout = '300ms'")
                live = _lock_tracking(tx, switch.tracking, " FOR UPDATE")
                position = switch.replay(tx, build, live, switch.last_try(attempt))
                for table in tables:
                    tx.execute(f"DROP TABLE IF EXISTS {live_schema}.{table}")
                    tx.execute(f"ALTER TABLE {BUILD_SCHEMA}.{table} SET SCHEMA {live_schema}")
                _finish_switch(tx, switch.tracking, position)
            return
        except _StillBehind:
            log.info("read-model switch found more than %d events left; catching up first",
                     switch.bound)
        except psycopg.errors.LockNotAvailable:
            log.info("read-model switch waited too long for readers; trying again")
            time.sleep(0.05)
    raise RuntimeError("the rebuilt read models could not be switched in: tables kept busy")


# --- SQLite ------------------------------------------------------------------------------------
def _rebuild_sqlite(app: Application, db: SQLiteDatabase,
                    projections: Sequence[BuiltProjection], tables: list[str],
                    switch: _Switch, progress: Progress | None, batch: int,
                    staging: Staging, helpers: int | None) -> int:
    path = db.path.with_name(db.path.name + ".rebuild")
    with _file_lock(db.path.with_name(db.path.name + ".rebuild-lock")):
        _remove(path)
        staged = StagedTables(db.path, path, tables, db.timeout, staging.chunk_rows,
                              staging.between_chunks, switch.report.writes)
        build_db: _BuildFile | None = None
        part_file = path.with_name(path.name + "-part")
        try:
            staged.clear_leftovers()
            _remove(part_file)
            build_db = _BuildFile(path)
            build = _Build(app, build_db, projections, switch.tracking, batch, LATE_INDEXES)
            part = parallel_build.plan(app, build_db, build.projections,
                                       app.recorder.max_notification_id() or 0,
                                       switch.tracking, batch, part_file, helpers)
            if part is not None:
                _first_pass(build, part, progress, db)
                parallel_build.adopt_sqlite(build_db, part)
                _remove(part_file)
            build.catch_up(progress=progress, live_db=db)
            build.create_late_indexes()
            staged.attach()
            staged.stage()
            _switch_sqlite(build, staged, switch)
            staged.drop_old()
        finally:
            staged.close()
            if build_db is not None:
                build_db.close()
            _remove(path)
            _remove(part_file)
        return build.applied


def _switch_sqlite(build: _Build, staged: StagedTables, switch: _Switch) -> None:
    """Under the live file's write lock only the replay of at most the bound, the staging
    tables' update for it, and the renames (`projections.sqlite_switch`)."""
    for attempt in range(SWITCH_ATTEMPTS):
        switch.approach(build)
        staged.sync()
        conn = staged.conn
        cursor = conn.cursor()
        try:
            conn.execute("PRAGMA synchronous=FULL")  # (the swap's commit is durable)
            with switch.held():
                # The live file's write lock only (its first statement writes `main`): BEGIN
                # IMMEDIATE would lock the attached build file too, which the replay below
                # writes through the build's own connection.
                cursor.execute("BEGIN")
                cursor.execute("UPDATE main.projection_tracking SET position = position "
                               "WHERE name = ?", (switch.tracking,))
                live = _lock_tracking(cursor, switch.tracking, "")
                position = switch.replay(cursor, build, live, switch.last_try(attempt))
                synced = staged.sync_in(cursor)
                staged.swap(cursor)
                _finish_switch(cursor, switch.tracking, position)
                conn.commit()
        except _StillBehind:
            conn.rollback()
            log.info("read-model switch found more than %d events left; catching up first",
                     switch.bound)
            continue
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        staged.synced = synced
        staged.after_swap()
        return
    raise RuntimeError("the rebuilt read models could not be switched in: still behind")


class _BuildFile(SQLiteDatabase):
    """The build's own file, written without waiting for the disk (`synchronous=OFF`): a build
    that stops half-way, crash included, is removed and started afresh, never switched in, so
    its commits need not be durable; the switch's renames in the live file are
    (`synchronous=FULL` for that commit). Its WAL is checkpointed by SQLite itself in the
    build's thread, at the commit that crosses 1,000 pages (no `Checkpointer`): a checkpointer
    thread (PASSIVE, every 0.5 s) lets the WAL start over only when it completes between one
    batch's commit and the next batch's first write, which the build, always writing, rarely
    leaves room for: a 1M-event build's WAL reached 10.8 GB."""

    def __init__(self, path: Path, timeout: float = 30.0,
                 checkpoint_every: float | None = None) -> None:
        super().__init__(path, timeout, checkpoint_every)

    def _connection(self) -> sqlite3.Connection:
        conn = super()._connection()
        if not getattr(self._local, "undurable", False):
            conn.execute("PRAGMA synchronous=OFF")
            # (a REPLACE's deletes fire the switch's change-log triggers too)
            conn.execute("PRAGMA recursive_triggers=ON")
            self._local.undurable = True
        return conn


_INDEX_NAME = re.compile(r"CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\w+)", re.ASCII)


def _index_name(statement: str) -> str | None:
    match = _INDEX_NAME.match(statement.strip())
    return match.group(1) if match else None


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildRunning("another process is rebuilding the read models") from None
        yield


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# --- both --------------------------------------------------------------------------------------
def _lock_tracking(tx: Any, tracking: str, lock: str) -> int:
    tx.execute(f"SELECT position FROM projection_tracking WHERE name = ?{lock}", (tracking,))
    row = tx.fetchone()
    return int(row["position"]) if row else 0


def _finish_switch(tx: Any, tracking: str, position: int) -> None:
    tx.execute("UPDATE projection_tracking SET position = ? WHERE name = ?", (position, tracking))
    set_version(tx, tracking, READ_MODEL_VERSION)

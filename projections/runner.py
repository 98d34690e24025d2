"""Follows the event log and keeps the read models current, on SQLite and PostgreSQL alike.

SQLite cannot subscribe, so the runner reads the notification log by position (polling when idle)
on both backends. Each batch is applied together with its tracking position in one transaction,
after locking the tracking row and checking the position it started from: if another runner
(another server process, a rebuild) got there first, the batch applies nothing, so no event is
applied twice or skipped. A restart resumes after the last committed position.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventsourcing.application import Application

from ledger.event_bytes import decoded_batch
from projections import blue_green, collection
from projections.batch_state import in_bulk
from projections.db import PostgresDatabase, ReadDatabase, SQLiteDatabase, Tx
from projections.read_model_version import READ_MODEL_VERSION, stored_version, stored_version_in
from projections.tables import create_tables

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (position reached, last position in the log)


class Projection(Protocol):
    """A read model: its tables (DDL, and names for rebuild) and how a batch changes them.

    `process` receives every event of the batch, in log order, and ignores those it does not
    project."""

    tables: tuple[str, ...]
    ddl: list[str]

    def process(self, tx: Tx, batch: Sequence[tuple[int, Any]]) -> None: ...


TRACKING_NAME = "read_models"


class StaleReadModels(RuntimeError):
    """The read-model tables have another shape version than this code projects."""

    def __init__(self, found: int) -> None:
        super().__init__(f"read models are version {found}, this server projects version "
                         f"{READ_MODEL_VERSION}: they are being rebuilt")
        self.found = found
REBUILD_BATCH = 5000


class Leadership(Protocol):
    """Whether this process is the one that follows the log (see pact_ledger/leader.py)."""

    def holds(self) -> bool: ...


class ProjectionRunner:
    def __init__(
        self,
        app: Application,
        db: ReadDatabase,
        projections: Sequence[Projection],
        batch_size: int = 500,
        poll_interval: float = 0.25,
        build_when_behind: int = REBUILD_BATCH,
        helpers: int | None = None,
    ) -> None:
        self.app = app
        #: At most this many worker processes beside a rebuild's (None: its default, 0: none;
        #: `projections.parallel_build.plan`).
        self.helpers = helpers
        self.db = db
        self.projections = tuple(projections)
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        #: A catch-up with at least this many events to apply, more than the read models hold
        #: already, goes through the rebuild's build (`catch_up`); 0: never.
        self.build_when_behind = build_when_behind
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._leadership: Leadership | None = None
        create_tables(db, [stmt for p in self.projections for stmt in p.ddl], TRACKING_NAME)

    # --- positions ----------------------------------------------------------------------------
    def position(self) -> int:
        row = self.db.fetchone(
            "SELECT position FROM projection_tracking WHERE name = ?", (TRACKING_NAME,)
        )
        return int(row["position"]) if row else 0

    def log_position(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    # --- processing -----------------------------------------------------------------------------
    def run_once(self, batch_size: int | None = None) -> int:
        """Apply the next batch, if any; return how many events it held."""
        with self._lock:
            start = self.position()
            notifications = self.app.recorder.select_notifications(
                start + 1, batch_size or self.batch_size
            )
            if not notifications:
                return 0
            with decoded_batch(self.app.mapper, notifications) as batch, \
                    self.db.transaction() as tx:
                # Lock the tracking row first: a concurrent runner waits here, then sees the
                # position moved and applies nothing.
                lock = " FOR UPDATE" if self.db.dialect == "postgres" else ""
                tx.execute(
                    f"SELECT position FROM projection_tracking WHERE name = ?{lock}",
                    (TRACKING_NAME,),
                )
                row = tx.fetchone()
                if row is None or int(row["position"]) != start:
                    log.info("batch after %s already applied by another runner", start)
                    return len(batch)
                if stored_version_in(tx, TRACKING_NAME) != READ_MODEL_VERSION:
                    # Tables of another shape: never extend them with this code (a rebuild to
                    # this version replaces them; see projections/read_model_version.py).
                    raise StaleReadModels(stored_version_in(tx, TRACKING_NAME))
                for projection in self.projections:
                    projection.process(tx, batch)
                tx.execute(
                    "UPDATE projection_tracking SET position = ? WHERE name = ?",
                    (notifications[-1].id, TRACKING_NAME),
                )
            return len(batch)

    def catch_up(self, progress: Progress | None = None, batch_size: int | None = None) -> int:
        """Apply everything recorded so far; return the number of events applied.

        In batches as large as a rebuild's (unless `batch_size` says otherwise): fewer batches
        mean fewer writes of the per-case rows a batch touches (case rows, deadline trackers),
        the larger part of a catch-up's cost when far behind; the live follower keeps its
        smaller batches (`batch_size` of the runner). With most of the log still to apply
        (`_builds`), through the rebuild's build first (`_build_beside`), then in batches for
        what arrived meanwhile."""
        total = 0
        target = self.log_position()
        size = batch_size or max(self.batch_size, REBUILD_BATCH)
        if self._builds(target):
            total = self._build_beside(progress, size)
        # (more cases kept in memory meanwhile: `projections.batch_state`; and no full garbage
        # collections walking them all: `projections.collection`)
        with in_bulk(), collection.paused():
            while True:
                applied = self.run_once(size)
                collection.after_batch()
                total += applied
                if progress is not None:
                    progress(self.position(), target)
                if applied == 0:
                    return total

    def _builds(self, target: int) -> bool:
        """At least `build_when_behind` events to apply, and more than the read models hold:
        from position 0, and also just after a few (an import's catch-up once the recognition
        rates, two events, had been applied: in place it ran at 1,876 ev/s over 1.15M events,
        falling from 3,277 to 1,650 as the tables grew; through the build, 3,779 ev/s with the
        switch: docs/benchmarks.md, twentieth session). A build applies the whole log again, so
        with most of it applied already batches in place cost less."""
        position = self.position()
        behind = target - position
        return (0 < self.build_when_behind <= behind and position < behind
                and isinstance(self.db, (PostgresDatabase, SQLiteDatabase))
                and self.version() == READ_MODEL_VERSION)

    def _build_beside(self, progress: Progress | None, size: int) -> int:
        """Read models far behind fill through the rebuild's build beside them and its
        switch, not batch by batch in place: the build writes each case's own rows once
        (`blue_green.DeferredWrites`), where batches rewrite them in every batch that touches
        the case, the larger part of a far-behind catch-up's cost. The live tables keep their
        position until the switch puts in all the rows at once; a stop part-way leaves them
        so, and the next catch-up builds afresh. Another process already rebuilding: this one
        follows batch by batch as before (the switch catches its build up to what it applied);
        return the events applied here."""
        try:
            return self.rebuild(progress, size)
        except blue_green.RebuildRunning:
            log.info("another process is rebuilding the read models: catching up batch by batch")
            return 0

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Read-your-writes: return once the read models include `position` (or time out)."""
        deadline = time.monotonic() + timeout
        while self.position() < position:
            if time.monotonic() > deadline:
                return False
            if self.run_once() == 0:
                time.sleep(0.005)
        return True

    def rebuild(self, progress: Progress | None = None, batch_size: int | None = None,
                report: blue_green.SwitchReport | None = None) -> int:
        """Rebuild every read model from the first event, blue-green: readers keep the current
        tables until the new ones are complete. Returns the number of events applied; `report`
        receives how long the switch held the live tables and what it replayed meanwhile."""
        return blue_green.rebuild(self.app, self.db, self.projections, TRACKING_NAME, progress,
                                  batch_size or REBUILD_BATCH, report=report,
                                  helpers=self.helpers)

    def version(self) -> int:
        """The shape version of the live read-model tables."""
        return stored_version(self.db, TRACKING_NAME)

    # --- background following --------------------------------------------------------------------
    def start(self, leadership: Leadership | None = None) -> None:
        """Follow the log in the background; with `leadership`, only while this process holds
        it (one follower per database, however many processes serve it)."""
        self._leadership = leadership
        if self._thread is None:
            self._thread = threading.Thread(target=self._follow, name="projection", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def poke(self) -> None:
        self._wake.set()

    def _follow(self) -> None:
        while not self._stop.is_set():
            leadership = self._leadership
            try:
                leading = leadership is None or leadership.holds()
                applied = self.run_once() if leading else 0
            except StaleReadModels as exc:
                log.warning("%s", exc)
                applied = 0
            except Exception:  # keep following; the next poll retries the same batch
                log.exception("projection batch failed")
                applied = 0
            if applied == 0:
                self._wake.wait(self.poll_interval)
                self._wake.clear()

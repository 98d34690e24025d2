"""Which process keeps the read models current, chosen through PostgreSQL.

However many server processes share one database, one at a time follows the log in the
background: the one holding a session-level advisory lock on a connection of its own. When that
process dies its session ends and PostgreSQL releases the lock; the others try for it every
second, so one takes over within about a second. Two leaders at once (a partitioned leader that
has not noticed yet) would only waste work: every batch is applied under the tracking row's lock
after checking the position it started from, so nothing is applied twice or skipped.

SQLite has no such lock and needs none: it is served by one process.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg

log = logging.getLogger(__name__)

#: pg_advisory_lock key of "follows the log for the read models".
LEADER_LOCK_KEY = 0x5041_4354_0001
#: pg_advisory_lock key of "creates the tables": held while a process creates its schema.
SCHEMA_LOCK_KEY = 0x5041_4354_0003


class AdvisoryLeadership:
    def __init__(self, url: str, retry_seconds: float = 1.0,
                 connect_kwargs: dict[str, Any] | None = None) -> None:
        self.url = url
        self.retry_seconds = retry_seconds
        self.connect_kwargs = connect_kwargs or {"connect_timeout": 2}
        self._conn: psycopg.Connection[Any] | None = None
        self._leading = False
        self._next_try = 0.0
        self._lock = threading.Lock()

    @property
    def leading(self) -> bool:
        """Whether this process led at its last check (no attempt to become leader)."""
        return self._leading

    def holds(self) -> bool:
        """Whether this process leads now; tries to become leader at most once a second."""
        with self._lock:
            if self._leading and self._alive():
                return True
            if self._leading:
                log.warning("lost the projection leadership (database session ended)")
                self._leading = False
            now = time.monotonic()
            if now < self._next_try:
                return False
            self._next_try = now + self.retry_seconds
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self.url, autocommit=True,
                                                 **self.connect_kwargs)
                row = self._conn.execute("SELECT pg_try_advisory_lock(%s)",
                                         (LEADER_LOCK_KEY,)).fetchone()
                self._leading = bool(row and row[0])
            except psycopg.Error:
                self._drop()
                return False
            if self._leading:
                log.info("this process now keeps the read models current (projection leader)")
            return self._leading

    def _alive(self) -> bool:
        try:
            assert self._conn is not None
            self._conn.execute("SELECT 1")
            return True
        except (psycopg.Error, AssertionError):
            self._drop()
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
        self._conn = None
        self._leading = False

    def release(self) -> None:
        with self._lock:
            self._drop()


class SchemaLock:
    """Held while one process creates the tables, types and functions: `CREATE TYPE` and
    `CREATE OR REPLACE FUNCTION` race when several workers start at once."""

    def __init__(self, url: str, connect_kwargs: dict[str, Any] | None = None) -> None:
        self.url = url
        self.connect_kwargs = connect_kwargs or {"connect_timeout": 3}
        self._conn: psycopg.Connection[Any] | None = None

    def __enter__(self) -> SchemaLock:
        self._conn = psycopg.connect(self.url, autocommit=True, **self.connect_kwargs)
        self._conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the session: the lock goes with it
            self._conn = None

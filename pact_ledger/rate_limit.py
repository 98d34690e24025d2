"""A token bucket per principal (and per client address for failed authentications):
`per_minute` requests a minute, in bursts of at most as many. HTTP requests take from it (the
Guard), and so do WebSocket connections and each subscription started on one (`live`).

On PostgreSQL the buckets are rows of one UNLOGGED table, taken from by one atomic upsert on the
database's clock: every server process on that database shares them. On SQLite each process
keeps its own (one SQLite file is served by one process).

A bucket left alone for a minute is full again, and only such buckets are ever forgotten:
forgetting one changes nothing, so no flood of new keys can reset a throttled principal. The
in-memory table holds at most `max_keys` keys of each kind (principals, addresses) used within
the last minute; past that a new key of that kind waits until the oldest fills up.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from projections.db import DatabaseUnavailable


class Limiter(Protocol):
    per_minute: int
    #: True when `take` does I/O (call it off the event loop).
    blocking: bool

    def take(self, key: str) -> int: ...


async def wait_for(limiter: Limiter, key: str) -> int:
    """`limiter.take(key)` from the event loop (in a thread where it does I/O): 0 when allowed,
    else the seconds to wait."""
    return await asyncio.to_thread(limiter.take, key) if limiter.blocking \
        else limiter.take(key)


def too_many(limiter: Limiter, who: str, wait: int) -> str:
    """The refusal's message, the same over HTTP and WebSocket."""
    return (f"Too many requests: at most {limiter.per_minute} a minute for each {who}; "
            f"retry after {wait} s")


class RateLimiter:
    blocking = False

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.per_minute = per_minute
        self._rate = per_minute / 60.0  # tokens a second
        self._full_after = 60.0  # seconds for an empty bucket to fill up
        self._clock = clock
        self._max_keys = max_keys
        # Per kind of key ("principal", "address"), least recently used first: (tokens, at).
        self._tables: dict[str, OrderedDict[str, tuple[float, float]]] = {}

    def take(self, key: str) -> int:
        """0 when `key` may make a request now (and it is counted); else the whole seconds to
        wait before it may (for a Retry-After header)."""
        now = self._clock()
        table = self._tables.setdefault(key.partition(":")[0], OrderedDict())
        self._forget_full(table, now)
        bucket = table.pop(key, None)
        if bucket is None:
            if len(table) >= self._max_keys:
                oldest_at = next(iter(table.values()))[1]
                return max(1, math.ceil(oldest_at + self._full_after - now))
            bucket = (float(self.per_minute), now)
        tokens, at = bucket
        tokens = min(float(self.per_minute), tokens + (now - at) * self._rate)
        if tokens >= 1.0:
            table[key] = (tokens - 1.0, now)
            return 0
        table[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self._rate))

    def _forget_full(self, table: OrderedDict[str, tuple[float, float]], now: float) -> None:
        while table:
            _, at = next(iter(table.values()))
            if now - at < self._full_after:
                return
            table.popitem(last=False)

    def tracked(self) -> int:
        return sum(len(table) for table in self._tables.values())


_TAKE = """
INSERT INTO rate_limit_buckets AS b (key, tokens, at, allowed)
VALUES (?, ? - 1, extract(epoch from clock_timestamp()), true)
ON CONFLICT (key) DO UPDATE SET
  tokens = CASE WHEN least(?, b.tokens + (EXCLUDED.at - b.at) * ?) >= 1
                THEN least(?, b.tokens + (EXCLUDED.at - b.at) * ?) - 1
                ELSE least(?, b.tokens + (EXCLUDED.at - b.at) * ?) END,
  at = EXCLUDED.at,
  allowed = least(?, b.tokens + (EXCLUDED.at - b.at) * ?) >= 1
RETURNING tokens, allowed
"""


#: pg_advisory_xact_lock key of "creates the buckets table" (see personal_data_log's 7243001).
CREATE_LOCK = 7243021


class PostgresRateLimiter:
    """The same buckets in an UNLOGGED table (lost in a crash: every bucket full again)."""

    blocking = True
    #: Full buckets are deleted every this many takes.
    CLEAN_EVERY = 1000

    def __init__(self, db: Any, per_minute: int) -> None:
        self.db, self.per_minute = db, per_minute
        self._rate = per_minute / 60.0
        self._takes = 0
        self._lock = threading.Lock()
        #: While the database does not answer, this process counts on its own: the request's
        #: own database work then fails with a clear DATABASE_UNAVAILABLE, not the limiter.
        self._fallback = RateLimiter(per_minute)
        with db.transaction() as tx:
            # Workers started together race on CREATE ... IF NOT EXISTS (a unique violation on
            # pg_type): one creates the table while the others wait for this lock.
            tx.execute("SELECT pg_advisory_xact_lock(?)", (CREATE_LOCK,))
            tx.execute("CREATE UNLOGGED TABLE IF NOT EXISTS rate_limit_buckets ("
                       "key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, "
                       "at DOUBLE PRECISION NOT NULL, allowed BOOLEAN NOT NULL)")

    def take(self, key: str) -> int:
        cap, rate = float(self.per_minute), self._rate
        try:
            with self.db.transaction() as tx:
                tx.execute(_TAKE, (key, cap, *(cap, rate) * 4))
                row = tx.fetchone()
        except DatabaseUnavailable:
            return self._fallback.take(key)
        with self._lock:
            self._takes += 1
            clean = self._takes % self.CLEAN_EVERY == 0
        if clean:
            self.forget_full()
        if row["allowed"]:
            return 0
        return max(1, math.ceil((1.0 - float(row["tokens"])) / rate))

    def forget_full(self) -> int:
        """Delete the buckets that have filled up again (they hold nothing)."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM rate_limit_buckets "
                       "WHERE at < extract(epoch from clock_timestamp()) - 60")
            return int(getattr(tx, "rowcount", 0) or 0)

"""The live feeds behind GraphQL subscriptions (issue 14): one follower per process, fanning out
to every subscriber, not one database connection per subscriber.

The follower reads the case steps after the last position it delivered, in log order, whenever
it is woken (a PostgreSQL NOTIFY on each move of the read models, `projections.live_queries`)
and at the latest every `poll_seconds` (SQLite has no NOTIFY; on PostgreSQL the poll covers a
notification lost with its connection). A missed notification therefore delays, never loses.

Deadline alerts come from the deadline read model and the clock (the read models' clock, the one
queries evaluate breaches with): on each round the follower reads the deadlines whose alert
moment passed since the last round. A deadline *falls due* `FALLING_DUE_NOTICE` before its due
moment (if it is still open then); an authority's deadline is *breached* at its due moment when
it was not met in time (`ledger.deadlines.deadline.Deadline.breached`; a period open to the
person expires instead, and is never reported breached). A deadline that opens after its alert
moment has passed (a step recorded late) is not announced: the `deadlines` query shows it.

Each subscriber has a bounded queue: one that falls `queue_size` items behind is dropped with
`SlowConsumer`, naming the position to resume after. Resuming: a subscriber registers first, then
replays from the read models everything after its `after` position, then takes the live items,
skipping those the replay already gave: nothing is missed between the two.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ledger.deadlines.catalogue import PERSONS_PERIODS
from ledger.errors import LedgerError
from projections.db import ReadDatabase, Row
from projections.encoding import parse_time, time_text
from projections.live_queries import (
    CHANNEL,
    deadlines_due_between,
    install_notify_trigger,
    read_models_position,
    steps_after,
)

log = logging.getLogger(__name__)

#: How long before its due moment a deadline is announced as falling due. Not a legal rule: a
#: working notice for caseworkers (a parameter of the feed, this default).
FALLING_DUE_NOTICE = timedelta(hours=24)
#: The alert kinds: how long before the due moment each is raised, and its order among alerts of
#: the same moment.
ALERT_KINDS: dict[str, tuple[timedelta, int]] = {
    "FALLING_DUE": (FALLING_DUE_NOTICE, 0),
    "BREACHED": (timedelta(0), 1),
}
#: Most alerts of one kind a resumed deadline subscription replays (older: the `deadlines` query).
REPLAY_LIMIT = 10_000
BATCH = 500

AlertKey = tuple[str, int, str, int]  # (moment, opened position, rule code, kind order)


class SlowConsumer(LedgerError):
    code = "SLOW_CONSUMER"

    def __init__(self, resume: str) -> None:
        super().__init__(f"The subscription fell too far behind and was ended; subscribe again "
                         f"with after: {resume!r} (the last item received) to miss nothing")


class ReplayTooLong(LedgerError):
    code = "REPLAY_TOO_LONG"

    def __init__(self) -> None:
        super().__init__(f"More than {REPLAY_LIMIT} deadline alerts since `after`: read them "
                         "with the `deadlines` query, then subscribe without `after`")


@dataclass(frozen=True)
class Alert:
    """A deadline falling due or breached, at its alert moment."""

    kind: str
    at: datetime
    row: Row

    @property
    def key(self) -> AlertKey:
        return (time_text(self.at) or "", int(self.row["opened_position"]), self.row["code"],
                ALERT_KINDS[self.kind][1])

    @property
    def member_state(self) -> str:
        return str(self.row["member_state"])


def _raised(kind: str, row: Row, now: str) -> bool:
    """Whether the alert of `kind` holds for `row` as the read model has it at `now`."""
    met, stopped, due = row["met_at"], row["stopped_at"], row["due_at"]
    if kind == "FALLING_DUE":
        return met is None and stopped is None
    if row["code"] in PERSONS_PERIODS:
        return False  # expires, is never breached (ledger.deadlines.deadline)
    if met is not None:
        return bool(met > due)
    if stopped is not None:
        return bool(stopped > due)
    return bool(due <= now)


def _due(row: Row) -> datetime:
    due = parse_time(row["due_at"])
    assert due is not None  # a deadline always has a due moment
    return due


def alerts_between(db: ReadDatabase, after: datetime, up_to: datetime, now: datetime,
                   inclusive: bool = False, member_state: str | None = None,
                   limit: int = REPLAY_LIMIT) -> list[Alert]:
    """Alerts whose moment lies in `(after, up_to]` (`[after, up_to]` when `inclusive`), in key
    order; `ReplayTooLong` beyond `limit` of one kind."""
    found: list[Alert] = []
    now_text = time_text(now) or ""
    for kind, (notice, _) in ALERT_KINDS.items():
        rows = deadlines_due_between(db, after + notice, up_to + notice, limit + 1, inclusive,
                                     member_state)
        if len(rows) > limit:
            raise ReplayTooLong()
        found.extend(Alert(kind, _due(row) - notice, row)
                     for row in rows if _raised(kind, row, now_text))
    return sorted(found, key=lambda a: a.key)


class _Overflow:
    """Put in a queue in place of the item that did not fit."""


OVERFLOW = _Overflow()


class Subscriber:
    def __init__(self, wants: Callable[[Any], bool], size: int) -> None:
        self.wants, self.size = wants, size
        self.queue: asyncio.Queue[Any] = asyncio.Queue(size + 1)


class LiveFeed:
    """`db`: where the feed reads (the queries' database, perhaps a standby); `listen_url`:
    the PostgreSQL primary to LISTEN on and `primary` the database to install the trigger in
    (None on SQLite); `clock`: the read models' now."""

    def __init__(self, db: ReadDatabase, clock: Callable[[], datetime],
                 listen_url: str | None = None, poll_seconds: float = 0.25,
                 queue_size: int = 1000, primary: ReadDatabase | None = None) -> None:
        self.db, self.clock, self.listen_url = db, clock, listen_url
        self.primary = primary or db
        self.poll_seconds = poll_seconds if listen_url is None else max(poll_seconds, 1.0)
        self.queue_size = queue_size
        self.seen = 0  # the last log position fanned out
        self.ticked: datetime | None = None  # the last moment deadline alerts were read up to
        self._subscribers: set[Subscriber] = set()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self.notifications = 0  # NOTIFYs received (observable in tests and logs)

    # --- lifecycle --------------------------------------------------------------------------
    async def start(self) -> None:
        """Start following (on the running event loop); idempotent."""
        if self._task is not None:
            return
        self._wake = asyncio.Event()
        self.ticked = self.clock()
        try:  # the database may be down as the server starts: the rounds retry, polling
            self.seen = await asyncio.to_thread(read_models_position, self.db)
            if self.listen_url is not None:
                await asyncio.to_thread(install_notify_trigger, self.primary)
        except Exception:
            self.seen = -1  # read on the first round that reaches the database
            log.warning("live feed: database not reachable at start; polling until it is",
                        exc_info=True)
        if self.listen_url is not None:
            loop = asyncio.get_running_loop()
            self._listener = threading.Thread(target=self._listen, args=(loop,),
                                              name="live-feed-listen", daemon=True)
            self._listener.start()
        self._task = asyncio.create_task(self._follow())

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
            self._task = None
        if self._listener is not None:
            await asyncio.to_thread(self._listener.join, 5)
            self._listener = None

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        """One connection per process LISTENs; each NOTIFY wakes the follower."""
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.listen_url, autocommit=True,  # type: ignore[arg-type]
                                     connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    loop.call_soon_threadsafe(self._poke)  # anything missed while away
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.notifications += 1
                            loop.call_soon_threadsafe(self._poke)
            except Exception:
                if not self._stop.is_set():
                    log.warning("live feed: LISTEN connection lost; polling meanwhile",
                                exc_info=True)
                    self._stop.wait(1.0)

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    # --- following ----------------------------------------------------------------------------
    async def _follow(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()
            try:
                await self._steps_round()
                await self._alerts_round()
            except asyncio.CancelledError:
                raise
            except Exception:  # the next round reads again from the same position
                log.warning("live feed: reading the read models failed; retrying",
                            exc_info=True)
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            except TimeoutError:
                pass

    async def _steps_round(self) -> None:
        if self.seen < 0:  # not read at start: from now on
            self.seen = await asyncio.to_thread(read_models_position, self.db)
            if self.listen_url is not None:
                await asyncio.to_thread(install_notify_trigger, self.primary)
        if not self._subscribers:  # nobody listens: just keep the position current
            self.seen = max(self.seen, await asyncio.to_thread(read_models_position, self.db))
            return
        position = await asyncio.to_thread(read_models_position, self.db)
        while self.seen < position:
            rows = await asyncio.to_thread(steps_after, self.db, self.seen, position, BATCH)
            for row in rows:
                self._fan_out(row)
            self.seen = position if len(rows) < BATCH else int(rows[-1]["seq"])

    async def _alerts_round(self) -> None:
        now = self.clock()
        last = self.ticked or now
        if now <= last:
            return
        if self._subscribers:
            alerts = await asyncio.to_thread(alerts_between, self.db, last, now, now)
            for alert in alerts:
                self._fan_out(alert)
        self.ticked = now

    def _fan_out(self, item: Any) -> None:
        for subscriber in list(self._subscribers):
            if not subscriber.wants(item):
                continue
            if subscriber.queue.qsize() >= subscriber.size:
                subscriber.queue.put_nowait(OVERFLOW)
                self._subscribers.discard(subscriber)
            else:
                subscriber.queue.put_nowait(item)

    # --- subscribing --------------------------------------------------------------------------
    def _register(self, wants: Callable[[Any], bool]) -> Subscriber:
        if self._task is None:
            raise RuntimeError("the live feed is not running")
        subscriber = Subscriber(wants, self.queue_size)
        self._subscribers.add(subscriber)
        self._poke()
        return subscriber

    async def steps(self, after: int | None, case_id: str | None, member_state: str | None,
                    check: Callable[[], Any], cursor: Callable[[int], str]
                    ) -> AsyncGenerator[Row, None]:
        """Case steps after position `after` (None: from now on), then live; narrowed to one case
        and/or member state. `check` runs before each delivery (the token, again) and raises to
        end the subscription; `cursor` names a position for `SlowConsumer`."""

        def wants(item: Any) -> bool:
            return isinstance(item, dict) and (case_id is None or item["case_id"] == case_id) \
                and (member_state is None or item["member_state"] == member_state)

        subscriber = self._register(wants)
        try:
            last = after if after is not None else await asyncio.to_thread(
                read_models_position, self.db)  # "from now on": what is projected now
            while True:  # replay: everything committed after `last` (the live queue holds on)
                rows = await asyncio.to_thread(steps_after, self.db, last, None, BATCH, case_id,
                                               member_state)
                for row in rows:
                    await check()
                    last = int(row["seq"])
                    yield row
                if len(rows) < BATCH:
                    break
            async for item in self._live(subscriber, check, lambda: cursor(last)):  # noqa: B023 (late: the last delivered)
                if int(item["seq"]) > last:
                    last = int(item["seq"])
                    yield item
        finally:
            self._subscribers.discard(subscriber)

    async def alerts(self, after: AlertKey | None, member_state: str | None,
                     check: Callable[[], Any], cursor: Callable[[AlertKey], str]
                     ) -> AsyncGenerator[Alert, None]:
        """Deadline alerts after the alert `after` (None: from now on), then live."""

        def wants(item: Any) -> bool:
            return isinstance(item, Alert) and (member_state is None
                                                or item.member_state == member_state)

        subscriber = self._register(wants)
        try:
            ticked = self.ticked or self.clock()
            last: AlertKey = (time_text(ticked) or "", 2**62, "\uffff", 9)
            if after is not None:
                last = after
                start = parse_time(after[0])
                up_to = max(self.clock(), ticked)
                replay = await asyncio.to_thread(alerts_between, self.db, start, up_to, up_to,  # type: ignore[arg-type]
                                                 True, member_state)
                for alert in replay:
                    if alert.key > last:
                        await check()
                        last = alert.key
                        yield alert
            async for item in self._live(subscriber, check, lambda: cursor(last)):  # noqa: B023 (late: the last delivered)
                if item.key > last:
                    last = item.key
                    yield item
        finally:
            self._subscribers.discard(subscriber)

    async def _live(self, subscriber: Subscriber, check: Callable[[], Any],
                    resume: Callable[[], str]) -> AsyncIterator[Any]:
        """The subscriber's queue; `check` runs before each item and at least every
        `poll_seconds` while idle, so an expired token ends a quiet subscription too."""
        while True:
            try:
                item = await asyncio.wait_for(subscriber.queue.get(), max(self.poll_seconds, 1.0))
            except TimeoutError:
                await check()
                continue
            if item is OVERFLOW:
                raise SlowConsumer(resume())
            await check()
            yield item

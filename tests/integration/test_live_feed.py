"""The process's live feed (projections.live_feed) on both backends, below GraphQL: on PostgreSQL
a NOTIFY wakes it (its poll is set to an hour here, so nothing else could); a subscriber that
falls behind is ended with the position to resume after; deadline alerts follow the read
models' clock, and a resumed alert subscription replays what it missed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

import pytest

from ledger.case import commands as c
from pact_ledger.live import live_feed
from pact_ledger.wiring import Container
from projections.live_feed import LiveFeed, SlowConsumer
from tests.support.acting import handle
from tests.support.clock import ManualClock
from tests.support.steps import T0, at

pytestmark = pytest.mark.storage

T = TypeVar("T")
WAIT = 20.0  # bound on one wait, not a timing assertion


async def _ok() -> None:
    return None


def _cursor(position: Any) -> str:
    return str(position)


async def _take(stream: AsyncIterator[T], n: int) -> list[T]:
    return [await asyncio.wait_for(anext(stream), WAIT) for _ in range(n)]


def _record(container: Container, command: Any, day: float) -> Any:
    result = handle(container.ledger, command, at(day))
    container.runner.catch_up()
    return result


def _new_case(container: Container) -> UUID:
    return _record(container, c.MakeApplication("IT", "FEED-1", "Bari", c.Person("TN")),  # type: ignore[no-any-return]
                   0).aggregate_id


def _run(container: Container, body: Callable[[LiveFeed], Awaitable[None]],
         **options: Any) -> None:
    async def main() -> None:
        feed = live_feed(container)
        for name, value in options.items():
            setattr(feed, name, value)
        await feed.start()
        try:
            await body(feed)
        finally:
            await feed.stop()
    asyncio.run(main())


def test_new_steps_reach_a_subscriber(container: Container) -> None:
    case = _new_case(container)
    postgres = container.settings.backend == "postgres"

    async def body(feed: LiveFeed) -> None:
        stream = feed.steps(None, str(case), None, _ok, _cursor)
        first = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)  # registered before the step is recorded
        while not feed._subscribers:
            await asyncio.sleep(0.01)
        await asyncio.to_thread(_record, container, c.RegisterApplication(case), 1)
        row = await asyncio.wait_for(first, WAIT)
        assert (row["case_id"], row["event_type"], row["member_state"]) == \
            (str(case), "ApplicationRegistered", "IT")
        if postgres:  # an hour's poll: only the NOTIFY can have woken the feed
            assert feed.notifications >= 1
        await stream.aclose()

    _run(container, body, poll_seconds=3600.0 if postgres else 0.05)


def test_a_slow_subscriber_is_ended_with_where_to_resume(container: Container) -> None:
    case = _new_case(container)

    async def body(feed: LiveFeed) -> None:
        feed.queue_size = 2
        stream = feed.steps(None, str(case), None, _ok, lambda p: f"after-{p}")
        first = asyncio.ensure_future(anext(stream))
        while not feed._subscribers:
            await asyncio.sleep(0.01)
        steps = (c.RegisterApplication(case), c.LodgeApplication(case),
                 c.AssignProcedure(case, "REGULAR"), c.RecordInterview(case, "I-1", "ar", True),
                 c.RecordInterview(case, "I-2", "ar", True))
        for day, command in enumerate(steps):
            await asyncio.to_thread(_record, container, command, 1 + day)
        while feed._subscribers:  # the feed gives up on the subscriber that does not read
            await asyncio.sleep(0.01)
        received = [await asyncio.wait_for(first, WAIT)]
        with pytest.raises(SlowConsumer) as ended:
            while True:
                received.append(await asyncio.wait_for(anext(stream), WAIT))
        # What it took before it stopped reading and what fitted in its queue, then the error.
        assert len(received) <= 1 + feed.queue_size < len(steps)
        assert f"after-{received[-1]['seq']}" in ended.value.message

    _run(container, body)


def test_deadline_alerts_follow_the_clock_and_resume(container: Container,
                                                     clock: ManualClock) -> None:
    case = _new_case(container)
    _record(container, c.RegisterApplication(case), 1)  # registration met in time: no alert
    clock.set(T0 + timedelta(days=2))  # the read models' now: before any alert moment

    async def body(feed: LiveFeed) -> None:
        stream = feed.alerts(None, "IT", _ok, _cursor)
        pending = asyncio.ensure_future(anext(stream))
        while not feed._subscribers:
            await asyncio.sleep(0.01)
        clock.set(T0 + timedelta(days=5))  # Eurodac transmission (72 h) due on day 4
        first = await asyncio.wait_for(pending, WAIT)
        second = (await _take(stream, 1))[0]
        assert [(a.kind, a.row["code"]) for a in (first, second)] == \
            [("FALLING_DUE", "EURODAC_TRANSMISSION"), ("BREACHED", "EURODAC_TRANSMISSION")]
        assert first.at == second.at - timedelta(hours=24)
        await stream.aclose()
        # Reconnecting after the first alert: the second is replayed, nothing else.
        resumed = feed.alerts(first.key, "IT", _ok, _cursor)
        again = (await _take(resumed, 1))[0]
        assert again.key == second.key
        clock.set(T0 + timedelta(days=22, hours=23, minutes=30))  # lodging falls due
        lodging = (await _take(resumed, 1))[0]
        assert (lodging.kind, lodging.row["code"]) == ("FALLING_DUE", "LODGING")
        await resumed.aclose()
        # Another member state's alerts are not this one's: in the round that gives IT its
        # alert, nothing is queued for DE.
        other = feed.alerts(None, "DE", _ok, _cursor)
        nothing = asyncio.ensure_future(anext(other))
        italy = feed.alerts(None, "IT", _ok, _cursor)
        first_in_italy = asyncio.ensure_future(anext(italy))
        while len(feed._subscribers) < 2:
            await asyncio.sleep(0.01)
        clock.set(T0 + timedelta(days=64))  # the take-charge request falls due, in IT
        alerts = [await asyncio.wait_for(first_in_italy, WAIT)]
        # The same round also gives the deadlines that fell due since day 23 (the reception
        # deadlines of RCD Arts 17(1), 25(1) among them): read what it queued for IT.
        while not all(s.queue.empty() for s in feed._subscribers):
            alerts.append(await asyncio.wait_for(anext(italy), WAIT))
        assert ("FALLING_DUE", "TAKE_CHARGE_REQUEST") in [(a.kind, a.row["code"])
                                                           for a in alerts]
        assert {a.row["member_state"] for a in alerts} == {"IT"}
        await asyncio.sleep(0)
        assert not nothing.done()
        nothing.cancel()
        await italy.aclose()

    _run(container, body)

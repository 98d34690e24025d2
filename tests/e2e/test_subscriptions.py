"""GraphQL subscriptions over a real WebSocket (`graphql-transport-ws`) against the server on a
live port, on both backends: new steps arrive live, the token's scope holds (another member
state's steps are never delivered), a connection without a valid token is refused in
`connection_init`, an expired token ends the subscription, and a client that reconnects with
the last cursor misses nothing. Steps are recorded in the test and projected by the test's own
catch-up (on PostgreSQL its commit NOTIFYs the server's feed; on SQLite the feed polls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from ledger.case import commands as c
from ledger.envelope import Actor
from pact_ledger.security import Limits
from pact_ledger.tokens import LEEWAY
from pact_ledger.wiring import Container
from projections.encoding import time_text
from schema.subscriptions.types import ALERT_CURSOR, STEP_CURSOR
from tests.e2e.conftest import TOKENS, GraphQLClient, serving, token
from tests.support.acting import handle, principal
from tests.support.clock import ManualClock
from tests.support.steps import T0, at

pytestmark = pytest.mark.storage

#: Longest wait for one message (a bound, not a timing assertion).
WAIT = 20.0

STEPS = """subscription($id: ID!, $after: String) {
    caseSteps(caseId: $id, after: $after) { cursor position caseId memberState version type } }"""
STATE_STEPS = """subscription($state: MemberState, $after: String) {
    memberStateSteps(memberState: $state, after: $after) { caseId memberState version type } }"""


class Socket:
    """One graphql-transport-ws connection: init, subscribe, and the messages of a subscription."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.ws.recv(timeout=WAIT))
        return message

    def init(self, actor: Actor | None = None, raw: str | None = None) -> dict[str, Any]:
        payload = {} if actor is None and raw is None else {
            "authorization": f"Bearer {raw or token(actor)}"}  # type: ignore[arg-type]
        self.send({"type": "connection_init", "payload": payload})
        return self.receive()

    def subscribe(self, op: str, query: str, **variables: Any) -> None:
        self.send({"id": op, "type": "subscribe",
                   "payload": {"query": query, "variables": variables}})

    def ended(self, op: str) -> dict[str, Any]:
        """The error that ended subscription `op`: a `next` carrying it, then `complete`."""
        message = self.receive()
        assert message["id"] == op and message["type"] == "next", message
        assert message["payload"]["data"] is None, message
        assert self.receive() == {"id": op, "type": "complete"}
        error: dict[str, Any] = message["payload"]["errors"][0]
        return error

    def next(self, id: str) -> dict[str, Any]:
        """The next item of subscription `id` (failing on its errors)."""
        message = self.receive()
        assert message["id"] == id and message["type"] == "next", message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data


@contextmanager
def socket(base_url: str) -> Iterator[Socket]:
    with connect(base_url.replace("http://", "ws://") + "/graphql",
                 subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                 proxy=None, open_timeout=WAIT, close_timeout=5) as ws:
        yield Socket(ws)


@contextmanager
def subscribed(base_url: str, actor: Actor, query: str, **variables: Any) -> Iterator[Socket]:
    with socket(base_url) as s:
        assert s.init(actor)["type"] == "connection_ack"
        s.subscribe("1", query, **variables)
        yield s


def record(container: Container, command: Any, day: float) -> Any:
    """Record a step and project it (the server's feed then sees it)."""
    result = handle(container.ledger, command, at(day))
    container.runner.catch_up()
    return result


def new_case(container: Container, state: str, reference: str) -> UUID:
    return record(container, c.MakeApplication(state, reference, "Port", c.Person("TN")),
                  0).aggregate_id  # type: ignore[no-any-return]


def now(container: Container) -> str:
    """A cursor for "after everything projected so far". Subscribing without `after` means
    "from when the server starts the subscription", which a client cannot time against its own
    writes; a test passes the position explicitly."""
    return STEP_CURSOR.encode(container.runner.position())


def moment(clock: ManualClock) -> str:
    """The alert cursor for "after every alert up to the clock's now"."""
    return ALERT_CURSOR.encode(time_text(clock.now), 2**62, "~", 9)


CW_IT = principal("CASE_WORKER", "IT")
CW_DE = principal("CASE_WORKER", "DE")


def test_a_new_step_arrives_live_and_a_resumed_subscription_misses_nothing(
        base_url: str, container: Container) -> None:
    case = new_case(container, "IT", "LIVE-1")
    with subscribed(base_url, CW_IT, STEPS, id=str(case), after=now(container)) as s:
        record(container, c.RegisterApplication(case), 1)
        step = s.next("1")["caseSteps"]
        assert (step["caseId"], step["memberState"], step["type"]) == \
            (str(case), "IT", "ApplicationRegistered")
        v = step["version"]
        cursor = step["cursor"]
    # Disconnected: steps recorded meanwhile are replayed on resubscribing after the cursor.
    record(container, c.LodgeApplication(case), 3)
    record(container, c.AssignProcedure(case, "REGULAR"), 4)
    with subscribed(base_url, CW_IT, STEPS, id=str(case), after=cursor) as s:
        replayed = [s.next("1")["caseSteps"] for _ in range(2)]
        assert [r["version"] for r in replayed] == [v + 1, v + 2]
        assert replayed[0]["position"] > step["position"]
        record(container, c.RecordInterview(case, "INT-1", "ar", True), 20)
        live = s.next("1")["caseSteps"]
        assert live["version"] == v + 3
    # From the very first position: the whole case, in order, nothing twice.
    with subscribed(base_url, CW_IT, STEPS, id=str(case), after=STEP_CURSOR.encode(0)) as s:
        assert [s.next("1")["caseSteps"]["version"] for _ in range(v + 3)] == \
            list(range(1, v + 4))


def test_a_member_state_sees_only_its_own_steps(base_url: str, container: Container) -> None:
    italian, german = new_case(container, "IT", "LIVE-IT"), new_case(container, "DE", "LIVE-DE")
    start = now(container)
    with subscribed(base_url, CW_DE, STATE_STEPS, after=start) as de, \
            subscribed(base_url, CW_IT, STATE_STEPS, after=start) as it:
        record(container, c.RegisterApplication(italian), 1)  # first in the log
        record(container, c.RegisterApplication(german), 1)
        # Each receives its own member state's step first: the other one was not delivered.
        for sub, case in ((de, german), (it, italian)):
            step = sub.next("1")["memberStateSteps"]
            assert (step["caseId"], step["type"]) == (str(case), "ApplicationRegistered")
        record(container, c.LodgeApplication(german), 3)
        assert de.next("1")["memberStateSteps"]["type"] == "ApplicationLodged"
    with socket(base_url) as s:
        assert s.init(CW_DE)["type"] == "connection_ack"
        # Another member state's case reads as absent; following it is refused outright.
        s.subscribe("a", STEPS, id=str(italian))
        assert s.ended("a")["extensions"]["code"] == "CASE_NOT_FOUND"
        s.subscribe("b", STATE_STEPS, state="IT")
        assert s.ended("b")["extensions"]["code"] == "FORBIDDEN"
    # A role that reads no cases (a solidarity coordinator) follows none.
    with socket(base_url) as s:
        assert s.init(principal("SOLIDARITY_COORDINATOR", "IT"))["type"] == "connection_ack"
        s.subscribe("1", STATE_STEPS)
        assert s.ended("1")["extensions"]["code"] == "FORBIDDEN"


def _closed_with(s: Socket) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        s.receive()
    return closed.value.rcvd.code if closed.value.rcvd else None


def test_a_connection_without_a_valid_token_is_refused(base_url: str) -> None:
    with socket(base_url) as s:  # no token in connection_init
        s.send({"type": "connection_init", "payload": {}})
        assert _closed_with(s) == 4403
    with socket(base_url) as s:  # a token signed with another key
        other = token(CW_IT)[:-4] + "AAAA"
        s.send({"type": "connection_init", "payload": {"authorization": f"Bearer {other}"}})
        assert _closed_with(s) == 4403
    with socket(base_url) as s:  # subscribing before connection_init
        s.subscribe("1", STATE_STEPS)
        assert _closed_with(s) == 4401
    with connect(base_url.replace("http://", "ws://") + "/graphql", proxy=None,
                 subprotocols=["graphql-ws"],  # type: ignore[list-item]
                 open_timeout=WAIT) as legacy:  # only graphql-transport-ws is spoken
        with pytest.raises(ConnectionClosed) as closed:
            legacy.recv(timeout=WAIT)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4406
    with socket(base_url) as s:  # queries and mutations go over HTTP
        assert s.init(CW_IT)["type"] == "connection_ack"
        s.subscribe("1", "{ rules { code } }")
        refused = s.receive()
        assert refused["type"] == "error" and "HTTP POST" in refused["payload"][0]["message"]


def test_an_expired_token_ends_the_subscription(base_url: str, container: Container) -> None:
    case = new_case(container, "IT", "LIVE-EXP")
    lifetime = timedelta(minutes=5)
    # Verified for about three more seconds (the verifier allows LEEWAY past `exp`).
    short = TOKENS.issue(CW_IT, lifetime, now=datetime.now(UTC) - lifetime - LEEWAY
                         + timedelta(seconds=3))
    with socket(base_url) as s:
        assert s.init(raw=short)["type"] == "connection_ack"
        s.subscribe("1", STEPS, id=str(case))
        ended = s.ended("1")  # while idle: the token is checked again and has expired
        assert ended["extensions"]["code"] == "UNAUTHENTICATED", ended
        assert "expired" in ended["message"]


ALERTS = """subscription($after: String) { deadlineAlerts(after: $after) {
    cursor kind at deadline { caseId rule status memberState } } }"""


@pytest.fixture
def early(clock: ManualClock) -> ManualClock:
    """The clock a day into the story, set before the server starts (its feed reads alerts from
    then on; a clock moved back would pause them)."""
    clock.set(T0 + timedelta(days=1, hours=1))
    return clock


def test_deadline_alerts_arrive_as_the_clock_passes_and_resume(
        early: ManualClock, base_url: str, container: Container) -> None:
    case = new_case(container, "IT", "LIVE-DL")
    record(container, c.RegisterApplication(case), 1)  # met in time: never announced
    start = moment(early)
    with subscribed(base_url, CW_IT, ALERTS, after=start) as s, \
            subscribed(base_url, CW_DE, ALERTS, after=start) as de:
        early.set(T0 + timedelta(days=5))  # the Eurodac transmission (72 h) was due on day 4
        falling, breached = (s.next("1")["deadlineAlerts"] for _ in range(2))
        assert [(a["kind"], a["deadline"]["rule"]) for a in (falling, breached)] == \
            [("FALLING_DUE", "EURODAC_TRANSMISSION"), ("BREACHED", "EURODAC_TRANSMISSION")]
        assert breached["deadline"]["status"] == "BREACHED"
        assert breached["deadline"]["caseId"] == str(case)
        # German principals follow German deadlines: the first thing DE hears is a German one.
        german = record(container, c.MakeApplication("DE", "LIVE-DL-DE", "Port", c.Person("TN")),
                        5).aggregate_id
        early.set(T0 + timedelta(days=20))  # its registration is overdue
        first = de.next("1")["deadlineAlerts"]
        assert (first["kind"], first["deadline"]["memberState"], first["deadline"]["caseId"]) \
            == ("FALLING_DUE", "DE", str(german))
    with subscribed(base_url, CW_IT, ALERTS, after=falling["cursor"]) as s:  # resumed
        assert s.next("1")["deadlineAlerts"]["cursor"] == breached["cursor"]


@pytest.mark.parametrize("accept", ["application/json",
                                    "multipart/mixed;subscriptionSpec=1.0,application/json"])
def test_a_subscription_over_http_is_refused(gql: GraphQLClient, accept: str) -> None:
    response = gql.post("subscription { memberStateSteps { position } }",
                        headers={**gql.headers, "accept": accept})
    assert 400 <= response.status_code < 500, response.text
    assert "position" not in response.text


def test_sockets_take_from_the_same_rate_limit_as_requests(container: Container) -> None:
    """`connection_init` and each `subscribe` take from the principal's bucket (a refused token
    from the client address's): over the limit, 4429 for a connection and `RATE_LIMITED` with
    `retryAfter` for a subscription, as HTTP answers 429."""
    with serving(container, limits=Limits(rate_per_minute=3)) as url:
        with socket(url) as s:
            assert s.init(CW_IT)["type"] == "connection_ack"  # 1
            s.subscribe("1", STATE_STEPS)  # 2
            s.subscribe("2", STATE_STEPS)  # 3
            s.subscribe("3", STATE_STEPS)
            refused = s.receive()
            assert refused["id"] == "3" and refused["type"] == "error", refused
            error = refused["payload"][0]
            assert error["extensions"]["code"] == "RATE_LIMITED"
            assert error["extensions"]["retryAfter"] >= 1
            assert "at most 3 a minute" in error["message"]
        with socket(url) as s:  # the same principal again: over its limit
            s.send({"type": "connection_init",
                    "payload": {"authorization": f"Bearer {token(CW_IT)}"}})
            assert _closed_with(s) == 4429
        with socket(url) as s:  # another principal has its own bucket
            assert s.init(CW_DE)["type"] == "connection_ack"
        bad = token(CW_IT)[:-4] + "AAAA"
        closes = []
        for _ in range(4):  # refused tokens take from the client address's bucket
            with socket(url) as s:
                s.send({"type": "connection_init", "payload": {"authorization": f"Bearer {bad}"}})
                closes.append(_closed_with(s))
        assert closes == [4403, 4403, 4403, 4429]

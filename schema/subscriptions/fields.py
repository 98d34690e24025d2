"""The subscription root: a case's new steps, a member state's new steps, deadline alerts.

Scoped like every read (`projections.scoped_reads`): a principal reads cases only when its role
reads cases, a member state's principal only its own member state's; a case outside the scope
reads as absent. The token is verified again before every delivery (and at least every second
while idle): once it fails, the subscription ends with `UNAUTHENTICATED`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from ledger.authorization.policy import Read, check_may_read, scope_of
from ledger.envelope import Actor
from ledger.errors import CaseNotFound, Forbidden
from projections.live_feed import AlertKey
from projections.scoped_reads import ScopedCases
from schema.enums import MemberState
from schema.subscriptions.context import LiveContext, TokenExpired
from schema.subscriptions.types import (
    ALERT_CURSOR,
    STEP_CURSOR,
    CaseStep,
    DeadlineAlert,
    case_step,
    deadline_alert,
)

After = Annotated[str | None, strawberry.argument(description=(
    "Resume after this cursor (an item's `cursor`): the items since are replayed first, then "
    "new ones follow. Omitted: only items from now on."))]
FollowedState = Annotated[MemberState | None, strawberry.argument(description=(
    "The member state to follow; a member state's principal follows its own (the default), an "
    "EU-level one every member state by default."))]


def _reader(info: Info[LiveContext, None]) -> tuple[LiveContext, Actor]:
    context = info.context
    if context.actor is None:  # connection_init refuses first; never reached in practice
        raise TokenExpired("Not authenticated: send the token in connection_init")
    check_may_read(context.actor, Read.CASES)
    return context, context.actor


def _state(actor: Actor, member_state: MemberState | None) -> str | None:
    """The member state to follow: the principal's own (naming another is refused), or for an
    EU-level principal the one named (None: every member state)."""
    scope = scope_of(actor)
    named = member_state.value if member_state is not None else None
    if scope is not None and named not in (None, scope):
        raise Forbidden(f"A principal of {scope} follows only {scope}'s cases")
    return scope or named


async def _check(context: LiveContext) -> None:
    if context.recheck is not None:
        await context.recheck()


@strawberry.type(description="Live updates over WebSocket (graphql-transport-ws at /graphql). "
                             "Every item carries a cursor; subscribe again with `after` set to "
                             "the last one received and nothing is missed.")
class Subscription:
    @strawberry.subscription(description="A case's new steps, in the order they were recorded "
                                         "(no payload: query `caseTimeline` for the fields).")
    async def case_steps(
        self, info: Info[LiveContext, None],
        case_id: Annotated[strawberry.ID, strawberry.argument(description="The case to follow.")],
        after: After = None,
    ) -> AsyncGenerator[CaseStep, None]:
        context, actor = _reader(info)
        position = STEP_CURSOR.decode(after, int)[0] if after is not None else None
        case = await asyncio.to_thread(ScopedCases(context.reads.cases, actor).case,
                                       str(case_id))
        if case is None:
            raise CaseNotFound(case_id)
        async for row in context.feed.steps(position, str(case_id), None,
                                            lambda: _check(context), STEP_CURSOR.encode):
            yield case_step(row)

    @strawberry.subscription(description="New steps in the cases of a member state, in the "
                                          "order they were recorded.")
    async def member_state_steps(
        self, info: Info[LiveContext, None],
        member_state: FollowedState = None, after: After = None,
    ) -> AsyncGenerator[CaseStep, None]:
        context, actor = _reader(info)
        state = _state(actor, member_state)
        position = STEP_CURSOR.decode(after, int)[0] if after is not None else None
        async for row in context.feed.steps(position, None, state, lambda: _check(context),
                                            STEP_CURSOR.encode):
            yield case_step(row)

    @strawberry.subscription(description="Deadlines falling due (24 hours before the due "
                                          "moment) and breached (at the due moment), derived "
                                          "from the deadline read model and its clock.")
    async def deadline_alerts(
        self, info: Info[LiveContext, None],
        member_state: FollowedState = None, after: After = None,
    ) -> AsyncGenerator[DeadlineAlert, None]:
        context, actor = _reader(info)
        state = _state(actor, member_state)
        key: AlertKey | None = ALERT_CURSOR.decode(after, str, int, str, int) \
            if after is not None else None  # type: ignore[assignment]

        def cursor(k: AlertKey) -> str:
            return ALERT_CURSOR.encode(*k)

        async for alert in context.feed.alerts(key, state, lambda: _check(context), cursor):
            yield deadline_alert(alert, context.feed.clock())

"""A case's timeline: every event in order, narrowed by kind of step and by legal or recording
time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from ledger.validation import Problems, camel
from projections.encoding import time_text
from projections.personal_data import payload_shown
from projections.queries import TimelineFilter, TimelineWindow
from schema.context import Context
from schema.input_checks import aware, case_id_argument, raise_if_invalid, texts
from schema.pagination import After, Before, Connection, Cursor, First, page, window
from schema.personal import details_ahead, payloads_ahead
from schema.timeline.details import BUILDERS
from schema.timeline.types import TimelineEvent, timeline_event

CURSOR = Cursor("event")


@strawberry.input(description="Narrow a timeline by kind of step and legal time.")
class TimelineFilterInput:
    types: list[str] = strawberry.field(
        default_factory=list, description="Event types, e.g. DecisionIssued."
    )
    phases: list[str] = strawberry.field(
        default_factory=list, description="Phases, e.g. EXAMINATION, REMEDIES.")
    occurred_from: datetime | None = strawberry.field(
        default=None, description="Legal time at or after this moment.")
    occurred_to: datetime | None = strawberry.field(
        default=None, description="Legal time at or before this moment.")
    recorded_from: datetime | None = strawberry.field(
        default=None, description="Recorded at or after this moment.")
    recorded_to: datetime | None = strawberry.field(
        default=None, description="Recorded at or before this moment.")


@strawberry.type(description="A page of a stream's events (a case's or an admission file's) in "
                             "their order, with cursors to page forward and backward.")
class TimelineEventConnection(Connection[TimelineEvent]):
    @strawberry.field(description="The stream's events (matching the filter, if one), over all "
                                  "pages.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The events of this page (the edges' nodes).")
    def nodes(self) -> list[TimelineEvent]:
        return self.page_nodes()


def _criteria(filter: TimelineFilterInput | None) -> TimelineFilter | None:
    if filter is None:
        return None
    p = Problems()
    texts(p, "filter.types", filter.types)
    texts(p, "filter.phases", filter.phases)
    for name in ("occurred_from", "occurred_to", "recorded_from", "recorded_to"):
        aware(p, f"filter.{camel(name)}", getattr(filter, name))
    raise_if_invalid(p)
    return TimelineFilter(
        event_types=tuple(filter.types),
        phases=tuple(p.upper() for p in filter.phases),
        occurred_from=time_text(filter.occurred_from),
        occurred_to=time_text(filter.occurred_to),
        recorded_from=time_text(filter.recorded_from),
        recorded_to=time_text(filter.recorded_to),
    )


def _sealed_of(event_type: str) -> frozenset[str]:
    """The GraphQL names of an event type's personal-data details fields."""
    return BUILDERS[event_type].sealed


@strawberry.type
class TimelineQuery:
    @strawberry.field(description="Every event of a case in order, with envelope and payload.",
                      deprecation_reason="Read `caseEvents` (paged, forward and backward).")
    async def case_timeline(
        self,
        info: Info[Context, None],
        case_id: Annotated[strawberry.ID, strawberry.argument(
            description="The case (its id or global id).")],
        filter: Annotated[TimelineFilterInput | None, strawberry.argument(
            description="Narrows the events; none: all.")] = None,
    ) -> list[TimelineEvent]:
        criteria = _criteria(filter)
        case = case_id_argument(case_id, "caseId")
        ctx = info.context

        def read() -> list[TimelineEvent]:
            events = [timeline_event(r) for r in ctx.reads.cases.timeline(case, criteria)]
            # sealed payloads or details selected: opened and logged in this same trip
            ctx.personal.open_ahead(payloads_ahead(info, events))
            ahead = details_ahead(info, events, _sealed_of)
            opened = ctx.personal.open_now([o for _e, o in ahead]) if ahead else None
            if opened is not None:  # else (no right to see them) each takes the gate's way
                for (event, _o), (view, values) in zip(ahead, opened, strict=True):
                    event._details = BUILDERS[event.type].build(event.type, payload_shown(
                        event._payload, view, values))
            return events

        return await ctx.run(read)  # type: ignore[no-any-return]

    @strawberry.field(description="A case's events in their order (of the case's stream), with "
                                  "envelope and payload: `first` (with `after`) pages forward, "
                                  "`last` (with `before`) backward; a page holds at most 100. "
                                  "An unknown case, or one outside the token's scope, has none.")
    async def case_events(
        self,
        info: Info[Context, None],
        case_id: Annotated[strawberry.ID, strawberry.argument(
            description="The case (its id or global id).")],
        filter: Annotated[TimelineFilterInput | None, strawberry.argument(
            description="Narrows the events; none: all.")] = None,
        first: First = None,
        after: After = None,
        last: Annotated[int | None, strawberry.argument(
            description="Page size from the end (or from `before`): `last: 5` gives the "
                        "latest five steps.")] = None,
        before: Before = None,
    ) -> TimelineEventConnection:
        w = window(CURSOR, (int,), first, after, last, before)
        criteria = _criteria(filter)
        case = case_id_argument(case_id, "caseId")
        ctx = info.context
        rows = await ctx.run(ctx.reads.cases.timeline, case, criteria, TimelineWindow(
            size=w.size, after_version=w.after[0] if w.after else None,
            before_version=w.before[0] if w.before else None, backward=w.backward))
        edges, page_info = page(rows, w, lambda r: CURSOR.encode(r["version"]), timeline_event)

        async def count() -> int:
            return int(await ctx.run(ctx.reads.cases.timeline_count, case, criteria))

        return TimelineEventConnection(edges=edges, page_info=page_info, _count=count)

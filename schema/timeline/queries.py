"""A case's timeline: every event in order, narrowed by kind of step and by legal or recording
time."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from ledger.validation import Problems, camel
from projections.encoding import time_text
from projections.queries import TimelineFilter
from schema.context import Context
from schema.input_checks import aware, case_id_argument, raise_if_invalid, texts
from schema.timeline.types import TimelineEvent, timeline_event


@strawberry.input(description="Narrow a timeline by kind of step and legal time.")
class TimelineFilterInput:
    types: list[str] = strawberry.field(
        default_factory=list, description="Event types, e.g. DecisionIssued."
    )
    phases: list[str] = strawberry.field(
        default_factory=list, description="Phases, e.g. EXAMINATION, REMEDIES.")
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None


@strawberry.type
class TimelineQuery:
    @strawberry.field(description="Every event of a case in order, with envelope and payload.")
    async def case_timeline(
        self,
        info: Info[Context, None],
        case_id: strawberry.ID,
        filter: TimelineFilterInput | None = None,
    ) -> list[TimelineEvent]:
        criteria = None
        case = case_id_argument(case_id, "caseId")
        if filter is not None:
            p = Problems()
            texts(p, "filter.types", filter.types)
            texts(p, "filter.phases", filter.phases)
            for name in ("occurred_from", "occurred_to", "recorded_from", "recorded_to"):
                aware(p, f"filter.{camel(name)}", getattr(filter, name))
            raise_if_invalid(p)
            criteria = TimelineFilter(
                event_types=tuple(filter.types),
                phases=tuple(p.upper() for p in filter.phases),
                occurred_from=time_text(filter.occurred_from),
                occurred_to=time_text(filter.occurred_to),
                recorded_from=time_text(filter.recorded_from),
                recorded_to=time_text(filter.recorded_to),
            )
        ctx = info.context
        rows = await ctx.run(ctx.reads.cases.timeline, case, criteria)
        return [timeline_event(r) for r in rows]

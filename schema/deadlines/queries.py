"""Deadline queries: every deadline by member state, due date or breach (keyset-paginated), one
case's deadlines, and the crisis periods. `case_deadlines` is also the resolver of
`Case.deadlines`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from ledger.validation import Problems
from projections.deadline_queries import DeadlineFilter as DeadlineFilterValue
from projections.encoding import time_text
from schema.context import Context
from schema.deadlines.types import (
    CrisisPeriod,
    Deadline,
    DeadlineConnection,
    crisis_period_from_row,
    deadline_from_row,
)
from schema.enums import MemberState
from schema.input_checks import (
    aware,
    case_id_argument,
    raise_if_invalid,
    text,
    uuid_text,
)
from schema.pagination import Cursor, page, window

CURSOR = Cursor("deadline")


@strawberry.input(description="All given fields must match.")
class DeadlineFilter:
    member_state: MemberState | None = None
    due_before: datetime | None = strawberry.field(default=None,
                                                   description="Due strictly before this moment.")
    breached_only: bool = strawberry.field(
        default=False, description="Only deadlines met late, or unmet and due before now.")
    case_id: strawberry.ID | None = None
    rule: str | None = strawberry.field(default=None, description="A rule code, e.g. LODGING.")

    def value(self) -> DeadlineFilterValue:
        p = Problems()
        case_id = uuid_text(p, "filter.caseId", self.case_id)
        text(p, "filter.rule", self.rule)
        aware(p, "filter.dueBefore", self.due_before)
        raise_if_invalid(p)
        return DeadlineFilterValue(
            member_state=self.member_state.value if self.member_state else None,
            due_before=time_text(self.due_before), breached_only=self.breached_only,
            case_id=case_id, rule=self.rule)


async def case_deadlines(root: Any, info: Info[Context, None]) -> list[Deadline]:
    """The resolver of `Case.deadlines`: the case's deadlines in the order they opened."""
    return await _for_case(info, str(root.case_id))


async def _for_case(info: Info[Context, None], case_id: str) -> list[Deadline]:
    reads = info.context.reads.deadlines
    now = reads.now()
    rows = await info.context.run(reads.for_case, case_id_argument(case_id, "caseId"))
    return [deadline_from_row(r, now) for r in rows]


@strawberry.type
class DeadlineQuery:
    @strawberry.field(description="Deadlines of all cases, soonest due first: `first` (with "
                                  "`after`) pages forward, `last` (with `before`) backward; a "
                                  "page holds at most 100. Status and breach are as of now.")
    async def deadlines(
        self, info: Info[Context, None], filter: DeadlineFilter | None = None,
        first: int | None = None, after: str | None = None,
        last: Annotated[int | None, strawberry.argument(
            description="Page size from the end (or from `before`).")] = None,
        before: Annotated[str | None, strawberry.argument(
            description="A cursor (`startCursor`): the page ends before it.")] = None,
    ) -> DeadlineConnection:
        w = window(CURSOR, (str, int, str), first, after, last, before)
        criteria = filter.value() if filter else DeadlineFilterValue()
        ctx = info.context
        reads = ctx.reads.deadlines
        now = reads.now()
        rows = await ctx.run(reads.deadlines, criteria, w.size, w.after, now, w.before,
                             w.backward)
        edges, page_info = page(
            rows, w, lambda r: CURSOR.encode(r["due_at"], r["opened_position"], r["code"]),
            lambda r: deadline_from_row(r, now))

        async def count() -> int:
            return int(await ctx.run(reads.count, criteria, now))

        return DeadlineConnection(edges=edges, page_info=page_info, _count=count)

    @strawberry.field(description="One case's deadlines, in the order they opened.")
    async def case_deadlines(self, info: Info[Context, None],
                             case_id: strawberry.ID) -> list[Deadline]:
        return await _for_case(info, str(case_id))

    @strawberry.field(description="Crisis and force-majeure periods as recorded, by member "
                                  "state and in order.")
    async def crisis_periods(self, info: Info[Context, None],
                             member_state: MemberState | None = None) -> list[CrisisPeriod]:
        reads = info.context.reads.deadlines
        now = reads.now()
        rows = await info.context.run(reads.crisis_periods,
                                      member_state.value if member_state else None)
        return [crisis_period_from_row(r, now) for r in rows]

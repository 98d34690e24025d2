"""Deadline queries: every deadline by member state, due date or breach (keyset-paginated), one
case's deadlines, and the crisis periods. `case_deadlines` is also the resolver of
`Case.deadlines`."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from ledger.validation import Problems
from ledger.vocabulary import MemberState
from projections.deadline_queries import DeadlineFilter as DeadlineFilterValue
from projections.deadline_queries import Position
from projections.encoding import time_text
from schema import enums  # noqa: F401  (decorates the vocabularies first)
from schema.context import Context
from schema.deadline_types import (
    CrisisPeriod,
    Deadline,
    DeadlineConnection,
    DeadlineEdge,
    crisis_period_from_row,
    deadline_from_row,
)
from schema.input_checks import aware, check_page, raise_if_invalid, text, uuid_text
from schema.readable_rows import readable

_PREFIX = "deadline:"


def encode_cursor(row: Any) -> str:
    text = f"{_PREFIX}{row['due_at']}|{row['opened_position']}|{row['code']}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_cursor(cursor: str) -> Position:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        due_at, position, code = text.removeprefix(_PREFIX).split("|")
        return due_at, int(position), code
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError("Invalid cursor: pass an endCursor from a previous page",
                           extensions={"code": "BAD_CURSOR"}) from None


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


def _case_id(value: strawberry.ID) -> str:
    p = Problems()
    case_id = uuid_text(p, "caseId", value)
    raise_if_invalid(p)
    return case_id or ""


async def case_deadlines(root: Any, info: Info[Context, None]) -> list[Deadline]:
    """The resolver of `Case.deadlines`: the case's deadlines in the order they opened."""
    return await _for_case(info, str(root.id))


async def _for_case(info: Info[Context, None], case_id: str) -> list[Deadline]:
    reads = info.context.reads.deadlines
    now = reads.now()
    rows = await info.context.run(reads.for_case, _case_id(strawberry.ID(case_id)))
    return [deadline_from_row(r, now) for r in rows]


@strawberry.type
class DeadlineQuery:
    @strawberry.field(description="Deadlines of all cases, soonest due first. `first` is at "
                                  "most 100. Status and breach are as of now.")
    async def deadlines(self, info: Info[Context, None], filter: DeadlineFilter | None = None,
                        first: int = 20, after: str | None = None) -> DeadlineConnection:
        check_page(first)
        criteria = filter.value() if filter else DeadlineFilterValue()
        position = decode_cursor(after) if after else None
        ctx = info.context
        reads = ctx.reads.deadlines
        now = reads.now()
        from schema.types import PageInfo  # at call time: schema.types may import this module

        rows = await ctx.run(reads.deadlines, criteria, first, position, now)
        edges = [DeadlineEdge(cursor=encode_cursor(r), node=node) for r, node in
                 readable(rows[:first], lambda r: deadline_from_row(r, now), "case_id")]

        async def count() -> int:
            return int(await ctx.run(reads.count, criteria, now))

        return DeadlineConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=len(rows) > first,
                               end_cursor=edges[-1].cursor if edges else None),
            _count=count,
        )

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

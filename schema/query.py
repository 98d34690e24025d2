"""Read queries: one case, the case list with filters and keyset pagination, a case's timeline."""

from __future__ import annotations

import base64
from datetime import datetime

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from ledger.rules import RULES
from ledger.validation import Problems, camel
from ledger.vocabulary import CaseStatus, MemberState, Procedure
from projections.encoding import time_text
from projections.queries import CaseFilter as CaseFilterValue
from projections.queries import TimelineFilter
from schema import enums  # noqa: F401  (decorates the vocabularies first)
from schema.context import Context
from schema.input_checks import aware, check_page, country, raise_if_invalid, texts, uuid_text
from schema.readable_rows import readable
from schema.types import (
    Case,
    CaseConnection,
    CaseEdge,
    PageInfo,
    Rule,
    TimelineEvent,
    case_from_row,
    timeline_event,
)

_CURSOR_PREFIX = "case:"


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        return int(text.removeprefix(_CURSOR_PREFIX))
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError(
            "Invalid cursor: pass an endCursor from a previous page",
            extensions={"code": "BAD_CURSOR"},
        ) from None


@strawberry.input(description="All given fields must match.")
class CaseFilter:
    member_state: MemberState | None = None
    status: CaseStatus | None = None
    procedure: Procedure | None = None
    nationality: str | None = strawberry.field(default=None, description="ISO alpha-2 code.")

    def value(self) -> CaseFilterValue:
        p = Problems()
        country(p, "filter.nationality", self.nationality)
        raise_if_invalid(p)
        return CaseFilterValue(
            member_state=self.member_state.value if self.member_state else None,
            status=self.status.value if self.status else None,
            procedure=self.procedure.value if self.procedure else None,
            nationality=self.nationality,
        )


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


def _case_id(value: strawberry.ID, field: str = "id") -> str:
    """A case id argument as the read models hold it; anything else is INVALID_INPUT."""
    p = Problems()
    case_id = uuid_text(p, field, value)
    raise_if_invalid(p)
    return case_id or ""


@strawberry.type
class CaseQuery:
    @strawberry.field(description="One case by id, as it stands now.")
    async def case(self, info: Info[Context, None], id: strawberry.ID) -> Case | None:
        row = await info.context.run(info.context.reads.cases.case, _case_id(id))
        return case_from_row(row) if row else None

    @strawberry.field(description="Cases, newest first. `first` is at most 100.")
    async def cases(
        self,
        info: Info[Context, None],
        filter: CaseFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> CaseConnection:
        check_page(first)
        criteria = filter.value() if filter else CaseFilterValue()
        before = decode_cursor(after) if after else None
        ctx = info.context
        rows = await ctx.run(ctx.reads.cases.cases, criteria, first, before)
        edges = [CaseEdge(cursor=encode_cursor(r["seq"]), node=node)
                 for r, node in readable(rows[:first], case_from_row, "case_id")]

        async def count() -> int:
            return int(await ctx.run(ctx.reads.cases.count, criteria))

        return CaseConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > first,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            _count=count,
        )

    @strawberry.field(description="Every event of a case in order, with envelope and payload.")
    async def case_timeline(
        self,
        info: Info[Context, None],
        case_id: strawberry.ID,
        filter: TimelineFilterInput | None = None,
    ) -> list[TimelineEvent]:
        criteria = None
        case = _case_id(case_id, "caseId")
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

    @strawberry.field(description="The rules the ledger enforces, with their legal sources.")
    def rules(self) -> list[Rule]:
        return [Rule(code=r.code, article=r.article, summary=r.summary) for r in RULES.values()]

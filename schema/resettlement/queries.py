"""Resettlement queries: one admission file, the files with filters and keyset pagination, and
the Union plan of a period."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from projections.admission_queries import AdmissionFilter as AdmissionFilterValue
from schema.context import Context
from schema.enums import AdmissionStatus, MemberState
from schema.input_checks import case_id_argument
from schema.pagination import Cursor, page, window
from schema.resettlement.types import (
    Admission,
    AdmissionConnection,
    UnionResettlementPlan,
    admission_from_row,
)

CURSOR = Cursor("admission")


@strawberry.input(description="All given fields must match.")
class AdmissionFilter:
    member_state: MemberState | None = None
    status: AdmissionStatus | None = None
    plan_period_start: int | None = None

    def value(self) -> AdmissionFilterValue:
        return AdmissionFilterValue(
            member_state=self.member_state.value if self.member_state else None,
            status=self.status.value if self.status else None,
            plan_period_start=self.plan_period_start)


@strawberry.type
class ResettlementQuery:
    @strawberry.field(description="One admission file by id (the `caseId` its steps return).")
    async def admission(self, info: Info[Context, None], id: strawberry.ID) -> Admission | None:
        reads = info.context.reads.admissions
        row = await info.context.run(reads.admission, str(case_id_argument(id)))
        return admission_from_row(row, reads.now) if row else None

    @strawberry.field(description="Admission files in registration order, paged forward "
                                  "(`first`/`after`) or backward (`last`/`before`); at most 100.")
    async def admissions(
        self, info: Info[Context, None], filter: AdmissionFilter | None = None,
        first: int | None = None, after: str | None = None,
        last: Annotated[int | None, strawberry.argument(
            description="Page size from the end (or from `before`).")] = None,
        before: Annotated[str | None, strawberry.argument(
            description="A cursor (`startCursor`): the page ends before it.")] = None,
    ) -> AdmissionConnection:
        w = window(CURSOR, (int,), first, after, last, before)
        criteria = filter.value() if filter else AdmissionFilterValue()
        ctx = info.context
        reads = ctx.reads.admissions
        rows = await ctx.run(reads.admissions, criteria, w.size,
                             w.after[0] if w.after else None,
                             w.before[0] if w.before else None, w.backward)
        now = reads.now
        edges, page_info = page(rows, w, lambda r: CURSOR.encode(r["seq"]),
                                lambda r: admission_from_row(r, now))

        async def count() -> int:
            return int(await ctx.run(reads.count, criteria))

        return AdmissionConnection(edges=edges, page_info=page_info, _count=count)

    @strawberry.field(description="The Union Resettlement and Humanitarian Admission Plan whose "
                                  "two-year period starts in `periodStart` (URF Art 8).")
    async def union_resettlement_plan(self, info: Info[Context, None],
                                      period_start: int) -> UnionResettlementPlan | None:
        view = await info.context.run(info.context.reads.admissions.plan, period_start)
        return UnionResettlementPlan.of(view) if view else None

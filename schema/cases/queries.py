"""Case queries: one case, and the case list with filters and keyset pagination."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from ledger.validation import Problems
from projections.queries import CaseFilter as CaseFilterValue
from schema.cases.types import Case, CaseConnection, case_from_row
from schema.context import Context
from schema.enums import CaseStatus, MemberState, Procedure
from schema.input_checks import case_id_argument, country, raise_if_invalid
from schema.pagination import After, Before, Cursor, First, Last, page, window
from schema.personal import person_ahead, selects

CURSOR = Cursor("case")


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


@strawberry.type
class CaseQuery:
    @strawberry.field(description="One case by id, as it stands now.")
    async def case(self, info: Info[Context, None], id: strawberry.ID) -> Case | None:
        row = await info.context.run(info.context.reads.cases.case, case_id_argument(id))
        return case_from_row(row) if row else None

    @strawberry.field(description="Cases, newest first: `first` (with `after`) pages forward, "
                                  "`last` (with `before`) backward; a page holds at most 100.")
    async def cases(
        self,
        info: Info[Context, None],
        filter: CaseFilter | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CaseConnection:
        w = window(CURSOR, (int,), first, after, last, before)
        criteria = filter.value() if filter else CaseFilterValue()
        ctx = info.context

        def read() -> tuple[list[Any], Any]:
            rows = ctx.reads.cases.cases(criteria, w.size, w.after[0] if w.after else None,
                                         w.before[0] if w.before else None, w.backward)
            edges, page_info = page(rows, w, lambda r: CURSOR.encode(r["seq"]), case_from_row)
            if ctx.personal.allowed:  # `person` selected: opened and logged in this same trip
                openings = person_ahead(info, (
                    (str(e.node.case_id), e.node.member_state.value) for e in edges))
                if openings and not selects(info, "nodes"):
                    # each case reached only through its edge: kept on the case itself
                    opened = ctx.personal.open_now(openings) or []
                    for e, (view, _values) in zip(edges, opened, strict=True):
                        e.node._person_opened = e.node._person(view)
                else:
                    ctx.personal.open_ahead(openings)
            return edges, page_info

        edges, page_info = await ctx.run(read)

        async def count() -> int:
            return int(await ctx.run(ctx.reads.cases.count, criteria))

        return CaseConnection(edges=edges, page_info=page_info, _count=count)

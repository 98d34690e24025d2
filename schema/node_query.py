"""`node(id:)`: any object with a global id, read through the same scoped reads as every other
query. An id that does not parse, names an unknown object, or one the token may not read gives
null alike: the answer never tells an object outside the token's scope from a missing one."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from ledger.errors import LedgerError
from schema.cases.types import Case, case_from_row, decisions_of
from schema.context import Context
from schema.deadlines.types import Deadline, deadline_from_row
from schema.global_ids import CASE, CYCLE, DEADLINE, DECISION, EVENT, Node, parse_global_id
from schema.solidarity.cycle import SolidarityCycle
from schema.timeline.types import timeline_event


async def _case(ctx: Context, case_id: str) -> Case | None:
    row = await ctx.run(ctx.reads.cases.case, str(UUID(case_id)))
    return case_from_row(row) if row else None


async def _deadline(ctx: Context, case_id: str, code: str, opened: str) -> Deadline | None:
    if await _case(ctx, case_id) is None:  # the case's scope decides, as for its other reads
        return None
    reads = ctx.reads.deadlines
    now = reads.now()
    rows = await ctx.run(reads.for_case, str(UUID(case_id)))
    return next((deadline_from_row(r, now) for r in rows
                 if r["code"] == code and str(r["opened_position"]) == opened), None)


async def resolve_node(ctx: Context, id: str) -> Node | None:
    parsed = parse_global_id(id)
    if parsed is None:
        return None
    kind, parts = parsed
    if kind == CASE and len(parts) == 1:
        return await _case(ctx, parts[0])
    if kind == EVENT and len(parts) == 1:
        rows = await ctx.run(ctx.reads.cases.events_at, (int(parts[0]),))
        return timeline_event(rows[0]) if rows else None
    if kind == DECISION and len(parts) == 2:
        case_id, number = str(UUID(parts[0])), parts[1]
        row = await ctx.run(ctx.reads.cases.case, case_id)
        found = [d for d in decisions_of(case_id, row["decisions"])
                 if str(d.decision_no) == number] if row else []
        return found[0] if found else None
    if kind == DEADLINE and len(parts) == 3:
        return await _deadline(ctx, *parts)
    if kind == CYCLE and len(parts) == 1:
        view = await ctx.run(ctx.reads.solidarity.cycle, int(parts[0]), None)
        return SolidarityCycle.of(view) if view else None
    return None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object with a global id (a case, an event, a decision, a "
                                  "deadline, a solidarity cycle), read within the token's scope "
                                  "like every other read; null when the id is unknown, malformed "
                                  "or outside the scope (the answer does not tell these apart).")
    async def node(self, info: Info[Context, None], id: Annotated[
            strawberry.ID, strawberry.argument(
                description="A global id, as an object's `id` gives it.")]) -> Node | None:
        try:
            return await resolve_node(info.context, str(id))
        except (LedgerError, ValueError):
            return None

"""The personal-data access log over GraphQL: every read of a case's personal data, for
auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from ledger.validation import Problems
from projections.db import Row
from projections.encoding import loads, parse_time
from projections.personal_data_log import AccessFilter
from schema.context import Context
from schema.enums import MemberState
from schema.input_checks import aware, raise_if_invalid, text, uuid_text
from schema.pagination import Connection, Cursor, Edge, page, window

CURSOR = Cursor("access")


@strawberry.type(description="One read of a case's personal data: who, when, which fields.")
class AccessLogEntry:
    id: strawberry.ID
    at: datetime
    subject: str = strawberry.field(description="The reader (the token's subject).")
    role: str
    authority: str
    member_state: str = strawberry.field(description="The reader's member state, or EU.")
    case_id: strawberry.ID
    case_member_state: MemberState = strawberry.field(
        description="The member state of the case read.")
    fields: list[str] = strawberry.field(description="The personal fields read.")
    via: str = strawberry.field(description="Where in the response they went, e.g. "
                                            "cases.edges.0.node.person.")


@strawberry.type
class AccessLogEdge(Edge[AccessLogEntry]):
    """Named for the log, not its entry type (`AccessLogEntryEdge` is strawberry's default)."""


@strawberry.type(description="A page of the access log, newest first.")
class AccessLogConnection(Connection[AccessLogEntry]):
    edges: list[AccessLogEdge]  # type: ignore[assignment]


@strawberry.type
class AccessLogQuery:
    @strawberry.field(description="Reads of personal data, newest first. Auditors only; a "
                                  "national auditor sees those of its member state's cases. "
                                  "A page holds at most 100 (`first`, or `last` to page backward).")
    async def access_log(
        self, info: Info[Context, None], case_id: strawberry.ID | None = None,
        subject: str | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None, first: int | None = None, after: str | None = None,
        last: Annotated[int | None, strawberry.argument(
            description="Page size from the end (or from `before`).")] = None,
        before: Annotated[str | None, strawberry.argument(
            description="A cursor (`startCursor`): the page ends before it.")] = None,
    ) -> AccessLogConnection:
        w = window(CURSOR, (int,), first, after, last, before)
        p = Problems()
        case = uuid_text(p, "caseId", case_id)
        text(p, "subject", subject)
        aware(p, "from", from_)
        aware(p, "to", to)
        raise_if_invalid(p)
        criteria = AccessFilter(case_id=case, subject=subject, at_from=from_, at_to=to)
        ctx = info.context
        rows = await ctx.run(ctx.reads.access_log.entries, criteria, w.size,
                             w.after[0] if w.after else None,
                             w.before[0] if w.before else None, w.backward)
        edges, page_info = page(rows, w, lambda r: CURSOR.encode(r["id"]), access_entry,
                                AccessLogEdge)
        return AccessLogConnection(edges=edges, page_info=page_info)  # type: ignore[arg-type]


def access_entry(r: Row) -> AccessLogEntry:
    return AccessLogEntry(
        id=strawberry.ID(str(r["id"])), at=parse_time(r["at"]),  # type: ignore[arg-type]
        subject=r["subject"], role=r["role"], authority=r["authority"],
        member_state=r["member_state"], case_id=strawberry.ID(r["case_id"]),
        case_member_state=MemberState(r["case_member_state"]), fields=loads(r["fields"]),
        via=r["via"])

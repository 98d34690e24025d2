"""The access log over GraphQL: every read of a case's personal data, for auditors."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from ledger.validation import Problems
from projections.encoding import loads, parse_time
from projections.personal_data_log import AccessFilter
from schema.context import Context
from schema.input_checks import aware, check_page, raise_if_invalid, text, uuid_text
from schema.types import PageInfo

_PREFIX = "access:"


@strawberry.type(description="One read of a case's personal data: who, when, which fields.")
class AccessLogEntry:
    id: strawberry.ID
    at: datetime
    subject: str = strawberry.field(description="The reader (the token's subject).")
    role: str
    authority: str
    member_state: str = strawberry.field(description="The reader's member state, or EU.")
    case_id: strawberry.ID
    case_member_state: str
    fields: list[str] = strawberry.field(description="The personal fields read.")
    via: str = strawberry.field(description="Where in the response they went, e.g. "
                                            "cases.edges.0.node.person.")


@strawberry.type
class AccessLogEdge:
    cursor: str
    node: AccessLogEntry


@strawberry.type(description="A page of the access log, newest first.")
class AccessLogConnection:
    edges: list[AccessLogEdge]
    page_info: PageInfo


def _cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{entry_id}".encode()).decode()


def _after(cursor: str) -> int:
    try:
        text_ = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text_.startswith(_PREFIX):
            raise ValueError(text_)
        return int(text_.removeprefix(_PREFIX))
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError("Invalid cursor: pass an endCursor from a previous page",
                           extensions={"code": "BAD_CURSOR"}) from None


@strawberry.type
class AccessLogQuery:
    @strawberry.field(description="Reads of personal data, newest first. Auditors only; a "
                                  "national auditor sees those of its member state's cases. "
                                  "`first` is at most 100.")
    async def access_log(
        self, info: Info[Context, None], case_id: strawberry.ID | None = None,
        subject: str | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None, first: int = 20, after: str | None = None,
    ) -> AccessLogConnection:
        check_page(first)
        p = Problems()
        case = uuid_text(p, "caseId", case_id)
        text(p, "subject", subject)
        aware(p, "from", from_)
        aware(p, "to", to)
        raise_if_invalid(p)
        criteria = AccessFilter(case_id=case, subject=subject, at_from=from_, at_to=to)
        ctx = info.context
        rows = await ctx.run(ctx.reads.access_log.entries, criteria, first,
                             _after(after) if after else None)
        edges = [AccessLogEdge(cursor=_cursor(r["id"]), node=AccessLogEntry(
            id=strawberry.ID(str(r["id"])), at=parse_time(r["at"]),  # type: ignore[arg-type]
            subject=r["subject"], role=r["role"], authority=r["authority"],
            member_state=r["member_state"], case_id=strawberry.ID(r["case_id"]),
            case_member_state=r["case_member_state"], fields=loads(r["fields"]), via=r["via"]))
            for r in rows[:first]]
        return AccessLogConnection(edges=edges, page_info=PageInfo(
            has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None))

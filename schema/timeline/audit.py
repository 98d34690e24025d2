"""For auditors and appeal bodies: the case as it stood at a moment (on either time axis, or at a
version), the trail of each decision, and the decisions under appeal before a body."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types import Info

from ledger.validation import Problems
from projections import decision_trail as trail
from projections.case_details import appeals_from_json
from projections.time_travel import OCCURRED, RECORDED
from schema.cases.types import Case, case_from_row
from schema.context import Context
from schema.enums import MemberState
from schema.envelope import Actor
from schema.input_checks import aware, raise_if_invalid, text


@strawberry.enum(description="Which time a point in the past is measured on.")
class TimeBasis(Enum):
    OCCURRED = OCCURRED  # legal time: what had happened by then
    RECORDED = RECORDED  # recording time: what the ledger knew by then


@strawberry.type
class TrailAppeal:
    appeal_no: int
    appeal_body: str
    lodged_at: datetime
    suspensive: bool = strawberry.field(description="Automatic suspensive effect (APR Art 68).")
    request_to_remain: str | None
    outcome: str | None
    decided_at: datetime | None
    decided_by: Actor | None


@strawberry.type(description="How one decision came about and what became of it.")
class TrailDecision:
    decision_no: int
    type: str
    ground: str
    decided_at: datetime
    notified_at: datetime | None
    decided_by: Actor
    by_court: bool
    procedure: str | None
    procedure_grounds: list[str]
    legal_basis: JSON
    evidence_refs: list[str]
    interviews: JSON = strawberry.field(description="Interviews held before this decision.")
    return_decision: JSON | None
    return_exception: str | None
    deadlines: JSON = strawberry.field(
        description="Examination deadline met (or not) by the decision; appeal periods it opened.")
    appeals: list[TrailAppeal]
    final_at: datetime | None
    stands: bool = strawberry.field(description="The decision that finally stands.")


@strawberry.type(description="A case with an appeal pending.")
class PendingAppeal:
    case: Case
    appeal_no: int
    appeal_body: str
    lodged_at: datetime
    suspensive: bool
    decision_no: int


def _actor(value: dict[str, str] | None) -> Actor | None:
    return Actor(**value) if value else None


def _uuid(value: strawberry.ID) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise GraphQLError("caseId is not a case id", extensions={"code": "BAD_ID"}) from None


def _trail(d: trail.TrailDecision) -> TrailDecision:
    return TrailDecision(
        decision_no=d.decision_no, type=d.type, ground=d.ground, decided_at=d.decided_at,
        notified_at=d.notified_at, decided_by=_actor(vars(d.decided_by)),  # type: ignore[arg-type]
        by_court=d.by_court, procedure=d.procedure, procedure_grounds=d.procedure_grounds,
        legal_basis=d.legal_basis, evidence_refs=d.evidence_refs,  # type: ignore[arg-type]
        interviews=d.interviews, return_decision=d.return_decision,  # type: ignore[arg-type]
        return_exception=d.return_exception,
        deadlines=[{k: row[k] for k in ("code", "version", "article", "started_at",  # type: ignore[arg-type]
                                        "due_at", "met_at", "met_by")} for row in d.deadlines],
        appeals=[TrailAppeal(appeal_no=a.appeal_no, appeal_body=a.appeal_body,
                             lodged_at=a.lodged_at, suspensive=a.suspensive,
                             request_to_remain=a.request_to_remain, outcome=a.outcome,
                             decided_at=a.decided_at,
                             decided_by=_actor(vars(a.decided_by)) if a.decided_by else None)
                 for a in d.appeals],
        final_at=d.final_at, stands=d.stands)


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The case as it stood at `at` (legal or recording time), or at "
                                  "a stream `version`. Read from the event store itself.")
    async def case_as_of(self, info: Info[Context, None], case_id: strawberry.ID,
                         at: datetime | None = None, basis: TimeBasis = TimeBasis.OCCURRED,
                         version: int | None = None) -> Case | None:
        history = info.context.reads.history
        if history is None or (at is None) == (version is None):
            raise GraphQLError("Give exactly one of `at` and `version`",
                               extensions={"code": "BAD_ARGUMENTS"})
        p = Problems()
        aware(p, "at", at)
        raise_if_invalid(p)
        case = _uuid(case_id)
        if version is not None:
            row = await info.context.run(history.at_version, case, version)
        else:
            row = await info.context.run(history.as_of, case, at, basis.value)
        return case_from_row(row) if row else None

    @strawberry.field(description="Each decision of a case with its trail, in order.")
    async def decision_trail(self, info: Info[Context, None],
                             case_id: strawberry.ID) -> list[TrailDecision]:
        ctx, case = info.context, str(_uuid(case_id))
        row = await ctx.run(ctx.reads.cases.case, case)
        if row is None:
            return []
        timeline = await ctx.run(ctx.reads.cases.timeline, case)
        deadlines = await ctx.run(ctx.reads.deadlines.for_case, case)
        events = await ctx.run(ctx.reads.history.events, UUID(case))
        return [_trail(d) for d in trail.build_trail(events, timeline, deadlines,
                                                     row["standing_decision_no"])]

    @strawberry.field(description="Decisions under appeal, optionally before one appeal body.")
    async def decisions_under_appeal(self, info: Info[Context, None],
                                     appeal_body: str | None = None,
                                     member_state: MemberState | None = None
                                     ) -> list[PendingAppeal]:
        p = Problems()
        text(p, "appealBody", appeal_body)
        raise_if_invalid(p)
        ctx = info.context
        rows = await ctx.run(ctx.reads.cases.under_appeal, appeal_body,
                             member_state.value if member_state else None)
        result = []
        for row in rows:
            appeal = appeals_from_json(row["appeals"])[row["pending_appeal_no"] - 1]
            result.append(PendingAppeal(
                case=case_from_row(row), appeal_no=appeal.appeal_no,
                appeal_body=appeal.appeal_body, lodged_at=appeal.lodged_at,
                suspensive=appeal.suspensive, decision_no=appeal.decision_no))
        return result

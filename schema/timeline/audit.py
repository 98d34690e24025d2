"""For auditors and appeal bodies: the case as it stood at a moment (on either time axis, or at a
version), the trail of each decision, and the decisions under appeal before a body."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from ledger.validation import Problems
from projections import decision_trail as trail
from projections.case_details import appeals_from_json
from projections.encoding import parse_time
from projections.tables import CaseRow
from projections.time_travel import OCCURRED, RECORDED
from schema.cases.types import Case, case_from_row
from schema.context import Context
from schema.enums import AppealOutcome, DecisionType, MemberState, Procedure
from schema.envelope import Actor, LegalBasis
from schema.global_ids import unwrap_case_id
from schema.input_checks import aware, raise_if_invalid, text
from schema.pagination import After, Before, Connection, Cursor, First, Last, page, window


@strawberry.enum(description="Which time a point in the past is measured on.")
class TimeBasis(Enum):
    OCCURRED = OCCURRED  # legal time: what had happened by then
    RECORDED = RECORDED  # recording time: what the ledger knew by then


@strawberry.type(description="An appeal against a decision, as the trail shows it (APR Arts "
                             "67-68).")
class TrailAppeal:
    appeal_no: int = strawberry.field(description="Number of the appeal in its case (from 1).")
    appeal_body: str = strawberry.field(description="The court or tribunal seized.")
    lodged_at: datetime = strawberry.field(description="Legal time the appeal was lodged.")
    suspensive: bool = strawberry.field(description="Automatic suspensive effect (APR Art 68).")
    request_to_remain: str | None = strawberry.field(description=(
        "PENDING, GRANTED or REFUSED: the request to remain pending the appeal (APR Art 68); "
        "null if none was made."))
    outcome: AppealOutcome | None = strawberry.field(
        description="How the appeal was disposed of (APR Art 67); null while pending.")
    decided_at: datetime | None = strawberry.field(description="Legal time of the ruling.")
    decided_by: Actor | None = strawberry.field(description="Who recorded the ruling.")


@strawberry.type(description="A personal interview held before a decision (APR Arts 11-14).")
class TrailInterview:
    interview_ref: str | None = strawberry.field(
        description="Reference of the interview's report or recording (APR Art 14).")
    language: str | None = strawberry.field(description="Language of the interview.")
    interpreter: bool | None = strawberry.field(description="An interpreter took part (Art 13).")
    held_at: datetime | None = strawberry.field(description="Legal time of the interview.")
    held_by: Actor | None = strawberry.field(description="Who recorded the interview.")


@strawberry.type(description="A return decision issued jointly with the decision (APR Art 37).")
class TrailReturnDecision:
    issued_at: datetime = strawberry.field(description="Legal time of the return decision.")
    voluntary_departure_days: int | None = strawberry.field(description=(
        "Period for voluntary departure in days (Return Directive 2008/115/EC Art 7)."))


@strawberry.type(description="A deadline a decision met (the examination time limit) or opened "
                             "(an appeal period).")
class TrailDeadline:
    code: str = strawberry.field(description="The obligation's rule code, e.g. REGULAR.")
    version: str = strawberry.field(description="The rule version it was computed with.")
    article: str = strawberry.field(description="The provision that sets the deadline.")
    started_at: datetime | None = strawberry.field(description="When the period started.")
    due_at: datetime | None = strawberry.field(description="When it falls due.")
    met_at: datetime | None = strawberry.field(description="Legal time of the meeting step.")
    met_by: str | None = strawberry.field(description="Event type of the meeting step.")


@strawberry.type(description="How one decision came about and what became of it.")
class TrailDecision:
    decision_no: int = strawberry.field(description="Number of the decision in its case.")
    type: DecisionType = strawberry.field(description="What was decided (APR Arts 35-41).")
    ground: str = strawberry.field(description="The ground given for the decision.")
    decided_at: datetime = strawberry.field(description="Legal time of the decision.")
    notified_at: datetime | None = strawberry.field(description=(
        "When the applicant was notified; appeal periods run from it (APR Art 67)."))
    decided_by: Actor = strawberry.field(description="Who recorded the decision.")
    by_court: bool = strawberry.field(description="Substituted by a court on appeal (APR Art 67).")
    procedure: Procedure | None = strawberry.field(
        description="The examination procedure the decision was taken in.")
    procedure_grounds: list[str] = strawberry.field(description=(
        "Grounds for the procedure, e.g. for an accelerated one (APR Art 42(1)(a)-(j))."))
    legal_basis: list[LegalBasis] = strawberry.field(
        description="The provisions recorded with the decision.")
    evidence_refs: list[str] = strawberry.field(description="Documents the decision refers to.")
    interviews: list[TrailInterview] = strawberry.field(
        description="Interviews held before this decision.")
    return_decision: TrailReturnDecision | None = strawberry.field(
        description="The return decision issued with it, if any (APR Art 37).")
    return_exception: str | None = strawberry.field(
        description="Why no return decision was issued with a rejection, if none was.")
    deadlines: list[TrailDeadline] = strawberry.field(
        description="Examination deadline met (or not) by the decision; appeal periods it opened.")
    appeals: list[TrailAppeal] = strawberry.field(description="Appeals against it, in order.")
    final_at: datetime | None = strawberry.field(
        description="When the decision became final (no further remedy); null if not yet.")
    stands: bool = strawberry.field(description="The decision that finally stands.")


@strawberry.type(description="A case with an appeal pending.")
class PendingAppeal:
    case: Case
    appeal_no: int
    appeal_body: str
    lodged_at: datetime
    suspensive: bool
    decision_no: int


def _pending(row: CaseRow) -> PendingAppeal:
    pending = row["pending_appeal_no"]
    assert pending is not None
    appeal = appeals_from_json(row["appeals"])[pending - 1]
    return PendingAppeal(case=case_from_row(row), appeal_no=appeal.appeal_no,
                         appeal_body=appeal.appeal_body, lodged_at=appeal.lodged_at,
                         suspensive=appeal.suspensive, decision_no=appeal.decision_no)


#: Cursors of `appealsPending`: the case list's `seq`.
_APPEALS = Cursor("appeal")
#: The deprecated unpaged `decisionsUnderAppeal` serves at most this many (a Union-wide list
#: would be read and sent whole on every request).
MAX_UNDER_APPEAL = 1000


@strawberry.type(description="A page of cases with an appeal pending.")
class PendingAppealConnection(Connection[PendingAppeal]):
    @strawberry.field(description="Cases with an appeal pending that match, over all pages.")
    async def total_count(self) -> int:
        return await self.count()


def _actor(value: dict[str, str] | None) -> Actor | None:
    return Actor(**value) if value else None


def _uuid(value: strawberry.ID) -> UUID:
    try:
        return UUID(str(unwrap_case_id(value)))
    except ValueError:
        raise GraphQLError("caseId is not a case id", extensions={"code": "BAD_ID"}) from None


def _interview(i: dict[str, Any]) -> TrailInterview:
    return TrailInterview(interview_ref=i.get("interview_ref"), language=i.get("language"),
                          interpreter=i.get("interpreter"), held_at=parse_time(i.get("held_at")),
                          held_by=_actor(i.get("by")))


def _deadline(row: Any) -> TrailDeadline:
    return TrailDeadline(code=row["code"], version=row["version"], article=row["article"],
                         started_at=parse_time(row["started_at"]),
                         due_at=parse_time(row["due_at"]), met_at=parse_time(row["met_at"]),
                         met_by=row["met_by"])


def _trail(d: trail.TrailDecision) -> TrailDecision:
    ret = d.return_decision
    return TrailDecision(
        decision_no=d.decision_no, type=DecisionType(d.type), ground=d.ground,
        decided_at=d.decided_at, notified_at=d.notified_at,
        decided_by=_actor(vars(d.decided_by)),  # type: ignore[arg-type]
        by_court=d.by_court, procedure=Procedure(d.procedure) if d.procedure else None,
        procedure_grounds=d.procedure_grounds,
        legal_basis=[LegalBasis(act=b["act"], article=b["article"]) for b in d.legal_basis],
        evidence_refs=d.evidence_refs, interviews=[_interview(i) for i in d.interviews],
        return_decision=None if ret is None else TrailReturnDecision(
            issued_at=parse_time(ret["issued_at"]),  # type: ignore[arg-type]
            voluntary_departure_days=ret["voluntary_departure_days"]),
        return_exception=d.return_exception,
        deadlines=[_deadline(row) for row in d.deadlines],
        appeals=[TrailAppeal(appeal_no=a.appeal_no, appeal_body=a.appeal_body,
                             lodged_at=a.lodged_at, suspensive=a.suspensive,
                             request_to_remain=a.request_to_remain,
                             outcome=AppealOutcome(a.outcome) if a.outcome else None,
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

    @strawberry.field(description="Decisions under appeal, optionally before one appeal body: "
                                  f"at most {MAX_UNDER_APPEAL:,}, else the error "
                                  "`TOO_MANY_RESULTS`.",
                      deprecation_reason="Read `appealsPending` (paged both ways, with "
                                         "`totalCount`).")
    async def decisions_under_appeal(self, info: Info[Context, None],
                                     appeal_body: str | None = None,
                                     member_state: MemberState | None = None
                                     ) -> list[PendingAppeal]:
        p = Problems()
        text(p, "appealBody", appeal_body)
        raise_if_invalid(p)
        ctx = info.context
        rows = await ctx.run(ctx.reads.cases.under_appeal, appeal_body,
                             member_state.value if member_state else None,
                             MAX_UNDER_APPEAL + 1)
        if len(rows) > MAX_UNDER_APPEAL:
            # a list cut short would say "these are all"; the paged field says what it holds
            raise GraphQLError(
                f"More than {MAX_UNDER_APPEAL:,} decisions are under appeal here: narrow it "
                "(`appealBody`, `memberState`) or read `appealsPending` (paged, with "
                "`totalCount`)", extensions={"code": "TOO_MANY_RESULTS"})
        return [_pending(row) for row in rows]

    @strawberry.field(description="Cases with an appeal pending (APR Art 67; AMMR Art 43 for "
                                  "transfer decisions come under `responsibility`), oldest "
                                  "first, optionally before one appeal body; paged forward "
                                  "(`first`/`after`) or backward (`last`/`before`), at most 100.")
    async def appeals_pending(
        self, info: Info[Context, None],
        appeal_body: Annotated[str | None, strawberry.argument(
            description="Only appeals before this body.")] = None,
        member_state: Annotated[MemberState | None, strawberry.argument(
            description="Only cases of this member state.")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> PendingAppealConnection:
        w = window(_APPEALS, (int,), first, after, last, before)
        p = Problems()
        text(p, "appealBody", appeal_body)
        raise_if_invalid(p)
        ctx, state = info.context, member_state.value if member_state else None
        rows = await ctx.run(ctx.reads.cases.appeals_pending, appeal_body, state, w.size,
                             w.after[0] if w.after else None,
                             w.before[0] if w.before else None, w.backward)
        edges, page_info = page(rows, w, lambda r: _APPEALS.encode(r["seq"]), _pending)

        async def count() -> int:
            return int(await ctx.run(ctx.reads.cases.appeals_pending_count, appeal_body, state))

        return PendingAppealConnection(edges=edges, page_info=page_info, _count=count)

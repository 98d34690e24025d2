"""GraphQL types of the resettlement read model: an admission file with its decision's time
limit and timeline, a page of files, and the Union plan with the contributions made to it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from ledger.deadlines.lateness import recorded_late
from ledger.resettlement.parameters import DEFAULT_SOLIDARITY_LINK
from projections.admission_queries import PlanView, decision_status
from projections.admissions import AdmissionRow
from projections.db import Row
from projections.encoding import loads, parse_time
from schema.context import Context
from schema.enums import (
    AdmissionProcedure,
    AdmissionStatus,
    AdmissionType,
    DeadlineStatus,
    DiscontinuanceReason,
    MemberState,
    ProtectionStatus,
    ReferringBody,
    RefusalGround,
)
from schema.pagination import After, Before, Connection, Cursor, First, Last, page, window
from schema.scalars import Cents
from schema.timeline.queries import TimelineEventConnection
from schema.timeline.types import TimelineEvent, timeline_event


def resettlement_event(row: Row) -> TimelineEvent:
    """A resettlement event in the timeline's shape: its stream (`caseId`) is the admission
    file's or the plan's id."""
    occurred_at, recorded_at = parse_time(row["occurred_at"]), parse_time(row["recorded_at"])
    assert occurred_at is not None and recorded_at is not None
    return timeline_event(row, "aggregate_id", phase="RESETTLEMENT",
                          recorded_late=recorded_late(occurred_at, recorded_at))


@strawberry.type(description="The time limit for the admission decision, counted by Reg. "
                             "1182/71 in the admitting member state's calendar.")
class AdmissionDeadline:
    code: str
    version: str
    act: str
    article: str
    confirmed: bool = strawberry.field(description="False: the sources do not confirm the "
                                                   "period; it is a parameter.")
    due_at: datetime
    status: DeadlineStatus
    counting: str = strawberry.field(description="How the due moment was counted.")


@strawberry.type(description="An admission file under the Union Resettlement and Humanitarian "
                             "Admission Framework (URF (EU) 2024/1350): its own case type.")
class Admission:
    id: strawberry.ID
    version: int
    member_state: MemberState
    reference: str
    admission_type: AdmissionType
    procedure: AdmissionProcedure
    plan_period_start: int
    referred_by: ReferringBody
    referral_ref: str
    nationality: str
    country_of_residence: str
    vulnerable: bool
    persons: int
    status: AdmissionStatus
    registered_at: datetime
    assessed_at: datetime | None
    consented_at: datetime | None
    decided_at: datetime | None
    granted: bool | None
    refusal_grounds: list[RefusalGround] = strawberry.field(
        description="Grounds of URF Art 6(1) found at the assessment ((f) derived by the ledger).")
    arrived_at: datetime | None
    protection_status: ProtectionStatus | None
    lump_sum_cents: Cents | None = strawberry.field(
        description="AMIF lump sum for the arrival (URF Art 14 amending AMIF Art 19).")
    counts_toward_solidarity: bool | None = strawberry.field(
        description="Whether the arrival counts toward AMMR solidarity, as the (unconfirmed) "
                    "parameter stood when it was recorded; see `solidarityBasis`.")
    solidarity_basis: str | None
    discontinued_at: datetime | None
    discontinuance_reason: DiscontinuanceReason | None
    decision_deadline: AdmissionDeadline

    @strawberry.field(description="The file's events, oldest first.",
                      deprecation_reason="Read `events` (paged both ways, with `totalCount`): "
                                         "consent may be recorded more than once, so the list "
                                         "is not bounded.")
    async def timeline(self, info: Info[Context, None]) -> list[TimelineEvent]:
        rows = await info.context.run(info.context.reads.admissions.timeline, str(self.id))
        return [resettlement_event(r) for r in rows]

    @strawberry.field(description="The file's events in their order (of its stream): `first` "
                                  "(with `after`) pages forward, `last` (with `before`) "
                                  "backward; a page holds at most 100.")
    async def events(
        self, info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> TimelineEventConnection:
        w = window(_EVENTS, (int,), first, after, last, before)
        ctx, file = info.context, str(self.id)
        rows = await ctx.run(ctx.reads.admissions.timeline_page, file, w.size + 1,
                             w.after[0] if w.after else None, w.before[0] if w.before else None,
                             w.backward)
        edges, page_info = page(rows, w, lambda r: _EVENTS.encode(r["version"]),
                                resettlement_event)

        async def count() -> int:
            return int(await ctx.run(ctx.reads.admissions.timeline_count, file))

        return TimelineEventConnection(edges=edges, page_info=page_info, _count=count)


#: Cursors of an admission file's `events`: the event's version in the file's stream.
_EVENTS = Cursor("admission-event")


def _time(text: str | None) -> datetime | None:
    return parse_time(text)


def admission_from_row(row: AdmissionRow, now: datetime) -> Admission:
    granted, counts = row["granted"], row["counts_toward_solidarity"]
    due = parse_time(row["decision_due_at"])
    registered = parse_time(row["registered_at"])
    assert due is not None and registered is not None
    return Admission(
        id=strawberry.ID(row["admission_id"]), version=row["version"],
        member_state=MemberState(row["member_state"]), reference=row["reference"],
        admission_type=AdmissionType(row["admission_type"]),
        procedure=AdmissionProcedure(row["procedure"]),
        plan_period_start=row["plan_period_start"],
        referred_by=ReferringBody(row["referred_by"]), referral_ref=row["referral_ref"],
        nationality=row["nationality"], country_of_residence=row["country_of_residence"],
        vulnerable=bool(row["vulnerable"]), persons=row["persons"],
        status=AdmissionStatus(row["status"]), registered_at=registered,
        assessed_at=_time(row["assessed_at"]), consented_at=_time(row["consented_at"]),
        decided_at=_time(row["decided_at"]), granted=None if granted is None else bool(granted),
        refusal_grounds=[RefusalGround(g) for g in loads(row["refusal_grounds"])],
        arrived_at=_time(row["arrived_at"]),
        protection_status=(ProtectionStatus(row["protection_status"])
                           if row["protection_status"] else None),
        lump_sum_cents=row["lump_sum_cents"],  # type: ignore[arg-type]
        counts_toward_solidarity=None if counts is None else bool(counts),
        solidarity_basis=row["solidarity_basis"], discontinued_at=_time(row["discontinued_at"]),
        discontinuance_reason=(DiscontinuanceReason(row["discontinuance_reason"])
                               if row["discontinuance_reason"] else None),
        decision_deadline=AdmissionDeadline(
            code=row["deadline_code"], version=row["deadline_version"],
            act=row["deadline_act"], article=row["deadline_article"],
            confirmed=bool(row["deadline_confirmed"]), due_at=due,
            status=DeadlineStatus(decision_status(row, now).value),
            counting=loads(row["deadline_counting"])["explanation"]),
    )


@strawberry.type(description="A page of admission files, in registration order.")
class AdmissionConnection(Connection[Admission]):
    @strawberry.field(description="Admission files matching the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The admission files of this page (the edges' nodes).")
    def nodes(self) -> list[Admission]:
        return self.page_nodes()


@strawberry.type(description="One member state's contribution to the Union plan (voluntary, "
                             "URF Art 1(4)) beside the persons who arrived under it.")
class PlanContribution:
    member_state: MemberState
    admission_type: AdmissionType
    pledged: int
    arrived: int
    counted_toward_solidarity: int = strawberry.field(
        description="Of the arrivals, those recorded as counting toward AMMR solidarity.")


@strawberry.type(description="The two-year Union Resettlement and Humanitarian Admission Plan "
                             "(URF Art 8), adopted by a Council implementing act.")
class UnionResettlementPlan:
    period_start: int
    period_end: int
    council_act: str
    adopted_at: datetime
    resettlement: int
    humanitarian_admission: int
    emergency_admission: int
    total: int
    contributions: list[PlanContribution]
    solidarity_link: str = strawberry.field(
        description="Whether arrivals count toward AMMR solidarity (a parameter) and why.")

    @classmethod
    def of(cls, view: PlanView) -> UnionResettlementPlan:
        p = view.plan
        adopted = parse_time(p["adopted_at"])
        assert adopted is not None
        contributions = []
        for c in view.contributions:
            for kind, pledged in (("RESETTLEMENT", c["resettlement"]),
                                  ("HUMANITARIAN_ADMISSION", c["humanitarian_admission"]),
                                  ("EMERGENCY_ADMISSION", c["emergency_admission"])):
                arrived, counted = view.arrived.get((c["member_state"], kind), (0, 0))
                contributions.append(PlanContribution(
                    member_state=MemberState(c["member_state"]),
                    admission_type=AdmissionType(kind), pledged=pledged, arrived=arrived,
                    counted_toward_solidarity=counted))
        link = DEFAULT_SOLIDARITY_LINK
        return cls(period_start=p["period_start"], period_end=p["period_end"],
                   council_act=p["council_act"], adopted_at=adopted,
                   resettlement=p["resettlement"],
                   humanitarian_admission=p["humanitarian_admission"],
                   emergency_admission=p["emergency_admission"],
                   total=p["resettlement"] + p["humanitarian_admission"]
                   + p["emergency_admission"], contributions=contributions,
                   solidarity_link=f"{'counted' if link.counts else 'not counted'}: "
                                   f"{link.basis}")

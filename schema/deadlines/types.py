"""Output types of the deadline engine and the crisis overlay.

Status and breach depend on the moment asked about; they are computed from the row by the same
value object the engine uses (`ledger.deadlines.deadline.Deadline`), at the query's "now".
Nothing here knows the case type: the case (`schema.cases`) uses these, never the reverse.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from ledger.deadlines.catalogue import KEPT_BY
from ledger.deadlines.deadline import Deadline as DeadlineValue
from ledger.deadlines.periods import Counting
from projections.db import Row
from projections.encoding import loads, parse_time
from schema.enums import CrisisKind, DeadlineStatus, MemberState
from schema.global_ids import DEADLINE, Node, global_id
from schema.pagination import Connection


@strawberry.type(description="A non-working day passed over in counting a period.")
class SkippedDay:
    day: date
    reason: str = strawberry.field(description="Saturday, Sunday or the public holiday's name.")
    why: str = strawberry.field(description="'counting working days', or the article that "
                                            "moved the end (Reg. 1182/71 Art 3(4), 3(5)).")


@strawberry.type(description="How a due moment was counted (Regulation (EEC, Euratom) No "
                             "1182/71 in the member state's calendar; periods in hours from the "
                             "exact moment).")
class DeadlineCounting:
    method: str = strawberry.field(description="EU1182; EXACT_HOURS for periods in hours; EXACT "
                                               "only where 1182/71 is switched off.")
    member_state: MemberState = strawberry.field(
        description="Whose calendar: the member state where the act is to be done (Art 2(1)).")
    time_zone: str
    calendar_version: str = strawberry.field(description="Counting rules and holiday source "
                                                         "version the period was counted with.")
    amount: int
    unit: str
    event_day: date | None = strawberry.field(description="Day of the triggering event, not "
                                                          "counted (Art 3(1)).")
    first_day: date | None
    last_day_by_count: date | None = strawberry.field(
        description="Where the count lands, before Art 3(4) and 3(5).")
    last_day: date | None = strawberry.field(description="The period ends at the end of this "
                                                         "day, in `timeZone`.")
    skipped_days: list[SkippedDay]
    extended_days: int
    extended_months: int
    articles: list[str]
    explanation: str


def counting_from(value: Counting | None) -> DeadlineCounting | None:
    if value is None:
        return None
    return DeadlineCounting(
        method=value.method, member_state=MemberState(value.member_state),
        time_zone=value.time_zone,
        calendar_version=value.calendar_version, amount=value.amount, unit=value.unit,
        event_day=value.event_day, first_day=value.first_day,
        last_day_by_count=value.nominal_last_day, last_day=value.last_day,
        skipped_days=[SkippedDay(day=s.day, reason=s.reason, why=s.why) for s in value.skipped],
        extended_days=value.extended_days, extended_months=value.extended_months,
        articles=list(value.articles), explanation=value.explanation(),
    )


@strawberry.type(description="A legal deadline of a case: the rule version that set it, when it "
                             "runs out, how that was counted, and whether and when it was met.")
class Deadline(Node):
    case_id: strawberry.ID = strawberry.field(description="The case the deadline runs in.")
    member_state: MemberState = strawberry.field(description="The member state handling the case.")
    rule: str = strawberry.field(description="The obligation's code, shared by its versions.")
    version: str = strawberry.field(description="The rule version it was computed with; a "
                                                "crisis version ends in +crisis.")
    title: str
    act: str
    article: str
    confirmed: bool = strawberry.field(description="False: the duration is a parameter the "
                                                   "sources do not confirm.")
    started_at: datetime
    due_at: datetime
    met_at: datetime | None = strawberry.field(description="Legal time of the meeting step.")
    met_by: str | None = strawberry.field(description="Event type of the meeting step.")
    met_recorded_late: bool = strawberry.field(
        description="Met in time, but the step was recorded only after the due moment.")
    stopped_at: datetime | None = strawberry.field(
        description="The case left the path this deadline belongs to (closed, transferred, ...).")
    extended_days: int
    extended_months: int
    status: DeadlineStatus
    breached: bool = strawberry.field(description="Met late, or unmet once due: stopped only "
                                                  "after it was due, it stays breached.")
    counting: DeadlineCounting | None = strawberry.field(
        description="How the due moment was counted (null: computed before counting was kept; "
                    "rebuild the read models).")


def _value(row: Row) -> DeadlineValue:
    return DeadlineValue(
        code=row["code"], version=row["version"], title=row["title"], act=row["act"],
        article=row["article"], confirmed=bool(row["confirmed"]),
        started_at=parse_time(row["started_at"]),  # type: ignore[arg-type]
        due_at=parse_time(row["due_at"]),  # type: ignore[arg-type]
        opened_position=row["opened_position"], met_at=parse_time(row["met_at"]),
        met_by=row["met_by"], met_position=row["met_position"],
        met_recorded_late=bool(row["met_recorded_late"]), stopped_at=parse_time(row["stopped_at"]),
        extended_days=row["extended_days"], extended_months=row["extended_months"],
        kept_by=KEPT_BY.get(row["code"], "AUTHORITY"),
        counting=None if row["counting"] is None else Counting.from_dict(loads(row["counting"])),
    )


deadline_value = _value  # the engine's value object of a row (status and breach at any moment)


def deadline_from_row(row: Row, now: datetime) -> Deadline:
    d = _value(row)
    return Deadline(
        id=global_id(DEADLINE, row["case_id"], d.code, row["opened_position"]),
        case_id=strawberry.ID(row["case_id"]), member_state=MemberState(row["member_state"]),
        rule=d.code,
        version=d.version, title=d.title, act=d.act, article=d.article, confirmed=d.confirmed,
        started_at=d.started_at, due_at=d.due_at, met_at=d.met_at, met_by=d.met_by,
        met_recorded_late=d.met_recorded_late, stopped_at=d.stopped_at,
        extended_days=d.extended_days, extended_months=d.extended_months, status=d.status(now),
        breached=d.breached(now), counting=counting_from(d.counting),
    )


@strawberry.type(description="A page of deadlines, soonest due first, with keyset cursors.")
class DeadlineConnection(Connection[Deadline]):
    @strawberry.field(description="Deadlines matching the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The deadlines of this page (the edges' nodes).")
    def nodes(self) -> list[Deadline]:
        return self.page_nodes()


@strawberry.type(description="A crisis or force-majeure period of a member state and the "
                             "derogations it authorises (Crisis Regulation Arts 4-5).")
class CrisisPeriod:
    member_state: MemberState = strawberry.field(description="The member state concerned.")
    period_no: int
    kind: CrisisKind
    starts_at: datetime
    until: datetime = strawberry.field(description="Scheduled end (after any extension).")
    ended_at: datetime | None
    derogations: list[str]
    decision_ref: str
    extension_ref: str | None
    in_force: bool = strawberry.field(description="Whether it runs at the moment of the query.")


def crisis_period_from_row(row: Row, now: datetime) -> CrisisPeriod:
    starts, until, ended = (parse_time(row["starts_at"]), parse_time(row["until_at"]),
                            parse_time(row["ended_at"]))
    assert starts is not None and until is not None
    end = until if ended is None else min(until, ended)
    return CrisisPeriod(
        member_state=MemberState(row["member_state"]), period_no=row["period_no"],
        kind=CrisisKind(row["kind"]), starts_at=starts, until=until, ended_at=ended,
        derogations=loads(row["derogations"]), decision_ref=row["decision_ref"],
        extension_ref=row["extension_ref"], in_force=starts <= now < end,
    )

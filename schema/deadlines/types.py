"""Output types of the deadline engine and the crisis overlay.

Status and breach depend on the moment asked about; they are computed from the row by the same
value object the engine uses (`ledger.deadlines.deadline.Deadline`), at the query's "now".
Nothing here knows the case type: the case (`schema.cases`) uses these, never the reverse.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from ledger.deadlines.catalogue import PERSONS_PERIODS
from ledger.deadlines.deadline import Deadline as DeadlineValue
from projections.db import Row
from projections.encoding import loads, parse_time
from schema.enums import CrisisKind, DeadlineStatus
from schema.pagination import Connection


@strawberry.type(description="A legal deadline of a case: the rule version that set it, when it "
                             "runs out, and whether and when it was met.")
class Deadline:
    case_id: strawberry.ID
    member_state: str
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
    status: DeadlineStatus
    breached: bool = strawberry.field(description="Met late, or unmet (and not stopped) once due.")


def _value(row: Row) -> DeadlineValue:
    return DeadlineValue(
        code=row["code"], version=row["version"], title=row["title"], act=row["act"],
        article=row["article"], confirmed=bool(row["confirmed"]),
        started_at=parse_time(row["started_at"]),  # type: ignore[arg-type]
        due_at=parse_time(row["due_at"]),  # type: ignore[arg-type]
        opened_position=row["opened_position"], met_at=parse_time(row["met_at"]),
        met_by=row["met_by"], met_position=row["met_position"],
        met_recorded_late=bool(row["met_recorded_late"]), stopped_at=parse_time(row["stopped_at"]),
        extended_days=row["extended_days"],
        kept_by="PERSON" if row["code"] in PERSONS_PERIODS else "AUTHORITY",
    )


def deadline_from_row(row: Row, now: datetime) -> Deadline:
    d = _value(row)
    return Deadline(
        case_id=strawberry.ID(row["case_id"]), member_state=row["member_state"], rule=d.code,
        version=d.version, title=d.title, act=d.act, article=d.article, confirmed=d.confirmed,
        started_at=d.started_at, due_at=d.due_at, met_at=d.met_at, met_by=d.met_by,
        met_recorded_late=d.met_recorded_late, stopped_at=d.stopped_at,
        extended_days=d.extended_days, status=d.status(now), breached=d.breached(now),
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
    member_state: str
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
        member_state=row["member_state"], period_no=row["period_no"],
        kind=CrisisKind(row["kind"]), starts_at=starts, until=until, ended_at=ended,
        derogations=loads(row["derogations"]), decision_ref=row["decision_ref"],
        extension_ref=row["extension_ref"], in_force=starts <= now < end,
    )

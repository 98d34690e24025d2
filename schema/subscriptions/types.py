"""What a subscription delivers: a case step (its envelope, never its payload: no personal data
leave through a live feed, so none is logged) and a deadline alert."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from projections.db import Row
from projections.encoding import loads, parse_time
from projections.live_feed import Alert
from schema.deadlines.types import Deadline, deadline_from_row
from schema.enums import MemberState
from schema.envelope import LegalBasis
from schema.pagination import Cursor

STEP_CURSOR = Cursor("step")
ALERT_CURSOR = Cursor("deadline-alert")


@strawberry.enum(description="Why a deadline is announced.")
class DeadlineAlertKind(Enum):
    FALLING_DUE = strawberry.enum_value(
        "FALLING_DUE", description="Still open 24 hours before its due moment.")
    BREACHED = strawberry.enum_value(
        "BREACHED", description="An authority's deadline not met by its due moment (a period "
                                "open to the person expires instead and is not announced).")


@strawberry.type(description="A step recorded in a case, as a live feed delivers it: its "
                             "envelope without the payload (read the step's fields through "
                             "`caseTimeline`, where personal data are gated and logged).")
class CaseStep:
    cursor: str = strawberry.field(description="Resume after this step: pass it as `after`.")
    position: int = strawberry.field(description="Position in the ledger's global order.")
    case_id: strawberry.ID = strawberry.field(description="The case the step belongs to.")
    member_state: MemberState = strawberry.field(description="The case's member state.")
    version: int = strawberry.field(description="Position in the case's own stream (from 1).")
    type: str = strawberry.field(description="The step's event type, e.g. ApplicationLodged.")
    phase: str = strawberry.field(description="Phase of the procedure the step belongs to.")
    occurred_at: datetime = strawberry.field(description="Legal time, stated by the caller.")
    recorded_at: datetime = strawberry.field(description="When the ledger recorded it.")
    recorded_late: bool = strawberry.field(
        description="Recorded more than 24 h after it legally occurred (accepted, marked).")
    legal_basis: list[LegalBasis] = strawberry.field(
        description="The provisions the step was recorded under.")


def case_step(row: Row) -> CaseStep:
    return CaseStep(
        cursor=STEP_CURSOR.encode(row["seq"]), position=row["seq"],
        case_id=strawberry.ID(row["case_id"]), member_state=MemberState(row["member_state"]),
        version=row["version"], type=row["event_type"], phase=row["phase"],
        occurred_at=parse_time(row["occurred_at"]),  # type: ignore[arg-type]
        recorded_at=parse_time(row["recorded_at"]),  # type: ignore[arg-type]
        recorded_late=bool(row["recorded_late"]),
        legal_basis=[LegalBasis(**b) for b in loads(row["legal_basis"])])


@strawberry.type(description="A deadline falling due or breached, at the moment it did.")
class DeadlineAlert:
    cursor: str = strawberry.field(description="Resume after this alert: pass it as `after`.")
    kind: DeadlineAlertKind = strawberry.field(description="Falling due or breached.")
    at: datetime = strawberry.field(description="The alert's moment: 24 hours before the due "
                                                "moment (falling due) or the due moment itself "
                                                "(breached).")
    deadline: Deadline = strawberry.field(description="The deadline as the read model has it "
                                                      "when the alert is delivered.")


def deadline_alert(alert: Alert, now: datetime) -> DeadlineAlert:
    return DeadlineAlert(cursor=ALERT_CURSOR.encode(*alert.key),
                         kind=DeadlineAlertKind(alert.kind), at=alert.at,
                         deadline=deadline_from_row(alert.row, now))

"""The events of a case, with stable topics and versions, and how each changes the case's state.

Every event class is pinned to a topic (`pact-ledger:case.<Name>`) that never changes, whatever
the class is called or wherever it moves, and to a `class_version` that an upcaster must raise
when its fields change. Payloads hold plain values (strings, numbers, dates), not enum objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from ledger.envelope import Envelope
from ledger.vocabulary import AppealOutcome, CaseStatus, DecisionType, ScreeningOutcome

if TYPE_CHECKING:
    from ledger.case import Case

E = TypeVar("E", bound=type)

#: Every case event class, by its short name; read by serialisers and the schema.
CASE_EVENT_TYPES: dict[str, type[Any]] = {}


def stable(name: str, version: int = 1) -> Any:
    """Pin an event class to topic `pact-ledger:case.<name>` and a schema version."""

    def pin(cls: E) -> E:
        cls.TOPIC = f"pact-ledger:case.{name}"  # type: ignore[attr-defined]
        cls.class_version = version  # type: ignore[attr-defined]
        register_topic(cls.TOPIC, cls)  # type: ignore[attr-defined]
        CASE_EVENT_TYPES[name] = cls
        return cls

    return pin


class CaseEvent(Aggregate.Event):
    """Base of all case events: the envelope, and the bookkeeping every step does."""

    envelope: Envelope

    def apply(self, case: Case) -> None:
        self.apply_step(case)
        case.last_occurred_at = self.envelope.occurred_at
        case.command_ids.add(self.envelope.command_id)

    def apply_step(self, case: Case) -> None:
        """The change this kind of step makes; overridden per event."""


@stable("CaseOpened")
class CaseOpened(CaseEvent, Aggregate.Created):
    """The ledger opens a case for one person in one member state's procedure."""

    member_state: str
    national_reference: str
    nationality: str
    date_of_birth: date | None
    unaccompanied_minor: bool
    family_name: str | None
    given_names: str | None

    def apply_step(self, case: Case) -> None:
        case.reset(self)


@stable("ScreeningStarted")
class ScreeningStarted(CaseEvent):
    trigger: str
    location: str

    def apply_step(self, case: Case) -> None:
        case.screening = "IN_PROGRESS"
        case.screening_trigger = self.trigger
        case.status = CaseStatus.SCREENING


@stable("ScreeningCompleted")
class ScreeningCompleted(CaseEvent):
    outcome: str
    form_ref: str
    incomplete_checks: tuple[str, ...]

    def apply_step(self, case: Case) -> None:
        case.screening = "COMPLETED"
        case.screening_outcome = self.outcome
        if self.outcome == ScreeningOutcome.REFER_TO_RETURN.value and case.status in (
            CaseStatus.SCREENING,
        ):
            case.status = CaseStatus.REFERRED_TO_RETURN


@stable("ApplicationMade")
class ApplicationMade(CaseEvent):
    place: str

    def apply_step(self, case: Case) -> None:
        case.application_made_at = self.envelope.occurred_at
        case.status = CaseStatus.APPLICATION_MADE


@stable("ApplicationRegistered")
class ApplicationRegistered(CaseEvent):
    def apply_step(self, case: Case) -> None:
        case.registered_at = self.envelope.occurred_at
        case.status = CaseStatus.REGISTERED


@stable("ApplicationLodged")
class ApplicationLodged(CaseEvent):
    def apply_step(self, case: Case) -> None:
        case.lodged_at = self.envelope.occurred_at
        if case.status is CaseStatus.REGISTERED:
            case.status = CaseStatus.LODGED


@stable("ProcedureAssigned")
class ProcedureAssigned(CaseEvent):
    procedure: str
    grounds: tuple[str, ...]

    def apply_step(self, case: Case) -> None:
        case.procedure = self.procedure
        case.status = CaseStatus.UNDER_EXAMINATION


@stable("DecisionIssued")
class DecisionIssued(CaseEvent):
    decision_no: int
    decision_type: str
    ground: str
    notified_at: datetime | None

    def apply_step(self, case: Case) -> None:
        case.decisions.append(
            {
                "decision_no": self.decision_no,
                "decision_type": self.decision_type,
                "ground": self.ground,
                "occurred_at": self.envelope.occurred_at,
                "notified_at": self.notified_at,
                "by_court": False,
            }
        )
        case.standing_decision_no = self.decision_no
        case.status = CaseStatus.DECIDED


@stable("AppealLodged")
class AppealLodged(CaseEvent):
    appeal_no: int
    decision_no: int
    appeal_body: str
    suspensive: bool

    def apply_step(self, case: Case) -> None:
        case.appeals.append(
            {
                "appeal_no": self.appeal_no,
                "decision_no": self.decision_no,
                "appeal_body": self.appeal_body,
                "suspensive": self.suspensive,
                "outcome": None,
            }
        )
        case.pending_appeal_no = self.appeal_no
        case.status = CaseStatus.APPEAL_PENDING


@stable("AppealDecided")
class AppealDecided(CaseEvent):
    appeal_no: int
    outcome: str
    decision_no: int | None
    substituted_decision_type: str | None

    def apply_step(self, case: Case) -> None:
        case.appeals[self.appeal_no - 1]["outcome"] = self.outcome
        case.pending_appeal_no = None
        if self.outcome == AppealOutcome.REMITTED.value:
            case.standing_decision_no = None
            case.return_decision_issued = False
            case.status = CaseStatus.UNDER_EXAMINATION
            return
        if self.outcome == AppealOutcome.OVERTURNED.value:
            assert self.decision_no is not None and self.substituted_decision_type is not None
            case.decisions.append(
                {
                    "decision_no": self.decision_no,
                    "decision_type": self.substituted_decision_type,
                    "ground": f"Appeal {self.appeal_no} overturned the decision",
                    "occurred_at": self.envelope.occurred_at,
                    "notified_at": self.envelope.occurred_at,
                    "by_court": True,
                }
            )
            case.standing_decision_no = self.decision_no
            if DecisionType(self.substituted_decision_type).grants_protection:
                case.return_decision_issued = False
        case.status = CaseStatus.DECIDED


@stable("ReturnDecisionIssued")
class ReturnDecisionIssued(CaseEvent):
    joint_with_decision_no: int | None
    voluntary_departure_days: int | None

    def apply_step(self, case: Case) -> None:
        case.return_decision_issued = True


@stable("CaseClosed")
class CaseClosed(CaseEvent):
    reason: str

    def apply_step(self, case: Case) -> None:
        case.closed_reason = self.reason
        case.status = CaseStatus.CLOSED

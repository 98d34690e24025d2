"""After the decision: the end of the right to remain, entry, return (Return Border Procedure
Regulation (EU) 2024/1349, Return Directive 2008/115/EC), protection and the permit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case.state import CaseState



class AfterDecisionEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `AFTER_DECISION`."""

    phase = Phase.AFTER_DECISION


@stable("RightToRemainEnded")
class RightToRemainEnded(AfterDecisionEvent):
    """APR Art 68: the applicant no longer has the right to remain (final rejection, no
    automatic suspensive effect, request to remain refused)."""

    reason: str

    def apply_step(self, case: CaseState) -> None:
        case.right_to_remain_ended = True
        case.return_["right_to_remain_ended_at"] = self.envelope.occurred_at
        if case.status is not CaseStatus.APPEAL_PENDING:
            case.status = CaseStatus.NO_RIGHT_TO_REMAIN


@stable("EntryAuthorised")
class EntryAuthorised(AfterDecisionEvent):
    """APR Art 51(2): the border procedure's period ran out; the applicant enters the territory
    and the examination continues there."""

    def apply_step(self, case: CaseState) -> None:
        case.flags["entry_authorised"] = True
        case.procedure = "REGULAR"


@stable("ReturnDecisionIssued")
class ReturnDecisionIssued(AfterDecisionEvent):
    joint_with_decision_no: int | None
    voluntary_departure_days: int | None

    def apply_step(self, case: CaseState) -> None:
        case.return_decision_issued = True


@stable("ReturnBorderProcedureStarted")
class ReturnBorderProcedureStarted(AfterDecisionEvent):
    """RBPR Art 4: a person rejected in the border procedure stays at or near the border."""

    def apply_step(self, case: CaseState) -> None:
        case.return_["border_procedure"] = True


@stable("VoluntaryDepartureGranted")
class VoluntaryDepartureGranted(AfterDecisionEvent):
    """Return Directive Art 7, RBPR Art 4(3): a period for voluntary departure."""

    days: int

    def apply_step(self, case: CaseState) -> None:
        case.return_["voluntary_departure_days"] = self.days


@stable("Returned")
class Returned(AfterDecisionEvent):
    destination: str

    def apply_step(self, case: CaseState) -> None:
        case.return_["returned"] = True
        case.status = CaseStatus.RETURNED


@stable("Absconded")
class Absconded(AfterDecisionEvent):
    def apply_step(self, case: CaseState) -> None:
        case.flags["absconded"] = True
        case.status = CaseStatus.ABSCONDED


@stable("ResidencePermitIssued")
class ResidencePermitIssued(AfterDecisionEvent):
    """Qualification Regulation (EU) 2024/1347 Art 24: the residence permit of a beneficiary."""

    permit_ref: str
    valid_until: date

    def apply_step(self, case: CaseState) -> None:
        case.permit = {"ref": self.permit_ref, "valid_until": self.valid_until.isoformat()}
        case.status = CaseStatus.PROTECTED


@stable("CaseClosed")
class CaseClosed(AfterDecisionEvent):
    reason: str

    def apply_step(self, case: CaseState) -> None:
        case.closed_reason = self.reason
        case.status = CaseStatus.CLOSED


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[AfterDecisionEvent], ...] = (
    RightToRemainEnded,
    EntryAuthorised,
    ReturnDecisionIssued,
    ReturnBorderProcedureStarted,
    VoluntaryDepartureGranted,
    Returned,
    Absconded,
    ResidencePermitIssued,
    CaseClosed,
)

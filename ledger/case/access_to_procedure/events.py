"""Access to the procedure (APR (EU) 2024/1348 Arts 26-28, 55): made, registered, lodged, and
subsequent applications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case.state import CaseState



class AccessToProcedureEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `ACCESS`."""

    phase = Phase.ACCESS_TO_PROCEDURE


@stable("ApplicationMade")
class ApplicationMade(AccessToProcedureEvent):
    place: str

    def apply_step(self, case: CaseState) -> None:
        case.application_made_at = self.envelope.occurred_at
        case.status = CaseStatus.APPLICATION_MADE
        case.return_decision_issued = False  # a referral's return decision no longer applies


@stable("ApplicationRegistered")
class ApplicationRegistered(AccessToProcedureEvent):
    def apply_step(self, case: CaseState) -> None:
        case.registered_at = self.envelope.occurred_at
        if case.status is CaseStatus.APPLICATION_MADE:
            case.status = CaseStatus.REGISTERED


@stable("ApplicationLodged")
class ApplicationLodged(AccessToProcedureEvent):
    def apply_step(self, case: CaseState) -> None:
        case.lodged_at = self.envelope.occurred_at
        if case.status is CaseStatus.REGISTERED:
            case.status = CaseStatus.LODGED


@stable("SubsequentApplicationMade")
class SubsequentApplicationMade(AccessToProcedureEvent):
    """APR Art 55: a further application after a final decision; a preliminary examination of
    new elements follows, under a new procedure assignment."""

    new_elements: bool

    def apply_step(self, case: CaseState) -> None:
        case.subsequent_applications += 1
        case.standing_decision_no = None
        case.decision_final = False
        case.right_to_remain_ended = False
        case.return_decision_issued = False
        case.procedure = None
        case.lodged_at = self.envelope.occurred_at
        case.status = CaseStatus.LODGED


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[AccessToProcedureEvent], ...] = (
    ApplicationMade,
    ApplicationRegistered,
    ApplicationLodged,
    SubsequentApplicationMade,
)

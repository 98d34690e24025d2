"""Remedies (APR (EU) 2024/1348 Arts 67-68): appeals, requests to remain, final decisions."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.case.values import Appeal, Decision
from ledger.vocabulary import AppealOutcome, CaseStatus, DecisionType

if TYPE_CHECKING:
    from ledger.case.state import CaseState



class RemediesEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `REMEDIES`."""

    phase = Phase.REMEDIES


@stable("AppealLodged")
class AppealLodged(RemediesEvent):
    """Art 67; `suspensive` is decided by Art 68 from the decision and procedure, not chosen."""

    appeal_no: int
    decision_no: int
    appeal_body: str
    suspensive: bool

    def apply_step(self, case: CaseState) -> None:
        case.appeals.append(Appeal(
            appeal_no=self.appeal_no,
            decision_no=self.decision_no,
            appeal_body=self.appeal_body,
            suspensive=self.suspensive,
            lodged_at=self.envelope.occurred_at,
        ))
        case.pending_appeal_no = self.appeal_no
        case.request_to_remain = None
        case.status = CaseStatus.APPEAL_PENDING


@stable("RequestToRemainLodged")
class RequestToRemainLodged(RemediesEvent):
    """Art 68(4)-(5): where an appeal has no automatic suspensive effect, a court is asked to
    let the applicant remain pending the appeal."""

    def apply_step(self, case: CaseState) -> None:
        case.request_to_remain = "PENDING"


@stable("RequestToRemainDecided")
class RequestToRemainDecided(RemediesEvent):
    granted: bool

    def apply_step(self, case: CaseState) -> None:
        case.request_to_remain = "GRANTED" if self.granted else "REFUSED"


@stable("AppealDecided")
class AppealDecided(RemediesEvent):
    appeal_no: int
    outcome: str
    decision_no: int | None
    substituted_decision_type: str | None

    def apply_step(self, case: CaseState) -> None:
        decided = self.appeal_no - 1
        case.appeals[decided] = replace(case.appeals[decided], outcome=self.outcome)
        case.pending_appeal_no = None
        case.request_to_remain = None
        if self.outcome != AppealOutcome.UPHELD.value:
            # The rejection no longer stands: the right to remain is back (APR Art 68).
            case.right_to_remain_ended = False
            case.return_.pop("right_to_remain_ended_at", None)
        if self.outcome == AppealOutcome.REMITTED.value:
            case.standing_decision_no = None
            case.return_decision_issued = False
            case.status = CaseStatus.UNDER_EXAMINATION if case.procedure else (
                CaseStatus.LODGED if case.lodged_at else CaseStatus.REGISTERED)
            return
        if self.outcome == AppealOutcome.OVERTURNED.value:
            assert self.decision_no is not None and self.substituted_decision_type is not None
            case.decisions.append(Decision(
                decision_no=self.decision_no,
                decision_type=self.substituted_decision_type,
                ground=f"Appeal {self.appeal_no} overturned the decision",
                occurred_at=self.envelope.occurred_at,
                notified_at=self.envelope.occurred_at,
                by_court=True,
                procedure=case.procedure,
                return_exception=None,
            ))
            case.standing_decision_no = self.decision_no
            if DecisionType(self.substituted_decision_type).grants_protection:
                case.return_decision_issued = False
        case.status = CaseStatus.DECIDED


@stable("DecisionFinal")
class DecisionFinal(RemediesEvent):
    """The standing decision can no longer be appealed (period passed or remedies exhausted).
    A final rejection is recorded together with `RightToRemainEnded`."""

    decision_no: int

    def apply_step(self, case: CaseState) -> None:
        case.decision_final = True
        if case.protected:
            case.status = CaseStatus.PROTECTED


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[RemediesEvent], ...] = (
    AppealLodged,
    RequestToRemainLodged,
    RequestToRemainDecided,
    AppealDecided,
    DecisionFinal,
)

"""Examination (APR (EU) 2024/1348 Arts 35-44): procedure, interviews, extensions, decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.case.values import Decision
from ledger.personal_data.sealed import SealedValue
from ledger.vocabulary import CaseStatus

if TYPE_CHECKING:
    from ledger.case.state import CaseState



class ExaminationEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `EXAMINATION`."""

    phase = Phase.EXAMINATION


@stable("ProcedureAssigned", version=2)
class ProcedureAssigned(ExaminationEvent):
    """v2 added the EU-wide recognition rate seen at assignment and whether it made the border
    procedure mandatory (APR Arts 42(1)(j), 45(1))."""

    procedure: str
    grounds: tuple[str, ...]
    recognition_rate: str | None
    border_mandatory: bool

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["recognition_rate"] = None
        state["border_mandatory"] = False

    def apply_step(self, case: CaseState) -> None:
        case.procedure = self.procedure
        case.procedure_grounds = tuple(self.grounds)  # RCD Art 17(2) reads them
        case.border_mandatory = self.border_mandatory
        case.status = CaseStatus.UNDER_EXAMINATION


@stable("InterviewHeld")
class InterviewHeld(ExaminationEvent):
    """APR Arts 11-14: personal interview, its language and its report or recording."""

    interview_ref: str
    language: str
    interpreter: bool

    def apply_step(self, case: CaseState) -> None:
        case.interviews += 1


@stable("ExaminationExtended", version=2)
class ExaminationExtended(ExaminationEvent):
    """APR Art 35(2) and (5): the examination time limit is extended, with its reason, by
    calendar `months` and/or `days` (v2 added `months`: a 2-month extension is two calendar
    months, not 61 days; v1 events extended by days only)."""

    reason: str | SealedValue  # free text, sealed (ledger.personal_data.free_text)
    days: int
    months: int

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["months"] = 0

    def apply_step(self, case: CaseState) -> None:
        case.extensions_days += self.days
        case.extensions_months += self.months


@stable("DecisionIssued", version=2)
class DecisionIssued(ExaminationEvent):
    """v2 added `return_exception`: why a rejection came without a return decision (APR Art 37,
    Return Directive Art 6(4)); None when a return decision was issued with it."""

    decision_no: int
    decision_type: str
    ground: str
    notified_at: datetime | None
    return_exception: str | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["return_exception"] = None

    def apply_step(self, case: CaseState) -> None:
        case.decisions.append(Decision(
            decision_no=self.decision_no,
            decision_type=self.decision_type,
            ground=self.ground,
            occurred_at=self.envelope.occurred_at,
            notified_at=self.notified_at,
            by_court=False,
            procedure=case.procedure,
            return_exception=self.return_exception,
        ))
        case.standing_decision_no = self.decision_no
        case.decision_final = False
        case.status = CaseStatus.DECIDED


@stable("DecisionNotified")
class DecisionNotified(ExaminationEvent):
    """The decision was notified to the applicant (the appeal period runs from here)."""

    decision_no: int

    def apply_step(self, case: CaseState) -> None:
        notified = self.decision_no - 1
        case.decisions[notified] = replace(case.decisions[notified],
                                           notified_at=self.envelope.occurred_at)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[ExaminationEvent], ...] = (
    ProcedureAssigned,
    InterviewHeld,
    ExaminationExtended,
    DecisionIssued,
    DecisionNotified,
)

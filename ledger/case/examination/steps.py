"""Examination steps (APR (EU) 2024/1348 Arts 11-14, 35-45, 53): procedure, interviews,
extensions, decisions (with the return decision that a rejection brings, Art 37)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ledger.case.after_decision.events import ReturnDecisionIssued
from ledger.case.examination.events import (
    DecisionIssued,
    DecisionNotified,
    ExaminationExtended,
    InterviewHeld,
    ProcedureAssigned,
)
from ledger.case.guards import check_not_future, guard, require, status_of
from ledger.case.safeguards.steps import interview_waits_for_interpreter
from ledger.case.state import CaseState
from ledger.deadlines.periods import add_months_to
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import CaseStatus, DecisionType, Procedure

if TYPE_CHECKING:
    from typing import Any

APR = "APR (EU) 2024/1348"

PROCEDURE_BASIS = {
    Procedure.ADMISSIBILITY.value: LegalBasis(APR, "Art 38"),
    Procedure.ACCELERATED.value: LegalBasis(APR, "Art 42"),
    Procedure.BORDER.value: LegalBasis(APR, "Art 44"),
    Procedure.REGULAR.value: LegalBasis(APR, "Art 35(4)"),
}
#: Art 35(2) and (5): how far each procedure's time limit may be extended, in calendar months
#: (Art 35(2): admissibility by 2 months, confirmed; the regular procedure's +6 months is
#: unconfirmed in the sources: a parameter).
MAX_EXTENSION_MONTHS = {Procedure.ADMISSIBILITY.value: 2, Procedure.REGULAR.value: 6}

PROCEDURE_REQUIRES_LODGING = define_rule(
    "PROCEDURE_REQUIRES_LODGING", f"{APR} Art 35",
    "The examination procedure runs from lodging (the border procedure from registration, "
    "Art 51(2))")
PROCEDURE_ALREADY_ASSIGNED = define_rule(
    "PROCEDURE_ALREADY_ASSIGNED", f"{APR} Art 35",
    "An examination procedure is already assigned and no decision has been issued under it")
MINOR_BORDER_ONLY_ON_SECURITY = define_rule(
    "MINOR_BORDER_ONLY_ON_SECURITY", f"{APR} Art 53(2) (number unconfirmed)",
    "An unaccompanied minor enters the border procedure only on a security ground")
BORDER_AFTER_ENTRY = define_rule(
    "BORDER_AFTER_ENTRY", f"{APR} Art 51(2)",
    "Entry was authorised; the examination continues on the territory, not at the border")
INTERVIEW_REQUIRES_APPLICATION = define_rule(
    "INTERVIEW_REQUIRES_APPLICATION", f"{APR} Art 11",
    "The personal interview is held on a registered application before the decision")
EXTENSION_NOT_ALLOWED = define_rule(
    "EXTENSION_NOT_ALLOWED", f"{APR} Art 35(2), (5)",
    "This procedure's time limit cannot be extended that far (or at all)")
DECISION_REQUIRES_EXAMINATION = define_rule(
    "DECISION_REQUIRES_EXAMINATION", f"{APR} Art 35",
    "A decision is issued on a lodged application examined under an assigned procedure")
WITHDRAWAL_REQUIRES_REGISTRATION = define_rule(
    "WITHDRAWAL_REQUIRES_REGISTRATION", f"{APR} Arts 40-41",
    "Only a registered application can be withdrawn or declared implicitly withdrawn")
DECISION_ALREADY_ISSUED = define_rule(
    "DECISION_ALREADY_ISSUED", f"{APR} Art 35",
    "A first-instance decision stands; a new one needs a remittal on appeal")
RESPONSIBILITY_ELSEWHERE = define_rule(
    "RESPONSIBILITY_ELSEWHERE", "AMMR (EU) 2024/1351 Arts 16(1), 46",
    "Another member state has accepted responsibility; this one does not decide the merits")
REJECTION_WITHOUT_RETURN = define_rule(
    "REJECTION_WITHOUT_RETURN", f"{APR} Art 37; Return Directive 2008/115/EC Art 6(4)",
    "A rejection comes with a return decision, unless an exception is recorded (not both)")
DECISION_NOTIFIED_ALREADY = define_rule(
    "DECISION_NOTIFIED_ALREADY", f"{APR} Art 35",
    "There is no standing decision awaiting notification")
NOTIFIED_BEFORE_DECISION = define_rule(
    "NOTIFIED_BEFORE_DECISION", f"{APR} Art 35",
    "A decision cannot be notified before it is taken")


class ExaminationSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...
        def responsible_here_by_law(self, step: Step) -> bool: ...

    def assign_procedure(self, step: Step, procedure: str, grounds: tuple[str, ...],
                         recognition_rate: Decimal | None, threshold: Decimal) -> None:
        guard(self, step)
        # An admissible application goes on to a procedure on the merits (APR Art 38).
        require(not (self.status is CaseStatus.UNDER_EXAMINATION
                     and self.standing_decision_no is None and self.procedure
                     and self.procedure != Procedure.ADMISSIBILITY.value),
                PROCEDURE_ALREADY_ASSIGNED, f"procedure {self.procedure}")
        allowed = {CaseStatus.LODGED, CaseStatus.UNDER_EXAMINATION}
        if procedure == Procedure.BORDER.value:
            allowed.add(CaseStatus.REGISTERED)  # Art 51(2): the border procedure runs from it
            require(not self.entry_authorised, BORDER_AFTER_ENTRY)
            require(not self.unaccompanied_minor or self.security_flag,
                    MINOR_BORDER_ONLY_ON_SECURITY)
        require(self.status in allowed and self.standing_decision_no is None,
                PROCEDURE_REQUIRES_LODGING, status_of(self))
        # Arts 42(1)(j), 45(1): a nationality recognised in at most 20% of first-instance
        # decisions EU-wide makes the border procedure mandatory (exemptions aside).
        mandatory = (recognition_rate is not None and recognition_rate <= threshold
                     and not self.unaccompanied_minor)
        self.trigger_event(ProcedureAssigned, envelope=step.envelope(PROCEDURE_BASIS[procedure]),
                           procedure=procedure, grounds=grounds,
                           recognition_rate=None if recognition_rate is None
                           else str(recognition_rate), border_mandatory=mandatory)

    def record_interview(self, step: Step, interview_ref: str, language: str,
                         interpreter: bool) -> None:
        guard(self, step)
        require(self.registered_at is not None and self.standing_decision_no is None,
                INTERVIEW_REQUIRES_APPLICATION, status_of(self))
        interview_waits_for_interpreter(self)  # APR Art 8(2); a parameter (safeguards)
        self.trigger_event(InterviewHeld, envelope=step.envelope(LegalBasis(APR, "Arts 11-14")),
                           interview_ref=interview_ref, language=language,
                           interpreter=interpreter)

    def extend_examination(self, step: Step, reason: str, days: int, months: int = 0) -> None:
        guard(self, step)
        require(self.status is CaseStatus.UNDER_EXAMINATION and self.lodged_at is not None,
                DECISION_REQUIRES_EXAMINATION, status_of(self))
        assert self.lodged_at is not None
        limit = MAX_EXTENSION_MONTHS.get(self.procedure or "", 0)
        require(days >= 0 and months >= 0 and days + months > 0, EXTENSION_NOT_ALLOWED,
                "an extension lengthens the time limit")
        lodged = self.lodged_at.date()  # calendar months from the same day (Reg. 1182/71)
        asked = add_months_to(lodged, self.extensions_months + months) + timedelta(
            days=self.extensions_days + days)
        require(asked <= add_months_to(lodged, limit), EXTENSION_NOT_ALLOWED,
                f"{self.procedure}: at most {limit} months in all")
        self.trigger_event(ExaminationExtended,
                           envelope=step.envelope(LegalBasis(APR, "Art 35(2), (5)")),
                           reason=reason, days=days, months=months)

    def issue_decision(self, step: Step, decision_type: str, ground: str,
                       notified_at: datetime | None, with_return_decision: bool,
                       voluntary_departure_days: int | None,
                       return_exception: str | None) -> None:
        with_return = with_return_decision
        guard(self, step)
        kind = DecisionType(decision_type)
        require(self.standing_decision_no is None, DECISION_ALREADY_ISSUED, status_of(self))
        if kind in (DecisionType.IMPLICITLY_WITHDRAWN, DecisionType.EXPLICITLY_WITHDRAWN):
            require(self.registered_at is not None, WITHDRAWAL_REQUIRES_REGISTRATION,
                    status_of(self))
        else:
            # a transfer that can no longer happen leaves the examination where it stood
            examining = self.status is CaseStatus.UNDER_EXAMINATION or (
                self.status is CaseStatus.TRANSFER_PENDING and self.procedure is not None
                and self.responsible_here_by_law(step))
            require(examining and self.lodged_at is not None,
                    DECISION_REQUIRES_EXAMINATION, status_of(self))
        require(self.responsibility.state not in ("TRANSFER_PENDING", "TRANSFERRED")
                or self.responsible_here_by_law(step),  # AMMR Arts 37(1), 46(2)
                RESPONSIBILITY_ELSEWHERE)
        check_not_future(step, notified_at, "notified at")
        require(notified_at is None or notified_at >= step.occurred_at, NOTIFIED_BEFORE_DECISION)
        if kind.is_rejection:
            require(with_return != (return_exception is not None), REJECTION_WITHOUT_RETURN)
        else:
            require(not with_return and return_exception is None, REJECTION_WITHOUT_RETURN,
                    f"{decision_type} is not a rejection")
        decision_no = len(self.decisions) + 1
        self.trigger_event(DecisionIssued, envelope=step.envelope(LegalBasis(APR, "Art 35")),
                           decision_no=decision_no, decision_type=decision_type, ground=ground,
                           notified_at=notified_at, return_exception=return_exception)
        if with_return:
            self.trigger_event(ReturnDecisionIssued,
                               envelope=step.envelope(LegalBasis(APR, "Art 37")),
                               joint_with_decision_no=decision_no,
                               voluntary_departure_days=voluntary_departure_days)

    def notify_decision(self, step: Step) -> None:
        guard(self, step)
        decision = self.standing_decision
        require(decision is not None and decision.notified_at is None,
                DECISION_NOTIFIED_ALREADY)
        assert decision is not None  # the time guard already keeps notification after decision
        self.trigger_event(DecisionNotified, envelope=step.envelope(LegalBasis(APR, "Art 35")),
                           decision_no=decision.decision_no)

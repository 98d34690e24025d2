"""After the decision: the right to remain, entry, return (Return Border Procedure Regulation
(EU) 2024/1349, Return Directive 2008/115/EC), the residence permit, and closure."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger.case.after_decision.events import (
    Absconded,
    CaseClosed,
    EntryAuthorised,
    ResidencePermitIssued,
    ReturnBorderProcedureStarted,
    ReturnDecisionIssued,
    Returned,
    RightToRemainEnded,
    VoluntaryDepartureGranted,
)
from ledger.case.guards import guard, require, status_of
from ledger.case.remedies.steps import automatic_suspensive_effect
from ledger.case.state import CaseState
from ledger.deadlines.catalogue import version_for
from ledger.deadlines.periods import due as period_due
from ledger.envelope import LegalBasis, Step
from ledger.rules import LEDGER, define_rule
from ledger.vocabulary import CaseStatus, ClosureReason, DecisionType, Procedure

if TYPE_CHECKING:
    from typing import Any

APR = "APR (EU) 2024/1348"
RBPR = "Return Border Procedure Regulation (EU) 2024/1349"
RETURN_DIRECTIVE = "Return Directive 2008/115/EC"

RIGHT_TO_REMAIN_CONTINUES = define_rule(
    "RIGHT_TO_REMAIN_CONTINUES", f"{APR} Art 68(1)-(2)",
    "The applicant may remain: the decision is not final and the appeal (or its period) or a "
    "request to remain still protects them")
RIGHT_TO_REMAIN_NEEDS_REJECTION = define_rule(
    "RIGHT_TO_REMAIN_NEEDS_REJECTION", f"{APR} Art 68",
    "The right to remain ends only on a rejection, and only once")
BORDER_PERIOD_RUNNING = define_rule(
    "BORDER_PERIOD_RUNNING", f"{APR} Art 51(2)",
    "Entry is authorised only when the border procedure's period has run out without the "
    "right to remain ending")
RETURN_REQUIRES_REJECTION = define_rule(
    "RETURN_REQUIRES_REJECTION", f"{APR} Art 37",
    "A return decision follows a rejection of the application or a referral to return")
RETURN_DECISION_ALREADY_ISSUED = define_rule(
    "RETURN_DECISION_ALREADY_ISSUED", f"{APR} Art 37",
    "A return decision has already been issued for the decision that stands")
RETURN_BORDER_NOT_APPLICABLE = define_rule(
    "RETURN_BORDER_NOT_APPLICABLE", f"{RBPR} Art 4(1)",
    "The return border procedure follows a rejection in the asylum border procedure, once the "
    "right to remain has ended and a return decision was issued")
VOLUNTARY_DEPARTURE_INVALID = define_rule(
    "VOLUNTARY_DEPARTURE_INVALID", f"{RETURN_DIRECTIVE} Art 7(1); {RBPR} Art 4(3)",
    "Voluntary departure follows a return decision: at most 30 days, 15 in the return border "
    "procedure")
RETURN_WHILE_ENTITLED = define_rule(
    "RETURN_WHILE_ENTITLED", f"{APR} Art 68; {RETURN_DIRECTIVE} Art 8",
    "A person is returned only under a return decision and once their right to remain ended")
PERMIT_REQUIRES_PROTECTION = define_rule(
    "PERMIT_REQUIRES_PROTECTION", "Qualification Regulation (EU) 2024/1347 Art 24",
    "A residence permit is issued to a beneficiary of international protection, once")
CLOSURE_REASON_NOT_MET = define_rule(
    "CLOSURE_REASON_NOT_MET", LEDGER,
    "The reason given for closing the case does not match its record")
ALREADY_GONE = define_rule(
    "ALREADY_GONE", LEDGER, "The person has already left this member state's procedure")

_LEFT = (CaseStatus.RETURNED, CaseStatus.TRANSFERRED, CaseStatus.RELOCATED)
_GONE = (*_LEFT, CaseStatus.ABSCONDED)
_CLOSURE_NEEDS = {
    ClosureReason.PROTECTION_GRANTED.value: lambda c: c.protected and c.decision_final,
    ClosureReason.RETURNED.value: lambda c: c.status is CaseStatus.RETURNED,
    ClosureReason.TRANSFERRED.value: lambda c: c.status in (CaseStatus.TRANSFERRED,
                                                            CaseStatus.RELOCATED),
    ClosureReason.WITHDRAWN.value: lambda c: c.standing_type in (
        DecisionType.EXPLICITLY_WITHDRAWN, DecisionType.IMPLICITLY_WITHDRAWN),
    ClosureReason.ABSCONDED.value: lambda c: c.status is CaseStatus.ABSCONDED,
}


class AfterDecisionSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def end_right_to_remain(self, step: Step, reason: str) -> None:
        guard(self, step)
        decision = self.standing_decision
        require(self.rejected and not self.right_to_remain_ended,
                RIGHT_TO_REMAIN_NEEDS_REJECTION, status_of(self))
        assert decision is not None
        appeal = self.pending_appeal
        if not self.decision_final:
            protected_by_appeal = appeal is not None and appeal.suspensive
            protected_by_request = self.request_to_remain in ("PENDING", "GRANTED")
            appealed = any(a.decision_no == decision.decision_no and a.outcome
                           for a in self.appeals)
            protected_by_period = appeal is None and not appealed and (
                automatic_suspensive_effect(decision.decision_type, decision.procedure,
                                            self.unaccompanied_minor))
            require(not (protected_by_appeal or protected_by_request or protected_by_period),
                    RIGHT_TO_REMAIN_CONTINUES)
        self.trigger_event(RightToRemainEnded, envelope=step.envelope(LegalBasis(APR, "Art 68")),
                           reason=reason)

    def authorise_entry(self, step: Step) -> None:
        guard(self, step)
        require(self.procedure == Procedure.BORDER.value and self.registered_at is not None
                and not self.right_to_remain_ended and not self.entry_authorised,
                BORDER_PERIOD_RUNNING, status_of(self))
        assert self.registered_at is not None
        code = ("BORDER_PROCEDURE_AFTER_TRANSFER" if self.responsibility.arrived_from
                else "BORDER_PROCEDURE")  # APR Art 51(2): 16 weeks after an AMMR transfer
        rule = version_for(code, step.derogations_at(self.member_state, self.registered_at))
        assert rule.duration is not None
        due = period_due(rule.duration, self.registered_at, self.member_state)
        require(step.occurred_at > due, BORDER_PERIOD_RUNNING, f"it ends {due:%Y-%m-%d}")
        self.trigger_event(EntryAuthorised,
                           envelope=step.envelope(LegalBasis(APR, "Art 51(2)")))

    def issue_return_decision(self, step: Step, voluntary_departure_days: int | None) -> None:
        guard(self, step)
        require(self.rejected or self.status is CaseStatus.REFERRED_TO_RETURN,
                RETURN_REQUIRES_REJECTION, status_of(self))
        require(not self.return_decision_issued, RETURN_DECISION_ALREADY_ISSUED)
        decision = self.standing_decision
        basis = (LegalBasis(APR, "Art 37") if self.rejected
                 else LegalBasis(RETURN_DIRECTIVE, "Art 6"))
        self.trigger_event(ReturnDecisionIssued, envelope=step.envelope(basis),
                           joint_with_decision_no=decision.decision_no if decision else None,
                           voluntary_departure_days=voluntary_departure_days)

    def start_return_border_procedure(self, step: Step) -> None:
        guard(self, step)
        require(self.procedure == Procedure.BORDER.value and self.right_to_remain_ended
                and self.return_decision_issued and not self.return_.border_procedure,
                RETURN_BORDER_NOT_APPLICABLE, status_of(self))
        self.trigger_event(ReturnBorderProcedureStarted,
                           envelope=step.envelope(LegalBasis(RBPR, "Art 4")))

    def grant_voluntary_departure(self, step: Step, days: int) -> None:
        guard(self, step)
        limit = 15 if self.return_.border_procedure else 30
        require(self.return_decision_issued and 0 < days <= limit, VOLUNTARY_DEPARTURE_INVALID,
                f"at most {limit} days after a return decision")
        self.trigger_event(VoluntaryDepartureGranted,
                           envelope=step.envelope(LegalBasis(RETURN_DIRECTIVE, "Art 7(1)")),
                           days=days)

    def record_return(self, step: Step, destination: str) -> None:
        guard(self, step)
        require(self.status not in _LEFT, ALREADY_GONE, status_of(self))  # absconders are found
        entitled_to_stay = self.application_made_at is not None and not self.right_to_remain_ended
        require(self.return_decision_issued and not entitled_to_stay, RETURN_WHILE_ENTITLED)
        self.trigger_event(Returned, envelope=step.envelope(LegalBasis(RETURN_DIRECTIVE,
                           "Art 8")), destination=destination)

    def record_absconding(self, step: Step) -> None:
        guard(self, step)
        require(self.status not in _GONE, ALREADY_GONE, status_of(self))
        self.trigger_event(Absconded, envelope=step.envelope(LegalBasis(APR, "Art 41(1)")))

    def issue_residence_permit(self, step: Step, permit_ref: str, valid_until: date) -> None:
        guard(self, step)
        require(self.protected and self.permit is None and valid_until > step.occurred_at.date(),
                PERMIT_REQUIRES_PROTECTION, status_of(self))
        self.trigger_event(ResidencePermitIssued,
                           envelope=step.envelope(LegalBasis(
                               "Qualification Regulation (EU) 2024/1347", "Art 24")),
                           permit_ref=permit_ref, valid_until=valid_until)

    def close_case(self, step: Step, reason: str) -> None:
        guard(self, step)
        check = _CLOSURE_NEEDS.get(reason)
        require(check is None or check(self), CLOSURE_REASON_NOT_MET,
                f"{reason}: {status_of(self)}")
        self.trigger_event(CaseClosed, envelope=step.envelope(CLOSURE_BASIS[reason]),
                           reason=reason)


CLOSURE_BASIS = {
    ClosureReason.PROTECTION_GRANTED.value: LegalBasis(
        "Qualification Regulation (EU) 2024/1347", "Art 24"),
    ClosureReason.RETURNED.value: LegalBasis(RETURN_DIRECTIVE, "Art 8"),
    ClosureReason.TRANSFERRED.value: LegalBasis("AMMR (EU) 2024/1351", "Arts 46, 68"),
    ClosureReason.WITHDRAWN.value: LegalBasis(APR, "Arts 40-41"),
    ClosureReason.ABSCONDED.value: LegalBasis(APR, "Art 41(1)"),
    ClosureReason.DECEASED.value: LegalBasis("Pact Ledger", "record closed on death"),
    ClosureReason.OTHER.value: LegalBasis("Pact Ledger", "record closed, reason in evidence"),
}

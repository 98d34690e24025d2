"""Remedies (APR (EU) 2024/1348 Arts 67-68): appeals with the suspensive effect the law gives
them, requests to remain, and the moment a decision becomes final."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.case.after_decision.events import RightToRemainEnded
from ledger.case.guards import guard, require, status_of
from ledger.case.remedies.events import (
    AppealDecided,
    AppealLodged,
    DecisionFinal,
    RequestToRemainDecided,
    RequestToRemainLodged,
)
from ledger.case.state import CaseState
from ledger.case.values import Decision
from ledger.deadlines.catalogue import version_for
from ledger.deadlines.periods import due as period_due
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import AppealOutcome, DecisionType, Procedure

APR = "APR (EU) 2024/1348"

APPEAL_REQUIRES_DECISION = define_rule(
    "APPEAL_REQUIRES_DECISION", f"{APR} Art 67(1)",
    "An appeal lies against a decision; this case has no decision to appeal")
DECISION_NOT_APPEALABLE = define_rule(
    "DECISION_NOT_APPEALABLE", f"{APR} Art 67(1)",
    "This type of decision is not open to appeal by the applicant")
DECISION_NOT_NOTIFIED = define_rule(
    "DECISION_NOT_NOTIFIED", f"{APR} Art 67(7)",
    "The time limit for an appeal runs from notification; the decision was not notified")
APPEAL_ALREADY_PENDING = define_rule(
    "APPEAL_ALREADY_PENDING", f"{APR} Art 67", "An appeal against this decision is already pending")
DECISION_ALREADY_FINAL = define_rule(
    "DECISION_ALREADY_FINAL", f"{APR} Art 67", "The decision is final; remedies are exhausted")
NO_APPEAL_PENDING = define_rule(
    "NO_APPEAL_PENDING", f"{APR} Art 67", "There is no pending appeal to decide")
SUBSTITUTED_DECISION_INVALID = define_rule(
    "SUBSTITUTED_DECISION_INVALID", f"{APR} Art 67(3)",
    "A court that overturns a decision states the protection it grants; only then")
REQUEST_TO_REMAIN_NOT_OPEN = define_rule(
    "REQUEST_TO_REMAIN_NOT_OPEN", f"{APR} Art 68(4)-(5)",
    "A request to remain is made once, during an appeal without automatic suspensive effect")
NO_REQUEST_TO_REMAIN = define_rule(
    "NO_REQUEST_TO_REMAIN", f"{APR} Art 68(5)", "No request to remain awaits a decision")
APPEAL_PERIOD_RUNNING = define_rule(
    "APPEAL_PERIOD_RUNNING", f"{APR} Art 67(7)",
    "The decision becomes final when the appeal period has passed or the appeal is decided")


def automatic_suspensive_effect(decision_type: str, procedure: str | None,
                                unaccompanied_minor: bool) -> bool:
    """Art 68: an appeal lets the applicant remain, except in the cases of Art 68(3)."""
    kind = DecisionType(decision_type)
    if kind is DecisionType.INADMISSIBLE:  # 68(3)(b): most grounds; minors at the border keep it
        return unaccompanied_minor and procedure == Procedure.BORDER.value
    if kind.is_rejection and procedure == Procedure.ACCELERATED.value:  # 68(3)(a)
        return False
    if kind.is_rejection and procedure == Procedure.BORDER.value:  # 68(3)(c), minors excepted
        return unaccompanied_minor
    return True


def appeal_period_code(decision: Decision) -> str:
    """Art 67(7): shorter for inadmissibility and accelerated or border rejections."""
    kind = DecisionType(decision.decision_type)
    short = kind is DecisionType.INADMISSIBLE or (
        kind.is_rejection and decision.procedure in ("ACCELERATED", "BORDER"))
    return "APPEAL_SHORT" if short else "APPEAL_STANDARD"


class RemedySteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def lodge_appeal(self, step: Step, appeal_body: str) -> None:
        guard(self, step)
        require(self.pending_appeal_no is None, APPEAL_ALREADY_PENDING,
                f"appeal {self.pending_appeal_no}")
        decision = self.standing_decision
        require(decision is not None, APPEAL_REQUIRES_DECISION, status_of(self))
        assert decision is not None
        require(not self.decision_final, DECISION_ALREADY_FINAL)
        require(DecisionType(decision.decision_type).is_appealable and not decision.by_court,
                DECISION_NOT_APPEALABLE, decision.decision_type)
        require(decision.notified_at is not None, DECISION_NOT_NOTIFIED)
        suspensive = automatic_suspensive_effect(decision.decision_type,
                                                 decision.procedure,
                                                 self.unaccompanied_minor)
        self.trigger_event(AppealLodged, envelope=step.envelope(LegalBasis(APR, "Art 67")),
                           appeal_no=len(self.appeals) + 1, decision_no=decision.decision_no,
                           appeal_body=appeal_body, suspensive=suspensive)

    def lodge_request_to_remain(self, step: Step) -> None:
        guard(self, step)
        appeal = self.pending_appeal
        require(appeal is not None and not appeal.suspensive
                and self.request_to_remain is None, REQUEST_TO_REMAIN_NOT_OPEN)
        self.trigger_event(RequestToRemainLodged,
                           envelope=step.envelope(LegalBasis(APR, "Art 68(4)")))

    def decide_request_to_remain(self, step: Step, granted: bool) -> None:
        guard(self, step)
        require(self.request_to_remain == "PENDING", NO_REQUEST_TO_REMAIN)
        self.trigger_event(RequestToRemainDecided,
                           envelope=step.envelope(LegalBasis(APR, "Art 68(5)")), granted=granted)

    def decide_appeal(self, step: Step, outcome: str, substituted_decision_type: str | None
                      ) -> None:
        substituted = substituted_decision_type
        guard(self, step)
        require(self.pending_appeal_no is not None, NO_APPEAL_PENDING)
        overturned = outcome == AppealOutcome.OVERTURNED.value
        grants = substituted is not None and DecisionType(substituted).grants_protection
        require(grants if overturned else substituted is None, SUBSTITUTED_DECISION_INVALID)
        self.trigger_event(AppealDecided, envelope=step.envelope(LegalBasis(APR, "Art 67")),
                           appeal_no=self.pending_appeal_no, outcome=outcome,
                           decision_no=len(self.decisions) + 1 if overturned else None,
                           substituted_decision_type=substituted if overturned else None)

    def declare_decision_final(self, step: Step) -> None:
        guard(self, step)
        decision = self.standing_decision
        require(decision is not None, APPEAL_REQUIRES_DECISION, status_of(self))
        assert decision is not None
        require(not self.decision_final, DECISION_ALREADY_FINAL)
        require(self.pending_appeal_no is None, APPEAL_ALREADY_PENDING)
        if self._final_possible(step, decision):
            self.trigger_event(DecisionFinal, envelope=step.envelope(LegalBasis(APR, "Art 67")),
                               decision_no=decision.decision_no)
            if self.rejected and not self.right_to_remain_ended:
                self.trigger_event(RightToRemainEnded,
                                   envelope=step.envelope(LegalBasis(APR, "Art 68(1)")),
                                   reason="The rejection became final")

    def _final_possible(self, step: Step, decision: Decision) -> bool:
        kind = DecisionType(decision.decision_type)
        decided_appeals = [a for a in self.appeals
                           if a.decision_no == decision.decision_no and a.outcome]
        if not kind.is_appealable or decision.by_court or decided_appeals:
            return True
        require(decision.notified_at is not None, DECISION_NOT_NOTIFIED)
        notified = decision.notified_at
        assert notified is not None
        rule = version_for(appeal_period_code(decision),
                           step.derogations_at(self.member_state, notified))
        assert rule.duration is not None
        due = period_due(rule.duration, notified, self.member_state)
        require(step.occurred_at > due, APPEAL_PERIOD_RUNNING, f"it ends {due:%Y-%m-%d}")
        return True

"""Safeguards (APR (EU) 2024/1348 Arts 8(2), 15-19): free legal counselling in the administrative
procedure, free legal assistance on appeal, and interpreters, with the rules that depend on them.

Where a step must not precede a safeguard, the rule is here and the step calls it: an interview
waits for an interpreter who was asked for (`interview_waits_for_interpreter`, a parameter); the
information on free legal counselling is due at the latest at registration (a deadline,
`LEGAL_COUNSELLING_INFORMATION`, breached if it comes later).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.guards import guard, require, status_of
from ledger.case.safeguards.events import (
    InterpreterDecided,
    InterpreterRequested,
    LegalAidGranted,
    LegalAidRefusalChallenged,
    LegalAidRefused,
    LegalAidRequested,
    LegalCounsellingInformed,
)
from ledger.case.safeguards.values import LegalAidKind, LegalAidRefusalGround
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule

if TYPE_CHECKING:
    from typing import Any

APR = "APR (EU) 2024/1348"
R = LegalAidRefusalGround

#: Art 17(2) (confirmed): the grounds on which free legal assistance on appeal may be refused.
ASSISTANCE_REFUSAL_GROUNDS = frozenset(R)
#: Art 16 (its exclusions are unconfirmed in our sources, pact-rules-procedures §3.3): the
#: grounds on which free counselling may be refused; default the means and prospect grounds.
COUNSELLING_REFUSAL_GROUNDS = frozenset({R.SUFFICIENT_MEANS, R.NO_SUFFICIENT_PROSPECT})
#: An interview waits for an interpreter asked for and not yet provided or refused. The APR's
#: interview provisions on interpreters are unconfirmed (pact-rules-procedures §3.6; the anchor
#: is Art 8(2)): a parameter.
INTERVIEW_WAITS_FOR_INTERPRETER = True

SAFEGUARD_NEEDS_APPLICATION = define_rule(
    "SAFEGUARD_NEEDS_APPLICATION", f"{APR} Art 15(1)",
    "Legal counselling, legal assistance and interpreters are for applicants: an application "
    "must have been made")
LEGAL_AID_WRONG_STAGE = define_rule(
    "LEGAL_AID_WRONG_STAGE", f"{APR} Arts 15(1), 16, 17",
    "Free counselling is for the administrative procedure (before a decision); free assistance "
    "and representation are for an appeal (once a decision was notified)")
LEGAL_AID_ALREADY_REQUESTED = define_rule(
    "LEGAL_AID_ALREADY_REQUESTED", f"{APR} Art 15(1)",
    "A request for this kind of legal aid is already waiting for a decision")
NO_LEGAL_AID_REQUEST = define_rule(
    "NO_LEGAL_AID_REQUEST", f"{APR} Arts 16, 17",
    "No request for this kind of legal aid waits for a decision")
LEGAL_AID_PROVIDER_REQUIRED = define_rule(
    "LEGAL_AID_PROVIDER_REQUIRED", f"{APR} Art 19(1)",
    "Granted legal aid names its provider (a legal adviser or an accredited organisation), and "
    "only a grant does")
LEGAL_AID_REFUSAL_GROUND = define_rule(
    "LEGAL_AID_REFUSAL_GROUND", f"{APR} Art 17(2); Art 16 (grounds unconfirmed)",
    "A refusal of legal aid states a ground the law allows for that kind of aid")
LEGAL_AID_REFUSAL_NOT_CHALLENGEABLE = define_rule(
    "LEGAL_AID_REFUSAL_NOT_CHALLENGEABLE", f"{APR} Art 17(3)",
    "Only a refusal of legal assistance by an authority other than a court, on the ground of no "
    "sufficient prospect, is brought before a court")
INTERPRETER_REQUEST_PENDING = define_rule(
    "INTERPRETER_REQUEST_PENDING", f"{APR} Art 8(2) (interpreter provisions unconfirmed)",
    "An interpreter was asked for and the request is not decided yet")
NO_INTERPRETER_REQUEST = define_rule(
    "NO_INTERPRETER_REQUEST", f"{APR} Art 8(2)", "No request for an interpreter waits")
INTERPRETER_DECISION_INCOMPLETE = define_rule(
    "INTERPRETER_DECISION_INCOMPLETE", f"{APR} Art 8(2) (interpreter provisions unconfirmed)",
    "An interpreter provided has a reference; a refusal states its ground; not both")


def interview_waits_for_interpreter(case: CaseState) -> None:
    """Refuses an interview while an interpreter asked for is not provided or refused."""
    pending = case.safeguards.pending_interpreter
    require(not (INTERVIEW_WAITS_FOR_INTERPRETER and pending is not None),
            INTERPRETER_REQUEST_PENDING,
            f"asked for {pending.language}" if pending is not None else None)


class SafeguardSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _safeguard_applicant(self, step: Step) -> None:
        guard(self, step)
        require(self.application_made_at is not None, SAFEGUARD_NEEDS_APPLICATION,
                status_of(self))

    def inform_of_legal_counselling(self, step: Step, language: str) -> None:
        self._safeguard_applicant(step)
        self.trigger_event(LegalCounsellingInformed,
                           envelope=step.envelope(LegalBasis(APR, "Arts 8(2), 15(2)")),
                           language=language)

    def request_legal_aid(self, step: Step, kind: str) -> None:
        self._safeguard_applicant(step)
        decision = self.standing_decision
        if kind == LegalAidKind.COUNSELLING.value:
            require(decision is None, LEGAL_AID_WRONG_STAGE, "a decision was taken")
        else:
            require(decision is not None and decision.notified_at is not None
                    and not self.decision_final, LEGAL_AID_WRONG_STAGE,
                    "no notified decision open to appeal")
        require(self.safeguards.pending_aid(kind) is None, LEGAL_AID_ALREADY_REQUESTED)
        article = "Arts 15(1), 16" if kind == LegalAidKind.COUNSELLING.value else "Arts 15(1), 17"
        self.trigger_event(LegalAidRequested, envelope=step.envelope(LegalBasis(APR, article)),
                           kind=kind)

    def decide_legal_aid(self, step: Step, kind: str, granted: bool, provider: str | None,
                         refusal_ground: str | None, by_court: bool) -> None:
        self._safeguard_applicant(step)
        require(self.safeguards.pending_aid(kind) is not None, NO_LEGAL_AID_REQUEST, kind)
        require(bool(provider and provider.strip()) == granted, LEGAL_AID_PROVIDER_REQUIRED)
        if granted:
            require(refusal_ground is None, LEGAL_AID_REFUSAL_GROUND, "a grant has no ground")
            self.trigger_event(LegalAidGranted,
                               envelope=step.envelope(LegalBasis(APR, "Arts 16, 17, 19(1)")),
                               kind=kind, provider=provider, by_court=by_court)
            return
        allowed = (COUNSELLING_REFUSAL_GROUNDS if kind == LegalAidKind.COUNSELLING.value
                   else ASSISTANCE_REFUSAL_GROUNDS)
        require(refusal_ground is not None and R(refusal_ground) in allowed,
                LEGAL_AID_REFUSAL_GROUND, refusal_ground or "no ground given")
        article = "Art 16" if kind == LegalAidKind.COUNSELLING.value else "Art 17(2)"
        self.trigger_event(LegalAidRefused, envelope=step.envelope(LegalBasis(APR, article)),
                           kind=kind, refusal_ground=refusal_ground, by_court=by_court)

    def challenge_legal_aid_refusal(self, step: Step) -> None:
        self._safeguard_applicant(step)
        kind = LegalAidKind.ASSISTANCE.value
        last = next((a for a in reversed(self.safeguards.legal_aid) if a.kind == kind), None)
        require(last is not None and last.state == "REFUSED" and not last.by_court
                and last.refusal_ground == R.NO_SUFFICIENT_PROSPECT.value,
                LEGAL_AID_REFUSAL_NOT_CHALLENGEABLE)
        self.trigger_event(LegalAidRefusalChallenged,
                           envelope=step.envelope(LegalBasis(APR, "Art 17(3)")), kind=kind)

    def request_interpreter(self, step: Step, language: str) -> None:
        self._safeguard_applicant(step)
        require(self.safeguards.pending_interpreter is None, INTERPRETER_REQUEST_PENDING)
        self.trigger_event(InterpreterRequested,
                           envelope=step.envelope(LegalBasis(APR, "Art 8(2)")),
                           language=language)

    def decide_interpreter(self, step: Step, provided: bool, interpreter_ref: str | None,
                           refusal_ground: str | None) -> None:
        self._safeguard_applicant(step)
        require(self.safeguards.pending_interpreter is not None, NO_INTERPRETER_REQUEST)
        complete = (bool(interpreter_ref) and refusal_ground is None if provided
                    else refusal_ground is not None and not interpreter_ref)
        require(complete, INTERPRETER_DECISION_INCOMPLETE)
        self.trigger_event(InterpreterDecided,
                           envelope=step.envelope(LegalBasis(APR, "Art 8(2)")),
                           provided=provided, interpreter_ref=interpreter_ref or None,
                           refusal_ground=refusal_ground)

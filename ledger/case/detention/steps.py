"""Detention (RCD (EU) 2024/1346 Arts 10-13; APR Art 54; AMMR Art 44; RBPR Art 5): an order on
one legal ground, the speedy judicial review, release. Its time limits (review, maximum
durations) are deadlines in `ledger.deadlines.catalogue`.

Minority is the case's one derived property (`CaseState.unaccompanied_minor`): a person an age
assessment found adult may be detained as an adult; one found a minor only as RCD Art 13(2)(b)
allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.case.detention.events import (
    DetentionEnded,
    DetentionOrdered,
    DetentionReviewed,
    DetentionReviewRequested,
)
from ledger.case.detention.values import GROUNDS, RCD, ReleaseReason
from ledger.case.guards import guard, require
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule

#: RCD Art 11(3): detention found unlawful on review ends at once. "Immediate release" is
#: unconfirmed in our sources (pact-rules-procedures §2.8): a parameter, by default as believed.
RELEASE_WHEN_FOUND_UNLAWFUL = True

#: Responsibility states in which an AMMR procedure runs that detention may secure (Art 44).
_TRANSFER_PROCEDURES = ("TAKE_CHARGE_REQUESTED", "TAKE_BACK_NOTIFIED", "TRANSFER_PENDING")

DETENTION_IN_FORCE = define_rule(
    "DETENTION_IN_FORCE", f"{RCD} Art 11(2)",
    "The person is already detained under an order; release them before a new order")
DETENTION_ALTERNATIVES_FIRST = define_rule(
    "DETENTION_ALTERNATIVES_FIRST", f"{RCD} Art 10(2)-(3); AMMR (EU) 2024/1351 Art 44",
    "Detention only where an individual assessment found less coercive alternatives ineffective")
DETENTION_GROUND_NOT_APPLICABLE = define_rule(
    "DETENTION_GROUND_NOT_APPLICABLE", f"{RCD} Art 10(1), (4); AMMR Art 44; RBPR Art 5",
    "The ground does not fit the case: RCD grounds need an applicant, the border ground the "
    "border procedure, AMMR Art 44 a pending transfer procedure, RBPR the return border "
    "procedure")
UNACCOMPANIED_MINOR_DETENTION = define_rule(
    "UNACCOMPANIED_MINOR_DETENTION", f"{RCD} Art 13(2)",
    "An unaccompanied minor is detained only exceptionally, as a last resort, where detention "
    "protects the minor (Art 13(2)(b)); minority as the age assessment established it")
NOT_DETAINED = define_rule(
    "NOT_DETAINED", f"{RCD} Art 11", "The person is not detained")
DETENTION_REVIEW_PENDING = define_rule(
    "DETENTION_REVIEW_PENDING", f"{RCD} Art 11(3)",
    "A review of this detention is already before the court")


def ground_applies(case: CaseState, needs: str) -> bool:
    """What the case must be in for a ground of that kind (`GroundRule.needs`)."""
    applicant = case.application_made_at is not None and not case.right_to_remain_ended
    if needs == "BORDER":
        return applicant and case.procedure == "BORDER" and not case.entry_authorised
    if needs == "TRANSFER":
        return case.responsibility.state in _TRANSFER_PROCEDURES
    if needs == "RETURN_BORDER":
        return case.return_.border_procedure and not case.return_.returned
    return applicant


class DetentionSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def order_detention(self, step: Step, ground: str, ordered_by: str, order_ref: str,
                        alternatives_ineffective: bool, protects_minor: bool,
                        exceptional_situation: bool) -> None:
        guard(self, step)
        require(self.detention is None or not self.detention.current, DETENTION_IN_FORCE,
                f"order {self.detention and self.detention.order_ref}")
        require(alternatives_ineffective, DETENTION_ALTERNATIVES_FIRST)
        rule = GROUNDS[ground]
        require(ground_applies(self, rule.needs), DETENTION_GROUND_NOT_APPLICABLE,
                f"{ground} ({rule.act} {rule.article}) needs {rule.needs}")
        minor = self.unaccompanied_minor
        require(not minor or protects_minor, UNACCOMPANIED_MINOR_DETENTION,
                "the person is an unaccompanied minor" + (
                    "" if self.age_assessment is None or self.age_assessment.result is None
                    else f" (age assessment: {self.age_assessment.result})"))
        self.trigger_event(DetentionOrdered,
                           envelope=step.envelope(LegalBasis(rule.act, rule.article)),
                           ground=ground, ordered_by=ordered_by, order_ref=order_ref,
                           minor_exception=minor and protects_minor,
                           exceptional_situation=exceptional_situation)

    def _detained(self, step: Step) -> None:
        guard(self, step)
        require(self.detention is not None and self.detention.current, NOT_DETAINED)

    def request_detention_review(self, step: Step) -> None:
        self._detained(step)
        assert self.detention is not None
        require(self.detention.review_requested_at is None, DETENTION_REVIEW_PENDING)
        self.trigger_event(DetentionReviewRequested,
                           envelope=step.envelope(LegalBasis(RCD, "Art 11(3)")))

    def decide_detention_review(self, step: Step, lawful: bool) -> None:
        self._detained(step)
        self.trigger_event(DetentionReviewed,
                           envelope=step.envelope(LegalBasis(RCD, "Art 11(3)")), lawful=lawful)
        if not lawful and RELEASE_WHEN_FOUND_UNLAWFUL:
            self.trigger_event(DetentionEnded,
                               envelope=step.envelope(LegalBasis(RCD, "Art 11(3)")),
                               reason=ReleaseReason.UNLAWFUL.value)

    def release_from_detention(self, step: Step, reason: str) -> None:
        self._detained(step)
        self.trigger_event(DetentionEnded, envelope=step.envelope(LegalBasis(RCD, "Art 11(1)")),
                           reason=reason)

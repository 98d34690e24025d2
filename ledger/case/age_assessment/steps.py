"""Age assessment (APR (EU) 2024/1348 Art 25) and what its result changes.

The result decides minority (`CaseState.unaccompanied_minor`), which every rule that depends on
it reads: the representative (Screening Art 13, AMMR Art 23), the border procedure's exclusion
(APR Art 53), suspensive effect (APR Art 68(3)), the late take charge request (AMMR Art 39(1)),
detention (RCD Art 13(2)). A person found to be an unaccompanied minor while detained without
the exception of RCD Art 13(2)(b) is released in the same step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.case.age_assessment.events import AgeAssessed, AgeAssessmentInitiated
from ledger.case.age_assessment.values import AgeAssessmentMethod, AgeAssessmentResult
from ledger.case.detention.events import DetentionEnded
from ledger.case.detention.values import ReleaseReason
from ledger.case.guards import guard, require
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule

APR = "APR (EU) 2024/1348"
RCD = "RCD (EU) 2024/1346"

AGE_ASSESSMENT_RUNNING = define_rule(
    "AGE_ASSESSMENT_RUNNING", f"{APR} Art 25(1)",
    "An age assessment is already running; record its result first")
AGE_ASSESSMENT_NEEDS_DOUBT = define_rule(
    "AGE_ASSESSMENT_NEEDS_DOUBT", f"{APR} Art 25(1)",
    "An age assessment is for a person who claims to be a minor or whose age is in doubt: a "
    "concluded assessment that found an adult is not repeated by the same method")
MEDICAL_AGE_ASSESSMENT_LAST_RESORT = define_rule(
    "MEDICAL_AGE_ASSESSMENT_LAST_RESORT", f"{APR} Art 25(2)",
    "A medical examination is a last resort: only after a multidisciplinary assessment")
NO_AGE_ASSESSMENT_RUNNING = define_rule(
    "NO_AGE_ASSESSMENT_RUNNING", f"{APR} Art 25", "No age assessment is running")
AGE_BENEFIT_OF_DOUBT = define_rule(
    "AGE_BENEFIT_OF_DOUBT", f"{APR} Art 25",
    "A result whose range includes an age under 18 presumes a minor (benefit of the doubt)")


class AgeAssessmentSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def initiate_age_assessment(self, step: Step, method: str, unaccompanied: bool) -> None:
        guard(self, step)
        current = self.age_assessment
        if current is not None:
            require(current.result is not None, AGE_ASSESSMENT_RUNNING,
                    f"{current.method} since {current.initiated_at:%Y-%m-%d}")
        if method == AgeAssessmentMethod.MEDICAL.value:
            done = () if current is None else (*current.earlier_methods, current.method)
            require(AgeAssessmentMethod.MULTIDISCIPLINARY.value in done,
                    MEDICAL_AGE_ASSESSMENT_LAST_RESORT)
        else:
            require(current is None or current.result != AgeAssessmentResult.ADULT.value,
                    AGE_ASSESSMENT_NEEDS_DOUBT)
        self.trigger_event(AgeAssessmentInitiated,
                           envelope=step.envelope(LegalBasis(APR, "Art 25(1)")),
                           method=method, unaccompanied=unaccompanied)

    def record_age_assessment_result(self, step: Step, result: str,
                                     lowest_estimated_age: int | None) -> None:
        guard(self, step)
        current = self.age_assessment
        require(current is not None and current.result is None, NO_AGE_ASSESSMENT_RUNNING)
        require(not (result == AgeAssessmentResult.ADULT.value
                     and lowest_estimated_age is not None and lowest_estimated_age < 18),
                AGE_BENEFIT_OF_DOUBT, f"the range starts at {lowest_estimated_age}")
        self.trigger_event(AgeAssessed, envelope=step.envelope(LegalBasis(APR, "Art 25")),
                           result=result)
        detention = self.detention
        if (self.unaccompanied_minor and detention is not None and detention.current
                and not detention.minor_exception):
            # RCD Art 13(2): an unaccompanied minor is detained only where it protects them,
            # a decision the order did not take; the detention ends with the finding.
            self.trigger_event(DetentionEnded,
                               envelope=step.envelope(LegalBasis(RCD, "Art 13(2)")),
                               reason=ReleaseReason.FOUND_MINOR.value)

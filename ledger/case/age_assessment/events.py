"""Age assessment (APR (EU) 2024/1348 Art 25): started, concluded."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.age_assessment.values import AgeAssessment
from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase

if TYPE_CHECKING:
    from ledger.case.state import CaseState


class AgeAssessmentEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `AGE_ASSESSMENT`."""

    phase = Phase.AGE_ASSESSMENT


@stable("AgeAssessmentInitiated")
class AgeAssessmentInitiated(AgeAssessmentEvent):
    """Art 25(1): doubts about the age claimed; the method chosen (Art 25(2))."""

    method: str
    unaccompanied: bool

    def apply_step(self, case: CaseState) -> None:
        earlier = case.age_assessment
        methods = () if earlier is None else (*earlier.earlier_methods, earlier.method)
        case.age_assessment = AgeAssessment(method=self.method,
                                            initiated_at=self.envelope.occurred_at,
                                            unaccompanied=self.unaccompanied,
                                            earlier_methods=methods)


@stable("AgeAssessed")
class AgeAssessed(AgeAssessmentEvent):
    """Art 25: the result; from now on minority is what it says
    (`CaseState.unaccompanied_minor`)."""

    result: str

    def apply_step(self, case: CaseState) -> None:
        assert case.age_assessment is not None
        case.age_assessment = replace(case.age_assessment, result=self.result,
                                      concluded_at=self.envelope.occurred_at)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[AgeAssessmentEvent], ...] = (AgeAssessmentInitiated, AgeAssessed)

"""Age assessment: what a caller asks the ledger to record (APR (EU) 2024/1348 Art 25)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.age_assessment.values import AgeAssessmentMethod, AgeAssessmentResult
from ledger.command_meta import Doc


@dataclass(frozen=True)
class InitiateAgeAssessment:
    """An age assessment starts for a person claiming to be a minor, or where there are doubts
    (APR Art 25(1)); a medical examination only as a last resort (Art 25(2))."""

    case_id: UUID
    method: Annotated[str, AgeAssessmentMethod, Doc(
        "MULTIDISCIPLINARY first; MEDICAL only after a multidisciplinary assessment left doubt "
        "(APR Art 25(2)).")]
    unaccompanied: Annotated[bool, Doc(
        "The person is without an adult responsible for them: found a minor, they are an "
        "unaccompanied minor.")] = True


@dataclass(frozen=True)
class RecordAgeAssessmentResult:
    """The running age assessment concludes (APR Art 25): minor, adult, or presumed a minor by
    the benefit of the doubt. The result decides minority for every rule that depends on it."""

    case_id: UUID
    result: Annotated[str, AgeAssessmentResult, Doc(
        "MINOR, ADULT, or BENEFIT_OF_DOUBT where the result is inconclusive (APR Art 25).")]
    lowest_estimated_age: Annotated[int | None, Doc(
        "The lowest age of the range the assessment gives, if it gives one: a range that "
        "includes an age under 18 cannot conclude ADULT (APR Art 25, benefit of the doubt).")] \
        = None


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (InitiateAgeAssessment, RecordAgeAssessmentResult)

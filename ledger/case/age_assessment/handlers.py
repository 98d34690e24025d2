"""How each age assessment command is carried out on the `Case`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.age_assessment import commands as c
from ledger.case.handling import loaded
from ledger.envelope import Step
from ledger.handling import Changes, Registration
from ledger.validation import check_command

if TYPE_CHECKING:
    from ledger.application import Ledger


def initiate_age_assessment(ledger: Ledger, cmd: c.InitiateAgeAssessment, step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.initiate_age_assessment(step, method=cmd.method, unaccompanied=cmd.unaccompanied)
    return Changes(case, replayed=replayed)


def record_age_assessment_result(ledger: Ledger, cmd: c.RecordAgeAssessmentResult,
                                 step: Step) -> Changes:
    case, replayed = loaded(ledger, cmd.case_id, step)
    if not replayed:
        case.record_age_assessment_result(step, result=cmd.result,
                                          lowest_estimated_age=cmd.lowest_estimated_age)
    return Changes(case, replayed=replayed)


#: Command class -> its shape check and handler.
HANDLERS: dict[type, Registration] = {
    c.InitiateAgeAssessment: Registration(initiate_age_assessment, check_command),
    c.RecordAgeAssessmentResult: Registration(record_age_assessment_result, check_command),
}

"""Age assessment (APR (EU) 2024/1348 Art 25) on the in-memory store, and its effect on every
rule that depends on minority: the one derived property `CaseState.unaccompanied_minor` (the
concluded assessment's result, else the claim) is what the representative (Screening Art 13,
AMMR Art 23), the border procedure's exclusion (APR Art 53), the late take charge request (AMMR
Art 39(1)), suspensive effect (APR Art 68(3)), detention (RCD Art 13(2), `test_case_detention`)
and the representative deadline read."""

from __future__ import annotations

from uuid import UUID

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.deadlines.deadline import DeadlineStatus
from ledger.deadlines.engine import DeadlineTracker
from tests.support.cases import applied, case_of, day, decide, registered, step
from tests.support.refusals import provokes, refused


def assessed(ledger: Ledger, case_id: UUID, result: str, when: float = 2,
             unaccompanied: bool = True) -> None:
    step(ledger, c.InitiateAgeAssessment(case_id, "MULTIDISCIPLINARY", unaccompanied), when)
    step(ledger, c.RecordAgeAssessmentResult(case_id, result), when + 0.5)


def deadline(ledger: Ledger, case_id: UUID, code: str) -> object:
    tracker = DeadlineTracker()
    for position, event in enumerate(ledger.events.get(case_id), start=1):
        tracker.observe(event, position)
    found = [d for d in tracker.deadlines if d.code == code]
    return found[-1] if found else None


@provokes("AGE_ASSESSMENT_RUNNING", "NO_AGE_ASSESSMENT_RUNNING",
          "MEDICAL_AGE_ASSESSMENT_LAST_RESORT", "AGE_ASSESSMENT_NEEDS_DOUBT")
def test_multidisciplinary_first_medical_last_one_at_a_time(ledger: Ledger) -> None:
    """Art 25(1)-(2): one assessment at a time; a medical examination only after a
    multidisciplinary assessment left doubt; an adult finding is not assessed again the same
    way."""
    case_id = registered(ledger, "A-1", minor=True)
    refused(ledger, c.RecordAgeAssessmentResult(case_id, "MINOR"), 2, "NO_AGE_ASSESSMENT_RUNNING")
    refused(ledger, c.InitiateAgeAssessment(case_id, "MEDICAL"), 2,
            "MEDICAL_AGE_ASSESSMENT_LAST_RESORT")
    step(ledger, c.InitiateAgeAssessment(case_id, "MULTIDISCIPLINARY"), 2)
    refused(ledger, c.InitiateAgeAssessment(case_id, "MULTIDISCIPLINARY"), 3,
            "AGE_ASSESSMENT_RUNNING")
    step(ledger, c.RecordAgeAssessmentResult(case_id, "ADULT"), 4)
    refused(ledger, c.InitiateAgeAssessment(case_id, "MULTIDISCIPLINARY"), 5,
            "AGE_ASSESSMENT_NEEDS_DOUBT")
    step(ledger, c.InitiateAgeAssessment(case_id, "MEDICAL"), 5)
    step(ledger, c.RecordAgeAssessmentResult(case_id, "BENEFIT_OF_DOUBT"), 6)
    assessment = case_of(ledger, case_id).age_assessment
    assert assessment.method == "MEDICAL" and assessment.earlier_methods == ("MULTIDISCIPLINARY",)
    assert case_of(ledger, case_id).unaccompanied_minor


@provokes("AGE_BENEFIT_OF_DOUBT")
def test_a_range_below_eighteen_gives_the_benefit_of_the_doubt(ledger: Ledger) -> None:
    """Art 25: a range that includes an age under 18 presumes a minor."""
    case_id = registered(ledger, "A-2", minor=True)
    step(ledger, c.InitiateAgeAssessment(case_id, "MULTIDISCIPLINARY"), 2)
    refused(ledger, c.RecordAgeAssessmentResult(case_id, "ADULT", 17), 3, "AGE_BENEFIT_OF_DOUBT")
    step(ledger, c.RecordAgeAssessmentResult(case_id, "ADULT", 18), 3)
    assert not case_of(ledger, case_id).unaccompanied_minor


@provokes("REPRESENTATIVE_FOR_MINORS")
def test_representative_follows_the_assessment(ledger: Ledger) -> None:
    """Screening Art 13, AMMR Art 23(2): a representative for an unaccompanied minor: not for
    one found adult (and the representative deadline stops), but for one found a minor who had
    not claimed it (and the deadline opens)."""
    claimed = applied(ledger, "A-3", minor=True)
    assert deadline(ledger, claimed, "REPRESENTATIVE").is_open
    assessed(ledger, claimed, "ADULT", when=0.2)  # within the 24 hours (AMMR Art 23(2)(a))
    refused(ledger, c.AssignRepresentative(claimed, "PROVISIONAL", "REP-1"), 3,
            "REPRESENTATIVE_FOR_MINORS")
    stopped = deadline(ledger, claimed, "REPRESENTATIVE")
    assert stopped.stopped_at == day(0.7) and stopped.status(day(400)) is DeadlineStatus.STOPPED
    late = applied(ledger, "A-3b", minor=True)
    assessed(ledger, late, "ADULT", when=2)  # a breach is history: found adult after the limit
    assert deadline(ledger, late, "REPRESENTATIVE").status(day(400)) is DeadlineStatus.BREACHED
    unclaimed = registered(ledger, "A-4")
    refused(ledger, c.AssignRepresentative(unclaimed, "PROVISIONAL", "REP-1"), 2,
            "REPRESENTATIVE_FOR_MINORS")
    assert deadline(ledger, unclaimed, "REPRESENTATIVE") is None
    assessed(ledger, unclaimed, "MINOR")
    opened = deadline(ledger, unclaimed, "REPRESENTATIVE")
    assert opened.is_open and opened.started_at == day(2.5)
    step(ledger, c.AssignRepresentative(unclaimed, "PROVISIONAL", "REP-1"), 3)
    assert deadline(ledger, unclaimed, "REPRESENTATIVE").met_at == day(3)


def test_accompanied_minor_is_no_unaccompanied_minor(ledger: Ledger) -> None:
    """A minor with an adult responsible for them is not an unaccompanied minor."""
    case_id = registered(ledger, "A-5", minor=True)
    assessed(ledger, case_id, "MINOR", unaccompanied=False)
    assert not case_of(ledger, case_id).unaccompanied_minor


@provokes("MINOR_BORDER_ONLY_ON_SECURITY")
def test_border_procedure_exclusion_follows_the_assessment(ledger: Ledger) -> None:
    """APR Art 53 (number unconfirmed): an unaccompanied minor enters the border procedure only
    on a security ground: excluded while the claim stands, allowed once found adult; a person
    found a minor is excluded."""
    claimed = registered(ledger, "A-6", minor=True, nationality="BD")
    refused(ledger, c.AssignProcedure(claimed, "BORDER", ("APR Art 45(1)(c)",)), 2,
            "MINOR_BORDER_ONLY_ON_SECURITY")
    assessed(ledger, claimed, "ADULT")
    step(ledger, c.AssignProcedure(claimed, "BORDER", ("APR Art 45(1)(c)",)), 3)
    found = registered(ledger, "A-7", nationality="BD")
    assessed(ledger, found, "BENEFIT_OF_DOUBT")
    refused(ledger, c.AssignProcedure(found, "BORDER", ("APR Art 45(1)(c)",)), 3,
            "MINOR_BORDER_ONLY_ON_SECURITY")


@provokes("TAKE_CHARGE_REQUEST_LATE")
def test_late_take_charge_exception_follows_the_assessment(ledger: Ledger) -> None:
    """AMMR Art 39(1): after 2 months the request is late, except for an unaccompanied minor
    before the first decision: a claimed minor found adult loses the exception."""
    minor = registered(ledger, "A-8", minor=True)
    assessed(ledger, minor, "MINOR")
    step(ledger, c.RequestTakeCharge(minor, "EL", "AMMR Art 25"), 90)
    adult = registered(ledger, "A-9", minor=True)
    assessed(ledger, adult, "ADULT")
    refused(ledger, c.RequestTakeCharge(adult, "EL", "AMMR Art 25"), 90,
            "TAKE_CHARGE_REQUEST_LATE")


def test_suspensive_effect_follows_the_assessment(ledger: Ledger) -> None:
    """APR Art 68(3): a border rejection has no automatic suspensive effect, except for an
    unaccompanied minor, minority as the assessment found it (here: security-flagged minor in
    the border procedure, found a minor after the claim was doubted)."""
    case_id = registered(ledger, "A-10", nationality="BD")
    step(ledger, c.AssignProcedure(case_id, "BORDER", ("APR Art 45(1)(c)",)), 1.5)
    step(ledger, c.LodgeApplication(case_id), 2)
    assessed(ledger, case_id, "MINOR", when=3)
    decide(ledger, case_id, "UNFOUNDED", 30)
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31)
    assert case_of(ledger, case_id).pending_appeal.suspensive is True

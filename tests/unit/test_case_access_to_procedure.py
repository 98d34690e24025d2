"""Access to the procedure (APR (EU) 2024/1348 Arts 26-28, 55) and the checks every step shares
(the record is open; legal time is neither future nor before the step it follows), on the
in-memory store."""

from __future__ import annotations

from datetime import timedelta

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.cases import NOW, applied, case_of, day, decide, examined, lodged, step
from tests.support.flows import run
from tests.support.refusals import provokes, refused
from tests.support.steps import at


def test_an_application_at_an_office_opens_the_case(ledger: Ledger) -> None:
    """Art 26: an application made without screening opens the case itself."""
    case_id = applied(ledger, "A-1")
    assert case_id == Case.create_id("IT", "A-1")
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.APPLICATION_MADE and case.screening is None
    assert case.application_made_at == day(0)
    step(ledger, c.RegisterApplication(case_id), 1)
    assert case_of(ledger, case_id).status is CaseStatus.REGISTERED
    step(ledger, c.LodgeApplication(case_id), 2)
    case = case_of(ledger, case_id)
    assert (case.status, case.registered_at, case.lodged_at) == (CaseStatus.LODGED, day(1),
                                                                 day(2))


@provokes("APPLICATION_ALREADY_MADE")
def test_an_application_is_made_once(ledger: Ledger) -> None:
    """Art 55: a further application in the same case is a subsequent application."""
    applied(ledger, "A-2")
    refused(ledger, c.MakeApplication("IT", "A-2", "Questura"), 1, "APPLICATION_ALREADY_MADE")


@provokes("REGISTRATION_REQUIRES_APPLICATION")
def test_registration_needs_an_application_and_happens_once(ledger: Ledger) -> None:
    """Art 27(1): what is registered is an application that was made."""
    handle(ledger, c.StartScreening("IT", "A-3", c.Person("SY"), "IRREGULAR_CROSSING", "Bari"),
                  at(0))
    case_id = Case.create_id("IT", "A-3")
    refused(ledger, c.RegisterApplication(case_id), 1, "REGISTRATION_REQUIRES_APPLICATION")
    office = applied(ledger, "A-3b")
    step(ledger, c.RegisterApplication(office), 1)
    refused(ledger, c.RegisterApplication(office), 2, "REGISTRATION_REQUIRES_APPLICATION")


@provokes("SCREENING_IN_PROGRESS")
def test_registration_waits_for_the_referral(ledger: Ledger) -> None:
    """Screening Art 18(1)(b): the registration authority receives the applicant on referral."""
    handle(ledger, c.StartScreening("IT", "A-4", c.Person("SY"), "SEARCH_AND_RESCUE", "Lampedusa"),
                  at(0))
    case_id = Case.create_id("IT", "A-4")
    step(ledger, c.MakeApplication("IT", "A-4", "Lampedusa"), 0.5)
    refused(ledger, c.RegisterApplication(case_id), 1, "SCREENING_IN_PROGRESS")
    step(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-4"), 2)
    step(ledger, c.RegisterApplication(case_id), 2)
    assert case_of(ledger, case_id).status is CaseStatus.REGISTERED


@provokes("LODGING_REQUIRES_REGISTRATION")
def test_lodging_needs_registration_and_happens_once(ledger: Ledger) -> None:
    """Art 28(1): lodging follows registration, once."""
    case_id = applied(ledger, "A-5")
    refused(ledger, c.LodgeApplication(case_id), 0.5, "LODGING_REQUIRES_REGISTRATION")
    step(ledger, c.RegisterApplication(case_id), 1)
    step(ledger, c.LodgeApplication(case_id), 2)
    refused(ledger, c.LodgeApplication(case_id), 3, "LODGING_REQUIRES_REGISTRATION")


def test_lodging_after_the_border_procedure_started(ledger: Ledger) -> None:
    """APR Art 51(2): the border procedure runs from registration, so lodging may follow it; the
    case stays under examination."""
    case_id = applied(ledger, "A-6", nationality="BD")
    step(ledger, c.RegisterApplication(case_id), 1)
    step(ledger, c.AssignProcedure(case_id, "BORDER"), 1)
    step(ledger, c.LodgeApplication(case_id), 3)
    case = case_of(ledger, case_id)
    assert (case.status, case.procedure, case.lodged_at) == (
        CaseStatus.UNDER_EXAMINATION, "BORDER", day(3))


@provokes("SUBSEQUENT_REQUIRES_FINAL_DECISION")
def test_a_subsequent_application_follows_a_final_rejection(ledger: Ledger) -> None:
    """Art 55(1): a subsequent application follows a final decision; a beneficiary of protection
    has nothing to apply for again."""
    case_id = lodged(ledger, "A-7")
    refused(ledger, c.MakeSubsequentApplication(case_id, True), 3,
            "SUBSEQUENT_REQUIRES_FINAL_DECISION")
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
    decide(ledger, case_id, "UNFOUNDED", 30)
    refused(ledger, c.MakeSubsequentApplication(case_id, True), 31,
            "SUBSEQUENT_REQUIRES_FINAL_DECISION")
    granted = examined(ledger, "A-7b")
    decide(ledger, granted, "REFUGEE_STATUS", 30)
    step(ledger, c.DeclareDecisionFinal(granted), 31)
    refused(ledger, c.MakeSubsequentApplication(granted, True), 32,
            "SUBSEQUENT_REQUIRES_FINAL_DECISION")


def test_a_subsequent_application_reopens_the_examination(ledger: Ledger) -> None:
    """Art 55: after a final rejection, a further application is examined anew (preliminary
    examination under a new procedure); the earlier decision stays on record."""
    case_id = examined(ledger, "A-8")
    decide(ledger, case_id, "UNFOUNDED", 30)
    # the 1-month period from 1 April ends on 4 May: 1 May (Labour Day) and the weekend move it
    step(ledger, c.DeclareDecisionFinal(case_id), 30 + 34)
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.NO_RIGHT_TO_REMAIN and case.right_to_remain_ended
    step(ledger, c.MakeSubsequentApplication(case_id, new_elements=True), 70)
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.LODGED and case.subsequent_applications == 1
    assert case.standing_decision is None and case.procedure is None
    assert not (case.decision_final or case.right_to_remain_ended or case.return_decision_issued)
    assert [d.decision_type for d in case.decisions] == ["UNFOUNDED"]
    step(ledger, c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(f)",)), 71)
    decide(ledger, case_id, "INADMISSIBLE", 80)
    assert case_of(ledger, case_id).standing_decision.decision_no == 2


@provokes("CASE_CLOSED")
def test_nothing_is_recorded_on_a_closed_case(ledger: Ledger) -> None:
    """APR Art 55: after closure a new step needs a new (subsequent) application."""
    case_id = applied(ledger, "A-9")
    step(ledger, c.CloseCase(case_id, "DECEASED"), 1)
    refused(ledger, c.RegisterApplication(case_id), 2, "CASE_CLOSED")
    refused(ledger, c.CloseCase(case_id, "OTHER"), 2, "CASE_CLOSED")


@provokes("OCCURRED_IN_FUTURE")
def test_legal_time_is_not_in_the_future(ledger: Ledger) -> None:
    """Ledger integrity: a step, or the notification it reports, cannot lie ahead of the
    ledger's clock (two minutes of clock skew aside)."""
    case_id = examined(ledger, "A-10")
    refused(ledger, c.RecordInterview(case_id, "INT-1", "ar"), NOW + timedelta(minutes=5),
            "OCCURRED_IN_FUTURE")
    step(ledger, c.RecordInterview(case_id, "INT-1", "ar"), 3650)  # "now" itself is fine
    refused(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13",
                                    notified_at=NOW + timedelta(days=1)), 3650,
            "OCCURRED_IN_FUTURE")


@provokes("OCCURRED_BEFORE_PREVIOUS_STEP")
def test_legal_time_does_not_go_back(ledger: Ledger) -> None:
    """Ledger integrity: a step may be recorded late, but not before the step it follows."""
    case_id = lodged(ledger, "A-11")
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 1.5, "OCCURRED_BEFORE_PREVIOUS_STEP")
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 2)  # the same moment is fine
    assert case_of(ledger, case_id).last_occurred_at == day(2)


def test_implicit_withdrawal_is_possible_once_registered(ledger: Ledger) -> None:
    run(ledger, c.MakeApplication("IT", "R-4", "Rome", c.Person("SY")), 0)
    case_id = Case.create_id("IT", "R-4")
    refused(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(a)"), 1,
            "WITHDRAWAL_REQUIRES_REGISTRATION")
    run(ledger, c.RegisterApplication(case_id), 1)
    run(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(a)",
                                return_exception="Pending humanitarian permit"), 30)
    assert ledger.get_case(case_id).status is CaseStatus.DECIDED


def test_registration_needs_a_made_application_and_the_end_of_screening(
    ledger: Ledger,
) -> None:
    run(ledger, c.StartScreening("IT", "R-5", c.Person("SY"), "IRREGULAR_CROSSING", "Trieste"), 0)
    case_id = Case.create_id("IT", "R-5")
    refused(ledger, c.RegisterApplication(case_id), 1, "REGISTRATION_REQUIRES_APPLICATION")
    run(ledger, c.MakeApplication("IT", "R-5", "Trieste"), 1)
    refused(ledger, c.RegisterApplication(case_id), 2, "SCREENING_IN_PROGRESS")


def test_border_procedure_may_start_at_registration(ledger: Ledger) -> None:
    run(ledger, c.MakeApplication("EL", "R-8", "Samos", c.Person("PK")), 0)
    case_id = Case.create_id("EL", "R-8")
    run(ledger, c.RegisterApplication(case_id), 1)
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 2, "PROCEDURE_REQUIRES_LODGING")
    run(ledger, c.AssignProcedure(case_id, "BORDER", ("APR Art 45(1)(c)",)), 2)
    run(ledger, c.LodgeApplication(case_id), 3)
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 4, "PROCEDURE_ALREADY_ASSIGNED")
    refused(ledger, c.IssueDecision(case_id, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)"), 30,
            "REJECTION_WITHOUT_RETURN")
    run(ledger, c.IssueDecision(case_id, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)",
                                with_return_decision=True), 30)

"""Examination (APR (EU) 2024/1348 Arts 11-14, 35-53) on the in-memory store: which procedure may
be assigned when (an unaccompanied minor enters the border procedure only on a security ground),
the EU-wide recognition rate recorded with it, interviews, extensions, decisions (a rejection
comes with a return decision unless an exception is recorded) and their notification."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.cases import (
    applied,
    at_border,
    case_of,
    day,
    decide,
    end_of,
    examined,
    lodged,
    memory_ledger,
    meta_at,
    registered,
    step,
)
from tests.support.flows import run, screened_applicant
from tests.support.refusals import provokes, refused
from tests.support.steps import T0


@provokes("PROCEDURE_REQUIRES_LODGING")
def test_procedures_run_from_lodging_the_border_one_from_registration(ledger: Ledger) -> None:
    """Art 35 and Art 51(2): the regular, accelerated and admissibility procedures need a lodged
    application; the border procedure may start on registration, not before."""
    case_id = applied(ledger, "X-1")
    refused(ledger, c.AssignProcedure(case_id, "BORDER"), 0.5, "PROCEDURE_REQUIRES_LODGING")
    step(ledger, c.RegisterApplication(case_id), 1)
    for procedure in ("REGULAR", "ACCELERATED", "ADMISSIBILITY"):
        refused(ledger, c.AssignProcedure(case_id, procedure), 1.5, "PROCEDURE_REQUIRES_LODGING")
    step(ledger, c.AssignProcedure(case_id, "BORDER"), 1.5)
    assert case_of(ledger, case_id).status is CaseStatus.UNDER_EXAMINATION


@provokes("PROCEDURE_ALREADY_ASSIGNED", "PROCEDURE_REQUIRES_LODGING")
def test_one_procedure_until_a_decision(ledger: Ledger) -> None:
    """Art 35: a procedure runs until its decision; a decision that stands is not re-examined
    under another procedure."""
    case_id = examined(ledger, "X-2")
    refused(ledger, c.AssignProcedure(case_id, "ACCELERATED"), 4, "PROCEDURE_ALREADY_ASSIGNED")
    decide(ledger, case_id, "UNFOUNDED", 30)
    refused(ledger, c.AssignProcedure(case_id, "REGULAR"), 31, "PROCEDURE_REQUIRES_LODGING")


def test_an_admissible_application_goes_on_to_the_merits(ledger: Ledger) -> None:
    """APR Arts 35(1), 38: an application found admissible is examined on the merits under the
    regular (or accelerated) procedure, whose time limit then runs."""
    case_id = examined(ledger, "X-3", "ADMISSIBILITY")
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 20)
    assert case_of(ledger, case_id).procedure == "REGULAR"


def test_a_remitted_inadmissibility_decision_goes_on_to_the_merits(ledger: Ledger) -> None:
    """APR Art 67: the court annuls the inadmissibility decision; the merits are examined under
    the regular procedure."""
    case_id = examined(ledger, "X-4", "ADMISSIBILITY")
    decide(ledger, case_id, "INADMISSIBLE", 20)
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 22)
    step(ledger, c.DecideAppeal(case_id, "REMITTED"), 60)
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 61)
    assert case_of(ledger, case_id).procedure == "REGULAR"


@provokes("MINOR_BORDER_ONLY_ON_SECURITY")
def test_an_unaccompanied_minor_enters_the_border_procedure_only_on_a_security_ground(
    ledger: Ledger,
) -> None:
    """APR Art 53(2) (invariant, pact-rules 8.3): without a security flag the minor is examined
    on the territory; a security hit at screening or a flag later opens the border procedure."""
    minor = registered(ledger, "X-5", nationality="BD", minor=True)
    refused(ledger, c.AssignProcedure(minor, "BORDER"), 1.5, "MINOR_BORDER_ONLY_ON_SECURITY")
    step(ledger, c.RecordSecurityFlag(minor, "EAW offence"), 2)
    step(ledger, c.AssignProcedure(minor, "BORDER"), 2)
    case = case_of(ledger, minor)
    assert case.procedure == "BORDER" and case.border_mandatory is False

    handle(ledger, c.StartScreening("IT", "X-5b", c.Person("BD", unaccompanied_minor=True),
                                   "SEARCH_AND_RESCUE", "Lampedusa"), meta_at(0))
    screened = Case.create_id("IT", "X-5b")
    step(ledger, c.MakeApplication("IT", "X-5b", "Lampedusa"), 0.2)
    step(ledger, c.RecordSecurityCheck(screened, hit=True, databases=("SIS",)), 0.5)
    step(ledger, c.CompleteScreening(screened, "REFER_TO_REGISTRATION", "SF"), 1)
    step(ledger, c.RegisterApplication(screened), 1)
    step(ledger, c.AssignProcedure(screened, "BORDER"), 1)
    assert case_of(ledger, screened).procedure == "BORDER"


@pytest.mark.parametrize(("nationality", "minor", "mandatory", "rate"), [
    ("BD", False, True, "0.05"),  # at most 20%: mandatory (APR Arts 42(1)(j), 45(1))
    ("SY", False, False, "0.90"),
    ("BD", True, False, "0.05"),  # minors are not put there by the rate
    ("ER", False, False, None),  # no figure for the nationality
])
def test_the_recognition_rate_is_recorded_with_the_procedure(
    nationality: str, minor: bool, mandatory: bool, rate: str | None,
) -> None:
    """APR Arts 42(1)(j), 45(1): the nationality's EU-wide rate at assignment decides whether the
    border procedure is mandatory; the event keeps the figure that was used."""
    ledger = memory_ledger()
    case_id = lodged(ledger, "X-6", nationality=nationality, minor=minor)
    step(ledger, c.AssignProcedure(case_id, "ACCELERATED"), 3)
    assigned = list(ledger.events.get(case_id))[-1]
    assert assigned.recognition_rate == rate
    assert assigned.border_mandatory is mandatory
    assert case_of(ledger, case_id).border_mandatory is mandatory
    ledger.close()


def test_the_threshold_is_inclusive() -> None:
    """APR Art 42(1)(j): "20% or lower" includes 20%."""
    rates = {"AL": Decimal("0.20"), "BD": Decimal("0.2001")}
    ledger = memory_ledger(rates.get)
    for nationality, mandatory in (("AL", True), ("BD", False)):
        case_id = lodged(ledger, f"X-7-{nationality}", nationality=nationality)
        step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
        assert list(ledger.events.get(case_id))[-1].border_mandatory is mandatory
    ledger.close()


@provokes("BORDER_AFTER_ENTRY")
def test_no_border_procedure_after_entry_was_authorised(ledger: Ledger) -> None:
    """APR Art 51(2): once entry is authorised the examination continues on the territory, also
    for a subsequent application."""
    case_id = at_border(ledger, "X-8")
    step(ledger, c.AuthoriseEntry(case_id), end_of(2026, 5, 26) + timedelta(minutes=1))
    case = case_of(ledger, case_id)
    assert case.entry_authorised and case.procedure == "REGULAR"
    decide(ledger, case_id, "UNFOUNDED", 100)
    step(ledger, c.DeclareDecisionFinal(case_id), 140)
    step(ledger, c.MakeSubsequentApplication(case_id, True), 150)
    refused(ledger, c.AssignProcedure(case_id, "BORDER"), 151, "BORDER_AFTER_ENTRY")
    step(ledger, c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(f)",)), 151)


@provokes("INTERVIEW_REQUIRES_APPLICATION")
def test_the_interview_is_held_on_a_registered_application_before_the_decision(
    ledger: Ledger,
) -> None:
    """APR Art 11: the personal interview precedes the decision."""
    case_id = applied(ledger, "X-9")
    refused(ledger, c.RecordInterview(case_id, "INT-1", "ps"), 0.5,
            "INTERVIEW_REQUIRES_APPLICATION")
    step(ledger, c.RegisterApplication(case_id), 1)
    step(ledger, c.RecordInterview(case_id, "INT-1", "ps", interpreter=True), 1.5)
    step(ledger, c.LodgeApplication(case_id), 2)
    step(ledger, c.AssignProcedure(case_id, "REGULAR"), 3)
    step(ledger, c.RecordInterview(case_id, "INT-2", "ps"), 10)
    assert case_of(ledger, case_id).interviews == 2
    decide(ledger, case_id, "SUBSIDIARY_PROTECTION", 30)
    refused(ledger, c.RecordInterview(case_id, "INT-3", "ps"), 31,
            "INTERVIEW_REQUIRES_APPLICATION")


@provokes("EXTENSION_NOT_ALLOWED", "DECISION_REQUIRES_EXAMINATION")
def test_time_limits_extend_only_as_far_as_the_procedure_allows(ledger: Ledger) -> None:
    """Art 35(2), (5): admissibility by at most two (calendar) months in all, the regular
    procedure by its extension (6 months, a parameter), the accelerated procedure not at all;
    only while an examination runs. Lodged on 4 March: two months reach 4 May, not 61 days."""
    admissibility = examined(ledger, "X-10", "ADMISSIBILITY")
    step(ledger, c.ExtendExamination(admissibility, "disproportionate numbers", days=40), 10)
    refused(ledger, c.ExtendExamination(admissibility, "complexity", days=22), 11,
            "EXTENSION_NOT_ALLOWED")
    step(ledger, c.ExtendExamination(admissibility, "complexity", days=21), 11)  # 4 May
    assert case_of(ledger, admissibility).extensions_days == 61
    in_months = examined(ledger, "X-10e", "ADMISSIBILITY")
    step(ledger, c.ExtendExamination(in_months, "complexity", months=2), 10)
    refused(ledger, c.ExtendExamination(in_months, "complexity", days=1), 11,
            "EXTENSION_NOT_ALLOWED")
    assert case_of(ledger, in_months).extensions_months == 2
    accelerated = examined(ledger, "X-10b", "ACCELERATED", nationality="BD")
    refused(ledger, c.ExtendExamination(accelerated, "complexity", days=1), 10,
            "EXTENSION_NOT_ALLOWED")
    regular = examined(ledger, "X-10c")
    refused(ledger, c.ExtendExamination(regular, "complexity", months=6, days=1), 10,
            "EXTENSION_NOT_ALLOWED")
    step(ledger, c.ExtendExamination(regular, "complexity", months=6), 10)
    not_yet = lodged(ledger, "X-10d")
    refused(ledger, c.ExtendExamination(not_yet, "complexity", days=10), 3,
            "DECISION_REQUIRES_EXAMINATION")


@provokes("DECISION_REQUIRES_EXAMINATION")
def test_a_decision_on_the_merits_needs_a_lodged_application_under_a_procedure(
    ledger: Ledger,
) -> None:
    """Art 35: no decision before lodging, nor on a lodged application with no procedure."""
    case_id = registered(ledger, "X-11")
    refused(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13"), 1.5,
            "DECISION_REQUIRES_EXAMINATION")
    step(ledger, c.LodgeApplication(case_id), 2)
    refused(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39",
                                    with_return_decision=True), 2.5,
            "DECISION_REQUIRES_EXAMINATION")
    border = registered(ledger, "X-11b", nationality="BD")
    step(ledger, c.AssignProcedure(border, "BORDER"), 1.5)
    refused(ledger, c.IssueDecision(border, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)",
                                    with_return_decision=True), 2,
            "DECISION_REQUIRES_EXAMINATION")  # border, but not yet lodged


@provokes("WITHDRAWAL_REQUIRES_REGISTRATION")
def test_withdrawal_needs_a_registered_application(ledger: Ledger) -> None:
    """Arts 40-41: an implicit or explicit withdrawal is declared on a registered application,
    before lodging if need be (Art 41(1): not lodged without good cause)."""
    case_id = applied(ledger, "X-12")
    refused(ledger, c.IssueDecision(case_id, "EXPLICITLY_WITHDRAWN", "APR Art 40"), 0.5,
            "WITHDRAWAL_REQUIRES_REGISTRATION")
    refused(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(a)",
                                    with_return_decision=True), 0.5,
            "WITHDRAWAL_REQUIRES_REGISTRATION")
    step(ledger, c.RegisterApplication(case_id), 1)
    step(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(a)",
                                 with_return_decision=True), 25)
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.DECIDED and case.return_decision_issued


@provokes("DECISION_ALREADY_ISSUED")
def test_one_first_instance_decision_stands(ledger: Ledger) -> None:
    """Art 35: a new decision needs the standing one remitted on appeal (or a subsequent
    application)."""
    case_id = examined(ledger, "X-13")
    decide(ledger, case_id, "UNFOUNDED", 30)
    refused(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13"), 31,
            "DECISION_ALREADY_ISSUED")
    refused(ledger, c.IssueDecision(case_id, "EXPLICITLY_WITHDRAWN", "APR Art 40"), 31,
            "DECISION_ALREADY_ISSUED")


@provokes("RESPONSIBILITY_ELSEWHERE")
def test_no_decision_on_the_merits_once_another_state_accepted(ledger: Ledger) -> None:
    """AMMR Arts 16(1), 46: the member state that accepted examines the application; a shift
    of responsibility back here lifts the bar."""
    case_id = examined(ledger, "X-14")
    step(ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), 5)
    step(ledger, c.ReplyToTakeCharge(case_id, accepted=True), 10)
    refused(ledger, c.IssueDecision(case_id, "SUBSIDIARY_PROTECTION", "QR Art 15"), 20,
            "RESPONSIBILITY_ELSEWHERE")
    refused(ledger, c.IssueDecision(case_id, "EXPLICITLY_WITHDRAWN", "APR Art 40"), 20,
            "RESPONSIBILITY_ELSEWHERE")
    step(ledger, c.ShiftResponsibility(case_id, "DISCRETIONARY_CLAUSE"), 21)
    decide(ledger, case_id, "SUBSIDIARY_PROTECTION", 40)


@provokes("REJECTION_WITHOUT_RETURN")
def test_a_rejection_comes_with_a_return_decision_unless_an_exception_is_recorded(
    ledger: Ledger,
) -> None:
    """APR Art 37, Return Directive Art 6(4) (invariant, pact-rules 8.3): exactly one of a joint
    return decision or a recorded exception; a grant or an explicit withdrawal has neither."""
    case_id = examined(ledger, "X-15")
    refused(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39"), 30,
            "REJECTION_WITHOUT_RETURN")
    refused(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", with_return_decision=True,
                                    return_exception="humanitarian permit"), 30,
            "REJECTION_WITHOUT_RETURN")
    refused(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13",
                                    with_return_decision=True), 30, "REJECTION_WITHOUT_RETURN")
    refused(ledger, c.IssueDecision(case_id, "SUBSIDIARY_PROTECTION", "QR Art 15",
                                    return_exception="none needed"), 30,
            "REJECTION_WITHOUT_RETURN")
    refused(ledger, c.IssueDecision(case_id, "EXPLICITLY_WITHDRAWN", "APR Art 40",
                                    with_return_decision=True), 30, "REJECTION_WITHOUT_RETURN")


def test_the_joint_return_decision_is_recorded_in_the_same_step(ledger: Ledger) -> None:
    """APR Art 37: the return decision is issued with the rejection, in one command, pointing
    at it."""
    case_id = examined(ledger, "X-16")
    outcome = handle(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", day(30),
                                            with_return_decision=True,
                                            voluntary_departure_days=20), meta_at(30))
    assert outcome.event_types == ("DecisionIssued", "ReturnDecisionIssued")
    issued, returned = list(ledger.events.get(case_id))[-2:]
    assert returned.joint_with_decision_no == issued.decision_no == 1
    assert returned.voluntary_departure_days == 20
    assert issued.envelope.command_id == returned.envelope.command_id
    assert str(returned.envelope.legal_basis[0]) == "APR (EU) 2024/1348 Art 37"
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.DECIDED and case.return_decision_issued
    assert case.standing_decision.procedure == "REGULAR"


def test_an_exception_instead_of_a_return_decision_is_kept(ledger: Ledger) -> None:
    """Return Directive Art 6(4): the reason no return decision accompanies the rejection."""
    case_id = examined(ledger, "X-17")
    types = step(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39",
                                         return_exception="Art 6(4) residence permit"), 30)
    assert types == ("DecisionIssued",)
    case = case_of(ledger, case_id)
    assert case.standing_decision.return_exception == "Art 6(4) residence permit"
    assert not case.return_decision_issued


@provokes("DECISION_NOTIFIED_ALREADY")
def test_a_decision_is_notified_once(ledger: Ledger) -> None:
    """Art 35: notification of the standing decision starts the appeal period, once."""
    case_id = examined(ledger, "X-18")
    refused(ledger, c.NotifyDecision(case_id), 4, "DECISION_NOTIFIED_ALREADY")
    decide(ledger, case_id, "UNFOUNDED", 30, notified=False)
    assert case_of(ledger, case_id).standing_decision.notified_at is None
    step(ledger, c.NotifyDecision(case_id), 33)
    assert case_of(ledger, case_id).standing_decision.notified_at == day(33)
    refused(ledger, c.NotifyDecision(case_id), 34, "DECISION_NOTIFIED_ALREADY")
    at_once = examined(ledger, "X-18b")
    decide(ledger, at_once, "REFUGEE_STATUS", 30)
    refused(ledger, c.NotifyDecision(at_once), 31, "DECISION_NOTIFIED_ALREADY")


@provokes("NOTIFIED_BEFORE_DECISION")
def test_a_decision_is_not_notified_before_it_is_taken(ledger: Ledger) -> None:
    """Art 35: the notification time given with a decision is not earlier than the decision."""
    case_id = examined(ledger, "X-19")
    refused(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13", day(29)), 30,
            "NOTIFIED_BEFORE_DECISION")
    step(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13", day(30)), 30)


def test_a_full_regular_procedure_to_protection(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-2")
    run(ledger, c.AssignProcedure(case_id, "REGULAR"), 7)
    run(ledger, c.IssueDecision(case_id, "REFUGEE_STATUS", "QR Art 13",
                                T0 + timedelta(days=90)), 90)
    refused(ledger, c.CloseCase(case_id, "PROTECTION_GRANTED"), 91, "CLOSURE_REASON_NOT_MET")
    run(ledger, c.DeclareDecisionFinal(case_id), 91)  # not appealable: final at once
    run(ledger, c.CloseCase(case_id, "PROTECTION_GRANTED"), 95)
    case = ledger.get_case(case_id)
    assert case.status is CaseStatus.CLOSED
    assert case.standing_decision.decision_type == "REFUGEE_STATUS"


def test_decision_before_lodging_is_refused(ledger: Ledger) -> None:
    run(ledger, c.MakeApplication("IT", "R-3", "Rome", c.Person("SY")), 0)
    case_id = Case.create_id("IT", "R-3")
    run(ledger, c.RegisterApplication(case_id), 1)
    refused(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39"), 2,
            "DECISION_REQUIRES_EXAMINATION")

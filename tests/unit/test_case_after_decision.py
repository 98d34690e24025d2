"""After the decision (APR Arts 37, 51(2), 68; Return Border Procedure Regulation (EU) 2024/1349;
Return Directive 2008/115/EC; Qualification Regulation Art 24) on the in-memory store: when the
right to remain ends, when entry is authorised (crisis: later), the return decision and the return
border procedure, voluntary departure, return, the permit, and closure for a reason the record
bears out."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.after_decision.values import Permit
from ledger.crisis import commands as cc
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.cases import (
    at_border,
    case_of,
    day,
    decide,
    decided,
    end_of,
    examined,
    meta_at,
    registered,
    step,
)
from tests.support.flows import rejected_with_return, run, screened_applicant
from tests.support.refusals import provokes, refused

MINUTE = timedelta(minutes=1)
#: Registered on day 1, Tuesday 3 March 2026: twelve weeks end with Tuesday 26 May (APR Art 51(2))
BORDER_END = end_of(2026, 5, 26)


def _border_rejected(ledger: Ledger, reference: str) -> UUID:
    """Border procedure, manifestly unfounded with a return decision on day 30, notified."""
    return decided(ledger, reference, "MANIFESTLY_UNFOUNDED", "BORDER")


def _no_right_to_remain(ledger: Ledger, reference: str) -> UUID:
    """A border rejection whose right to remain ended on day 31 (no appeal, Art 68(3))."""
    case_id = _border_rejected(ledger, reference)
    step(ledger, c.EndRightToRemain(case_id, "no automatic suspensive effect"), 31)
    return case_id


@provokes("RIGHT_TO_REMAIN_CONTINUES")
def test_the_right_to_remain_lasts_while_the_law_protects_the_applicant(ledger: Ledger) -> None:
    """Art 68(1)-(2): during the appeal period, a suspensive appeal, or a pending or granted
    request to remain, the right to remain does not end."""
    regular = decided(ledger, "F-1", "UNFOUNDED")
    refused(ledger, c.EndRightToRemain(regular, "rejected"), 31, "RIGHT_TO_REMAIN_CONTINUES")
    step(ledger, c.LodgeAppeal(regular, "Tribunale di Roma"), 32)
    refused(ledger, c.EndRightToRemain(regular, "rejected"), 33, "RIGHT_TO_REMAIN_CONTINUES")

    border = _border_rejected(ledger, "F-1b")
    step(ledger, c.LodgeAppeal(border, "Tribunale di Catania"), 31)
    step(ledger, c.LodgeRequestToRemain(border), 31)
    refused(ledger, c.EndRightToRemain(border, "rejected"), 32, "RIGHT_TO_REMAIN_CONTINUES")
    step(ledger, c.DecideRequestToRemain(border, granted=True), 35)
    refused(ledger, c.EndRightToRemain(border, "rejected"), 36, "RIGHT_TO_REMAIN_CONTINUES")


def test_a_refused_request_to_remain_ends_the_right_to_remain(ledger: Ledger) -> None:
    """Art 68(3)-(5), RBPR Art 4(2): the appeal goes on, but the person may no longer remain;
    the return border procedure's clock starts here."""
    case_id = _border_rejected(ledger, "F-2")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 31)
    step(ledger, c.LodgeRequestToRemain(case_id), 31)
    step(ledger, c.DecideRequestToRemain(case_id, granted=False), 35)
    step(ledger, c.EndRightToRemain(case_id, "request to remain refused"), 35)
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.APPEAL_PENDING and case.right_to_remain_ended
    assert case.return_.right_to_remain_ended_at == day(35)


@provokes("RIGHT_TO_REMAIN_NEEDS_REJECTION")
def test_the_right_to_remain_ends_only_on_a_rejection_and_once(ledger: Ledger) -> None:
    """Art 68: no rejection, no end of the right to remain; a final rejection already ended
    it."""
    examined_case = examined(ledger, "F-3")
    refused(ledger, c.EndRightToRemain(examined_case, "?"), 4, "RIGHT_TO_REMAIN_NEEDS_REJECTION")
    granted = decided(ledger, "F-3b", "SUBSIDIARY_PROTECTION")
    refused(ledger, c.EndRightToRemain(granted, "?"), 31, "RIGHT_TO_REMAIN_NEEDS_REJECTION")
    ended = _no_right_to_remain(ledger, "F-3c")
    refused(ledger, c.EndRightToRemain(ended, "again"), 32, "RIGHT_TO_REMAIN_NEEDS_REJECTION")
    final = decided(ledger, "F-3d", "UNFOUNDED")
    # notified 1 April: one month ends on 1 May, Labour Day, then a weekend: Monday 4 May
    step(ledger, c.DeclareDecisionFinal(final), end_of(2026, 5, 4) + MINUTE)
    assert case_of(ledger, final).status is CaseStatus.NO_RIGHT_TO_REMAIN
    refused(ledger, c.EndRightToRemain(final, "final"), 70, "RIGHT_TO_REMAIN_NEEDS_REJECTION")


@provokes("BORDER_PERIOD_RUNNING")
def test_entry_is_authorised_when_the_border_period_has_run_out(ledger: Ledger) -> None:
    """APR Art 51(2): twelve weeks from registration; then the examination continues on the
    territory. Not for another procedure, not once the right to remain ended, not twice."""
    case_id = at_border(ledger, "F-4")
    refused(ledger, c.AuthoriseEntry(case_id), BORDER_END, "BORDER_PERIOD_RUNNING")
    step(ledger, c.AuthoriseEntry(case_id), BORDER_END + MINUTE)
    case = case_of(ledger, case_id)
    assert case.entry_authorised and case.procedure == "REGULAR"
    assert case.status is CaseStatus.UNDER_EXAMINATION
    refused(ledger, c.AuthoriseEntry(case_id), BORDER_END + 2 * MINUTE, "BORDER_PERIOD_RUNNING")
    decide(ledger, case_id, "UNFOUNDED", 100)  # on the territory: the standard appeal period
    assert case_of(ledger, case_id).standing_decision.procedure == "REGULAR"

    regular = examined(ledger, "F-4b")
    refused(ledger, c.AuthoriseEntry(regular), 200, "BORDER_PERIOD_RUNNING")
    ended = _no_right_to_remain(ledger, "F-4c")
    refused(ledger, c.AuthoriseEntry(ended), 200, "BORDER_PERIOD_RUNNING")


@provokes("BORDER_PERIOD_RUNNING")
def test_in_a_crisis_the_border_period_is_six_weeks_longer(ledger: Ledger) -> None:
    """Crisis Regulation Art 11(1): +6 weeks when the derogation was in force at registration;
    a crisis declared after registration does not lengthen a period already running."""
    handle(ledger, cc.DeclareCrisis("IT", "MASS_ARRIVALS", day(-1), day(60), ("BORDER_PROCEDURE",),
                                   "Council Implementing Decision 2026/3"), meta_at(-1))
    case_id = at_border(ledger, "F-5")
    refused(ledger, c.AuthoriseEntry(case_id), BORDER_END + MINUTE, "BORDER_PERIOD_RUNNING")
    step(ledger, c.AuthoriseEntry(case_id), end_of(2026, 7, 7) + MINUTE)  # 18 weeks

    handle(ledger, cc.DeclareCrisis("EL", "MASS_ARRIVALS", day(10), day(90),
                                   ("BORDER_PROCEDURE",), "CID 2026/4"), meta_at(10))
    case_el = handle(ledger, c.MakeApplication("EL", "F-5b", "Samos", c.Person("BD")),
                            meta_at(0)).aggregate_id
    step(ledger, c.RegisterApplication(case_el), 1)
    step(ledger, c.AssignProcedure(case_el, "BORDER"), 1)
    step(ledger, c.AuthoriseEntry(case_el), BORDER_END + MINUTE)


def test_an_application_not_yet_lodged_when_entry_is_authorised_can_still_be_lodged(
    ledger: Ledger,
) -> None:
    """APR Arts 28, 51(2): the border procedure ran from registration and ran out before the
    application was lodged; on the territory the applicant lodges and gets a decision."""
    case_id = registered(ledger, "F-6", nationality="BD")
    step(ledger, c.AssignProcedure(case_id, "BORDER"), 1)
    step(ledger, c.AuthoriseEntry(case_id), BORDER_END + MINUTE)
    step(ledger, c.LodgeApplication(case_id), 90)
    decide(ledger, case_id, "SUBSIDIARY_PROTECTION", 120)


@provokes("RETURN_REQUIRES_REJECTION")
def test_a_return_decision_follows_a_rejection(ledger: Ledger) -> None:
    """APR Art 37: not during the examination, not after a grant."""
    examined_case = examined(ledger, "F-7")
    refused(ledger, c.IssueReturnDecision(examined_case, 30), 4, "RETURN_REQUIRES_REJECTION")
    granted = decided(ledger, "F-7b", "REFUGEE_STATUS")
    refused(ledger, c.IssueReturnDecision(granted), 31, "RETURN_REQUIRES_REJECTION")


@provokes("RETURN_DECISION_ALREADY_ISSUED")
def test_one_return_decision_per_standing_rejection(ledger: Ledger) -> None:
    """APR Art 37: the joint return decision counts; a rejection with an exception may get its
    return decision later, once."""
    joint = decided(ledger, "F-8", "UNFOUNDED")
    refused(ledger, c.IssueReturnDecision(joint), 31, "RETURN_DECISION_ALREADY_ISSUED")
    excepted = examined(ledger, "F-8b")
    step(ledger, c.IssueDecision(excepted, "UNFOUNDED", "APR Art 39", day(30),
                                 return_exception="pending permit"), 30)
    step(ledger, c.IssueReturnDecision(excepted, 30), 60)
    returned = list(ledger.events.get(excepted))[-1]
    assert returned.joint_with_decision_no == 1
    assert str(returned.envelope.legal_basis[0]) == "APR (EU) 2024/1348 Art 37"
    refused(ledger, c.IssueReturnDecision(excepted), 61, "RETURN_DECISION_ALREADY_ISSUED")


@provokes("RETURN_BORDER_NOT_APPLICABLE")
def test_the_return_border_procedure_follows_a_border_rejection(ledger: Ledger) -> None:
    """RBPR Art 4(1): after a rejection in the asylum border procedure, once the right to
    remain ended and a return decision was issued; once."""
    regular = decided(ledger, "F-9", "UNFOUNDED", "ACCELERATED", nationality="BD")
    step(ledger, c.EndRightToRemain(regular, "no automatic suspensive effect"), 31)
    refused(ledger, c.StartReturnBorderProcedure(regular), 32, "RETURN_BORDER_NOT_APPLICABLE")
    border = _border_rejected(ledger, "F-9b")
    refused(ledger, c.StartReturnBorderProcedure(border), 31, "RETURN_BORDER_NOT_APPLICABLE")
    step(ledger, c.EndRightToRemain(border, "no automatic suspensive effect"), 31)
    step(ledger, c.StartReturnBorderProcedure(border), 31)
    assert case_of(ledger, border).return_.border_procedure is True
    refused(ledger, c.StartReturnBorderProcedure(border), 32, "RETURN_BORDER_NOT_APPLICABLE")
    excepted = at_border(ledger, "F-9c")
    step(ledger, c.IssueDecision(excepted, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)", day(30),
                                 return_exception="stateless, no country of return"), 30)
    step(ledger, c.EndRightToRemain(excepted, "no automatic suspensive effect"), 31)
    refused(ledger, c.StartReturnBorderProcedure(excepted), 32, "RETURN_BORDER_NOT_APPLICABLE")


@provokes("VOLUNTARY_DEPARTURE_INVALID")
def test_voluntary_departure_follows_a_return_decision_within_its_limit(ledger: Ledger) -> None:
    """Return Directive Art 7(1): at most 30 days; RBPR Art 4(3): at most 15 in the return
    border procedure; never without a return decision."""
    examined_case = examined(ledger, "F-10")
    refused(ledger, c.GrantVoluntaryDeparture(examined_case, 7), 4, "VOLUNTARY_DEPARTURE_INVALID")
    regular = decided(ledger, "F-10b", "UNFOUNDED")
    refused(ledger, c.GrantVoluntaryDeparture(regular, 0), 31, "VOLUNTARY_DEPARTURE_INVALID")
    refused(ledger, c.GrantVoluntaryDeparture(regular, 31), 31, "VOLUNTARY_DEPARTURE_INVALID")
    step(ledger, c.GrantVoluntaryDeparture(regular, 30), 31)
    border = _no_right_to_remain(ledger, "F-10c")
    step(ledger, c.StartReturnBorderProcedure(border), 31)
    refused(ledger, c.GrantVoluntaryDeparture(border, 16), 32, "VOLUNTARY_DEPARTURE_INVALID")
    step(ledger, c.GrantVoluntaryDeparture(border, 15), 32)
    assert case_of(ledger, border).return_.voluntary_departure_days == 15


@provokes("RETURN_WHILE_ENTITLED")
def test_return_only_under_a_return_decision_once_the_right_to_remain_ended(
    ledger: Ledger,
) -> None:
    """APR Art 68, Return Directive Art 8."""
    within_period = decided(ledger, "F-11", "UNFOUNDED")
    refused(ledger, c.RecordReturn(within_period, "TN"), 31, "RETURN_WHILE_ENTITLED")
    excepted = at_border(ledger, "F-11b")
    step(ledger, c.IssueDecision(excepted, "MANIFESTLY_UNFOUNDED", "APR Art 39(3)", day(30),
                                 return_exception="stateless"), 30)
    step(ledger, c.EndRightToRemain(excepted, "no automatic suspensive effect"), 31)
    refused(ledger, c.RecordReturn(excepted, "BD"), 32, "RETURN_WHILE_ENTITLED")


def test_the_return_border_procedure_ends_in_return(ledger: Ledger) -> None:
    """RBPR Art 4: return border procedure, voluntary departure, return, closure."""
    case_id = _no_right_to_remain(ledger, "F-12")
    step(ledger, c.StartReturnBorderProcedure(case_id), 31)
    step(ledger, c.GrantVoluntaryDeparture(case_id, 10), 31)
    step(ledger, c.RecordReturn(case_id, "BD"), 40)
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.RETURNED and case.return_.returned is True
    step(ledger, c.CloseCase(case_id, "RETURNED"), 41)
    assert case_of(ledger, case_id).closed_reason == "RETURNED"


@provokes("ALREADY_GONE")
def test_a_person_who_left_the_procedure_does_not_leave_it_again(ledger: Ledger) -> None:
    """Ledger integrity: returned, transferred, relocated or absconded persons are gone."""
    returned = _no_right_to_remain(ledger, "F-13")
    step(ledger, c.RecordReturn(returned, "BD"), 40)
    refused(ledger, c.RecordReturn(returned, "BD"), 41, "ALREADY_GONE")
    refused(ledger, c.RecordAbsconding(returned), 41, "ALREADY_GONE")
    absconded = examined(ledger, "F-13b")
    step(ledger, c.RecordAbsconding(absconded), 10)
    assert case_of(ledger, absconded).status is CaseStatus.ABSCONDED
    refused(ledger, c.RecordAbsconding(absconded), 11, "ALREADY_GONE")
    transferred = examined(ledger, "F-13c")
    step(ledger, c.RequestTakeCharge(transferred, "EL", "AMMR Art 33(1)"), 5)
    step(ledger, c.ReplyToTakeCharge(transferred, accepted=True), 10)
    step(ledger, c.IssueTransferDecision(transferred), 11)
    step(ledger, c.ExecuteTransfer(transferred), 20)
    refused(ledger, c.RecordAbsconding(transferred), 21, "ALREADY_GONE")


@provokes("PERMIT_REQUIRES_PROTECTION")
def test_a_permit_is_for_a_beneficiary_once_and_valid_ahead(ledger: Ledger) -> None:
    """Qualification Regulation Art 24."""
    rejected = decided(ledger, "F-14", "UNFOUNDED")
    refused(ledger, c.IssueResidencePermit(rejected, "P-1", date(2029, 1, 1)), 31,
            "PERMIT_REQUIRES_PROTECTION")
    granted = decided(ledger, "F-14b", "REFUGEE_STATUS")
    refused(ledger, c.IssueResidencePermit(granted, "P-2", day(31).date()), 31,
            "PERMIT_REQUIRES_PROTECTION")
    step(ledger, c.IssueResidencePermit(granted, "P-2", date(2029, 4, 1)), 31)
    case = case_of(ledger, granted)
    assert case.permit == Permit(ref="P-2", valid_until=date(2029, 4, 1))
    assert case.status is CaseStatus.PROTECTED
    refused(ledger, c.IssueResidencePermit(granted, "P-3", date(2030, 1, 1)), 32,
            "PERMIT_REQUIRES_PROTECTION")


@provokes("CLOSURE_REASON_NOT_MET")
@pytest.mark.parametrize("reason", ["PROTECTION_GRANTED", "RETURNED", "TRANSFERRED", "WITHDRAWN",
                                    "ABSCONDED"])
def test_closure_needs_a_reason_the_record_bears_out(ledger: Ledger, reason: str) -> None:
    """Ledger integrity: a case under examination is not closed as granted, returned,
    transferred, withdrawn or absconded."""
    case_id = examined(ledger, "F-15")
    refused(ledger, c.CloseCase(case_id, reason), 4, "CLOSURE_REASON_NOT_MET")
    assert case_of(ledger, case_id).status is CaseStatus.UNDER_EXAMINATION


def test_closure_for_each_reason_the_record_bears_out(ledger: Ledger) -> None:
    """Each closure reason once its condition holds; death or another reason at any time."""
    granted = decided(ledger, "F-16", "REFUGEE_STATUS")
    refused(ledger, c.CloseCase(granted, "PROTECTION_GRANTED"), 31, "CLOSURE_REASON_NOT_MET")
    step(ledger, c.DeclareDecisionFinal(granted), 31)
    step(ledger, c.CloseCase(granted, "PROTECTION_GRANTED"), 32)
    withdrawn = decided(ledger, "F-16b", "EXPLICITLY_WITHDRAWN")
    step(ledger, c.CloseCase(withdrawn, "WITHDRAWN"), 31)
    absconded = examined(ledger, "F-16c")
    step(ledger, c.RecordAbsconding(absconded), 10)
    step(ledger, c.CloseCase(absconded, "ABSCONDED"), 11)
    for reason in ("DECEASED", "OTHER"):
        other = examined(ledger, f"F-16-{reason}")
        step(ledger, c.CloseCase(other, reason), 4)
        assert case_of(ledger, other).closed_reason == reason


def test_return_decision_needs_a_rejection(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-13")
    refused(ledger, c.IssueReturnDecision(case_id), 8, "RETURN_REQUIRES_REJECTION")
    rejected = rejected_with_return(ledger, "R-14")
    refused(ledger, c.IssueReturnDecision(rejected), 41, "RETURN_DECISION_ALREADY_ISSUED")


def test_nothing_after_closure(ledger: Ledger) -> None:
    case_id = rejected_with_return(ledger, "R-15")
    refused(ledger, c.CloseCase(case_id, "PROTECTION_GRANTED"), 50, "CLOSURE_REASON_NOT_MET")
    refused(ledger, c.CloseCase(case_id, "RETURNED"), 50, "CLOSURE_REASON_NOT_MET")
    run(ledger, c.EndRightToRemain(case_id, "No automatic suspensive effect (Art 68(3))"), 50)
    run(ledger, c.RecordReturn(case_id, "BD"), 52)
    run(ledger, c.CloseCase(case_id, "RETURNED"), 53)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale"), 54, "CASE_CLOSED")
    refused(ledger, c.MakeApplication("IT", "R-15", "Rome"), 54, "CASE_CLOSED")

"""Responsibility (AMMR (EU) 2024/1351 Arts 16, 37, 39-46) on the in-memory store: requests go
out once the application is registered and to another member state; silence counts as acceptance
only once the reply period has passed; a transfer needs a transfer decision and happens within
the transfer period, after which responsibility shifts here. Crisis derogations (Crisis
Regulation Art 12) lengthen the periods."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.case.responsibility import steps as responsibility_rules
from ledger.case.responsibility import suspension
from ledger.case.responsibility.suspension import SuspensiveEffect
from ledger.case.responsibility.values import Responsibility
from ledger.crisis import commands as cc
from ledger.deadlines.deadline import Deadline
from ledger.deadlines.engine import DeadlineTracker
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.cases import (
    applied,
    case_of,
    day,
    decide,
    end_of,
    examined,
    registered,
    step,
)
from tests.support.refusals import provokes, refused
from tests.support.steps import at

MINUTE = timedelta(minutes=1)
#: Requests and notifications go out on day 5, Saturday 7 March 2026; the requested state
#: replies in its own calendar (Reg. 1182/71 Art 2(1)): Greece (EL) for take charge, Germany
#: (DE) for take back. Two weeks end on Saturday 21 March, so on Monday 23 March (Art 3(4)).
EL_TWO_WEEKS = end_of(2026, 3, 23, "Europe/Athens")
EL_ONE_MONTH = end_of(2026, 4, 7, "Europe/Athens")
EL_TWO_MONTHS = end_of(2026, 5, 7, "Europe/Athens")
DE_TWO_WEEKS = end_of(2026, 3, 23, "Europe/Berlin")
DE_ONE_MONTH = end_of(2026, 4, 7, "Europe/Berlin")
#: Accepted on day 10, Thursday 12 March: six months end on Saturday 12 September, so on Monday
#: 14 September in Italy, which transfers.
TRANSFER_END = end_of(2026, 9, 14)


def _requested(ledger: Ledger, reference: str, hit_based: bool = False) -> UUID:
    """Registered on day 1, lodged on day 2, regular procedure on day 3, a take charge request
    to Greece on day 5."""
    case_id = examined(ledger, reference)
    step(ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)", hit_based), 5)
    return case_id


def _accepted(ledger: Ledger, reference: str) -> UUID:
    """Requested on day 5, accepted on day 10, transfer decision on day 12."""
    case_id = _requested(ledger, reference)
    step(ledger, c.ReplyToTakeCharge(case_id, accepted=True), 10)
    step(ledger, c.IssueTransferDecision(case_id), 12)
    return case_id


def _crisis(ledger: Ledger, derogations: tuple[str, ...] = ("AMMR_TIME_LIMITS",)) -> None:
    """Italy's crisis period from T0 - 1 day for three months (Crisis Regulation Art 4)."""
    handle(ledger, cc.DeclareCrisis("IT", "MASS_ARRIVALS", day(-1), day(89), derogations,
                                   "Council Implementing Decision 2026/1"), at(-1))


def test_take_charge_accepted_then_transferred(ledger: Ledger) -> None:
    """Arts 39-46: request, acceptance, transfer decision, transfer; the case then continues in
    the responsible member state and can be closed here."""
    case_id = _requested(ledger, "D-1")
    assert case_of(ledger, case_id).responsibility.state == "TAKE_CHARGE_REQUESTED"
    step(ledger, c.ReplyToTakeCharge(case_id, accepted=True), 10)
    case = case_of(ledger, case_id)
    assert case.responsibility.state == "TRANSFER_PENDING"
    assert case.status is CaseStatus.UNDER_EXAMINATION  # no transfer decision yet
    step(ledger, c.IssueTransferDecision(case_id), 12)
    transfer_decision = list(ledger.events.get(case_id))[-1]
    assert transfer_decision.to_member_state == "EL"
    assert case_of(ledger, case_id).status is CaseStatus.TRANSFER_PENDING
    step(ledger, c.ExecuteTransfer(case_id), 40)
    case = case_of(ledger, case_id)
    assert (case.status, case.responsibility.state) == (CaseStatus.TRANSFERRED, "TRANSFERRED")
    step(ledger, c.CloseCase(case_id, "TRANSFERRED"), 41)


def test_a_refused_request_leaves_responsibility_open(ledger: Ledger) -> None:
    """Art 40: after a refusal the determination goes on; another request may follow."""
    case_id = _requested(ledger, "D-2")
    step(ledger, c.ReplyToTakeCharge(case_id, accepted=False, reason="no criterion"), 10)
    responsibility = case_of(ledger, case_id).responsibility
    assert responsibility.state == "UNDETERMINED" and responsibility.refused_by == "EL"
    step(ledger, c.RequestTakeCharge(case_id, "DE", "AMMR Art 26"), 11)
    assert case_of(ledger, case_id).responsibility.other == "DE"


def test_take_back_confirmed_contested_or_deemed(ledger: Ledger) -> None:
    """Art 41: a take back notification is confirmed, contested, or confirmed by silence."""
    confirmed = examined(ledger, "D-3")
    step(ledger, c.NotifyTakeBack(confirmed, "DE", "HIT-3"), 5)
    step(ledger, c.ReplyToTakeBack(confirmed, confirmed=True), 8)
    assert case_of(ledger, confirmed).responsibility.state == "TRANSFER_PENDING"
    contested = examined(ledger, "D-3b")
    step(ledger, c.NotifyTakeBack(contested, "DE", "HIT-3b"), 5)
    step(ledger, c.ReplyToTakeBack(contested, confirmed=False, reason="left the EU"), 8)
    assert case_of(ledger, contested).responsibility.contested_by == "DE"
    silent = examined(ledger, "D-3c")
    step(ledger, c.NotifyTakeBack(silent, "DE", "HIT-3c"), 5)
    step(ledger, c.DeemTakeBackConfirmed(silent), DE_TWO_WEEKS + MINUTE)
    responsibility = case_of(ledger, silent).responsibility
    assert responsibility.state == "TRANSFER_PENDING" and responsibility.deemed is True


@provokes("SECURITY_GROUND_NOT_RECORDED")
def test_responsibility_established_here(ledger: Ledger) -> None:
    """Art 16: the criteria (or Art 16(4), Art 35) make this member state responsible; on
    security grounds (Art 16(4)) only with the ground on record."""
    case_id = registered(ledger, "D-4")
    refused(ledger, c.EstablishResponsibility(case_id, "AMMR Art 16(4)"), 2,
            "SECURITY_GROUND_NOT_RECORDED")
    step(ledger, c.RecordSecurityFlag(case_id, "reasonable grounds: internal security"), 2)
    step(ledger, c.EstablishResponsibility(case_id, "AMMR Art 16(4)"), 2)
    responsibility = case_of(ledger, case_id).responsibility
    assert responsibility == Responsibility(state="RESPONSIBLE_HERE", basis="AMMR Art 16(4)")
    refused(ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), 3,
            "RESPONSIBILITY_PROCEDURE_RUNNING")  # no request once responsible on that ground
    by_criteria = registered(ledger, "D-4b")
    step(ledger, c.EstablishResponsibility(by_criteria, "AMMR Art 33"), 2)


@provokes("SECURITY_GROUND_OUT_OF_SCOPE")
def test_art_16_4_after_a_screening_security_check_is_a_parameter(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """Art 16(4) applies where the screening security check was not carried out (confirmed);
    whether also after one was is unconfirmed: `SECURITY_GROUND_AFTER_SCREENING_CHECK`."""
    handle(ledger, c.StartScreening("IT", "D-4c", c.Person("SY"), "SEARCH_AND_RESCUE",
                                    "Lampedusa"), at(0))
    case_id = Case.create_id("IT", "D-4c")
    step(ledger, c.RecordSecurityCheck(case_id, hit=True), 0.5)
    step(ledger, c.MakeApplication("IT", "D-4c", "Lampedusa"), 0.6)
    step(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-4c"), 0.7)
    step(ledger, c.RegisterApplication(case_id), 1)
    monkeypatch.setattr(responsibility_rules, "SECURITY_GROUND_AFTER_SCREENING_CHECK", False)
    refused(ledger, c.EstablishResponsibility(case_id, "AMMR Art 16(4)"), 2,
            "SECURITY_GROUND_OUT_OF_SCOPE")
    monkeypatch.setattr(responsibility_rules, "SECURITY_GROUND_AFTER_SCREENING_CHECK", True)
    step(ledger, c.EstablishResponsibility(case_id, "AMMR Art 16(4)"), 2)


#: Registered on day 1, Tuesday 3 March 2026: two months end on Sunday 3 May, so on Monday 4 May.
REQUEST_END = end_of(2026, 5, 4)


@provokes("TAKE_CHARGE_REQUEST_LATE")
def test_a_take_charge_request_after_its_limit_is_refused(ledger: Ledger) -> None:
    """Art 39(1): after two months from registration (one month from an irregular-crossing hit
    for a request based on it) the member state of registration is responsible."""
    late = registered(ledger, "D-20")
    refused(ledger, c.RequestTakeCharge(late, "EL", "AMMR Art 33(1)"), REQUEST_END + MINUTE,
            "TAKE_CHARGE_REQUEST_LATE")
    step(ledger, c.RequestTakeCharge(late, "EL", "AMMR Art 33(1)"), REQUEST_END)
    on_hit = registered(ledger, "D-20b")
    step(ledger, c.RecordEurodacHit(on_hit, "IRREGULAR_CROSSING", "EL", "HIT-20"), 2)
    # one month from 4 March: Saturday 4 April, Easter weekend and Monday: Tuesday 7 April
    refused(ledger, c.RequestTakeCharge(on_hit, "EL", "AMMR Art 33(1)", hit_based=True),
            end_of(2026, 4, 7) + MINUTE, "TAKE_CHARGE_REQUEST_LATE")
    step(ledger, c.RequestTakeCharge(on_hit, "EL", "AMMR Art 26", hit_based=False),
         end_of(2026, 4, 7) + MINUTE)  # not based on the hit: the two months still run


def test_an_unaccompanied_minors_request_remains_possible_until_the_first_decision(
        ledger: Ledger) -> None:
    """Art 39(1): the exception for unaccompanied minors (in the child's best interests)."""
    minor = registered(ledger, "D-21", minor=True)
    step(ledger, c.RequestTakeCharge(minor, "DE", "AMMR Art 25"), REQUEST_END + 10 * MINUTE)
    assert case_of(ledger, minor).responsibility.state == "TAKE_CHARGE_REQUESTED"


def test_a_deemed_acceptance_takes_effect_at_the_end_of_the_reply_period(
        ledger: Ledger) -> None:
    """Arts 40, 46(1): recorded on day 100, the deemed acceptance took effect when the reply
    period ended (7 April in Greece), and the six months to transfer run from there: to
    Wednesday 7 October, not from the record (which would give 10 December)."""
    case_id = _requested(ledger, "D-22")
    step(ledger, c.DeemTakeChargeAccepted(case_id), 100)
    responsibility = case_of(ledger, case_id).responsibility
    assert responsibility.accepted_at == EL_ONE_MONTH and responsibility.deemed is True
    step(ledger, c.IssueTransferDecision(case_id), 101)
    refused(ledger, c.ExecuteTransfer(case_id), end_of(2026, 10, 7) + MINUTE,
            "TRANSFER_PERIOD_EXPIRED")
    step(ledger, c.ExecuteTransfer(case_id), end_of(2026, 10, 7))


@provokes("RESPONSIBILITY_ELSEWHERE")
def test_after_the_transfer_limit_this_state_decides_without_waiting_for_a_record(
        ledger: Ledger) -> None:
    """Arts 37(1), 46(2): the shift happens by law when the transfer limit passes; the merits
    may be decided without a `ShiftResponsibility` step first."""
    accepted = _requested(ledger, "D-23")
    step(ledger, c.ReplyToTakeCharge(accepted, accepted=True), 10)
    refused(ledger, c.IssueDecision(accepted, "SUBSIDIARY_PROTECTION", "APR Art 39"), 100,
            "RESPONSIBILITY_ELSEWHERE")
    step(ledger, c.IssueDecision(accepted, "SUBSIDIARY_PROTECTION", "APR Art 39"),
         TRANSFER_END + MINUTE)
    with_decision = _accepted(ledger, "D-23b")  # a transfer decision was notified, too
    step(ledger, c.IssueDecision(with_decision, "SUBSIDIARY_PROTECTION", "APR Art 39"),
         TRANSFER_END + MINUTE)
    assert case_of(ledger, with_decision).status is CaseStatus.DECIDED


@provokes("RESPONSIBILITY_NEEDS_REGISTRATION")
def test_the_procedure_starts_on_registration(ledger: Ledger) -> None:
    """Art 39(1): requests run from registration; so does a finding of responsibility."""
    case_id = applied(ledger, "D-5")
    refused(ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), 0.5,
            "RESPONSIBILITY_NEEDS_REGISTRATION")
    refused(ledger, c.NotifyTakeBack(case_id, "EL", "HIT"), 0.5,
            "RESPONSIBILITY_NEEDS_REGISTRATION")
    refused(ledger, c.EstablishResponsibility(case_id, "AMMR Art 16"), 0.5,
            "RESPONSIBILITY_NEEDS_REGISTRATION")


@provokes("RESPONSIBILITY_PROCEDURE_RUNNING")
def test_one_determination_at_a_time(ledger: Ledger) -> None:
    """Arts 39-41: no second request while one is pending, none once responsibility is settled,
    none once a decision on the merits stands."""
    case_id = _requested(ledger, "D-6")
    refused(ledger, c.RequestTakeCharge(case_id, "DE", "AMMR Art 26"), 6,
            "RESPONSIBILITY_PROCEDURE_RUNNING")
    refused(ledger, c.NotifyTakeBack(case_id, "DE", "HIT"), 6, "RESPONSIBILITY_PROCEDURE_RUNNING")
    refused(ledger, c.EstablishResponsibility(case_id, "AMMR Art 16"), 6,
            "RESPONSIBILITY_PROCEDURE_RUNNING")
    settled = registered(ledger, "D-6b")
    step(ledger, c.EstablishResponsibility(settled, "AMMR Art 16"), 2)
    refused(ledger, c.RequestTakeCharge(settled, "EL", "AMMR Art 33(1)"), 3,
            "RESPONSIBILITY_PROCEDURE_RUNNING")
    decided = examined(ledger, "D-6c")
    decide(ledger, decided, "UNFOUNDED", 30)
    refused(ledger, c.RequestTakeCharge(decided, "EL", "AMMR Art 33(1)"), 31,
            "RESPONSIBILITY_PROCEDURE_RUNNING")


@provokes("REQUEST_TO_SELF")
def test_requests_go_to_another_member_state(ledger: Ledger) -> None:
    """Arts 39(1), 41(1): Italy does not ask Italy."""
    case_id = registered(ledger, "D-7")
    refused(ledger, c.RequestTakeCharge(case_id, "IT", "AMMR Art 33(1)"), 2, "REQUEST_TO_SELF")
    refused(ledger, c.NotifyTakeBack(case_id, "IT", "HIT"), 2, "REQUEST_TO_SELF")


@provokes("NO_REQUEST_PENDING")
def test_replies_need_a_pending_request_of_their_kind(ledger: Ledger) -> None:
    """Arts 40-41: a reply (or its deemed form) answers a pending request of the same kind."""
    case_id = registered(ledger, "D-8")
    refused(ledger, c.ReplyToTakeCharge(case_id, accepted=True), 2, "NO_REQUEST_PENDING")
    refused(ledger, c.DeemTakeChargeAccepted(case_id), 200, "NO_REQUEST_PENDING")
    refused(ledger, c.IssueTransferDecision(case_id), 2, "NO_REQUEST_PENDING")
    refused(ledger, c.ExecuteTransfer(case_id), 2, "NO_REQUEST_PENDING")
    step(ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), 2)
    refused(ledger, c.ReplyToTakeBack(case_id, confirmed=True), 3, "NO_REQUEST_PENDING")
    refused(ledger, c.DeemTakeBackConfirmed(case_id), 100, "NO_REQUEST_PENDING")


@provokes("REPLY_PERIOD_RUNNING")
def test_silence_is_acceptance_only_after_the_reply_period(ledger: Ledger) -> None:
    """Art 40(1)-(2), Art 41(2): one month for a request, two weeks on a Eurodac hit or for a
    take back notification; at the last moment of the period it is still running."""
    plain = _requested(ledger, "D-9")
    due = EL_ONE_MONTH
    refused(ledger, c.DeemTakeChargeAccepted(plain), due, "REPLY_PERIOD_RUNNING")
    step(ledger, c.DeemTakeChargeAccepted(plain), due + MINUTE)
    assert case_of(ledger, plain).responsibility.deemed is True
    on_hit = _requested(ledger, "D-9b", hit_based=True)
    refused(ledger, c.DeemTakeChargeAccepted(on_hit), EL_TWO_WEEKS, "REPLY_PERIOD_RUNNING")
    step(ledger, c.DeemTakeChargeAccepted(on_hit), EL_TWO_WEEKS + MINUTE)
    take_back = examined(ledger, "D-9c")
    step(ledger, c.NotifyTakeBack(take_back, "DE", "HIT"), 5)
    refused(ledger, c.DeemTakeBackConfirmed(take_back), day(18), "REPLY_PERIOD_RUNNING")


@provokes("REPLY_PERIOD_RUNNING")
def test_in_a_crisis_the_reply_periods_are_longer(ledger: Ledger) -> None:
    """Crisis Regulation Art 12: with the AMMR derogation in force when the request was sent,
    a take charge request is answered within two months instead of one, a take back
    notification within one month instead of two weeks."""
    _crisis(ledger)
    case_id = _requested(ledger, "D-10")
    refused(ledger, c.DeemTakeChargeAccepted(case_id), EL_ONE_MONTH + MINUTE,
            "REPLY_PERIOD_RUNNING")
    step(ledger, c.DeemTakeChargeAccepted(case_id), EL_TWO_MONTHS + MINUTE)
    take_back = examined(ledger, "D-10b")
    step(ledger, c.NotifyTakeBack(take_back, "DE", "HIT"), 5)
    refused(ledger, c.DeemTakeBackConfirmed(take_back), DE_TWO_WEEKS + MINUTE,
            "REPLY_PERIOD_RUNNING")
    step(ledger, c.DeemTakeBackConfirmed(take_back), DE_ONE_MONTH + MINUTE)


def test_a_crisis_in_an_uninvolved_state_changes_nothing(ledger: Ledger) -> None:
    """Crisis derogations apply to the member states they were granted to."""
    handle(ledger, cc.DeclareCrisis("ES", "MASS_ARRIVALS", day(-1), day(89),
                                   ("AMMR_TIME_LIMITS",), "CID 2026/2"), at(-1))
    case_id = _requested(ledger, "D-11")
    step(ledger, c.DeemTakeChargeAccepted(case_id), EL_ONE_MONTH + MINUTE)


def test_a_crisis_in_the_requested_state_extends_its_reply_period(ledger: Ledger) -> None:
    """Crisis Regulation Art 12: the requested state in crisis replies within two months."""
    handle(ledger, cc.DeclareCrisis("EL", "MASS_ARRIVALS", day(-1), day(89),
                                   ("AMMR_TIME_LIMITS",), "CID 2026/3"), at(-1))
    case_id = _requested(ledger, "D-11b")
    refused(ledger, c.DeemTakeChargeAccepted(case_id), EL_ONE_MONTH + MINUTE,
            "REPLY_PERIOD_RUNNING")
    step(ledger, c.DeemTakeChargeAccepted(case_id), EL_TWO_MONTHS + MINUTE)


@provokes("NO_TRANSFER_PENDING")
def test_a_transfer_needs_one_transfer_decision(ledger: Ledger) -> None:
    """Arts 42, 46: the transfer follows the decision notified to the applicant, issued once;
    responsibility shifts only from a pending procedure, and for a missed transfer only from an
    accepted request."""
    case_id = _requested(ledger, "D-12")
    refused(ledger, c.ShiftResponsibility(case_id, "TRANSFER_TIME_LIMIT_EXPIRED"), 300,
            "NO_TRANSFER_PENDING")
    step(ledger, c.ReplyToTakeCharge(case_id, accepted=True), 10)
    refused(ledger, c.ExecuteTransfer(case_id), 11, "NO_TRANSFER_PENDING")
    step(ledger, c.IssueTransferDecision(case_id), 12)
    refused(ledger, c.IssueTransferDecision(case_id), 13, "NO_TRANSFER_PENDING")
    open_case = registered(ledger, "D-12b")
    refused(ledger, c.ShiftResponsibility(open_case, "DISCRETIONARY_CLAUSE"), 2,
            "NO_TRANSFER_PENDING")


@provokes("TRANSFER_PERIOD_EXPIRED")
def test_no_transfer_after_the_transfer_period(ledger: Ledger) -> None:
    """Arts 37(1), 46(1): six months from acceptance; after that responsibility has shifted."""
    case_id = _accepted(ledger, "D-13")
    due = TRANSFER_END
    refused(ledger, c.ExecuteTransfer(case_id), due + MINUTE, "TRANSFER_PERIOD_EXPIRED")
    step(ledger, c.ExecuteTransfer(case_id), due)  # the last moment still counts
    assert case_of(ledger, case_id).status is CaseStatus.TRANSFERRED


def test_in_a_crisis_the_transfer_period_is_a_year(ledger: Ledger) -> None:
    """Crisis Regulation Art 12: one year instead of six months, when the derogation was in
    force at acceptance."""
    _crisis(ledger)
    case_id = _accepted(ledger, "D-14")
    step(ledger, c.ExecuteTransfer(case_id), day(10 + 330))
    assert case_of(ledger, case_id).status is CaseStatus.TRANSFERRED


@provokes("TRANSFER_PERIOD_RUNNING")
def test_responsibility_shifts_when_the_transfer_period_ran_out(ledger: Ledger) -> None:
    """Art 37(1): a missed transfer makes this member state responsible, not before the period
    ends; the examination resumes where it stood."""
    case_id = _accepted(ledger, "D-15")
    due = TRANSFER_END
    refused(ledger, c.ShiftResponsibility(case_id, "TRANSFER_TIME_LIMIT_EXPIRED"), due,
            "TRANSFER_PERIOD_RUNNING")
    step(ledger, c.ShiftResponsibility(case_id, "TRANSFER_TIME_LIMIT_EXPIRED"), due + MINUTE)
    case = case_of(ledger, case_id)
    assert case.responsibility.state == "RESPONSIBLE_HERE"
    assert case.status is CaseStatus.UNDER_EXAMINATION
    decide(ledger, case_id, "SUBSIDIARY_PROTECTION", 200)
    assert case_of(ledger, case_id).status is CaseStatus.DECIDED


def test_other_causes_shift_responsibility_at_once(ledger: Ledger) -> None:
    """Art 37(1): a residence document, the discretionary clause or a minor's best interests
    shift responsibility whenever they arise during the procedure."""
    case_id = _accepted(ledger, "D-16")
    step(ledger, c.ShiftResponsibility(case_id, "DISCRETIONARY_CLAUSE"), 13)
    case = case_of(ledger, case_id)
    assert case.responsibility.basis == "shifted: DISCRETIONARY_CLAUSE"
    assert case.status is CaseStatus.UNDER_EXAMINATION


@provokes("OFFSET_MODE_REQUIRED")
def test_a_solidarity_offset_moves_responsibility_and_credits_the_account_once(
    ledger: Ledger,
) -> None:
    """AMMR Art 63: instead of transferring the applicant to the benefiting state, this state
    takes responsibility; its solidarity account is credited once, linked to the case."""
    case_id = _accepted(ledger, "D-17")
    refused(ledger, c.ShiftResponsibility(case_id, "SOLIDARITY_OFFSET"), 13,
            "OFFSET_MODE_REQUIRED")
    refused(ledger, c.ShiftResponsibility(case_id, "DISCRETIONARY_CLAUSE", "VOLUNTARY"), 13,
            "OFFSET_MODE_REQUIRED")
    step(ledger, c.ShiftResponsibility(case_id, "SOLIDARITY_OFFSET", "VOLUNTARY"), 13)
    assert case_of(ledger, case_id).responsibility.basis == "shifted: SOLIDARITY_OFFSET"
    topics = [n.topic for n in ledger.recorder.select_notifications(1, 1000)]
    assert topics.count("pact-ledger:solidarity.OffsetCredited") == 1
    credit = next(n for n in ledger.recorder.select_notifications(1, 1000)
                  if n.topic == "pact-ledger:solidarity.OffsetCredited")
    assert case_id.hex.encode() in credit.state and b"VOLUNTARY" in credit.state


#: The transfer decision of `_accepted` is issued on day 12, Saturday 14 March 2026: three weeks
#: (Art 43(2), the longest a member state may set) end on Saturday 4 April; Easter Monday 6
#: April is a holiday in Italy, so the period ends with Tuesday 7 April.
APPEAL_END = end_of(2026, 4, 7)


@provokes("TRANSFER_APPEAL_NEEDS_DECISION", "TRANSFER_APPEAL_LATE", "TRANSFER_APPEAL_PENDING",
          "TRANSFER_SUSPENDED", "NO_SUSPENSION_REQUESTED", "NO_TRANSFER_APPEAL_PENDING")
def test_an_appeal_against_the_transfer_decision_may_suspend_it(ledger: Ledger) -> None:
    """Art 43: an appeal within the period against a notified transfer decision; on request the
    court may suspend the transfer, and until the appeal is decided no transfer happens and
    the limit does not run out; from the final decision six months run again (Art 46(1))."""
    undecided = _requested(ledger, "D-30")
    step(ledger, c.ReplyToTakeCharge(undecided, accepted=True), 10)
    refused(ledger, c.LodgeTransferAppeal(undecided, "TAR Lazio"), 11,
            "TRANSFER_APPEAL_NEEDS_DECISION")
    late = _accepted(ledger, "D-30b")
    refused(ledger, c.LodgeTransferAppeal(late, "TAR Lazio"), APPEAL_END + MINUTE,
            "TRANSFER_APPEAL_LATE")
    refused(ledger, c.DecideTransferAppeal(late, annulled=True), 20, "NO_TRANSFER_APPEAL_PENDING")
    case_id = _accepted(ledger, "D-30c")
    refused(ledger, c.DecideTransferSuspension(case_id, True), 14, "NO_SUSPENSION_REQUESTED")
    step(ledger, c.LodgeTransferAppeal(case_id, "TAR Lazio", suspension_requested=True),
         APPEAL_END)
    refused(ledger, c.LodgeTransferAppeal(case_id, "TAR Lazio"), 37, "TRANSFER_APPEAL_PENDING")
    refused(ledger, c.ExecuteTransfer(case_id), 37, "TRANSFER_SUSPENDED")  # not yet decided
    step(ledger, c.DecideTransferSuspension(case_id, suspended=True), 40)
    refused(ledger, c.ExecuteTransfer(case_id), 41, "TRANSFER_SUSPENDED")
    # past the first six months (14 September), still suspended: nothing has shifted
    refused(ledger, c.IssueDecision(case_id, "SUBSIDIARY_PROTECTION", "APR Art 39"),
            TRANSFER_END + MINUTE, "DECISION_REQUIRES_EXAMINATION")
    step(ledger, c.DecideTransferAppeal(case_id, annulled=False), 200)  # 18 September
    step(ledger, c.ExecuteTransfer(case_id), 260)  # within six months of the appeal decision
    assert case_of(ledger, case_id).status is CaseStatus.TRANSFERRED


def test_an_annulled_transfer_decision_falls_and_a_refused_suspension_changes_nothing(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    annulled = _accepted(ledger, "D-31")
    step(ledger, c.LodgeTransferAppeal(annulled, "TAR Lazio"), 15)
    step(ledger, c.DecideTransferAppeal(annulled, annulled=True), 40)
    case = case_of(ledger, annulled)
    assert case.status is CaseStatus.UNDER_EXAMINATION
    assert case.responsibility.transfer_decision is False
    refused(ledger, c.ExecuteTransfer(annulled), 41, "NO_TRANSFER_PENDING")
    refused_suspension = _accepted(ledger, "D-31b")
    step(ledger, c.LodgeTransferAppeal(refused_suspension, "TAR Lazio", True), 15)
    step(ledger, c.DecideTransferSuspension(refused_suspension, suspended=False), 20)
    refused(ledger, c.ExecuteTransfer(refused_suspension), TRANSFER_END + MINUTE,
            "TRANSFER_PERIOD_EXPIRED")  # the limit kept running from acceptance
    step(ledger, c.ExecuteTransfer(refused_suspension), 30)
    pending = _accepted(ledger, "D-31c")
    step(ledger, c.LodgeTransferAppeal(pending, "TAR Lazio", True), 15)
    monkeypatch.setattr(responsibility_rules, "NO_TRANSFER_WHILE_SUSPENSION_REQUESTED", False)
    step(ledger, c.ExecuteTransfer(pending), 16)  # unconfirmed rule switched off


# --- issue 11 part 5: a request to suspend after the appeal; the member state's option ------
@provokes("SUSPENSION_REQUEST_NOT_OPEN", "SUSPENSION_REQUEST_LATE", "TRANSFER_SUSPENDED")
def test_a_suspension_may_be_requested_after_the_appeal_within_its_period(
        ledger: Ledger) -> None:
    """Art 43(3): within a reasonable time and no later than the appeal period (Art 43(2));
    once; then no transfer until it is decided (the default option, unconfirmed)."""
    case_id = _accepted(ledger, "D-40")
    refused(ledger, c.RequestTransferSuspension(case_id), 14, "SUSPENSION_REQUEST_NOT_OPEN")
    step(ledger, c.LodgeTransferAppeal(case_id, "TAR Lazio"), 15)
    step(ledger, c.RequestTransferSuspension(case_id), 20)
    refused(ledger, c.RequestTransferSuspension(case_id), 21, "SUSPENSION_REQUEST_NOT_OPEN")
    refused(ledger, c.ExecuteTransfer(case_id), 22, "TRANSFER_SUSPENDED")
    step(ledger, c.DecideTransferSuspension(case_id, suspended=False), 25)
    step(ledger, c.ExecuteTransfer(case_id), 26)
    late = _accepted(ledger, "D-40b")
    step(ledger, c.LodgeTransferAppeal(late, "TAR Lazio"), 15)
    refused(ledger, c.RequestTransferSuspension(late), APPEAL_END + MINUTE,
            "SUSPENSION_REQUEST_LATE")


@provokes("SUSPENSION_REQUEST_NOT_OPEN", "TRANSFER_SUSPENDED")
def test_the_member_states_option_for_suspensive_effect(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """Art 43(3) with Dublin III Art 27(3)(a)-(c) as each state's option (unconfirmed for the
    AMMR): (a) the appeal suspends the transfer by itself, recorded with it, and the limit runs
    again from the final decision; (b) no transfer while a request is undecided; (c) the
    transfer may go ahead meanwhile."""
    monkeypatch.setattr(suspension, "SUSPENSIVE_EFFECT_BY_STATE",
                        {"IT": SuspensiveEffect.AUTOMATIC})
    automatic = _accepted(ledger, "D-41")
    recorded = step(ledger, c.LodgeTransferAppeal(automatic, "TAR Lazio"), 15)
    assert recorded == ("TransferAppealLodged", "TransferSuspendedByLaw")
    assert case_of(ledger, automatic).responsibility.transfer_appeal.suspension == "GRANTED"
    refused(ledger, c.RequestTransferSuspension(automatic), 16, "SUSPENSION_REQUEST_NOT_OPEN")
    refused(ledger, c.ExecuteTransfer(automatic), 16, "TRANSFER_SUSPENDED")
    step(ledger, c.DecideTransferAppeal(automatic, annulled=False), 200)
    step(ledger, c.ExecuteTransfer(automatic), 260)  # six months again from the decision

    monkeypatch.setattr(suspension, "SUSPENSIVE_EFFECT_BY_STATE",
                        {"IT": SuspensiveEffect.UNTIL_REQUEST_DECIDED})
    held = _accepted(ledger, "D-41b")
    assert step(ledger, c.LodgeTransferAppeal(held, "TAR Lazio", True), 15) == (
        "TransferAppealLodged",)
    refused(ledger, c.ExecuteTransfer(held), 16, "TRANSFER_SUSPENDED")

    monkeypatch.setattr(suspension, "SUSPENSIVE_EFFECT_BY_STATE",
                        {"IT": SuspensiveEffect.ON_REQUEST})
    going = _accepted(ledger, "D-41c")
    step(ledger, c.LodgeTransferAppeal(going, "TAR Lazio", True), 15)
    step(ledger, c.ExecuteTransfer(going), 16)
    assert case_of(ledger, going).status is CaseStatus.TRANSFERRED


#: Registered on day 1, Tuesday 3 March 2026: sixteen weeks end on Tuesday 23 June.
BORDER_AFTER_TRANSFER_END = end_of(2026, 6, 23)


@provokes("ARRIVAL_BY_TRANSFER_TOO_LATE", "BORDER_PERIOD_RUNNING")
def test_a_person_transferred_here_has_a_sixteen_week_border_procedure(ledger: Ledger) -> None:
    """APR Art 51(2): 16 weeks instead of 12 for a person transferred under the AMMR; the
    arrival is recorded before the procedure is assigned. After entry is authorised, the
    regular examination's 6 months run (APR Art 35(4); from the authorisation, unconfirmed)."""
    case_id = applied(ledger, "D-42", nationality="BD")
    step(ledger, c.RecordArrivalByTransfer(case_id, "EL"), 0.5)
    refused(ledger, c.RecordArrivalByTransfer(case_id, "DE"), 0.6, "ARRIVAL_BY_TRANSFER_TOO_LATE")
    step(ledger, c.RegisterApplication(case_id), 1)
    step(ledger, c.AssignProcedure(case_id, "BORDER", ("APR Art 45(1)(c)",)), 1)
    step(ledger, c.LodgeApplication(case_id), 2)
    assert case_of(ledger, case_id).responsibility.arrived_from == "EL"
    refused(ledger, c.AuthoriseEntry(case_id), end_of(2026, 5, 26) + MINUTE,
            "BORDER_PERIOD_RUNNING")  # twelve weeks are not enough
    refused(ledger, c.AuthoriseEntry(case_id), BORDER_AFTER_TRANSFER_END, "BORDER_PERIOD_RUNNING")
    step(ledger, c.AuthoriseEntry(case_id), BORDER_AFTER_TRANSFER_END + MINUTE)
    codes = {d.code: d for d in _deadlines(ledger, case_id)}
    assert codes["BORDER_PROCEDURE_AFTER_TRANSFER"].due_at == BORDER_AFTER_TRANSFER_END
    assert "BORDER_PROCEDURE" not in codes
    regular = codes["REGULAR_AFTER_ENTRY"]
    assert regular.started_at == BORDER_AFTER_TRANSFER_END + MINUTE and not regular.confirmed
    # entry on Wednesday 24 June just after midnight: six calendar months end on Thursday 24 Dec
    assert regular.due_at == end_of(2026, 12, 24)
    already = examined(ledger, "D-42b")
    refused(ledger, c.RecordArrivalByTransfer(already, "EL"), 4, "ARRIVAL_BY_TRANSFER_TOO_LATE")


def _deadlines(ledger: Ledger, case_id: UUID) -> list[Deadline]:
    tracker = DeadlineTracker()
    for position, event in enumerate(ledger.events.get(case_id), 1):
        tracker.observe(event, position)
    return tracker.deadlines

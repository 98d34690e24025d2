"""Withdrawal and cessation of protection (QR (EU) 2024/1347 Arts 11, 14, 16, 19; APR Art 66) on
the in-memory store: only standing protection is reconsidered, on a ground the status allows;
the person is informed first and may present reasons within the (unconfirmed) reasonable time;
compelling reasons exclude cessation on changed circumstances; a withdrawal unmarks Eurodac
(Eurodac Art 31) in the same step."""

from __future__ import annotations

from uuid import UUID

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.vocabulary import CaseStatus
from tests.support.cases import case_of, decided, examined, step
from tests.support.refusals import provokes, refused


def _protected(ledger: Ledger, reference: str, status: str = "REFUGEE_STATUS",
               marked: bool = True) -> UUID:
    """Decided on day 30 (notified), biometrics captured and sent on day 3, marked on day 31."""
    case_id = decided(ledger, reference, status)
    if marked:
        step(ledger, c.CaptureBiometrics(case_id, "APPLICANT", 30), 30)
        step(ledger, c.TransmitToEurodac(case_id, f"EU-{reference}"), 30)
        step(ledger, c.MarkInEurodac(case_id), 31)
    return case_id


@provokes("WITHDRAWAL_NEEDS_PROTECTION")
def test_only_protection_that_stands_is_reconsidered(ledger: Ledger) -> None:
    """QR Arts 14(1), 19(1): withdrawal concerns protection granted."""
    undecided = examined(ledger, "W-1")
    refused(ledger, c.StartWithdrawalProcedure(undecided, "EXCLUSION"), 10,
            "WITHDRAWAL_NEEDS_PROTECTION")
    rejected = decided(ledger, "W-1b", "UNFOUNDED")
    refused(ledger, c.StartWithdrawalProcedure(rejected, "EXCLUSION"), 40,
            "WITHDRAWAL_NEEDS_PROTECTION")


@provokes("WITHDRAWAL_GROUND_NOT_FOR_STATUS", "WITHDRAWAL_ALREADY_OPEN")
def test_the_ground_must_fit_the_status(ledger: Ledger) -> None:
    """Subsidiary protection: changed circumstances (Art 16), exclusion, misrepresentation
    (Art 19(1)); danger to security and serious crime are refugee grounds (Art 14(1)(d)-(e))."""
    case_id = _protected(ledger, "W-2", "SUBSIDIARY_PROTECTION", marked=False)
    refused(ledger, c.StartWithdrawalProcedure(case_id, "DANGER_TO_SECURITY"), 40,
            "WITHDRAWAL_GROUND_NOT_FOR_STATUS")
    refused(ledger, c.StartWithdrawalProcedure(case_id, "CESSATION_REAVAILMENT"), 40,
            "WITHDRAWAL_GROUND_NOT_FOR_STATUS")
    step(ledger, c.StartWithdrawalProcedure(case_id, "MISREPRESENTATION"), 40)
    refused(ledger, c.StartWithdrawalProcedure(case_id, "EXCLUSION"), 41,
            "WITHDRAWAL_ALREADY_OPEN")
    refugee = _protected(ledger, "W-2b", marked=False)
    step(ledger, c.StartWithdrawalProcedure(refugee, "DANGER_TO_SECURITY"), 40)
    assert case_of(ledger, refugee).withdrawal.status_type == "REFUGEE_STATUS"


@provokes("NO_WITHDRAWAL_OPEN", "WITHDRAWAL_BEFORE_INFORMATION", "OBSERVATION_PERIOD_RUNNING")
def test_the_person_is_informed_and_heard_before_a_withdrawal(ledger: Ledger) -> None:
    """APR Art 66(1): written information first (a), reasons within a reasonable time (d):
    no withdrawal before the person presented them or that time (30 days by default,
    unconfirmed) passed."""
    case_id = _protected(ledger, "W-3", marked=False)
    refused(ledger, c.InformOfWithdrawal(case_id, "ar"), 40, "NO_WITHDRAWAL_OPEN")
    refused(ledger, c.DecideWithdrawal(case_id, True), 40, "NO_WITHDRAWAL_OPEN")
    step(ledger, c.StartWithdrawalProcedure(case_id, "CESSATION_REESTABLISHED"), 40)
    refused(ledger, c.DecideWithdrawal(case_id, True), 41, "WITHDRAWAL_BEFORE_INFORMATION")
    refused(ledger, c.SubmitWithdrawalObservations(case_id), 41, "WITHDRAWAL_BEFORE_INFORMATION")
    step(ledger, c.InformOfWithdrawal(case_id, "ar"), 42)
    refused(ledger, c.InformOfWithdrawal(case_id, "ar"), 43, "WITHDRAWAL_BEFORE_INFORMATION")
    refused(ledger, c.DecideWithdrawal(case_id, True), 60, "OBSERVATION_PERIOD_RUNNING")
    step(ledger, c.DecideWithdrawal(case_id, True), 80)  # the 30 days have passed
    assert case_of(ledger, case_id).status is CaseStatus.PROTECTION_WITHDRAWN
    heard = _protected(ledger, "W-3b", marked=False)
    step(ledger, c.StartWithdrawalProcedure(heard, "MISREPRESENTATION"), 40)
    step(ledger, c.InformOfWithdrawal(heard, "ar"), 41)
    step(ledger, c.SubmitWithdrawalObservations(heard), 45)
    step(ledger, c.DecideWithdrawal(heard, True), 46)  # heard: no need to wait


@provokes("COMPELLING_REASONS_EXCLUDE_CESSATION")
def test_compelling_reasons_exclude_cessation_on_changed_circumstances(ledger: Ledger) -> None:
    """QR Art 11(1) last subparagraph, Art 16: then the protection stands; discontinued, the
    person keeps it."""
    case_id = _protected(ledger, "W-4", marked=False)
    step(ledger, c.StartWithdrawalProcedure(case_id, "CESSATION_CIRCUMSTANCES"), 40)
    step(ledger, c.InformOfWithdrawal(case_id, "ar"), 40)
    step(ledger, c.SubmitWithdrawalObservations(case_id), 50)
    refused(ledger, c.DecideWithdrawal(case_id, True, compelling_reasons=True), 51,
            "COMPELLING_REASONS_EXCLUDE_CESSATION")
    step(ledger, c.DecideWithdrawal(case_id, False), 52)
    case = case_of(ledger, case_id)
    assert case.protected and case.withdrawal.state == "DISCONTINUED"


@provokes("MARK_REQUIRES_PROTECTION")
def test_a_withdrawal_unmarks_eurodac_in_the_same_step(ledger: Ledger) -> None:
    """Eurodac Art 31: the member state unmarks data when protection is withdrawn under QR Art
    14 or 19; the ledger records the unmarking with the withdrawal, so a rebuild agrees."""
    case_id = _protected(ledger, "W-5")
    assert case_of(ledger, case_id).eurodac.marked is True
    step(ledger, c.StartWithdrawalProcedure(case_id, "SERIOUS_CRIME"), 40)
    step(ledger, c.InformOfWithdrawal(case_id, "ar"), 40)
    recorded = step(ledger, c.DecideWithdrawal(case_id, True), 75)
    assert recorded == ("ProtectionWithdrawn", "EurodacUnmarked")
    case = case_of(ledger, case_id)
    assert case.eurodac.marked is False and not case.protected
    refused(ledger, c.MarkInEurodac(case_id), 76, "MARK_REQUIRES_PROTECTION")
    unmarked = _protected(ledger, "W-5b", marked=False)  # nothing marked: nothing to unmark
    step(ledger, c.StartWithdrawalProcedure(unmarked, "EXCLUSION"), 40)
    step(ledger, c.InformOfWithdrawal(unmarked, "ar"), 40)
    assert step(ledger, c.DecideWithdrawal(unmarked, True), 75) == ("ProtectionWithdrawn",)

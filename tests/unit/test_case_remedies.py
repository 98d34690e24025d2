"""Remedies (APR (EU) 2024/1348 Arts 67-68) on the in-memory store: an appeal lies against a
notified, appealable decision that is not final (no appeal without a notified decision); its
suspensive effect follows from Art 68; a request to remain is open only where the appeal has no
automatic effect; a decision becomes final when the appeal period has passed or the appeal is
decided."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.errors import RuleViolation
from ledger.vocabulary import CaseStatus
from tests.support.cases import (
    case_of,
    day,
    decide,
    decided,
    end_of,
    examined,
    registered,
    step,
)
from tests.support.flows import rejected_with_return, run, screened_applicant
from tests.support.refusals import provokes, refused
from tests.support.steps import T0

MINUTE = timedelta(minutes=1)
#: Notified Wednesday 1 April 2026 (day 30): one month ends on 1 May, Labour Day, then a weekend,
#: so on Monday 4 May; ten days end on Saturday 11 April, so on Monday 13 April (1182/71 Art 3(4)).
MONTH_END, TEN_DAYS_END = end_of(2026, 5, 4), end_of(2026, 4, 13)


@provokes("APPEAL_REQUIRES_DECISION")
def test_an_appeal_lies_against_a_decision(ledger: Ledger) -> None:
    """Art 67(1): nothing to appeal, nothing to make final, before a decision."""
    case_id = examined(ledger, "R-1")
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 4, "APPEAL_REQUIRES_DECISION")
    refused(ledger, c.DeclareDecisionFinal(case_id), 4, "APPEAL_REQUIRES_DECISION")


@provokes("DECISION_NOT_NOTIFIED")
def test_no_appeal_without_a_notified_decision(ledger: Ledger) -> None:
    """Art 67(7) (invariant, pact-rules 8.3): the appeal period runs from notification, so an
    appeal (and finality by lapse of time) needs the decision notified."""
    case_id = decided(ledger, "R-2", "UNFOUNDED", notified=False)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31, "DECISION_NOT_NOTIFIED")
    refused(ledger, c.DeclareDecisionFinal(case_id), 200, "DECISION_NOT_NOTIFIED")
    step(ledger, c.NotifyDecision(case_id), 32)
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 33)
    appeal = case_of(ledger, case_id).pending_appeal
    assert appeal is not None and appeal.decision_no == 1


@provokes("DECISION_NOT_APPEALABLE")
@pytest.mark.parametrize("decision_type", ["REFUGEE_STATUS", "EXPLICITLY_WITHDRAWN"])
def test_decisions_the_applicant_cannot_appeal(ledger: Ledger, decision_type: str) -> None:
    """Art 67(1): refugee status and an explicit withdrawal are not appealed by the applicant."""
    case_id = decided(ledger, "R-3", decision_type)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31, "DECISION_NOT_APPEALABLE")


@provokes("DECISION_NOT_APPEALABLE")
def test_the_courts_own_decision_is_not_appealed_as_a_first_instance_one(
    ledger: Ledger,
) -> None:
    """Art 67(3): a decision the court substitutes is not a first-instance decision to appeal."""
    case_id = decided(ledger, "R-4", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31)
    step(ledger, c.DecideAppeal(case_id, "OVERTURNED", "SUBSIDIARY_PROTECTION"), 90)
    case = case_of(ledger, case_id)
    assert case.standing_decision.by_court is True
    assert case.standing_decision.notified_at == day(90)
    refused(ledger, c.LodgeAppeal(case_id, "Corte di Cassazione"), 91, "DECISION_NOT_APPEALABLE")
    step(ledger, c.DeclareDecisionFinal(case_id), 91)  # final at once
    assert case_of(ledger, case_id).status is CaseStatus.PROTECTED


@provokes("APPEAL_ALREADY_PENDING")
def test_one_appeal_at_a_time(ledger: Ledger) -> None:
    """Art 67: no second appeal while one is pending; no finality while it is."""
    case_id = decided(ledger, "R-5", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 32, "APPEAL_ALREADY_PENDING")
    refused(ledger, c.DeclareDecisionFinal(case_id), 200, "APPEAL_ALREADY_PENDING")


@provokes("DECISION_ALREADY_FINAL")
def test_remedies_end_with_finality(ledger: Ledger) -> None:
    """Art 67: once final, a decision is neither appealed nor made final again."""
    case_id = decided(ledger, "R-6", "UNFOUNDED")
    step(ledger, c.DeclareDecisionFinal(case_id), MONTH_END + MINUTE)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 70, "DECISION_ALREADY_FINAL")
    refused(ledger, c.DeclareDecisionFinal(case_id), 70, "DECISION_ALREADY_FINAL")


@provokes("APPEAL_PERIOD_RUNNING")
@pytest.mark.parametrize(("decision_type", "procedure", "period"), [
    ("UNFOUNDED", "REGULAR", "month"),  # Art 67(7): the standard period
    ("UNFOUNDED", "ACCELERATED", "short"),  # accelerated rejection: the short period
    ("MANIFESTLY_UNFOUNDED", "BORDER", "short"),  # border rejection: the short period
    ("INADMISSIBLE", "ADMISSIBILITY", "short"),
    ("SUBSIDIARY_PROTECTION", "REGULAR", "month"),
])
def test_finality_waits_for_the_appeal_period(ledger: Ledger, decision_type: str,
                                              procedure: str, period: str) -> None:
    """Art 67(7): a decision becomes final once the period to appeal it has passed; the period
    is shorter for inadmissibility and for accelerated or border rejections."""
    case_id = decided(ledger, "R-7", decision_type, procedure)
    due = MONTH_END if period == "month" else TEN_DAYS_END
    refused(ledger, c.DeclareDecisionFinal(case_id), due, "APPEAL_PERIOD_RUNNING")
    step(ledger, c.DeclareDecisionFinal(case_id), due + MINUTE)
    assert case_of(ledger, case_id).decision_final


@provokes("NO_APPEAL_PENDING")
def test_only_a_pending_appeal_is_decided(ledger: Ledger) -> None:
    """Art 67: an appeal is decided once."""
    case_id = decided(ledger, "R-8", "UNFOUNDED")
    refused(ledger, c.DecideAppeal(case_id, "UPHELD"), 31, "NO_APPEAL_PENDING")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31)
    step(ledger, c.DecideAppeal(case_id, "UPHELD"), 90)
    refused(ledger, c.DecideAppeal(case_id, "REMITTED"), 91, "NO_APPEAL_PENDING")


@provokes("SUBSTITUTED_DECISION_INVALID")
@pytest.mark.parametrize(("outcome", "substituted"), [
    ("OVERTURNED", None),
    ("OVERTURNED", "UNFOUNDED"),
    ("OVERTURNED", "IMPLICITLY_WITHDRAWN"),
    ("UPHELD", "REFUGEE_STATUS"),
    ("REMITTED", "SUBSIDIARY_PROTECTION"),
])
def test_a_court_that_overturns_states_the_protection_it_grants(
    ledger: Ledger, outcome: str, substituted: str | None,
) -> None:
    """Art 67(3): only an overturning decision substitutes one, and it grants protection."""
    case_id = decided(ledger, "R-9", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31)
    refused(ledger, c.DecideAppeal(case_id, outcome, substituted), 90,
            "SUBSTITUTED_DECISION_INVALID")


@provokes("REQUEST_TO_REMAIN_NOT_OPEN")
def test_a_request_to_remain_only_during_an_appeal_without_automatic_effect(
    ledger: Ledger,
) -> None:
    """Art 68(4)-(5): once, while an appeal without automatic suspensive effect is pending."""
    regular = decided(ledger, "R-10", "UNFOUNDED")
    refused(ledger, c.LodgeRequestToRemain(regular), 31, "REQUEST_TO_REMAIN_NOT_OPEN")
    step(ledger, c.LodgeAppeal(regular, "Tribunale di Roma"), 31)
    refused(ledger, c.LodgeRequestToRemain(regular), 32, "REQUEST_TO_REMAIN_NOT_OPEN")
    border = decided(ledger, "R-10b", "MANIFESTLY_UNFOUNDED", "BORDER")
    step(ledger, c.LodgeAppeal(border, "Tribunale di Catania"), 31)
    step(ledger, c.LodgeRequestToRemain(border), 31)
    assert case_of(ledger, border).request_to_remain == "PENDING"
    refused(ledger, c.LodgeRequestToRemain(border), 32, "REQUEST_TO_REMAIN_NOT_OPEN")


@provokes("NO_REQUEST_TO_REMAIN")
def test_a_court_decides_a_pending_request_to_remain_once(ledger: Ledger) -> None:
    """Art 68(5)."""
    case_id = decided(ledger, "R-11", "UNFOUNDED", "ACCELERATED", nationality="BD")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 31)
    refused(ledger, c.DecideRequestToRemain(case_id, granted=True), 32, "NO_REQUEST_TO_REMAIN")
    step(ledger, c.LodgeRequestToRemain(case_id), 32)
    step(ledger, c.DecideRequestToRemain(case_id, granted=True), 35)
    assert case_of(ledger, case_id).request_to_remain == "GRANTED"
    refused(ledger, c.DecideRequestToRemain(case_id, granted=False), 36, "NO_REQUEST_TO_REMAIN")


@pytest.mark.parametrize(("decision_type", "procedure", "minor", "suspensive"), [
    ("UNFOUNDED", "REGULAR", False, True),  # Art 68(1)-(2): the default
    ("IMPLICITLY_WITHDRAWN", "REGULAR", False, True),
    ("SUBSIDIARY_PROTECTION", "REGULAR", False, True),
    ("UNFOUNDED", "ACCELERATED", False, False),  # Art 68(3)(a)
    ("MANIFESTLY_UNFOUNDED", "BORDER", False, False),  # Art 68(3)(c)
    ("MANIFESTLY_UNFOUNDED", "BORDER", True, True),  # ... except unaccompanied minors
    ("INADMISSIBLE", "ADMISSIBILITY", False, False),  # Art 68(3)(b)
    ("INADMISSIBLE", "BORDER", True, True),  # ... except minors in the border procedure
])
def test_suspensive_effect_follows_article_68(ledger: Ledger, decision_type: str,
                                              procedure: str, minor: bool,
                                              suspensive: bool) -> None:
    """Art 68: whether the appeal lets the applicant remain is the law's, not the caller's."""
    if minor:
        case_id = _minor_at_border(ledger, "R-12")
        decide(ledger, case_id, decision_type, 30)
    else:
        case_id = decided(ledger, "R-12", decision_type, procedure)
    step(ledger, c.LodgeAppeal(case_id, "Tribunale"), 31)
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.APPEAL_PENDING
    assert case.pending_appeal.suspensive is suspensive
    assert list(ledger.events.get(case_id))[-1].suspensive is suspensive


def _minor_at_border(ledger: Ledger, reference: str) -> UUID:
    """An unaccompanied minor with a security flag, in the border procedure (APR Art 53(2))."""
    case_id = registered(ledger, reference, nationality="BD", minor=True)
    step(ledger, c.RecordSecurityFlag(case_id, "EAW offence"), 1)
    step(ledger, c.AssignProcedure(case_id, "BORDER"), 1)
    step(ledger, c.LodgeApplication(case_id), 2)
    return case_id


def test_appeal_outcomes(ledger: Ledger) -> None:
    """Art 67: upheld, the decision stands and becomes final at once; remitted, it is annulled
    and the examination resumes; overturned, the court's decision stands, notified when given."""
    upheld = decided(ledger, "R-13", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(upheld, "Tribunale"), 31)
    step(ledger, c.DecideAppeal(upheld, "UPHELD"), 60)
    assert case_of(ledger, upheld).status is CaseStatus.DECIDED
    step(ledger, c.DeclareDecisionFinal(upheld), 60)
    case = case_of(ledger, upheld)
    assert (case.status, case.right_to_remain_ended) == (CaseStatus.NO_RIGHT_TO_REMAIN, True)

    remitted = decided(ledger, "R-13b", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(remitted, "Tribunale"), 31)
    step(ledger, c.DecideAppeal(remitted, "REMITTED"), 60)
    case = case_of(ledger, remitted)
    assert case.status is CaseStatus.UNDER_EXAMINATION and case.standing_decision is None
    assert not case.return_decision_issued and case.appeals[0].outcome == "REMITTED"
    decide(ledger, remitted, "REFUGEE_STATUS", 100)
    assert case_of(ledger, remitted).standing_decision.decision_no == 2

    overturned = decided(ledger, "R-13c", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(overturned, "Tribunale"), 31)
    step(ledger, c.DecideAppeal(overturned, "OVERTURNED", "REFUGEE_STATUS"), 60)
    case = case_of(ledger, overturned)
    assert case.protected and not case.return_decision_issued
    assert [d.decision_type for d in case.decisions] == ["UNFOUNDED", "REFUGEE_STATUS"]


@pytest.mark.parametrize("outcome", [("OVERTURNED", "SUBSIDIARY_PROTECTION"), ("REMITTED", None)])
def test_winning_the_appeal_restores_the_right_to_remain(
    ledger: Ledger, outcome: tuple[str, str | None],
) -> None:
    """APR Art 68: the right to remain ended with the accelerated rejection (no automatic
    suspensive effect); when the court overturns or annuls that rejection, the person is a
    beneficiary, or again an applicant, and may remain."""
    case_id = decided(ledger, "R-14", "UNFOUNDED", "ACCELERATED", nationality="BD")
    step(ledger, c.EndRightToRemain(case_id, "no automatic suspensive effect"), 31)
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 32)
    step(ledger, c.DecideAppeal(case_id, *outcome), 60)
    assert case_of(ledger, case_id).right_to_remain_ended is False
    try:
        step(ledger, c.SelectForRelocation(case_id, "PT"), 61)
    except RuleViolation as refusal:  # the bug's visible consequence
        raise AssertionError(refusal.rule.code) from refusal


def test_appeal_needs_a_decision(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-9")
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale di Palermo"), 8,
            "APPEAL_REQUIRES_DECISION")


def test_appeal_needs_notification_and_an_appealable_decision(ledger: Ledger) -> None:
    case_id = screened_applicant(ledger, "R-10")
    run(ledger, c.AssignProcedure(case_id, "REGULAR"), 7)
    run(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", with_return_decision=True),
        60)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale"), 61, "DECISION_NOT_NOTIFIED")
    run(ledger, c.NotifyDecision(case_id), 61)
    run(ledger, c.LodgeAppeal(case_id, "Tribunale"), 62)

    granted = screened_applicant(ledger, "R-11")
    run(ledger, c.AssignProcedure(granted, "REGULAR"), 7)
    run(ledger, c.IssueDecision(granted, "REFUGEE_STATUS", "QR", T0 + timedelta(days=60)), 60)
    refused(ledger, c.LodgeAppeal(granted, "Tribunale"), 61, "DECISION_NOT_APPEALABLE")


def test_appeal_lifecycle_upheld_overturned_remitted(ledger: Ledger) -> None:
    case_id = rejected_with_return(ledger, "R-12")
    run(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 45)
    assert ledger.get_case(case_id).appeals[0].suspensive is False  # accelerated: Art 68(3)
    refused(ledger, c.LodgeAppeal(case_id, "Tribunale"), 46, "APPEAL_ALREADY_PENDING")
    refused(ledger, c.DecideAppeal(case_id, "OVERTURNED"), 80,
            "SUBSTITUTED_DECISION_INVALID")
    refused(ledger, c.DecideAppeal(case_id, "OVERTURNED", "IMPLICITLY_WITHDRAWN"), 80,
            "SUBSTITUTED_DECISION_INVALID")
    run(ledger, c.DecideAppeal(case_id, "REMITTED"), 80)
    case = ledger.get_case(case_id)
    assert case.status is CaseStatus.UNDER_EXAMINATION and case.standing_decision is None
    refused(ledger, c.DecideAppeal(case_id, "UPHELD"), 81, "NO_APPEAL_PENDING")

    run(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", T0 + timedelta(days=120),
                                with_return_decision=True), 120)
    run(ledger, c.LodgeAppeal(case_id, "Tribunale di Catania"), 125)
    run(ledger, c.DecideAppeal(case_id, "OVERTURNED", "SUBSIDIARY_PROTECTION"), 200)
    case = ledger.get_case(case_id)
    assert case.standing_decision.decision_type == "SUBSIDIARY_PROTECTION"
    assert case.standing_decision.by_court is True
    assert [a.outcome for a in case.appeals] == ["REMITTED", "OVERTURNED"]

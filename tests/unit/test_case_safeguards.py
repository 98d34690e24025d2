"""Safeguards (APR (EU) 2024/1348 Arts 8(2), 15-19) on the in-memory store: legal aid is for
applicants, counselling before a decision and assistance on appeal; granted with a provider,
refused on a ground the law allows; a refusal for no sufficient prospect by an authority is
brought before a court; an interview waits for an interpreter asked for (a parameter)."""

from __future__ import annotations

from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.safeguards import steps as safeguard_rules
from ledger.deadlines.deadline import Deadline, DeadlineStatus
from ledger.deadlines.engine import DeadlineTracker
from tests.support.acting import handle
from tests.support.cases import applied, case_of, day, decided, examined, registered, step
from tests.support.refusals import provokes, refused
from tests.support.steps import at


@provokes("SAFEGUARD_NEEDS_APPLICATION")
def test_safeguards_are_for_applicants(ledger: Ledger) -> None:
    """Art 15(1): a person in screening who has not applied is not (yet) an applicant."""
    case_id = handle(ledger, c.StartScreening("IT", "S-1", c.Person("SY"), "SEARCH_AND_RESCUE",
                                              "Lampedusa"), at(0)).aggregate_id
    refused(ledger, c.InformOfLegalCounselling(case_id, "ar"), 1, "SAFEGUARD_NEEDS_APPLICATION")
    refused(ledger, c.RequestInterpreter(case_id, "ar"), 1, "SAFEGUARD_NEEDS_APPLICATION")
    step(ledger, c.MakeApplication("IT", "S-1", "Lampedusa"), 1)
    step(ledger, c.InformOfLegalCounselling(case_id, "ar"), 1)
    assert case_of(ledger, case_id).safeguards.informed_at is not None


@provokes("LEGAL_AID_WRONG_STAGE", "LEGAL_AID_ALREADY_REQUESTED", "NO_LEGAL_AID_REQUEST",
          "LEGAL_AID_PROVIDER_REQUIRED", "LEGAL_AID_REFUSAL_GROUND")
def test_counselling_before_the_decision_assistance_on_appeal(ledger: Ledger) -> None:
    """Arts 15(1), 16, 17(2), 19(1)."""
    case_id = examined(ledger, "S-2")
    refused(ledger, c.RequestLegalAid(case_id, "ASSISTANCE"), 4, "LEGAL_AID_WRONG_STAGE")
    refused(ledger, c.DecideLegalAid(case_id, "COUNSELLING", True, "ASGI"), 4,
            "NO_LEGAL_AID_REQUEST")
    step(ledger, c.RequestLegalAid(case_id, "COUNSELLING"), 4)
    refused(ledger, c.RequestLegalAid(case_id, "COUNSELLING"), 5, "LEGAL_AID_ALREADY_REQUESTED")
    refused(ledger, c.DecideLegalAid(case_id, "COUNSELLING", True), 5,
            "LEGAL_AID_PROVIDER_REQUIRED")
    refused(ledger, c.DecideLegalAid(case_id, "COUNSELLING", False, "ASGI", "SUFFICIENT_MEANS"),
            5, "LEGAL_AID_PROVIDER_REQUIRED")
    refused(ledger, c.DecideLegalAid(case_id, "COUNSELLING", False), 5,
            "LEGAL_AID_REFUSAL_GROUND")
    refused(ledger, c.DecideLegalAid(case_id, "COUNSELLING", False, None, "FURTHER_INSTANCE"), 5,
            "LEGAL_AID_REFUSAL_GROUND")  # an Art 17(2) ground, not one for counselling
    step(ledger, c.DecideLegalAid(case_id, "COUNSELLING", True, "ASGI"), 5)
    aid = case_of(ledger, case_id).safeguards.legal_aid[0]
    assert (aid.state, aid.provider) == ("GRANTED", "ASGI")
    after = decided(ledger, "S-2b")
    refused(ledger, c.RequestLegalAid(after, "COUNSELLING"), 31, "LEGAL_AID_WRONG_STAGE")
    step(ledger, c.RequestLegalAid(after, "ASSISTANCE"), 31)


@provokes("LEGAL_AID_REFUSAL_NOT_CHALLENGEABLE")
def test_a_refusal_for_no_prospect_is_brought_before_a_court(ledger: Ledger) -> None:
    """Art 17(3): only a refusal on the merits ground by an authority other than a court."""
    means = decided(ledger, "S-3")
    step(ledger, c.RequestLegalAid(means, "ASSISTANCE"), 31)
    step(ledger, c.DecideLegalAid(means, "ASSISTANCE", False, None, "SUFFICIENT_MEANS"), 32)
    refused(ledger, c.ChallengeLegalAidRefusal(means), 33, "LEGAL_AID_REFUSAL_NOT_CHALLENGEABLE")
    prospect = decided(ledger, "S-3b")
    step(ledger, c.RequestLegalAid(prospect, "ASSISTANCE"), 31)
    step(ledger, c.DecideLegalAid(prospect, "ASSISTANCE", False, None,
                                  "NO_SUFFICIENT_PROSPECT"), 32)
    step(ledger, c.ChallengeLegalAidRefusal(prospect), 33)
    step(ledger, c.DecideLegalAid(prospect, "ASSISTANCE", True, "Avv. d'ufficio", None, True), 40)
    aid = case_of(ledger, prospect).safeguards.legal_aid[-1]
    assert (aid.state, aid.by_court) == ("GRANTED", True)
    by_court = decided(ledger, "S-3c")
    step(ledger, c.RequestLegalAid(by_court, "ASSISTANCE"), 31)
    step(ledger, c.DecideLegalAid(by_court, "ASSISTANCE", False, None, "NO_SUFFICIENT_PROSPECT",
                                  True), 32)
    refused(ledger, c.ChallengeLegalAidRefusal(by_court), 33,
            "LEGAL_AID_REFUSAL_NOT_CHALLENGEABLE")


@provokes("INTERPRETER_REQUEST_PENDING", "NO_INTERPRETER_REQUEST",
          "INTERPRETER_DECISION_INCOMPLETE")
def test_an_interview_waits_for_the_interpreter_asked_for(ledger: Ledger,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """APR Art 8(2) (interpreter provisions unconfirmed): the interview does not precede the
    interpreter asked for; a refusal states its ground."""
    case_id = examined(ledger, "S-4")
    refused(ledger, c.DecideInterpreter(case_id, True, "INT-1"), 4, "NO_INTERPRETER_REQUEST")
    step(ledger, c.RequestInterpreter(case_id, "ps"), 4)
    refused(ledger, c.RequestInterpreter(case_id, "ps"), 5, "INTERPRETER_REQUEST_PENDING")
    refused(ledger, c.RecordInterview(case_id, "INT", "ps", True), 5,
            "INTERPRETER_REQUEST_PENDING")
    refused(ledger, c.DecideInterpreter(case_id, True), 5, "INTERPRETER_DECISION_INCOMPLETE")
    refused(ledger, c.DecideInterpreter(case_id, False), 5, "INTERPRETER_DECISION_INCOMPLETE")
    step(ledger, c.DecideInterpreter(case_id, True, "INT-1"), 6)
    step(ledger, c.RecordInterview(case_id, "INT", "ps", True), 7)
    other = examined(ledger, "S-4b")
    step(ledger, c.RequestInterpreter(other, "ti"), 4)
    monkeypatch.setattr(safeguard_rules, "INTERVIEW_WAITS_FOR_INTERPRETER", False)
    step(ledger, c.RecordInterview(other, "INT", "it", False), 5)  # the parameter switched off


def test_information_after_registration_breaches_its_deadline(ledger: Ledger) -> None:
    """Art 15(2): at the latest at registration; given later, the deadline reads breached;
    given before, no deadline opens."""
    late = registered(ledger, "S-5")
    step(ledger, c.InformOfLegalCounselling(late, "ar"), 2)
    early = applied(ledger, "S-5b")
    step(ledger, c.InformOfLegalCounselling(early, "ar"), 0.5)
    step(ledger, c.RegisterApplication(early), 1)
    deadline = _deadline(ledger, late)
    assert deadline is not None and deadline.met_at == day(2)
    assert deadline.breached(day(3)) and deadline.status(day(3)) is DeadlineStatus.MET_LATE
    assert _deadline(ledger, early) is None


def _deadline(ledger: Ledger, case_id: UUID) -> Deadline | None:
    tracker = DeadlineTracker()
    for position, event in enumerate(ledger.events.get(case_id), 1):
        tracker.observe(event, position)
    return next((d for d in tracker.deadlines if d.code == "LEGAL_COUNSELLING_INFORMATION"),
                None)

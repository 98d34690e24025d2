"""Screening (Screening Regulation (EU) 2024/1356) on the in-memory store: the checks and the
referral are recorded only while screening runs, the referral matches whether the person applied,
relocation excludes a security threat, and a representative is for unaccompanied minors."""

from __future__ import annotations

from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.errors import CaseAlreadyExists
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.cases import applied, case_of, step
from tests.support.flows import run
from tests.support.refusals import provokes, refused
from tests.support.steps import at


def _screened(ledger: Ledger, reference: str, trigger: str = "SEARCH_AND_RESCUE",
              minor: bool = False, applies: bool = True) -> UUID:
    """Screening starts on day 0; the person applies during it (day 0.5) unless `applies` is
    False."""
    handle(ledger, c.StartScreening("IT", reference, c.Person("SY", unaccompanied_minor=minor),
                                   trigger, "Pozzallo hotspot"), at(0))
    if applies:
        step(ledger, c.MakeApplication("IT", reference, "Pozzallo hotspot"), 0.5)
    return Case.create_id("IT", reference)


@pytest.mark.parametrize(("trigger", "article"), [
    ("IRREGULAR_CROSSING", "Art 5(1)(a)"),
    ("SEARCH_AND_RESCUE", "Art 5(1)(b)"),
    ("BORDER_CROSSING_POINT_APPLICATION", "Art 5(2)"),
    ("WITHIN_TERRITORY", "Art 7"),
])
def test_screening_cites_the_article_of_its_trigger(ledger: Ledger, trigger: str,
                                                   article: str) -> None:
    """The legal basis of screening depends on why the person is screened (Arts 5 and 7)."""
    case_id = _screened(ledger, f"S-{trigger}", trigger, applies=False)
    events = list(ledger.events.get(case_id))
    assert [type(e).__name__ for e in events] == ["CaseOpened", "ScreeningStarted"]
    started = events[-1]
    assert started.envelope.legal_basis[0].article == article
    case = case_of(ledger, case_id)
    assert (case.status, case.screening, case.screening_trigger) == (
        CaseStatus.SCREENING, "IN_PROGRESS", trigger)


def test_held_over_72_hours_is_recorded(ledger: Ledger) -> None:
    """Art 8(3): the 4-day limit depends on it, so the event must carry it."""
    handle(ledger, c.StartScreening("IT", "S-72", c.Person("TN"), "IRREGULAR_CROSSING", "Trieste",
                                   held_over_72h=True), at(0))
    started = list(ledger.events.get(Case.create_id("IT", "S-72")))[-1]
    assert started.held_over_72h is True


def test_checks_during_screening_fill_the_form(ledger: Ledger) -> None:
    """Arts 11-15: each check leaves its result on the case, as the screening form needs it."""
    case_id = _screened(ledger, "S-1", minor=True)
    step(ledger, c.RecordHealthCheck(case_id, "NEEDS_CARE"), 0.6)
    step(ledger, c.RecordVulnerabilityCheck(case_id, ("TORTURE_SURVIVOR",)), 0.7)
    step(ledger, c.RecordVulnerabilityCheck(case_id, ("PREGNANT", "TORTURE_SURVIVOR")), 0.75)
    step(ledger, c.RecordIdentityCheck(case_id, "FINGERPRINTS", established=False), 0.8)
    step(ledger, c.RecordSecurityCheck(case_id, hit=False, databases=("SIS", "ECRIS-TCN")), 0.9)
    step(ledger, c.ProvideInformation(case_id, ("screening", "asylum"), "ti"), 1)
    step(ledger, c.AssignRepresentative(case_id, "PROVISIONAL", "REP-7"), 1)
    case = case_of(ledger, case_id)
    assert case.screening_checks == {"health": "NEEDS_CARE", "vulnerability": "NEEDS",
                                     "identity": "NOT_ESTABLISHED", "security": "CLEAR"}
    assert case.vulnerabilities == ["PREGNANT", "TORTURE_SURVIVOR"]
    assert case.representative == {"kind": "PROVISIONAL", "ref": "REP-7"}
    assert case.flags["information"] == [{"topics": ["screening", "asylum"], "language": "ti"}]
    assert case.security_flag is False


def test_a_security_hit_sets_the_security_flag(ledger: Ledger) -> None:
    """Art 15: a hit is what later excludes relocation (AMMR Art 67(2))."""
    case_id = _screened(ledger, "S-2")
    step(ledger, c.RecordSecurityCheck(case_id, hit=True, databases=("SIS",)), 1)
    case = case_of(ledger, case_id)
    assert case.security_flag is True and case.screening_checks["security"] == "HIT"


@provokes("SCREENING_NOT_IN_PROGRESS")
def test_checks_and_referral_only_while_screening_runs(ledger: Ledger) -> None:
    """Arts 8, 18: screening ends on referral; nothing is added to a closed screening, and a case
    that never went through screening has none to add to."""
    case_id = _screened(ledger, "S-3")
    step(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-3"), 1)
    refused(ledger, c.RecordHealthCheck(case_id, "NO_NEEDS"), 2, "SCREENING_NOT_IN_PROGRESS")
    refused(ledger, c.RecordSecurityCheck(case_id, hit=True), 2, "SCREENING_NOT_IN_PROGRESS")
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-3"), 2,
            "SCREENING_NOT_IN_PROGRESS")
    office = applied(ledger, "S-3b")
    refused(ledger, c.RecordIdentityCheck(office, "PASSPORT", True), 1,
            "SCREENING_NOT_IN_PROGRESS")
    refused(ledger, c.RecordVulnerabilityCheck(office, ()), 1, "SCREENING_NOT_IN_PROGRESS")


def test_screening_ends_on_referral_even_with_checks_missing(ledger: Ledger) -> None:
    """Art 18(5): the referral ends screening whatever checks are still missing."""
    case_id = _screened(ledger, "S-4")
    types = step(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-4",
                                             ("health", "identity")), 1)
    assert types == ("ScreeningCompleted",)
    case = case_of(ledger, case_id)
    assert (case.screening, case.screening_outcome) == ("COMPLETED", "REFER_TO_REGISTRATION")
    assert case.status is CaseStatus.APPLICATION_MADE
    completed = list(ledger.events.get(case_id))[-1]
    assert list(completed.incomplete_checks) == ["health", "identity"]


@provokes("REFERRAL_REQUIRES_APPLICATION")
@pytest.mark.parametrize("outcome", ["REFER_TO_REGISTRATION", "REFER_TO_RELOCATION"])
def test_referral_to_asylum_authorities_needs_an_application(ledger: Ledger,
                                                             outcome: str) -> None:
    """Art 18(1)(b)-(c): only an applicant goes to registration or relocation."""
    case_id = _screened(ledger, "S-5", applies=False)
    refused(ledger, c.CompleteScreening(case_id, outcome, "SF-5"), 1,
            "REFERRAL_REQUIRES_APPLICATION")
    assert case_of(ledger, case_id).screening == "IN_PROGRESS"


@provokes("RETURN_REFERRAL_AFTER_APPLICATION")
def test_an_applicant_is_not_referred_to_return(ledger: Ledger) -> None:
    """Art 18(1)(a): referral to return is for those who did not apply."""
    case_id = _screened(ledger, "S-6")
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_RETURN", "SF-6"), 1,
            "RETURN_REFERRAL_AFTER_APPLICATION")


def test_referral_to_return_then_return(ledger: Ledger) -> None:
    """Art 18(1)(a) and Return Directive Art 6: no application, a return decision, return."""
    case_id = _screened(ledger, "S-7", applies=False)
    step(ledger, c.CompleteScreening(case_id, "REFER_TO_RETURN", "SF-7"), 1)
    assert case_of(ledger, case_id).status is CaseStatus.REFERRED_TO_RETURN
    step(ledger, c.IssueReturnDecision(case_id, 7), 2)
    decision = list(ledger.events.get(case_id))[-1]
    assert str(decision.envelope.legal_basis[0]) == "Return Directive 2008/115/EC Art 6"
    assert decision.joint_with_decision_no is None
    step(ledger, c.RecordReturn(case_id, "TN"), 12)
    step(ledger, c.CloseCase(case_id, "RETURNED"), 13)
    assert case_of(ledger, case_id).status is CaseStatus.CLOSED


@provokes("RELOCATION_EXCLUDED_SECURITY")
def test_referral_to_relocation_excludes_a_security_threat(ledger: Ledger) -> None:
    """AMMR Art 67(2): a person who may pose a security threat is never relocated."""
    case_id = _screened(ledger, "S-8")
    step(ledger, c.RecordSecurityCheck(case_id, hit=True, databases=("SIS",)), 1)
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_RELOCATION", "SF-8"), 2,
            "RELOCATION_EXCLUDED_SECURITY")
    clear = _screened(ledger, "S-8b")
    step(ledger, c.RecordSecurityCheck(clear, hit=False), 1)
    step(ledger, c.CompleteScreening(clear, "REFER_TO_RELOCATION", "SF-8b"), 2)
    assert case_of(ledger, clear).screening_outcome == "REFER_TO_RELOCATION"


@provokes("REPRESENTATIVE_FOR_MINORS")
def test_a_representative_is_for_unaccompanied_minors(ledger: Ledger) -> None:
    """Art 13(2), AMMR Art 23(2): the representative assists an unaccompanied minor."""
    case_id = _screened(ledger, "S-9")
    refused(ledger, c.AssignRepresentative(case_id, "PROVISIONAL", "REP-1"), 1,
            "REPRESENTATIVE_FOR_MINORS")
    minor = _screened(ledger, "S-9b", minor=True)
    step(ledger, c.AssignRepresentative(minor, "PROVISIONAL", "REP-1"), 1)
    step(ledger, c.AssignRepresentative(minor, "PERMANENT", "REP-2"), 5)
    assert case_of(ledger, minor).representative == {"kind": "PERMANENT", "ref": "REP-2"}


def test_screening_opens_a_case_with_a_deterministic_id(ledger: Ledger) -> None:
    outcome = run(ledger, c.StartScreening("IT", "R-1", c.Person("SY"), "SEARCH_AND_RESCUE",
                                           "Lampedusa"), 0)
    assert outcome.aggregate_id == Case.create_id("IT", "R-1")
    assert outcome.event_types == ("CaseOpened", "ScreeningStarted")
    case = ledger.get_case(outcome.aggregate_id)
    assert case.status is CaseStatus.SCREENING
    assert case.screening_trigger == "SEARCH_AND_RESCUE"


def test_the_same_case_cannot_be_opened_twice(ledger: Ledger) -> None:
    command = c.StartScreening("IT", "R-1", c.Person("SY"), "SEARCH_AND_RESCUE", "Lampedusa")
    run(ledger, command, 0)
    with pytest.raises(CaseAlreadyExists):
        run(ledger, command, 1)
    assert ledger.recorder.max_notification_id() == 2


def test_same_reference_in_another_member_state_is_another_case(ledger: Ledger) -> None:
    a = run(ledger, c.MakeApplication("IT", "R-1", "Rome", c.Person("SY")), 0)
    b = run(ledger, c.MakeApplication("EL", "R-1", "Athens", c.Person("SY")), 0)
    assert a.aggregate_id != b.aggregate_id


def test_referral_to_registration_needs_an_application(ledger: Ledger) -> None:
    run(ledger, c.StartScreening("IT", "R-6", c.Person("TN"), "IRREGULAR_CROSSING", "Bari"), 0)
    case_id = Case.create_id("IT", "R-6")
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF"), 1,
            "REFERRAL_REQUIRES_APPLICATION")
    run(ledger, c.CompleteScreening(case_id, "REFER_TO_RETURN", "SF"), 1)
    assert ledger.get_case(case_id).status is CaseStatus.REFERRED_TO_RETURN
    refused(ledger, c.CompleteScreening(case_id, "REFER_TO_RETURN", "SF"), 2,
            "SCREENING_NOT_IN_PROGRESS")
    run(ledger, c.IssueReturnDecision(case_id, 7), 3)
    assert ledger.get_case(case_id).return_decision_issued

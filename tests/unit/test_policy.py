"""The access policy as a table: who may record which step, for which member state, and read
what. Refusals are decided before anything is loaded or recorded."""

from __future__ import annotations

from uuid import uuid4

import pytest

from ledger.application import Ledger
from ledger.authorization.policy import (
    READS,
    UNION_LEVEL,
    WRITES,
    Read,
    acts_for,
    may_read,
    may_run,
)
from ledger.authorization.roles import EU, NATIONAL_ONLY, Role, principal_problem
from ledger.case import commands as c
from ledger.crisis import commands as cc
from ledger.errors import CaseNotFound, Forbidden, RuleViolation
from ledger.handlers import COMMAND_HANDLERS as HANDLERS
from ledger.solidarity import commands as s
from tests.support.acting import principal
from tests.support.cases import applied, examined
from tests.support.steps import at


def test_every_command_has_its_roles_and_nothing_else_is_writable() -> None:
    assert set(WRITES) == set(HANDLERS)
    assert all(WRITES[t] for t in WRITES)


def test_auditors_write_nothing() -> None:
    assert not [t for t, roles in WRITES.items() if Role.AUDITOR in roles]


@pytest.mark.parametrize("command", [c.IssueDecision, c.IssueReturnDecision,
                                     c.IssueTransferDecision, c.ExtendExamination,
                                     c.GrantVoluntaryDeparture])
def test_only_decision_makers_issue_decisions(command: type) -> None:
    assert WRITES[command] == {Role.DECISION_MAKER}


@pytest.mark.parametrize("command", [c.LodgeAppeal, c.LodgeRequestToRemain,
                                     c.DecideRequestToRemain, c.DecideAppeal])
def test_only_appeal_bodies_record_appeals_and_their_outcomes(command: type) -> None:
    assert WRITES[command] == {Role.APPEAL_BODY}


def test_crisis_and_solidarity_belong_to_their_roles() -> None:
    assert all(WRITES[t] == {Role.ADMINISTRATOR} for t in cc.CRISIS_COMMANDS)
    solidarity = {t for t in HANDLERS if t.__module__ == s.__name__}
    assert all(WRITES[t] == {Role.SOLIDARITY_COORDINATOR} for t in solidarity)
    assert UNION_LEVEL < solidarity and s.MakePledge not in UNION_LEVEL


def test_where_a_command_records() -> None:
    assert acts_for(c.RegisterApplication(uuid4())) is None  # the case's member state
    assert acts_for(c.MakeApplication("EL", "R", "Samos")) == "EL"
    assert acts_for(cc.EndCrisis("ES")) == "ES"
    assert acts_for(s.MakePledge(2026, "DE", "FINANCIAL", 0, 100)) == "DE"
    assert acts_for(s.GrantDeduction(2026, "PL", 100, "C(2026) 1")) == EU  # type: ignore[arg-type]
    assert acts_for(s.AdoptAnnualReport(2026, "COM")) == EU


def test_principals_the_ledger_knows() -> None:
    assert principal_problem("CASE_WORKER", "IT") is None
    assert principal_problem("AUDITOR", "EU") is None
    assert "EU level" in (principal_problem("CASE_WORKER", "EU") or "")
    assert "unknown role" in (principal_problem("ROOT", "IT") or "")
    assert "member state" in (principal_problem("AUDITOR", "GR") or "")
    assert all(principal_problem(r.value, EU) for r in NATIONAL_ONLY)


def test_what_each_role_reads() -> None:
    personal = {r for r, reads in READS.items() if Read.PERSONAL_DATA in reads}
    assert personal == {Role.SCREENING_OFFICER, Role.CASE_WORKER, Role.DECISION_MAKER,
                        Role.APPEAL_BODY}
    assert READS[Role.AUDITOR] >= {Read.CASES, Read.SOLIDARITY, Read.INTEGRITY, Read.ACCESS_LOG}
    assert {r for r, reads in READS.items() if Read.ACCESS_LOG in reads} == {Role.AUDITOR}
    assert not may_read(principal("AUDITOR", "EU"), Read.PERSONAL_DATA)
    assert not may_read(principal("SOLIDARITY_COORDINATOR", "IT"), Read.CASES)


def _refused(ledger: Ledger, command: object, role: str, member_state: str,
             error: type[Exception]) -> str:
    before = ledger.recorder.max_notification_id()
    with pytest.raises(error) as caught:
        ledger.handle(command, at(40, actor=principal(role, member_state)))
    assert ledger.recorder.max_notification_id() == before
    return str(caught.value)


def test_a_case_worker_may_not_decide_and_nothing_is_recorded(ledger: Ledger) -> None:
    case_id = examined(ledger, "P-1")
    decision = c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", with_return_decision=True)
    message = _refused(ledger, decision, "CASE_WORKER", "IT", Forbidden)
    assert message == "A CASE_WORKER may not record IssueDecision; only DECISION_MAKER"
    for role in ("AUDITOR", "APPEAL_BODY", "SCREENING_OFFICER", "ADMINISTRATOR"):
        _refused(ledger, decision, role, "IT", Forbidden)
    assert ledger.handle(decision, at(40, actor=principal("DECISION_MAKER"))).event_types


def test_another_member_states_case_is_not_found(ledger: Ledger) -> None:
    case_id = examined(ledger, "P-2")
    decision = c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", with_return_decision=True)
    _refused(ledger, decision, "DECISION_MAKER", "DE", CaseNotFound)
    # The rules of law are not even asked: a refusal says nothing about the case's state (its
    # own member state's appeal body is told that there is no decision to appeal).
    appeal = c.LodgeAppeal(case_id, "Tribunale")
    _refused(ledger, appeal, "APPEAL_BODY", "DE", CaseNotFound)
    _refused(ledger, appeal, "APPEAL_BODY", "IT", RuleViolation)


def test_no_case_is_opened_for_another_member_state(ledger: Ledger) -> None:
    command = c.MakeApplication("EL", "P-3", "Samos", c.Person("AF"))
    message = _refused(ledger, command, "CASE_WORKER", "IT", Forbidden)
    assert message == "A principal of IT may not record for EL"
    applied(ledger, "P-3", ms="EL")  # by EL's own case worker (tests.support.acting)


def test_union_level_steps_need_an_eu_level_principal(ledger: Ledger) -> None:
    report = s.AdoptAnnualReport(2026, "COM(2025) 801")
    assert "Union-level" in _refused(ledger, report, "SOLIDARITY_COORDINATOR", "IT", Forbidden)
    assert ledger.handle(report, at(0, actor=principal("SOLIDARITY_COORDINATOR", EU)))


def test_an_unknown_principal_is_refused_whatever_it_asks(ledger: Ledger) -> None:
    command = c.MakeApplication("IT", "P-4", "Rome", c.Person("AF"))
    assert "EU level" in _refused(ledger, command, "CASE_WORKER", EU, Forbidden)
    assert not may_run(principal("AUDITOR", "IT"), c.MakeApplication)

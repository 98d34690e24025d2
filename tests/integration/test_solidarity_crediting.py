"""Crediting on SQLite and PostgreSQL: a relocation credits the relocation member state's account
exactly once, when the case side sends the same arrival twice, retries it, or two writers race."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from ledger.case import commands as c
from ledger.solidarity.account import SolidarityAccount
from ledger.solidarity.crediting import credit_relocation
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.support.acting import handle
from tests.support.cases import NOW
from tests.support.flows import screened_applicant
from tests.support.solidarity import YEAR, case_id, on, relocate, step
from tests.support.steps import at


def credited(container: Container, ms: str) -> list[str]:
    container.runner.catch_up()
    rows = container.reads.solidarity.entries(YEAR, ms, "RELOCATION")
    return [r["linked_case_id"] for r in rows if r["event_type"] == "RelocationCredited"]


def test_a_case_is_credited_once_however_often_it_arrives(container: Container) -> None:
    container.ledger.clock = lambda: NOW
    assert relocate(container.ledger, "DE", "case-1", "2026-02-10") == 2
    assert relocate(container.ledger, "DE", "case-1", "2026-02-10") == 0
    assert relocate(container.ledger, "DE", "case-1", "2026-02-12") == 0
    assert relocate(container.ledger, "DE", "case-2", "2026-02-12") == 1
    assert credited(container, "DE") == [str(case_id("case-1")), str(case_id("case-2"))]


def test_two_writers_crediting_the_same_case_record_one_credit(settings: Settings) -> None:
    first, second = build(settings, clock=lambda: NOW), build(settings, clock=lambda: NOW)
    try:
        relocate(first.ledger, "DE", "case-0", "2026-02-01")  # the account exists
        when = on("2026-02-10")
        accounts = [credit_relocation(w.ledger, relocation_member_state="DE",
                                      benefiting_member_state="IT", case_id=case_id("case-1"),
                                      arrived_at=when, step=step(w.ledger, when))
                    for w in (first, second)]
        first.ledger.save(accounts[0])
        with pytest.raises(IntegrityError):
            second.ledger.save(accounts[1])  # the same version: the loser decides again ...
        retried = credit_relocation(second.ledger, relocation_member_state="DE",
                                    benefiting_member_state="IT", case_id=case_id("case-1"),
                                    arrived_at=when, step=step(second.ledger, when))
        assert retried.collect_events() == []  # ... and finds the case credited
        assert credited(first, "DE") == [str(case_id("case-0")), str(case_id("case-1"))]
    finally:
        first.close()
        second.close()


def test_the_arrival_command_sent_twice_credits_once(container: Container) -> None:
    """Through the case side's own command (`RecordRelocationArrival`)."""
    container.ledger.clock = lambda: NOW
    ledger = container.ledger
    case = screened_applicant(ledger, "IT-REL-1")
    for command, days in [(c.SelectForRelocation(case, "DE"), 10),
                          (c.AcceptRelocation(case), 12), (c.TransferForRelocation(case), 20)]:
        handle(ledger, command, at(days))
    arrival = c.RecordRelocationArrival(case)
    first = handle(ledger, arrival, at(21, command_id="arrival-1"))
    again = handle(ledger, arrival, at(21, command_id="arrival-1"))
    assert first.event_types == ("RelocationArrived", "AccountOpened", "RelocationCredited")
    assert again.replayed and again.positions == ()
    assert credited(container, "DE") == [str(case)]
    account = ledger.repository.get(SolidarityAccount.create_id(YEAR, "DE"))
    assert account.credited_cases == {str(case)}

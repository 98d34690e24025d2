"""Command sequences that walk a case through typical procedures; shared by tests."""

from __future__ import annotations

from uuid import UUID

from ledger import commands as c
from ledger.application import Ledger, Outcome
from ledger.case import Case
from tests.support.steps import at


def screened_applicant(ledger: Ledger, reference: str, ms: str = "IT",
                       nationality: str = "SY") -> UUID:
    """Screening, application made during it, referral to registration, registration, lodging."""
    ledger.handle(c.StartScreening(ms, reference, c.Person(nationality), "SEARCH_AND_RESCUE",
                                   "Lampedusa hotspot"), at(0))
    case_id = Case.create_id(ms, reference)
    ledger.handle(c.MakeApplication(ms, reference, "Lampedusa hotspot"), at(1))
    ledger.handle(c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-1"), at(2))
    ledger.handle(c.RegisterApplication(case_id), at(3))
    ledger.handle(c.LodgeApplication(case_id), at(6))
    return case_id


def rejected_with_return(ledger: Ledger, reference: str) -> UUID:
    case_id = screened_applicant(ledger, reference, nationality="BD")
    ledger.handle(c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(j)",)), at(7))
    ledger.handle(c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", at(40).occurred_at,
                                  with_return_decision=True, voluntary_departure_days=15), at(40))
    return case_id


def run(ledger: Ledger, command: c.CaseCommand, days: float) -> Outcome:
    return ledger.handle(command, at(days))

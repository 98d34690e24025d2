"""Command sequences that walk a case through typical procedures; shared by tests."""

from __future__ import annotations

from uuid import UUID

from ledger.application import Ledger, Outcome
from ledger.case import commands as c
from ledger.case.aggregate import Case
from tests.support.acting import handle
from tests.support.steps import at


def screened_applicant(ledger: Ledger, reference: str, ms: str = "IT",
                       nationality: str = "SY") -> UUID:
    """Screening, application made during it, referral to registration, registration, lodging."""
    handle(ledger, c.StartScreening(ms, reference, c.Person(nationality), "SEARCH_AND_RESCUE",
                                   "Lampedusa hotspot"), at(0))
    case_id = Case.create_id(ms, reference)
    handle(ledger, c.MakeApplication(ms, reference, "Lampedusa hotspot"), at(1))
    handle(ledger, c.CompleteScreening(case_id, "REFER_TO_REGISTRATION", "SF-1"), at(2))
    handle(ledger, c.RegisterApplication(case_id), at(3))
    handle(ledger, c.LodgeApplication(case_id), at(6))
    return case_id


def rejected_with_return(ledger: Ledger, reference: str) -> UUID:
    case_id = screened_applicant(ledger, reference, nationality="BD")
    handle(ledger, c.AssignProcedure(case_id, "ACCELERATED", ("APR Art 42(1)(j)",)), at(7))
    handle(ledger, c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", at(40).occurred_at,
                                  with_return_decision=True, voluntary_departure_days=15), at(40))
    return case_id


def run(ledger: Ledger, command: c.CaseCommand, days: float) -> Outcome:
    return handle(ledger, command, at(days))

"""What the security tests attack: an Italian case with personal data (decided, so every later
step is possible), a Greek case, the principals, and one refused attempt of each kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.authorization.policy import Read
from ledger.case import commands as c
from ledger.crisis import commands as cc
from ledger.solidarity import commands as s
from pact_ledger.wiring import Container
from tests.support.acting import handle
from tests.support.steps import at

WHEN = "2026-06-01T09:00:00Z"

#: (role, member state): every role, the roles that exist at both levels at both.
PRINCIPALS = [("SCREENING_OFFICER", "IT"), ("CASE_WORKER", "IT"), ("DECISION_MAKER", "IT"),
              ("APPEAL_BODY", "IT"), ("AUDITOR", "EU"), ("AUDITOR", "IT"),
              ("SOLIDARITY_COORDINATOR", "IT"), ("SOLIDARITY_COORDINATOR", "EU"),
              ("ADMINISTRATOR", "IT"), ("ADMINISTRATOR", "EU")]


@dataclass(frozen=True)
class World:
    italian: str
    greek: str


def build_world(container: Container) -> World:
    person = c.Person("SY", date(1990, 5, 17), False, "Doe", "Jane")
    case = handle(container.ledger, c.MakeApplication("IT", "SEC-1", "Rome", person),
                  at(0)).aggregate_id
    for command, day in ((c.RegisterApplication(case), 1), (c.LodgeApplication(case), 2),
                         (c.AssignProcedure(case, "REGULAR"), 3),
                         (c.IssueDecision(case, "UNFOUNDED", "APR Art 39", at(30).occurred_at,
                                          with_return_decision=True), 30)):
        handle(container.ledger, command, at(day))
    greek = handle(container.ledger, c.MakeApplication("EL", "SEC-2", "Samos", c.Person("AF")),
                   at(0)).aggregate_id
    container.runner.catch_up()
    return World(str(case), str(greek))


def writes(world: World) -> list[tuple[type, str, dict[str, Any]]]:
    """One step of each kind of principal's work: (command, mutation, input)."""
    case = world.italian
    return [
        (c.StartScreening, "startScreening", {
            "memberState": "IT", "nationalReference": "SEC-NEW", "trigger": "SEARCH_AND_RESCUE",
            "person": {"nationality": "SY"}, "location": "Lampedusa", "occurredAt": WHEN}),
        (c.RegisterApplication, "registerApplication", {"caseId": case, "occurredAt": WHEN}),
        (c.IssueDecision, "issueDecision", {"caseId": case, "decisionType": "UNFOUNDED",
                                            "ground": "x", "occurredAt": WHEN}),
        (c.LodgeAppeal, "lodgeAppeal", {"caseId": case, "appealBody": "Tribunale di Roma",
                                        "occurredAt": WHEN}),
        (c.DecideAppeal, "decideAppeal", {"caseId": case, "outcome": "UPHELD",
                                          "occurredAt": WHEN}),
        (c.CloseCase, "closeCase", {"caseId": case, "reason": "WITHDRAWN", "occurredAt": WHEN}),
        (cc.DeclareCrisis, "declareCrisis", {
            "memberState": "IT", "kind": "MASS_ARRIVALS", "startsAt": WHEN,
            "until": "2026-07-01T00:00:00Z", "derogations": ["REGISTRATION"],
            "decisionRef": "CID", "occurredAt": WHEN}),
        (s.AdoptAnnualReport, "adoptAnnualReport", {"year": 2026, "reportRef": "COM",
                                                    "occurredAt": "2025-11-11T10:00:00Z"}),
        (s.MakePledge, "makeSolidarityPledge", {
            "year": 2026, "memberState": "IT", "kind": "FINANCIAL", "amountCents": "100",
            "occurredAt": "2025-11-26T10:00:00Z"}),
    ]


#: Reads by what they read (the queries take $it, the Italian case's id).
READS: dict[Read, list[str]] = {
    Read.CASES: ["{ cases(first: 1) { totalCount } }",
                 "query($it: ID!) { case(id: $it) { id } }",
                 "query($it: ID!) { caseTimeline(caseId: $it) { type } }",
                 "query($it: ID!) { caseDeadlines(caseId: $it) { rule } }",
                 "query($it: ID!) { decisionTrail(caseId: $it) { type } }",
                 "query($it: ID!) { caseAsOf(caseId: $it, version: 1) { id } }",
                 "{ deadlines(first: 1) { totalCount } }",
                 "{ decisionsUnderAppeal { appealNo } }"],
    Read.SOLIDARITY: ["{ solidarityCycle(year: 2026) { stage } }",
                      "{ solidarityBalances(year: 2026) { accounts { memberState } } }"],
    Read.INTEGRITY: ["{ ledgerDigest { size } }", "{ verifyLedger { valid } }",
                     "query($it: ID!) { verifyCase(caseId: $it) { valid } }"],
    Read.ACCESS_LOG: ["{ accessLog { edges { node { subject } } } }"],
}

#: Reference data every principal reads.
OPEN = "{ rules { code } recognitionRates { nationality } crisisPeriods { kind } }"

RESULT = "__typename ... on CommandError { code message }"


def mutation(name: str) -> str:
    kind = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {kind}!) {{ {name}(input: $input) {{ {RESULT} }} }}"

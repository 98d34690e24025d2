"""Withdrawal of protection over GraphQL-over-HTTP (QR (EU) 2024/1347 Arts 14, 19; APR Art 66):
the decision is recorded with the Eurodac unmarking it implies (Eurodac Art 31), and the case,
its timeline and its Eurodac record show the effect; a withdrawal before the person was
informed is a typed refusal naming the rule."""

from __future__ import annotations

from tests.e2e.conftest import GraphQLClient
from tests.e2e.test_graphql_commands import AB, CW, DM, SO, mutate, start

CASE = """query($id: ID!) { case(id: $id) {
  status eurodac { transmitted marked }
  protectionWithdrawal { ground statusReconsidered state informedAt decidedAt } } }"""
TIMELINE = """query($id: ID!, $filter: TimelineFilterInput) {
  caseTimeline(caseId: $id, filter: $filter) { type phase legalBasis { act article } } }"""


def _ok(gql: GraphQLClient, role: str, name: str, input: dict[str, object], when: str) -> dict:
    result = mutate(gql.as_role(role), name, {**input, "occurredAt": when})
    assert result["__typename"] == "CommandSucceeded", (name, result)
    return result


def test_a_withdrawal_unmarks_eurodac_and_the_case_shows_it(gql: GraphQLClient) -> None:
    case_id = start(gql, "IT-W-1")
    for role, name, input, when in [
        (SO, "makeApplication", {"memberState": "IT", "nationalReference": "IT-W-1",
                                 "place": "Lampedusa"}, "2026-03-02T10:00:00Z"),
        (SO, "completeScreening", {"caseId": case_id, "outcome": "REFER_TO_REGISTRATION",
                                   "formRef": "SF-W1"}, "2026-03-03T09:00:00Z"),
        (CW, "registerApplication", {"caseId": case_id}, "2026-03-04T09:00:00Z"),
        (CW, "captureBiometrics", {"caseId": case_id, "category": "APPLICANT", "age": 30},
         "2026-03-04T10:00:00Z"),
        (CW, "transmitToEurodac", {"caseId": case_id, "reference": "EU-W1"},
         "2026-03-04T11:00:00Z"),
        (CW, "lodgeApplication", {"caseId": case_id}, "2026-03-10T09:00:00Z"),
        (CW, "assignProcedure", {"caseId": case_id, "procedure": "REGULAR"},
         "2026-03-11T09:00:00Z"),
        (DM, "issueDecision", {"caseId": case_id, "decisionType": "REFUGEE_STATUS",
                               "ground": "QR Art 9", "notifiedAt": "2026-06-01T09:00:00Z"},
         "2026-06-01T09:00:00Z"),
        (CW, "markInEurodac", {"caseId": case_id}, "2026-06-02T09:00:00Z"),
        (DM, "startWithdrawalProcedure", {"caseId": case_id, "ground": "SERIOUS_CRIME"},
         "2026-07-01T09:00:00Z"),
    ]:
        _ok(gql, role, name, input, when)
    assert gql(CASE, {"id": case_id})["case"]["eurodac"] == {"transmitted": True, "marked": True}

    early = mutate(gql.as_role(DM), "decideWithdrawal", {
        "caseId": case_id, "withdrawn": True, "occurredAt": "2026-07-02T09:00:00Z"})
    assert (early["__typename"], early["rule"], early["article"]) == (
        "RuleViolation", "WITHDRAWAL_BEFORE_INFORMATION", "APR (EU) 2024/1348 Art 66(1)(a)")
    denied = mutate(gql.as_role(AB), "decideWithdrawal", {
        "caseId": case_id, "withdrawn": True, "occurredAt": "2026-07-02T09:00:00Z"})
    assert (denied["__typename"], denied["code"]) == ("Forbidden", "FORBIDDEN"), denied

    _ok(gql, DM, "informOfWithdrawal", {"caseId": case_id, "language": "ar"},
        "2026-07-01T10:00:00Z")
    decided = _ok(gql, DM, "decideWithdrawal", {"caseId": case_id, "withdrawn": True},
                  "2026-08-10T09:00:00Z")
    assert [e["type"] for e in decided["events"]] == ["ProtectionWithdrawn", "EurodacUnmarked"]
    assert decided["events"][1]["legalBasis"][0] == {
        "act": "Eurodac Regulation (EU) 2024/1358", "article": "Art 31"}
    assert decided["case"]["status"] == "PROTECTION_WITHDRAWN"

    case = gql(CASE, {"id": case_id})["case"]
    assert case["status"] == "PROTECTION_WITHDRAWN"
    assert case["eurodac"] == {"transmitted": True, "marked": False}
    assert case["protectionWithdrawal"] == {
        "ground": "SERIOUS_CRIME", "statusReconsidered": "REFUGEE_STATUS", "state": "WITHDRAWN",
        "informedAt": "2026-07-01T10:00:00+00:00", "decidedAt": "2026-08-10T09:00:00+00:00"}
    steps = gql(TIMELINE, {"id": case_id, "filter": {"phases": ["WITHDRAWAL", "EURODAC"]}})
    assert [(e["type"], e["phase"]) for e in steps["caseTimeline"]][-4:] == [
        ("WithdrawalProcedureStarted", "WITHDRAWAL"), ("PersonInformedOfWithdrawal", "WITHDRAWAL"),
        ("ProtectionWithdrawn", "WITHDRAWAL"), ("EurodacUnmarked", "EURODAC")]
    again = mutate(gql.as_role(CW), "markInEurodac", {
        "caseId": case_id, "occurredAt": "2026-08-11T09:00:00Z"})
    assert again["__typename"] == "RuleViolation" and again["rule"] == "MARK_REQUIRES_PROTECTION"

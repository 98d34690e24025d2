"""Mutations over HTTP: each step recorded with its envelope (the actor from the bearer token),
refusals as typed results. Each step is taken by a role that may take it."""

from __future__ import annotations

from typing import Any

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient

RESULT = """
  __typename
  ... on CommandSucceeded {
    caseId version replayed readModelsCurrent
    case { id status procedure lastDecisionType appealPending returnDecisionIssued version }
    events { type version occurredAt actor { id role authority memberState }
             legalBasis { act article } commandId correlationId payload }
  }
  ... on CommandError { code message }
  ... on RuleViolation { rule article }
  ... on InvalidInput { fields { field message } }
  ... on CaseAlreadyExists { memberState nationalReference }
"""


SO, CW, DM, AB = "SCREENING_OFFICER", "CASE_WORKER", "DECISION_MAKER", "APPEAL_BODY"


def mutate(gql: GraphQLClient, name: str, input: dict[str, Any]) -> dict[str, Any]:
    input_type = name[0].upper() + name[1:] + "Input"
    data = gql(f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {RESULT} }} }}",
               {"input": input})
    return data[name]


def start(gql: GraphQLClient, reference: str, **person: Any) -> str:
    result = mutate(gql.as_role(SO), "startScreening", {
        "memberState": "IT", "nationalReference": reference,
        "person": {"nationality": "SY", **person}, "trigger": "SEARCH_AND_RESCUE",
        "location": "Lampedusa hotspot", "occurredAt": "2026-03-02T08:00:00Z",
    })
    assert result["__typename"] == "CommandSucceeded", result
    return result["caseId"]


def walk_to_decision(gql: GraphQLClient, reference: str) -> str:
    case_id = start(gql, reference)
    steps = [
        (SO, "makeApplication", {"memberState": "IT", "nationalReference": reference,
                                 "place": "Lampedusa"}, "2026-03-02T10:00:00Z"),
        (SO, "completeScreening", {"caseId": case_id, "outcome": "REFER_TO_REGISTRATION",
                                   "formRef": "SF-77"}, "2026-03-03T09:00:00+01:00"),
        (CW, "registerApplication", {"caseId": case_id}, "2026-03-04T09:00:00Z"),
        (CW, "lodgeApplication", {"caseId": case_id}, "2026-03-10T09:00:00Z"),
        (CW, "assignProcedure", {"caseId": case_id, "procedure": "REGULAR"},
         "2026-03-11T09:00:00Z"),
        (DM, "issueDecision", {"caseId": case_id, "decisionType": "UNFOUNDED",
                               "ground": "APR Art 39", "notifiedAt": "2026-06-02T09:00:00Z",
                               "withReturnDecision": True, "voluntaryDepartureDays": 20},
         "2026-06-01T09:00:00Z"),
    ]
    for role, name, input, when in steps:
        result = mutate(gql.as_role(role), name, {**input, "occurredAt": when})
        assert result["__typename"] == "CommandSucceeded", (name, result)
    return case_id


def test_start_screening_records_the_envelope_from_the_token(gql: GraphQLClient) -> None:
    result = mutate(gql.as_role(SO), "startScreening", {
        "memberState": "IT", "nationalReference": "IT-2026-1", "trigger": "SEARCH_AND_RESCUE",
        "person": {"nationality": "ER", "dateOfBirth": "2009-05-01", "unaccompaniedMinor": True},
        "location": "Pozzallo", "occurredAt": "2026-03-02T08:00:00+01:00",
        "commandId": "c-1", "correlationId": "boat-17", "evidenceRefs": ["sar-report-17"],
    })
    assert result["__typename"] == "CommandSucceeded"
    assert result["readModelsCurrent"] is True and result["replayed"] is False
    assert result["case"]["status"] == "SCREENING" and result["case"]["version"] == 2
    opened, started = result["events"]
    assert (opened["type"], started["type"]) == ("CaseOpened", "ScreeningStarted")
    assert started["actor"] == {"id": "it-so-01", "role": "SCREENING_OFFICER",
                                "authority": "IT test authority", "memberState": "IT"}
    assert started["legalBasis"] == [
        {"act": "Screening Regulation (EU) 2024/1356", "article": "Art 5(1)(b)"}]
    assert started["occurredAt"] == "2026-03-02T07:00:00+00:00"
    assert (started["commandId"], started["correlationId"]) == ("c-1", "boat-17")
    assert started["payload"] == {"trigger": "SEARCH_AND_RESCUE", "location": "Pozzallo",
                                  "held_over_72h": False}


def test_a_case_walks_to_a_decision_and_an_appeal(gql: GraphQLClient) -> None:
    case_id = walk_to_decision(gql, "IT-2026-2")
    court = gql.as_role(AB)
    appeal = mutate(court, "lodgeAppeal", {"caseId": case_id,
                                           "appealBody": "Tribunale di Palermo",
                                           "occurredAt": "2026-06-10T09:00:00Z"})
    assert appeal["case"]["status"] == "APPEAL_PENDING" and appeal["case"]["appealPending"]
    decided = mutate(court, "decideAppeal", {"caseId": case_id, "outcome": "OVERTURNED",
                                             "substitutedDecisionType": "SUBSIDIARY_PROTECTION",
                                             "occurredAt": "2026-09-10T09:00:00Z"})
    assert decided["case"]["lastDecisionType"] == "SUBSIDIARY_PROTECTION"
    assert decided["events"][0]["actor"]["role"] == "APPEAL_BODY"
    final = mutate(gql.as_role(DM), "declareDecisionFinal", {
        "caseId": case_id, "occurredAt": "2026-09-11T09:00:00Z"})
    assert final["case"]["status"] == "PROTECTED"
    closed = mutate(gql, "closeCase", {"caseId": case_id, "reason": "PROTECTION_GRANTED",
                                       "occurredAt": "2026-09-20T09:00:00Z"})
    assert closed["case"]["status"] == "CLOSED"


def test_rule_violation_names_rule_and_article_and_records_nothing(
    gql: GraphQLClient, container: Container
) -> None:
    case_id = start(gql, "IT-2026-3")
    before = container.runner.log_position()
    result = mutate(gql.as_role(DM), "issueDecision", {
        "caseId": case_id, "decisionType": "UNFOUNDED", "ground": "x",
        "occurredAt": "2026-03-05T09:00:00Z"})
    assert result["__typename"] == "RuleViolation"
    assert result["rule"] == "DECISION_REQUIRES_EXAMINATION"
    assert result["article"] == "APR (EU) 2024/1348 Art 35"
    assert "case status is SCREENING" in result["message"]
    appeal = mutate(gql.as_role(AB), "lodgeAppeal", {"caseId": case_id, "appealBody": "T",
                                                     "occurredAt": "2026-03-05T09:00:00Z"})
    assert (appeal["rule"], appeal["article"]) == ("APPEAL_REQUIRES_DECISION",
                                                   "APR (EU) 2024/1348 Art 67(1)")
    assert container.runner.log_position() == before


def test_registering_the_same_case_twice_is_refused(gql: GraphQLClient) -> None:
    start(gql, "IT-2026-4")
    again = mutate(gql.as_role(SO), "startScreening", {
        "memberState": "IT", "nationalReference": "IT-2026-4", "person": {"nationality": "SY"},
        "trigger": "SEARCH_AND_RESCUE", "location": "x", "occurredAt": "2026-03-02T08:00:00Z"})
    assert again["__typename"] == "CaseAlreadyExists"
    assert (again["memberState"], again["nationalReference"]) == ("IT", "IT-2026-4")


def test_a_retried_command_id_is_a_replay(gql: GraphQLClient, container: Container) -> None:
    input = {"memberState": "IT", "nationalReference": "IT-2026-5", "place": "Rome",
             "person": {"nationality": "AF"}, "occurredAt": "2026-03-02T08:00:00Z",
             "commandId": "retry-me"}
    first = mutate(gql, "makeApplication", input)
    position = container.runner.log_position()
    second = mutate(gql, "makeApplication", input)
    assert second["__typename"] == "CommandSucceeded"
    assert second["replayed"] is True and second["events"] == []
    assert second["version"] == first["version"]
    assert container.runner.log_position() == position


def test_invalid_input_lists_fields(gql: GraphQLClient) -> None:
    result = mutate(gql.as_role(SO), "startScreening", {
        "memberState": "IT", "nationalReference": " ", "person": {"nationality": "Syria"},
        "trigger": "SEARCH_AND_RESCUE", "location": "x", "occurredAt": "2026-03-02T08:00:00"})
    assert result["__typename"] == "InvalidInput"
    assert {f["field"] for f in result["fields"]} == {
        "nationalReference", "person.nationality", "occurredAt"}


def test_unknown_case_and_malformed_id(gql: GraphQLClient) -> None:
    unknown = mutate(gql, "registerApplication", {
        "caseId": "00000000-0000-0000-0000-000000000000", "occurredAt": "2026-03-02T08:00:00Z"})
    assert unknown["__typename"] == "CaseNotFound"
    malformed = mutate(gql, "registerApplication", {"caseId": "1 OR 1=1",
                                                    "occurredAt": "2026-03-02T08:00:00Z"})
    assert malformed["__typename"] == "InvalidInput"
    assert malformed["fields"] == [{"field": "caseId", "message": "is not a case id"}]


def test_future_legal_time_is_refused(gql: GraphQLClient) -> None:
    result = mutate(gql, "makeApplication", {
        "memberState": "IT", "nationalReference": "IT-2026-6", "place": "Rome",
        "person": {"nationality": "AF"}, "occurredAt": "2099-01-01T00:00:00Z"})
    assert (result["__typename"], result["rule"]) == ("RuleViolation", "OCCURRED_IN_FUTURE")


def test_bad_enum_is_a_graphql_validation_error(gql: GraphQLClient) -> None:
    response = gql.post(
        'mutation { closeCase(input: {caseId: "x", reason: LOST, '
        'occurredAt: "2026-03-02T08:00:00Z"}) { __typename } }')
    body = response.json()
    assert "data" not in body or body["data"] is None
    assert "LOST" in body["errors"][0]["message"]

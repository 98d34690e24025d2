"""Resettlement and humanitarian admission over HTTP: the Union plan and an admission file's
steps as mutations, a refusal as a typed result naming its URF article, and the plan, the list
(Connection paging), one file with its decision's time limit and its timeline as queries."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import GraphQLClient

RESULT = """
  __typename
  ... on CommandSucceeded { caseId events { type topic legalBasis { act article } } }
  ... on RuleViolation { rule article }
  ... on InvalidInput { fields { field message } }
"""
ADMISSION = """
  id reference status admissionType procedure persons refusalGrounds protectionStatus
  lumpSumCents countsTowardSolidarity solidarityBasis
  decisionDeadline { code confirmed dueAt status counting article }
  timeline { type phase legalBasis { article } }
"""


def mutate(gql: GraphQLClient, name: str, when: str, **input: Any) -> dict[str, Any]:
    input_type = name[0].upper() + name[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {RESULT} }} }}"
    return gql(query, {"input": {"occurredAt": when, **input}})[name]


def recorded(gql: GraphQLClient, name: str, when: str, **input: Any) -> dict[str, Any]:
    result = mutate(gql, name, when, **input)
    assert result["__typename"] == "CommandSucceeded", (name, result)
    return result


def test_an_admission_over_http(gql: GraphQLClient) -> None:
    council = gql.as_role("SOLIDARITY_COORDINATOR", "EU")
    italy = gql.as_role("SOLIDARITY_COORDINATOR", "IT")
    worker, decider = gql.as_role("CASE_WORKER", "IT"), gql.as_role("DECISION_MAKER", "IT")
    plan = recorded(council, "adoptUnionResettlementPlan", "2025-11-20T10:00:00Z",
                    periodStart=2026, councilAct="Council Implementing Regulation (EU) 2025/1",
                    resettlement=10000, humanitarianAdmission=5000, emergencyAdmission=1000)
    assert plan["events"][0]["legalBasis"][0] == {"act": "URF (EU) 2024/1350",
                                                  "article": "Art 8(1)"}
    recorded(italy, "recordResettlementPlanContribution", "2025-12-01T10:00:00Z",
             periodStart=2026, memberState="IT", resettlement=500)
    file = {"memberState": "IT", "reference": "IT-RS-7"}
    registered = recorded(worker, "registerAdmission", "2026-02-02T10:00:00Z", **file,
                          admissionType="RESETTLEMENT", procedure="EXPEDITED",
                          planPeriodStart=2026, referredBy="UNHCR", referralRef="RRF-7",
                          nationality="SY", countryOfResidence="LB", persons=3)
    admission_id = registered["caseId"]
    recorded(worker, "assessAdmission", "2026-03-02T10:00:00Z", **file)
    refused = mutate(decider, "decideAdmission", "2026-03-03T10:00:00Z", **file, granted=True)
    assert (refused["__typename"], refused["rule"]) == ("RuleViolation",
                                                        "ADMISSION_GRANT_REQUIRES_CONSENT")
    assert "unconfirmed" in refused["article"]
    recorded(worker, "recordAdmissionConsent", "2026-03-03T10:00:00Z", **file)
    recorded(decider, "decideAdmission", "2026-03-04T10:00:00Z", **file, granted=True)
    recorded(worker, "recordAdmissionArrival", "2026-04-01T10:00:00Z", **file,
             protectionStatus="REFUGEE")
    bad = mutate(worker, "registerAdmission", "2026-02-02T10:00:00Z", **file,
                 admissionType="RESETTLEMENT", procedure="ORDINARY", planPeriodStart=2026,
                 referredBy="UNHCR", referralRef="RRF-7", nationality="SY",
                 countryOfResidence="LBN")
    assert bad["__typename"] == "InvalidInput"
    assert [f["field"] for f in bad["fields"]] == ["countryOfResidence"]

    one = worker(f'{{ admission(id: "{admission_id}") {{ {ADMISSION} }} }}')["admission"]
    assert (one["reference"], one["status"], one["persons"]) == ("IT-RS-7", "ARRIVED", 3)
    assert (one["protectionStatus"], one["lumpSumCents"]) == ("REFUGEE", "1000000")
    assert one["countsTowardSolidarity"] is False and "unconfirmed" in one["solidarityBasis"]
    assert one["decisionDeadline"]["code"] == "ADMISSION_DECISION_EXPEDITED"
    assert one["decisionDeadline"]["confirmed"] is False
    assert one["decisionDeadline"]["status"] == "MET"
    assert "counted in the calendar of IT" in one["decisionDeadline"]["counting"]
    assert [t["type"] for t in one["timeline"]] == [
        "AdmissionRegistered", "AdmissionAssessed", "AdmissionConsentRecorded",
        "AdmissionDecided", "AdmittedPersonArrived"]
    assert {t["phase"] for t in one["timeline"]} == {"RESETTLEMENT"}
    # the same events paged, both ways, with typed details
    events = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      admission(id: $id) { events(first: $first, after: $after, last: $last, before: $before) {
        totalCount nodes { type details { __typename
          ... on AdmittedPersonArrivedDetails { protectionStatus lumpSumCents } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""
    first = worker(events, {"id": admission_id, "first": 3})["admission"]["events"]
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    rest = worker(events, {"id": admission_id, "after": first["pageInfo"]["endCursor"]})[
        "admission"]["events"]
    assert [n["type"] for n in first["nodes"] + rest["nodes"]] == [
        t["type"] for t in one["timeline"]]
    assert rest["nodes"][-1]["details"] == {"__typename": "AdmittedPersonArrivedDetails",
                                            "protectionStatus": "REFUGEE",
                                            "lumpSumCents": "1000000"}
    back = worker(events, {"id": admission_id, "last": 2})["admission"]["events"]
    assert [n["type"] for n in back["nodes"]] == ["AdmissionDecided", "AdmittedPersonArrived"]
    assert back["pageInfo"]["hasPreviousPage"] and not back["pageInfo"]["hasNextPage"]
    earlier = worker(events, {"id": admission_id, "last": 2,
                              "before": back["pageInfo"]["startCursor"]})["admission"]["events"]
    assert [n["type"] for n in earlier["nodes"]] == ["AdmissionAssessed",
                                                     "AdmissionConsentRecorded"]

    page = worker("{ admissions(first: 1) { totalCount nodes { reference } "
                  "pageInfo { hasNextPage endCursor } } }")["admissions"]
    assert page["totalCount"] == 1 and not page["pageInfo"]["hasNextPage"]
    germany = gql.as_role("CASE_WORKER", "DE")
    assert germany(f'{{ admission(id: "{admission_id}") {{ id }} }}')["admission"] is None
    assert germany(events, {"id": admission_id})["admission"] is None
    assert germany("{ admissions { totalCount } }")["admissions"]["totalCount"] == 0

    union = worker("{ unionResettlementPlan(periodStart: 2026) { periodEnd total solidarityLink "
                   "contributions { memberState admissionType pledged arrived } } }")
    plan_view = union["unionResettlementPlan"]
    assert (plan_view["periodEnd"], plan_view["total"]) == (2027, 16000)
    assert {"memberState": "IT", "admissionType": "RESETTLEMENT", "pledged": 500,
            "arrived": 3} in plan_view["contributions"]

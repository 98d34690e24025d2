"""Detention over HTTP (issue 11 part 5): a detention order recorded by `orderDetention` is on
the case (its ground and article, the review deadline of RCD Art 11(3)) and in its timeline
under the DETENTION phase; an unaccompanied minor's order is refused naming the rule."""

from __future__ import annotations

from tests.e2e.conftest import GraphQLClient
from tests.e2e.test_graphql_commands import CW, SO, mutate, start


def registered(gql: GraphQLClient, reference: str, **person: object) -> str:
    case_id = start(gql, reference, **person)
    for role, name, input, when in [
        (SO, "makeApplication", {"memberState": "IT", "nationalReference": reference,
                                 "place": "Lampedusa"}, "2026-03-02T10:00:00Z"),
        (SO, "completeScreening", {"caseId": case_id, "outcome": "REFER_TO_REGISTRATION",
                                   "formRef": "SF-9"}, "2026-03-03T09:00:00Z"),
        (CW, "registerApplication", {"caseId": case_id}, "2026-03-04T09:00:00Z"),
    ]:
        result = mutate(gql.as_role(role), name, {**input, "occurredAt": when})
        assert result["__typename"] == "CommandSucceeded", (name, result)
    return case_id


def test_a_detention_order_is_on_the_case_and_in_its_timeline(gql: GraphQLClient) -> None:
    case_id = registered(gql, "DET-1")
    result = mutate(gql.as_role(CW), "orderDetention", {
        "caseId": case_id, "ground": "IDENTITY", "orderRef": "DO-IT-1",
        "alternativesIneffective": True, "occurredAt": "2026-03-05T09:00:00Z"})
    assert result["__typename"] == "CommandSucceeded", result
    (event,) = result["events"]
    assert event["type"] == "DetentionOrdered"
    assert event["legalBasis"] == [{"act": "RCD (EU) 2024/1346", "article": "Art 10(4)(a)"}]
    data = gql("""query($id: ID!) {
        case(id: $id) {
          detention { ground groundArticle orderedBy orderRef startedAt detained reviewedAt }
          deadlines { rule article dueAt status }
        }
        caseTimeline(caseId: $id, filter: {phases: ["DETENTION"]}) { type phase changes }
      }""", {"id": case_id})
    detention = data["case"]["detention"]
    assert detention == {"ground": "IDENTITY", "groundArticle": "RCD (EU) 2024/1346 Art 10(4)(a)",
                         "orderedBy": "ADMINISTRATIVE", "orderRef": "DO-IT-1",
                         "startedAt": "2026-03-05T09:00:00+00:00", "detained": True,
                         "reviewedAt": None}
    review = next(d for d in data["case"]["deadlines"] if d["rule"] == "DETENTION_REVIEW")
    assert review["article"] == "Art 11(3)"
    # 15 days, to the end of Friday 20 March in Rome (UTC+1), Reg. 1182/71 Art 3(2)
    assert review["dueAt"] == "2026-03-20T22:59:59.999999+00:00"
    (step,) = data["caseTimeline"]
    assert step["type"] == "DetentionOrdered" and step["phase"] == "DETENTION"
    assert step["changes"]["detention"][0] is None
    assert step["changes"]["detention"][1]["order_ref"] == "DO-IT-1"


def test_an_unaccompanied_minor_is_not_detained_without_the_exception(gql: GraphQLClient) -> None:
    case_id = registered(gql, "DET-2", unaccompaniedMinor=True)
    result = mutate(gql.as_role(CW), "orderDetention", {
        "caseId": case_id, "ground": "IDENTITY", "orderRef": "DO-IT-2",
        "alternativesIneffective": True, "occurredAt": "2026-03-05T09:00:00Z"})
    assert (result["__typename"], result["rule"], result["article"]) == (
        "RuleViolation", "UNACCOMPANIED_MINOR_DETENTION", "RCD (EU) 2024/1346 Art 13(2)")

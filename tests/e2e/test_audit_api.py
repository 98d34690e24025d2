"""Auditor and appeal-body queries over HTTP, each asked by an auditor or an appeal body."""

from __future__ import annotations

import pytest

from ledger.case import commands as c
from ledger.case.aggregate import Case
from pact_ledger.wiring import Container
from schema.timeline import audit
from tests.e2e.conftest import GraphQLClient
from tests.support.acting import handle
from tests.support.steps import at


def _decided_and_appealed(container: Container) -> str:
    handle(container.ledger, c.MakeApplication("IT", "E-1", "Bari", c.Person("TN")), at(0))
    case_id = Case.create_id("IT", "E-1")
    for command, day in (
        (c.RegisterApplication(case_id), 1), (c.LodgeApplication(case_id), 3),
        (c.AssignProcedure(case_id, "REGULAR"), 4),
        (c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", at(60).occurred_at,
                         with_return_decision=True), 60),
        (c.LodgeAppeal(case_id, "Tribunale di Bari"), 70),
    ):
        handle(container.ledger, command, at(day))
    container.runner.catch_up()
    return str(case_id)


def test_case_as_of_both_axes_and_version(gql: GraphQLClient, container: Container) -> None:
    case_id = _decided_and_appealed(container)
    gql = gql.as_role("AUDITOR", "EU")
    query = """query($id: ID!, $at: DateTime, $basis: TimeBasis!, $v: Int) {
        caseAsOf(caseId: $id, at: $at, basis: $basis, version: $v) { status version } }"""
    legal = gql(query, {"id": case_id, "at": "2026-03-04T00:00:00Z", "basis": "OCCURRED"})
    assert legal["caseAsOf"] == {"status": "REGISTERED", "version": 3}
    # Everything was recorded in November 2026: in March the ledger knew nothing of the case.
    known = gql(query, {"id": case_id, "at": "2026-03-04T00:00:00Z", "basis": "RECORDED"})
    assert known["caseAsOf"] is None
    assert gql(query, {"id": case_id, "basis": "OCCURRED", "v": 4})["caseAsOf"]["status"] == (
        "LODGED")
    both = gql.post(query, {"id": case_id, "basis": "OCCURRED"}).json()
    assert both["errors"][0]["message"] == "Give exactly one of `at` and `version`"


def test_decision_trail_and_pending_appeals(gql: GraphQLClient, container: Container) -> None:
    case_id = _decided_and_appealed(container)
    data = gql.as_role("APPEAL_BODY")("""query($id: ID!) {
        decisionTrail(caseId: $id) { decisionNo type procedure stands decidedBy { role }
            legalBasis { act article } interviews { interviewRef heldAt }
            deadlines { code article dueAt metAt metBy }
            returnDecision { issuedAt voluntaryDepartureDays }
            appeals { appealBody suspensive outcome } }
        decisionsUnderAppeal(appealBody: "Tribunale di Bari") {
            appealNo suspensive case { caseId status } } }""", {"id": case_id})
    (decision,) = data["decisionTrail"]
    assert decision["type"] == "UNFOUNDED" and decision["stands"] is True
    assert decision["decidedBy"] == {"role": "DECISION_MAKER"}
    assert decision["appeals"] == [{"appealBody": "Tribunale di Bari", "suspensive": True,
                                    "outcome": None}]
    assert {d["code"] for d in decision["deadlines"]} >= {"REGULAR", "APPEAL_STANDARD"}
    # typed, camelCase, and times in the one DateTime format (with an offset, never `Z`)
    regular = next(d for d in decision["deadlines"] if d["code"] == "REGULAR")
    assert regular["metBy"] == "DecisionIssued" and regular["metAt"].endswith("+00:00")
    assert decision["returnDecision"]["issuedAt"].endswith("+00:00")
    assert all(set(b) == {"act", "article"} for b in decision["legalBasis"])
    (pending,) = data["decisionsUnderAppeal"]
    assert pending["case"] == {"caseId": case_id, "status": "APPEAL_PENDING"}


def test_timeline_changes_and_phase_filter(gql: GraphQLClient, container: Container) -> None:
    case_id = _decided_and_appealed(container)
    auditor = gql.as_role("AUDITOR", "EU")
    events = auditor("""query($id: ID!) { caseTimeline(caseId: $id, filter: {phases: ["REMEDIES"]})
        { type phase changes } }""", {"id": case_id})["caseTimeline"]
    assert [e["type"] for e in events] == ["AppealLodged"]
    assert events[0]["changes"]["status"] == ["DECIDED", "APPEAL_PENDING"]


def _appealed(container: Container, reference: str, body: str) -> str:
    handle(container.ledger, c.MakeApplication("IT", reference, "Bari", c.Person("TN")), at(0))
    case_id = Case.create_id("IT", reference)
    for command, day in (
        (c.RegisterApplication(case_id), 1), (c.LodgeApplication(case_id), 3),
        (c.AssignProcedure(case_id, "REGULAR"), 4),
        (c.IssueDecision(case_id, "UNFOUNDED", "APR Art 39", at(60).occurred_at,
                         with_return_decision=True), 60),
        (c.LodgeAppeal(case_id, body), 70),
    ):
        handle(container.ledger, command, at(day))
    return str(case_id)


def test_pending_appeals_page_forward_and_backward(gql: GraphQLClient,
                                                   container: Container) -> None:
    """`appealsPending`: the same list forward and backward, the body filter before the window,
    and a count over all pages."""
    bari = [_appealed(container, f"P-{i}", "Tribunale di Bari") for i in range(5)]
    _appealed(container, "P-X", "Tribunale di Roma")
    container.runner.catch_up()
    body = gql.as_role("APPEAL_BODY")
    query = """query($first: Int, $after: String, $last: Int, $before: String) {
        appealsPending(appealBody: "Tribunale di Bari", first: $first, after: $after,
                       last: $last, before: $before) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { node { appealBody case { caseId } } } } }"""
    forward: list[str] = []
    after = None
    while True:
        page = body(query, {"first": 2, "after": after})["appealsPending"]
        assert page["totalCount"] == 5
        forward += [e["node"]["case"]["caseId"] for e in page["edges"]]
        assert all(e["node"]["appealBody"] == "Tribunale di Bari" for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert forward == bari
    backward: list[str] = []
    before = None
    while True:
        page = body(query, {"last": 2, "before": before})["appealsPending"]
        backward = [e["node"]["case"]["caseId"] for e in page["edges"]] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backward == bari


def test_the_unpaged_list_refuses_more_than_it_may_serve(
        gql: GraphQLClient, container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """`decisionsUnderAppeal` (deprecated) serves its whole list up to its bound; beyond it, a
    typed error that says where to read instead, never a list cut short as if complete."""
    monkeypatch.setattr(audit, "MAX_UNDER_APPEAL", 2)
    for i in range(3):
        _appealed(container, f"U-{i}", "Tribunale di Bari" if i < 2 else "Tribunale di Roma")
    container.runner.catch_up()
    body = gql.as_role("APPEAL_BODY")
    query = "query($b: String) { decisionsUnderAppeal(appealBody: $b) { appealBody } }"
    assert body(query, {"b": "Tribunale di Bari"})["decisionsUnderAppeal"] == [
        {"appealBody": "Tribunale di Bari"}] * 2
    answer = body.post(query, {}).json()
    assert answer["data"] is None
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == "TOO_MANY_RESULTS"
    assert "appealsPending" in error["message"] and "More than 2 " in error["message"]

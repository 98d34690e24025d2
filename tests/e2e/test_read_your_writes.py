"""Read-your-writes without projecting on a mutation's request path: a mutation answers with
its log position once committed; its case and events (when selected), a later query through the
same process (by anyone), and any request carrying the position as `X-Pact-Min-Position` see
the write."""

from __future__ import annotations

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient

OPEN = """mutation($input: StartScreeningInput!) { startScreening(input: $input) {
  __typename ... on CommandSucceeded { caseId version position } } }"""
HEALTH = """mutation($input: RecordHealthCheckInput!) { recordHealthCheck(input: $input) {
  __typename ... on CommandSucceeded { caseId version position } } }"""
READ = "query($id: ID!) { case(id: $id) { id version status } }"


def _open(gql: GraphQLClient, reference: str) -> dict:
    result = gql.as_role("SCREENING_OFFICER")(OPEN, {"input": {
        "memberState": "IT", "nationalReference": reference, "person": {"nationality": "SY"},
        "trigger": "SEARCH_AND_RESCUE", "location": "Lampedusa hotspot",
        "occurredAt": "2026-03-02T08:00:00Z"}})["startScreening"]
    assert result["__typename"] == "CommandSucceeded", result
    return result


def test_the_answer_carries_the_position_of_its_last_event(gql: GraphQLClient,
                                                           container: Container) -> None:
    opened = _open(gql, "RYW-1")
    assert opened["version"] == 2  # CaseOpened and ScreeningStarted
    assert 0 < opened["position"] <= container.runner.log_position()
    stored = container.ledger.recorder.select_notifications(opened["position"], 1)
    assert str(stored[0].originator_id) == opened["caseId"]
    assert stored[0].originator_version == 2


def test_a_query_through_the_same_process_sees_the_write_without_a_token(
        gql: GraphQLClient) -> None:
    officer = gql.as_role("SCREENING_OFFICER")
    opened = _open(gql, "RYW-2")
    for n in range(5):
        step = officer(HEALTH, {"input": {"caseId": opened["caseId"], "result": "NO_NEEDS",
                                          "occurredAt": "2026-03-02T09:00:00Z"}})
        recorded = step["recordHealthCheck"]
        assert recorded["version"] == 3 + n
        case = officer(READ, {"id": opened["caseId"]})["case"]
        assert case["version"] == recorded["version"]


def test_another_principal_reads_it_with_the_position_as_a_token(gql: GraphQLClient) -> None:
    opened = _open(gql, "RYW-3")
    reader = gql.as_role("CASE_WORKER")
    case = reader(READ, {"id": opened["caseId"]},
                  headers={**reader.headers, "X-Pact-Min-Position": str(opened["position"])})
    assert case["case"]["version"] == opened["version"]


def test_a_token_that_is_not_a_position_is_refused_naming_the_header(
        gql: GraphQLClient) -> None:
    response = gql.post(READ, {"id": "x"},
                        headers={**gql.headers, "X-Pact-Min-Position": "-3"})
    assert response.status_code == 400
    assert "X-Pact-Min-Position" in response.text

"""Issue 10 over HTTP on both backends: what a client is told when a command may or may not
have been recorded (4), the cost limit (6), hostile bodies, tokens and times (9), no name
suggestions (11), a national auditor's verification (12), expected errors not logged as errors
(14)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from pact_ledger.wiring import Container
from tests.e2e.conftest import KEYS, GraphQLClient
from tests.support.acting import principal
from tests.support.flows import screened_applicant
from tests.support.tamper import StoredRows

MAKE = """mutation($input: MakeApplicationInput!) { makeApplication(input: $input) {
  __typename
  ... on CommandSucceeded { caseId replayed readModelsCurrent commandId case { status } }
  ... on OutcomeUnknown { code commandId message }
  ... on CommandError { code message }
} }"""


def application(reference: str, command_id: str | None = None) -> dict[str, Any]:
    return {"memberState": "IT", "nationalReference": reference, "place": "Lampedusa",
            "person": {"nationality": "SY"}, "occurredAt": "2026-10-01T09:30:00+02:00",
            **({"commandId": command_id} if command_id else {})}


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    return body["errors"][0]  # type: ignore[no-any-return]


# --- 4: a command recorded is never reported as not recorded -----------------------------------
def test_a_command_whose_result_cannot_be_read_back_is_reported_recorded(
        gql: GraphQLClient, container: Container) -> None:
    with container.db.transaction() as tx:
        tx.execute("ALTER TABLE case_list RENAME TO case_list_gone")
    before = container.ledger.recorder.max_notification_id() or 0
    result = gql(MAKE, {"input": application("IT-RB-1", "rb-1")})["makeApplication"]
    assert result["__typename"] == "CommandSucceeded", result
    assert result["readModelsCurrent"] is False and result["commandId"] == "rb-1"
    assert (container.ledger.recorder.max_notification_id() or 0) > before


def test_a_generated_command_id_is_returned(gql: GraphQLClient) -> None:
    result = gql(MAKE, {"input": application("IT-RB-2")})["makeApplication"]
    assert result["__typename"] == "CommandSucceeded" and result["commandId"]


# --- 6: cost limit ------------------------------------------------------------------------------
def test_a_request_may_not_ask_for_more_heavy_work_than_the_cost_limit(
        gql: GraphQLClient) -> None:
    auditor = gql.as_role("AUDITOR", "EU")
    aliased = "{ " + " ".join(f"v{i}: verifyLedger {{ valid }}" for i in range(2)) + " }"
    body = auditor.post(aliased).json()
    assert error_of(body)["extensions"]["code"] == "QUERY_TOO_COSTLY" and not body.get("data")
    fragment = "fragment F on Query { verifyLedger { valid } ledgerDigest { size } }"
    body = auditor.post("{ ...F } " + fragment).json()
    assert error_of(body)["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert auditor("{ verifyLedger { valid } }")["verifyLedger"]["valid"] is True


# --- 9: hostile input is a 4xx or INVALID_INPUT naming the field ---------------------------------
def test_token_dates_given_as_numeric_strings_are_a_401(http: httpx.Client) -> None:
    now = int(datetime.now(UTC).timestamp())
    kid, secret = KEYS.keys[0]
    claims = {"iss": "pact-ledger", "aud": "pact-ledger", "sub": "x", "role": "AUDITOR",
              "member_state": "EU", "authority": "EU", "iat": str(now),
              "exp": str(now + 3600)}
    token = jwt.encode(claims, secret, algorithm="HS256", headers={"kid": kid})
    response = http.post("/graphql", json={"query": "{ rules { code } }"},
                         headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert "must be a number" in response.json()["errors"][0]["message"]


NOT_REQUESTS = [
    b'"{ rules { code } }"',
    b'[{"query": "{ rules { code } }"}]',
    b'{"query": 7}',
    b"[" * 20_000 + b"]" * 20_000,
    b'{"query": "{ rules { code } }", "variables": ' + b'{"a":' * 100 + b"1" + b"}" * 101,
    b'{"query": "query($s: String) { rules { code } }", "variables": {"s": "\\ud800"}}',
    b'{"query": "{ cases(filter: {memberState: \\udc00}) { totalCount } }"}',
    b'{"query": "{ rules { code } }\xff"}',
]


def test_a_body_that_is_not_a_graphql_request_is_a_400(gql: GraphQLClient) -> None:
    for body in NOT_REQUESTS:
        response = gql.http.post("/graphql", content=body,
                                 headers={**gql.headers, "content-type": "application/json"})
        assert response.status_code == 400, (body[:80], response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_lone_surrogates_in_graphql_escapes_are_refused_not_a_500(gql: GraphQLClient) -> None:
    query = '{ cases(filter: {nationality: "\\ud800"}) { totalCount } }'
    response = gql.post(query)
    assert response.status_code < 500, response.text
    assert response.json().get("errors"), response.text


OUT_OF_RANGE = [
    ("query($id: ID!, $t: DateTime) { caseTimeline(caseId: $id, filter: {occurredFrom: $t}) "
     "{ type } }", {"id": "00000000-0000-0000-0000-000000000001",
                    "t": "0001-01-01T00:00:00+14:00"}, "filter.occurredFrom"),
    ("query($t: DateTime) { deadlines(filter: {dueBefore: $t}) { totalCount } }",
     {"t": "0001-01-01T00:00:00+14:00"}, "filter.dueBefore"),
    ("query($t: DateTime) { deadlines(filter: {dueBefore: $t}) { totalCount } }",
     {"t": "9999-12-31T23:59:59-14:00"}, "filter.dueBefore"),
]


def test_times_out_of_range_in_filters_are_invalid_input(gql: GraphQLClient) -> None:
    for query, variables, field in OUT_OF_RANGE:
        response = gql.post(query, variables)
        assert response.status_code == 200
        error = error_of(response.json())
        assert error["extensions"]["code"] == "INVALID_INPUT", error
        assert [f["field"] for f in error["extensions"]["fields"]] == [field]


def test_times_out_of_range_elsewhere_are_invalid_input(gql: GraphQLClient) -> None:
    auditor = gql.as_role("AUDITOR", "EU")
    for query in ('{ accessLog(from: "0001-01-01T00:00:00+14:00") { edges { cursor } } }',
                  '{ solidarityBalances(year: 2026, asOf: "0001-01-01T00:00:00+14:00") '
                  '{ asOf } }'):
        error = error_of(auditor.post(query).json())
        assert error["extensions"]["code"] == "INVALID_INPUT", error


def test_a_year_one_legal_time_is_refused_and_lists_stay_readable(gql: GraphQLClient) -> None:
    early = {**application("IT-Y1-1"), "occurredAt": "0026-01-05T10:00:00+01:00"}
    result = gql(MAKE, {"input": early})["makeApplication"]
    assert (result["__typename"], result["code"]) == ("InvalidInput", "INVALID_INPUT")
    assert gql("{ cases(filter: {memberState: IT}) { totalCount } }")["cases"]["totalCount"] == 0


# --- 11: no suggestions ---------------------------------------------------------------------------
MISSPELT = [
    "{ cases(frist: 3) { totalCount } }",
    "query($f: CaseFiltr) { cases(filter: $f) { totalCount } }",
    "{ cases(filter: {memberState: ITT}) { totalCount } }",
    "{ casess { totalCount } }",
    "{ cases { totalCont } }",
]


def test_no_message_suggests_a_name(gql: GraphQLClient) -> None:
    for query in MISSPELT:
        body = gql.post(query).json()
        assert body.get("errors")
        assert not any("Did you mean" in e["message"] for e in body["errors"]), body
    body = gql.post("query($f: CaseFilter) { cases(filter: $f) { totalCount } }",
                    {"f": {"memberState": "ITT"}}).json()
    assert body.get("errors") and "Did you mean" not in str(body)


# --- 12: a national auditor's verification stays in its member state ------------------------------
def test_a_national_auditor_verifies_only_its_member_state(gql: GraphQLClient,
                                                           container: Container) -> None:
    italian = screened_applicant(container.ledger, "IT-SC-1")
    german_case = screened_applicant(container.ledger, "DE-SC-1", ms="DE")
    container.runner.catch_up()
    rows = StoredRows(container.settings)
    try:
        rows.alter_actor(rows.positions(italian)[2])
        each = len(rows.positions(german_case))
        assert each == len(rows.positions(italian))
    finally:
        rows.close()
    query = ("{ verifyLedger { valid eventsChecked problemCount "
             "firstProblem { stream reason detail } } }")
    german = gql.as_role("AUDITOR", "DE")(query)["verifyLedger"]
    assert german["valid"] is True and german["firstProblem"] is None
    assert german["eventsChecked"] == each and str(italian) not in str(german)
    union = gql.as_role("AUDITOR", "EU")(query)["verifyLedger"]
    assert union["valid"] is False and union["firstProblem"]["stream"] == str(italian)
    assert union["eventsChecked"] == 2 * each
    national = gql.as_role("AUDITOR", "IT")(query)["verifyLedger"]
    assert national["valid"] is False and national["eventsChecked"] == each


# --- 14: expected errors are not logged as errors -------------------------------------------------
def test_expected_refusals_are_not_logged_at_error(gql: GraphQLClient,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    coordinator = gql.as_role("SOLIDARITY_COORDINATOR", "IT")
    assert coordinator.post("{ cases { totalCount } }").json()["errors"]  # FORBIDDEN read
    assert gql.post("{ cases(frist: 1) { totalCount } }").json()["errors"]  # validation
    assert gql.post("{ case(id: \"nope\") { id } }").json()["errors"]  # INVALID_INPUT
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_a_token_lifetime_check_stays_a_401(http: httpx.Client) -> None:
    """Sanity: a normal token with a too long life is refused with a reason (not a 500)."""
    actor = principal("AUDITOR", "EU")
    kid, secret = KEYS.keys[0]
    now = datetime.now(UTC)
    token = jwt.encode({"iss": "pact-ledger", "aud": "pact-ledger", "sub": actor.id,
                        "role": actor.role, "member_state": "EU", "authority": "EU",
                        "iat": now, "exp": now + timedelta(days=3)}, secret,
                       algorithm="HS256", headers={"kid": kid})
    response = http.post("/graphql", json={"query": "{ rules { code } }"},
                         headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_one_unreadable_row_does_not_take_a_list_down(gql: GraphQLClient,
                                                      container: Container) -> None:
    good = screened_applicant(container.ledger, "IT-ROW-1")
    bad = screened_applicant(container.ledger, "IT-ROW-2")
    container.runner.catch_up()
    with container.db.transaction() as tx:  # a value no version of the encoder reads back
        tx.execute("UPDATE case_list SET last_occurred_at = ? WHERE case_id = ?",
                   ("26-1-5T garbage", str(bad)))
        tx.execute("UPDATE case_deadlines SET started_at = ? WHERE case_id = ?",
                   ("26-1-5T garbage", str(bad)))
    cases = gql("{ cases(filter: {memberState: IT}) { edges { node { caseId } } } }")["cases"]
    assert [e["node"]["caseId"] for e in cases["edges"]] == [str(good)]
    deadlines = gql("{ deadlines(first: 100) { edges { node { caseId } } } }")["deadlines"]
    assert {e["node"]["caseId"] for e in deadlines["edges"]} == {str(good)}

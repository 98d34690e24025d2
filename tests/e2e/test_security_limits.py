"""The API against hostile or careless input, over HTTP on both backends: no token or a bad
one, documents over the limits, page sizes, request sizes, rate limits, injection attempts in
filters and ids. None of it records anything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from pact_ledger.security import Limits
from pact_ledger.tokens import KeyRing, TokenService
from pact_ledger.wiring import Container
from schema.build import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tests.e2e.conftest import KEYS, TOKENS, GraphQLClient, serving, token
from tests.e2e.security_world import World, build_world, mutation
from tests.support.acting import principal

WORKER = principal("CASE_WORKER", "IT")
OTHER_KEY = KeyRing.parse("new:" + "x" * 40)


@pytest.fixture
def world(container: Container) -> World:
    return build_world(container)


def _status(http: httpx.Client, authorization: str | None) -> httpx.Response:
    headers = {} if authorization is None else {"authorization": authorization}
    return http.post("/graphql", json={"query": "{ rules { code } }"}, headers=headers)


@pytest.mark.parametrize(("authorization", "message"), [
    (None, "Missing bearer token"),
    ("Basic aXQ6aXQ=", "Missing bearer token"),
    ("Bearer", "Missing bearer token"),
    ("Bearer not-a-jwt", "Malformed token"),
    ("Bearer " + TOKENS.issue(WORKER, timedelta(hours=1),
                              now=datetime.now(UTC) - timedelta(hours=3)), "Token expired"),
    ("Bearer " + TokenService(OTHER_KEY).issue(WORKER), "Token signature is invalid"),
    ("Bearer " + TokenService(KEYS, audience="someone-else").issue(WORKER), "audience"),
    ("Bearer " + TokenService(KeyRing.parse("retired:" + "r" * 40)).issue(WORKER),
     "Unknown signing key"),
])
def test_no_valid_token_is_a_401(http: httpx.Client, container: Container,
                                 authorization: str | None, message: str) -> None:
    response = _status(http, authorization)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    error = response.json()["errors"][0]
    assert message in error["message"] and error["extensions"]["code"] == "UNAUTHENTICATED"


def test_during_a_rotation_the_previous_key_still_verifies(http: httpx.Client) -> None:
    old = TokenService(KeyRing.parse("old:" + "o" * 40)).issue(WORKER)
    assert _status(http, f"Bearer {old}").status_code == 200


def test_an_unauthenticated_mutation_records_nothing(http: httpx.Client, container: Container,
                                                     world: World) -> None:
    before = container.ledger.recorder.max_notification_id()
    response = http.post("/graphql", json={"query": mutation("closeCase"), "variables": {
        "input": {"caseId": world.italian, "reason": "WITHDRAWN",
                  "occurredAt": "2026-06-01T09:00:00Z"}}})
    assert response.status_code == 401
    assert container.ledger.recorder.max_notification_id() == before


def _errors(gql: GraphQLClient, query: str) -> list[str]:
    body = gql.post(query).json()
    assert body.get("data") is None, body
    return [e["message"] for e in body["errors"]]


def test_documents_over_the_limits_are_refused(gql: GraphQLClient) -> None:
    deep = "{ cases { edges { node " + "{ a " * MAX_DEPTH + "}" * MAX_DEPTH + " } } }"
    assert any(f"exceeds maximum operation depth of {MAX_DEPTH}" in m for m in _errors(gql, deep))
    aliases = "{ " + " ".join(f"r{i}: rules {{ code }}" for i in range(MAX_ALIASES + 1)) + " }"
    assert _errors(gql, aliases) == [f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"]
    tokens = "{ " + " ".join(["rules { code }"] * MAX_TOKENS) + " }"
    assert f"more than {MAX_TOKENS} tokens" in _errors(gql, tokens)[0]
    unknown = _errors(gql, "{ case(id: \"x\") { nationalRef } }")
    assert all("Did you mean" not in m for m in unknown)


@pytest.mark.parametrize("query", [
    "{ cases(first: 101) { totalCount } }",
    "{ deadlines(first: 1000) { totalCount } }",
    "{ accessLog(first: 500) { edges { cursor } } }",
])
def test_page_sizes_are_capped(gql: GraphQLClient, query: str) -> None:
    body = gql.as_role("AUDITOR", "EU").post(query).json()
    assert body["errors"][0]["message"] == "`first` must be between 1 and 100"


def test_request_bodies_are_limited(http: httpx.Client, gql: GraphQLClient) -> None:
    padding = " " * (Limits().max_body_bytes + 1)
    response = http.post("/graphql", headers=gql.headers,
                         json={"query": "{ rules { code } }" + padding})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_the_rate_limit_is_per_principal_with_a_clear_429(container: Container) -> None:
    with serving(container, limits=Limits(rate_per_minute=5)) as url, \
            httpx.Client(base_url=url) as http:
        worker = {"authorization": f"Bearer {token(WORKER)}"}
        assert [_status(http, worker["authorization"]).status_code for _ in range(5)] == [200] * 5
        limited = _status(http, worker["authorization"])
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        error = limited.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert "at most 5 a minute" in error["message"]
        other = f"Bearer {token(principal('DECISION_MAKER', 'IT'))}"
        assert _status(http, other).status_code == 200


INJECTIONS = ["' OR 1=1 --", "1; DROP TABLE case_list; --", "\" OR \"\"=\"", "IT' --"]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_in_filters_and_ids_is_refused_or_inert(gql: GraphQLClient,
                                                          container: Container, world: World,
                                                          attack: str) -> None:
    before = container.ledger.recorder.max_notification_id()
    auditor = gql.as_role("AUDITOR", "EU")
    for query, variables, field in [
        ("query($v: String) { cases(filter: {nationality: $v}) { totalCount } }", {"v": attack},
         "filter.nationality"),
        ("query($v: ID!) { case(id: $v) { id } }", {"v": attack}, "id"),
        ("query($v: ID!) { caseTimeline(caseId: $v) { type } }", {"v": attack}, "caseId"),
        ("query($v: ID) { deadlines(filter: {caseId: $v}) { totalCount } }", {"v": attack},
         "filter.caseId"),
        ("query($v: ID) { accessLog(caseId: $v) { edges { cursor } } }", {"v": attack},
         "caseId"),
    ]:
        body = auditor.post(query, variables).json()
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", (query, body)
        assert body["errors"][0]["extensions"]["fields"][0]["field"] == field
    # Free text is bound as a parameter: it matches nothing and harms nothing.
    assert auditor("query($v: String) { deadlines(filter: {rule: $v}) { totalCount } }",
                   {"v": attack})["deadlines"]["totalCount"] == 0
    assert auditor("query($v: String) { accessLog(subject: $v) { edges { cursor } } }",
                   {"v": attack})["accessLog"]["edges"] == []
    result = gql(mutation("registerApplication"), {"input": {
        "caseId": attack, "occurredAt": "2026-06-01T09:00:00Z"}})["registerApplication"]
    assert result["__typename"] == "InvalidInput"
    assert auditor("{ cases(first: 1) { totalCount } }")["cases"]["totalCount"] == 2
    assert container.ledger.recorder.max_notification_id() == before

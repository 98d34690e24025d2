"""The HTTP surface: GraphiQL, health, masking of unexpected errors, malformed requests."""

from __future__ import annotations

import httpx

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient


def test_graphiql_loads_in_a_browser(http: httpx.Client) -> None:
    response = http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_health_reports_positions(http: httpx.Client, container: Container) -> None:
    body = http.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["backend"] == container.settings.backend
    assert body["lag"] == 0


def test_unexpected_errors_are_masked(gql: GraphQLClient, container: Container) -> None:
    with container.db.transaction() as tx:
        tx.execute("DROP TABLE case_list")
    body = gql.post("{ cases(first: 5) { totalCount } }").json()
    message = body["errors"][0]["message"]
    assert message.startswith("Internal error")
    assert "case_list" not in str(body) and "Traceback" not in str(body)


def test_malformed_json_is_a_400(http: httpx.Client) -> None:
    response = http.post("/graphql", content=b"{not json",
                         headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_queries_via_get_are_refused(http: httpx.Client) -> None:
    response = http.get("/graphql", params={"query": "{ rules { code } }"},
                        headers={"accept": "application/json"})
    assert response.status_code in (400, 405)

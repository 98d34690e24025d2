"""The HTTP surface: GraphiQL (only when enabled), health, masking of unexpected errors,
malformed requests."""

from __future__ import annotations

import httpx

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient, bearer, serving


def test_graphiql_loads_in_a_browser_when_enabled(container: Container) -> None:
    with serving(container, graphiql=True) as url:
        response = httpx.get(f"{url}/graphql", headers={"accept": "text/html"})
        assert response.status_code == 200
        assert "graphiql" in response.text.lower()
        schema = httpx.post(f"{url}/graphql", json={"query": "{ __schema { queryType { name } } }"},
                            headers=bearer("CASE_WORKER"))
        assert schema.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_graphiql_and_introspection_are_off_by_default(http: httpx.Client,
                                                       gql: GraphQLClient) -> None:
    page = http.get("/graphql", headers={"accept": "text/html", **gql.headers})
    assert page.status_code in (404, 405) and "graphiql" not in page.text.lower()
    assert http.get("/graphql", headers={"accept": "text/html"}).status_code == 401
    body = gql.post("{ __schema { types { name } } }").json()
    assert "introspection" in body["errors"][0]["message"].lower()
    assert body.get("data") is None


def test_alive_and_ready_with_positions(http: httpx.Client, container: Container) -> None:
    assert http.get("/healthz").json() == {"status": "alive"}
    body = http.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["backend"] == container.settings.backend
    assert body["lag"] == 0


def test_unexpected_errors_are_masked(gql: GraphQLClient, container: Container) -> None:
    with container.db.transaction() as tx:
        tx.execute("DROP TABLE case_list")
    body = gql.post("{ cases(first: 5) { totalCount } }").json()
    message = body["errors"][0]["message"]
    assert message.startswith("Internal error")
    assert "case_list" not in str(body) and "Traceback" not in str(body)


def test_malformed_json_is_a_400(http: httpx.Client, gql: GraphQLClient) -> None:
    response = http.post("/graphql", content=b"{not json",
                         headers={"content-type": "application/json", **gql.headers})
    assert response.status_code == 400


def test_queries_via_get_are_refused(http: httpx.Client, gql: GraphQLClient) -> None:
    response = http.get("/graphql", params={"query": "{ rules { code } }"},
                        headers={"accept": "application/json", **gql.headers})
    assert response.status_code in (400, 405)



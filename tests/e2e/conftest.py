"""End-to-end fixtures: the server on each backend, and a small GraphQL client over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pact_ledger.server import create_app
from pact_ledger.wiring import Container
from tests.support.live_server import live_server

OFFICER = {
    "x-actor-id": "it-so-03",
    "x-actor-role": "SCREENING_OFFICER",
    "x-actor-authority": "IT Polizia di Stato",
    "x-actor-member-state": "IT",
}


class GraphQLClient:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def post(self, query: str, variables: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        return self.http.post("/graphql", json={"query": query, "variables": variables or {}},
                              headers=headers or OFFICER)

    def __call__(self, query: str, variables: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.post(query, variables, headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture
def base_url(container: Container) -> Iterator[str]:
    with live_server(create_app(container)) as url:
        yield url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture
def gql(http: httpx.Client) -> GraphQLClient:
    return GraphQLClient(http)

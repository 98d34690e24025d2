"""End-to-end fixtures: the server on each backend, and a small GraphQL client over HTTP that
acts as an explicit principal (a bearer token signed with the tests' keys)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ledger.envelope import Actor
from pact_ledger.security import Limits, SecuritySettings
from pact_ledger.server import create_app
from pact_ledger.tokens import KeyRing, TokenService
from pact_ledger.wiring import Container
from tests.support.acting import principal
from tests.support.live_server import live_server

#: The tests' key ring: `new` signs, `old` still verifies (a rotation in progress).
KEYS = KeyRing.parse("new:" + "n" * 40 + ",old:" + "o" * 40)
TOKENS = TokenService(KEYS)
SECURITY = SecuritySettings(TOKENS, Limits(rate_per_minute=100_000))


def token(actor: Actor, lifetime: timedelta = timedelta(hours=1)) -> str:
    return TOKENS.issue(actor, lifetime)


def bearer(role: str, member_state: str = "IT") -> dict[str, str]:
    return {"authorization": f"Bearer {token(principal(role, member_state))}"}


class GraphQLClient:
    """GraphQL over HTTP as one principal; `as_role` gives a client acting as another."""

    def __init__(self, http: httpx.Client, actor: Actor) -> None:
        self.http, self.actor = http, actor
        self.headers = {"authorization": f"Bearer {token(actor)}"}

    def as_role(self, role: str, member_state: str = "IT") -> GraphQLClient:
        return GraphQLClient(self.http, principal(role, member_state))

    def post(self, query: str, variables: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        return self.http.post("/graphql", json={"query": query, "variables": variables or {}},
                              headers=self.headers if headers is None else headers)

    def __call__(self, query: str, variables: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.post(query, variables, headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]


@contextmanager
def serving(container: Container, **settings: Any) -> Iterator[str]:
    """The app on a live port, with SECURITY changed by `settings` (graphiql, limits)."""
    with live_server(create_app(container, replace(SECURITY, **settings))) as url:
        yield url


@pytest.fixture
def base_url(container: Container) -> Iterator[str]:
    with serving(container) as url:
        yield url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture
def gql(http: httpx.Client) -> GraphQLClient:
    """A client acting as a case worker of IT; `gql.as_role(...)` for any other principal."""
    return GraphQLClient(http, principal("CASE_WORKER", "IT"))

"""An identity provider's tokens over HTTP: the JWKS fetched from a local HTTP server, the
principal its claims map to is the actor recorded on the event."""

from __future__ import annotations

from dataclasses import replace

import httpx

from pact_ledger.idp_tokens import ClaimMapping, IdentityProviderTokens
from pact_ledger.jwks import JwksKeys
from pact_ledger.wiring import Container
from tests.e2e.conftest import SECURITY
from tests.support.identity_provider import (
    AUDIENCE,
    ISSUER,
    SigningKey,
    jwks,
    jwks_server,
    keycloak_claims,
)
from tests.support.live_server import live_server

KEY = SigningKey("RSA", "kc-rsa-1")
START = """mutation($input: StartScreeningInput!) { startScreening(input: $input) {
  __typename ... on CommandSucceeded { events { actor { id role authority memberState } } } } }"""


def test_a_keycloak_token_acts_over_http(container: Container) -> None:
    from pact_ledger.server import create_app

    mapping = ClaimMapping(role="realm_access.roles", role_map={"screening": "SCREENING_OFFICER"})
    with jwks_server(jwks(KEY)) as idp_server:
        provider = IdentityProviderTokens(JwksKeys(idp_server.url), ISSUER, AUDIENCE, mapping)
        security = replace(SECURITY, provider=provider)
        with live_server(create_app(container, security)) as url, \
                httpx.Client(base_url=url, timeout=30) as http:
            token = KEY.sign(keycloak_claims("kc-officer-9", ["screening"], "IT"))
            answer = http.post("/graphql", headers={"authorization": f"Bearer {token}"}, json={
                "query": START, "variables": {"input": {
                    "memberState": "IT", "nationalReference": "IT-IDP-1",
                    "person": {"nationality": "SY"}, "trigger": "SEARCH_AND_RESCUE",
                    "location": "Lampedusa", "occurredAt": "2026-03-02T08:00:00Z"}}})
            assert answer.status_code == 200, answer.text
            event = answer.json()["data"]["startScreening"]["events"][0]
            assert event["actor"] == {"id": "kc-officer-9", "role": "SCREENING_OFFICER",
                                      "authority": "IT Keycloak authority", "memberState": "IT"}
            forged = SigningKey("RSA", "kc-rsa-1").sign(
                keycloak_claims("kc-officer-9", ["screening"], "IT"))
            refused = http.post("/graphql", headers={"authorization": f"Bearer {forged}"},
                                json={"query": "{ rules { code } }"})
            assert refused.status_code == 401
            assert "signature is invalid" in refused.json()["errors"][0]["message"]
        assert idp_server.fetches == 1

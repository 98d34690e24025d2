"""Identity provider tokens (RS256/ES256 against a JWKS), mapped from Keycloak- and Entra-shaped
claims; keys cached, refreshed on an unknown kid at most once per interval, rotated."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from pact_ledger.idp_tokens import ClaimMapping, IdentityProviderTokens, TokenVerifier, parse_map
from pact_ledger.jwks import JwksKeys
from pact_ledger.security import SecuritySettings
from pact_ledger.tokens import KeyRing, TokenRejected, TokenService
from tests.support.acting import principal
from tests.support.identity_provider import (
    AUDIENCE,
    ISSUER,
    SigningKey,
    jwks,
    jwks_server,
    keycloak_claims,
)

RSA_KEY = SigningKey("RSA", "rsa-2026-1")
EC_KEY = SigningKey("EC", "ec-2026-1")
KEYCLOAK = ClaimMapping(role="realm_access.roles",
                        role_map=parse_map("pl-case-worker=CASE_WORKER,pl-auditor=AUDITOR", "m"))
TENANT = str(uuid.uuid4())
ENTRA = ClaimMapping(subject="oid", role="roles", role_map={"DecisionMaker": "DECISION_MAKER"},
                     member_state="tid", member_state_map={TENANT: "IT"},
                     authority="authority_name")


def provider(tmp_path: Path, mapping: ClaimMapping, *keys: SigningKey) -> IdentityProviderTokens:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks(*keys)))
    return IdentityProviderTokens(JwksKeys(str(path)), ISSUER, AUDIENCE, mapping)


def verify(idp: IdentityProviderTokens, token: str) -> object:
    return TokenVerifier(None, idp).verify(token)


def test_keycloak_rs256_token_from_a_jwks_file(tmp_path: Path) -> None:
    idp = provider(tmp_path, KEYCLOAK, RSA_KEY, EC_KEY)
    actor = verify(idp, RSA_KEY.sign(keycloak_claims("kc-7f3a", ["pl-case-worker"], "IT")))
    assert (actor.id, actor.role, actor.member_state, actor.authority) == (
        "kc-7f3a", "CASE_WORKER", "IT", "IT Keycloak authority")


def test_entra_es256_token_with_tenant_and_app_roles(tmp_path: Path) -> None:
    idp = provider(tmp_path, ENTRA, RSA_KEY, EC_KEY)
    token = EC_KEY.sign({"oid": "00000000-aaaa-4bbb-8ccc-000000000001", "sub": "pairwise-x",
                         "roles": ["DecisionMaker"], "tid": TENANT,
                         "authority_name": "IT Commissione Territoriale Roma"})
    actor = verify(idp, token)
    assert (actor.id, actor.role, actor.member_state) == (
        "00000000-aaaa-4bbb-8ccc-000000000001", "DECISION_MAKER", "IT")
    other_tenant = EC_KEY.sign({"oid": "o", "roles": ["DecisionMaker"], "tid": "t-2",
                                "authority_name": "x"})
    with pytest.raises(TokenRejected, match="not mapped to a member state"):
        verify(idp, other_tenant)


@pytest.mark.parametrize(("claims", "lifetime", "header", "reason"), [
    (keycloak_claims("s", ["offline_access"], "IT"), 5, {}, "no ledger role"),
    (keycloak_claims("s", ["pl-case-worker", "pl-auditor"], "IT"), 5, {},
     "several ledger roles"),
    (keycloak_claims("s", ["pl-case-worker"], "EU"), 5, {}, "no principal the ledger knows"),
    (keycloak_claims("s", ["pl-case-worker"], "IT"), -5, {}, "expired"),
    (keycloak_claims("s", ["pl-case-worker"], "IT"), 60 * 25, {}, "longer than"),
    ({**keycloak_claims("s", ["pl-case-worker"], "IT"), "aud": "other"}, 5, {}, "not meant"),
    ({**keycloak_claims("s", ["pl-case-worker"], "IT"), "iss": "https://evil"}, 5, {},
     "issuer is not trusted"),
    (keycloak_claims("s", ["pl-case-worker"], "IT"), 5, {"kid": "nope"}, "Unknown signing key"),
])
def test_refused_tokens_say_why(tmp_path: Path, claims: dict, lifetime: int, header: dict,
                                reason: str) -> None:
    idp = provider(tmp_path, KEYCLOAK, RSA_KEY)
    with pytest.raises(TokenRejected, match=reason):
        verify(idp, RSA_KEY.sign(claims, timedelta(minutes=lifetime), **header))


def test_forged_and_confused_tokens_are_refused(tmp_path: Path) -> None:
    idp = provider(tmp_path, KEYCLOAK, RSA_KEY, EC_KEY)
    claims = keycloak_claims("s", ["pl-case-worker"], "IT")
    impostor = SigningKey("RSA", RSA_KEY.kid)  # same kid, another key
    with pytest.raises(TokenRejected, match="signature is invalid"):
        verify(idp, impostor.sign(claims))
    with pytest.raises(TokenRejected, match="does not match its key"):
        verify(idp, EC_KEY.sign(claims, kid=RSA_KEY.kid))  # ES256 against the RSA key
    # An HS256 token naming the provider's kid (algorithm confusion) is not verified with it.
    with pytest.raises(TokenRejected, match="not accepted here"):
        verify(idp, jwt.encode(claims, "x" * 40, algorithm="HS256",
                               headers={"kid": RSA_KEY.kid}))
    with pytest.raises(TokenRejected, match="not accepted here"):
        verify(idp, jwt.encode(claims, None, algorithm="none"))


def test_hs256_development_tokens_still_work_beside_the_provider(tmp_path: Path) -> None:
    idp = provider(tmp_path, KEYCLOAK, RSA_KEY)
    hs = TokenService(KeyRing.parse("k1:" + "s" * 40))
    both = TokenVerifier(hs, idp)
    assert both.verify(hs.issue(principal("AUDITOR", "EU"))).role == "AUDITOR"
    assert both.verify(RSA_KEY.sign(keycloak_claims("s", ["pl-auditor"], "EU"))).role == "AUDITOR"


def test_keys_are_cached_refreshed_on_unknown_kid_with_a_bound_and_rotated() -> None:
    now = [0.0]
    new_key = SigningKey("EC", "ec-2026-2")
    with jwks_server(jwks(RSA_KEY)) as server:
        keys = JwksKeys(server.url, refresh_seconds=300, unknown_kid_seconds=30,
                        clock=lambda: now[0])
        idp = IdentityProviderTokens(keys, ISSUER, AUDIENCE, KEYCLOAK)
        claims = keycloak_claims("s", ["pl-case-worker"], "IT")
        for _ in range(5):
            verify(idp, RSA_KEY.sign(claims))
        assert server.fetches == 1  # cached
        for n in range(20):  # made-up kids: one refetch, not twenty
            with pytest.raises(TokenRejected, match="Unknown signing key"):
                verify(idp, RSA_KEY.sign(claims, kid=f"made-up-{n}"))
        assert server.fetches == 2
        server.document = jwks(new_key)  # the provider rotates: the old key is gone
        now[0] = 31.0
        assert verify(idp, new_key.sign(claims)).role == "CASE_WORKER"  # unknown kid: refetch
        assert server.fetches == 3
        now[0] = 400.0  # past the refresh interval: the retired key no longer verifies
        with pytest.raises(TokenRejected, match="Unknown signing key"):
            verify(idp, RSA_KEY.sign(claims))
    # The provider is down: the keys loaded last still serve.
    assert verify(idp, new_key.sign(claims)).role == "CASE_WORKER"


def test_security_settings_read_the_provider_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks(RSA_KEY)))
    settings = SecuritySettings.from_env({
        "PACT_LEDGER_DATA_DIR": str(tmp_path), "PACT_LEDGER_JWKS": str(path),
        "PACT_LEDGER_OIDC_ISSUER": ISSUER, "PACT_LEDGER_OIDC_AUDIENCE": AUDIENCE,
        "PACT_LEDGER_CLAIM_ROLE": "realm_access.roles",
        "PACT_LEDGER_ROLE_MAP": "pl-case-worker=case_worker"})
    assert not settings.development_key and not settings.accept_hs256  # provider only
    token = RSA_KEY.sign(keycloak_claims("kc-1", ["pl-case-worker"], "IT"))
    assert settings.verifier.verify(token).role == "CASE_WORKER"
    dev = settings.tokens.issue(principal("AUDITOR", "EU"))
    with pytest.raises(TokenRejected, match="not accepted here"):
        settings.verifier.verify(dev)
    with pytest.raises(ValueError, match="roles the ledger does not know"):
        SecuritySettings.from_env({"PACT_LEDGER_DATA_DIR": str(tmp_path),
                                   "PACT_LEDGER_JWKS": str(path),
                                   "PACT_LEDGER_OIDC_ISSUER": ISSUER,
                                   "PACT_LEDGER_OIDC_AUDIENCE": AUDIENCE,
                                   "PACT_LEDGER_ROLE_MAP": "x=KING"})


def test_the_token_command_refuses_when_only_a_provider_is_trusted(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pact_ledger.cli import main

    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks(RSA_KEY)))
    result = CliRunner().invoke(main, ["token", "--role", "AUDITOR", "--member-state", "EU",
                                       "--subject", "x"], env={
        "PACT_LEDGER_DATA_DIR": str(tmp_path), "PACT_LEDGER_JWKS": str(path),
        "PACT_LEDGER_OIDC_ISSUER": ISSUER, "PACT_LEDGER_OIDC_AUDIENCE": AUDIENCE,
        "PACT_LEDGER_JWT_KEYS": ""})
    assert result.exit_code == 1 and "identity provider's tokens only" in result.output

"""Bearer tokens and the rate limiter, without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from ledger.envelope import Actor
from pact_ledger.rate_limit import RateLimiter
from pact_ledger.security import JWT_KEYS, SecuritySettings, development_keys
from pact_ledger.tokens import KeyRing, TokenRejected, TokenService

SECRET = "s" * 40
ACTOR = Actor("it-cw-07", "CASE_WORKER", "IT Questura di Roma", "IT")
SERVICE = TokenService(KeyRing.parse(f"k2:{'t' * 40},k1:{SECRET}"))


def rejected(token: str, service: TokenService = SERVICE) -> str:
    with pytest.raises(TokenRejected) as caught:
        service.verify(token)
    return str(caught.value)


def test_a_token_names_the_principal_and_old_keys_still_verify() -> None:
    assert SERVICE.verify(SERVICE.issue(ACTOR)) == ACTOR
    assert jwt.get_unverified_header(SERVICE.issue(ACTOR))["kid"] == "k2"
    old = TokenService(KeyRing.parse(f"k1:{SECRET}"))
    assert SERVICE.verify(old.issue(ACTOR)) == ACTOR  # rotation: k1 tokens live on


def test_forged_expired_foreign_and_malformed_tokens_are_rejected() -> None:
    forged = TokenService(KeyRing.parse(f"k1:{'x' * 40}")).issue(ACTOR)
    assert rejected(forged) == "Token signature is invalid"
    expired = SERVICE.issue(ACTOR, timedelta(hours=1), now=datetime.now(UTC) - timedelta(hours=2))
    assert rejected(expired).startswith("Token expired")
    foreign = TokenService(SERVICE.keys, audience="another-service").issue(ACTOR)
    assert "audience" in rejected(foreign)
    assert "issuer" in rejected(TokenService(SERVICE.keys, issuer="someone").issue(ACTOR))
    unknown = TokenService(KeyRing.parse(f"k9:{SECRET}")).issue(ACTOR)
    assert rejected(unknown).startswith("Unknown signing key")
    assert rejected("not.a.token").startswith("Malformed token")
    assert rejected("x" * 5000).startswith("Malformed token")


def _signed(claims: dict[str, object], algorithm: str = "HS256", key: str = SECRET) -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": "k1"})


def test_claims_must_name_a_known_principal_for_a_short_time() -> None:
    now = datetime.now(UTC)
    base = {"iss": "pact-ledger", "aud": "pact-ledger", "sub": "x", "iat": now,
            "exp": now + timedelta(hours=1), "role": "CASE_WORKER", "member_state": "IT",
            "authority": "A"}
    assert SERVICE.verify(_signed(base)).id == "x"
    assert "'authority'" in rejected(_signed({k: v for k, v in base.items() if k != "authority"}))
    assert "EU level" in rejected(_signed({**base, "member_state": "EU"}))
    assert "unknown role" in rejected(_signed({**base, "role": "ROOT"}))
    assert "longer than" in rejected(_signed({**base, "exp": now + timedelta(days=30)}))
    assert "short text" in rejected(_signed({**base, "sub": "a\nb"}))
    none = jwt.encode(base, None, algorithm="none", headers={"kid": "k1"})  # type: ignore[arg-type]
    assert rejected(none).startswith("Invalid token")


def test_key_rings_are_checked() -> None:
    with pytest.raises(ValueError, match="shorter than 32 bytes"):
        KeyRing.parse("k1:short")
    with pytest.raises(ValueError, match="KID:SECRET"):
        KeyRing.parse(SECRET)
    with pytest.raises(ValueError, match="given twice"):
        KeyRing.parse(f"k1:{SECRET},k1:{SECRET}")
    with pytest.raises(ValueError, match=JWT_KEYS):
        SecuritySettings.from_env({JWT_KEYS: "k1:short"})


def test_without_keys_the_development_key_is_kept_in_the_data_folder(tmp_path: Path) -> None:
    first = development_keys(tmp_path)
    assert development_keys(tmp_path) == first
    assert (tmp_path / "dev-jwt.key").stat().st_mode & 0o077 == 0
    settings = SecuritySettings.from_env({"PACT_LEDGER_DATA_DIR": str(tmp_path)})
    assert settings.development_key and settings.tokens.keys == first
    assert not settings.graphiql and settings.limits.rate_per_minute == 600


def test_the_rate_limit_is_a_bucket_per_principal() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(4)] == [0, 0, 0, 20]
    assert limiter.take("b") == 0  # another principal has its own bucket
    now[0] = 20.0
    assert limiter.take("a") == 0 and limiter.take("a") == 20


def test_the_token_command_signs_with_the_first_configured_key() -> None:
    from click.testing import CliRunner

    from pact_ledger.cli import main

    env = {JWT_KEYS: f"k2:{'t' * 40},k1:{SECRET}"}
    result = CliRunner().invoke(main, ["token", "--role", "APPEAL_BODY", "--member-state", "el",
                                       "--subject", "el-ab-03"], env=env)
    assert result.exit_code == 0, result.output
    actor = SERVICE.verify(result.output.strip())
    assert (actor.id, actor.role, actor.member_state) == ("el-ab-03", "APPEAL_BODY", "EL")
    refused = CliRunner().invoke(main, ["token", "--role", "DECISION_MAKER", "--member-state",
                                        "EU", "--subject", "x"], env=env)
    assert refused.exit_code == 2 and "not at EU level" in refused.output

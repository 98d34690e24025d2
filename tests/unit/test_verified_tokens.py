"""A verified HS256 token is remembered (no second check) until its expiry plus the leeway and
at most `max_seconds`; refused tokens are never remembered; identity-provider tokens go to the
provider's check, not to the memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from ledger.envelope import Actor
from pact_ledger.idp_tokens import TokenVerifier
from pact_ledger.tokens import LEEWAY, KeyRing, TokenRejected, TokenService
from pact_ledger.verified_tokens import VerifiedTokens

ACTOR = Actor("it-cw-07", "CASE_WORKER", "IT Questura di Roma", "IT")
SERVICE = TokenService(KeyRing.parse(f"k1:{'s' * 40}"))


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_remembered_until_it_expires() -> None:
    clock = Clock()
    issued = datetime.fromtimestamp(clock.now, UTC)
    token = SERVICE.issue(ACTOR, timedelta(minutes=2), now=issued)
    verifier = TokenVerifier(SERVICE, verified=VerifiedTokens(max_seconds=3600, clock=clock))
    assert verifier.verify_local(token) == ACTOR
    assert verifier.verified.get(token) == ACTOR
    clock.now += 120 + LEEWAY.total_seconds() - 1  # still accepted by the check itself
    assert verifier.verified.get(token) == ACTOR
    clock.now += 2  # past exp + leeway: forgotten, the full check runs again (and refuses)
    assert verifier.verified.get(token) is None


def test_remembered_at_most_max_seconds_and_a_bounded_number() -> None:
    clock = Clock()
    memory = VerifiedTokens(size=2, max_seconds=10, clock=clock)
    memory.put("a", ACTOR, clock.now + 3600)
    clock.now += 11
    assert memory.get("a") is None
    for name in ("b", "c", "d"):
        memory.put(name, ACTOR, clock.now + 3600)
    assert memory.get("b") is None and memory.get("c") == ACTOR and memory.get("d") == ACTOR


def test_refused_tokens_are_not_remembered_and_stay_refused() -> None:
    verifier = TokenVerifier(SERVICE)
    forged = TokenService(KeyRing.parse(f"k1:{'x' * 40}")).issue(ACTOR)
    for _ in range(2):
        with pytest.raises(TokenRejected, match="signature is invalid"):
            verifier.verify_local(forged)
        with pytest.raises(TokenRejected, match="signature is invalid"):
            verifier.verify(forged)
    assert verifier.verified.get(forged) is None


def test_other_algorithms_are_left_to_the_provider_check() -> None:
    token = jwt.encode({"sub": "x"}, "k" * 48, algorithm="HS384")
    assert TokenVerifier(SERVICE).verify_local(token) is None
    with pytest.raises(TokenRejected, match="not accepted"):
        TokenVerifier(SERVICE).verify(token)
    assert TokenVerifier(None).verify_local(SERVICE.issue(ACTOR)) is None

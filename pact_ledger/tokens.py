"""Bearer tokens: signed JWTs (HS256) that name the principal every event is recorded for.

Keys come with an id (`kid`): the first key of the ring signs, every key verifies, so keys are
rotated by adding a new one in front and removing the old one once its tokens have expired.
A token must name its issuer and audience, be signed by a known key, carry `sub`, `role`,
`member_state` and `authority` for a principal the ledger knows, and live at most a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from ledger.authorization.roles import principal_problem
from ledger.envelope import Actor
from ledger.validation import not_text

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32  # 256 bits: HS256's own strength
LEEWAY = timedelta(seconds=30)
MAX_LIFETIME = timedelta(hours=24)
MAX_TOKEN_CHARS = 4096
CLAIMS = ("exp", "iat", "iss", "aud", "sub", "role", "member_state", "authority")
_KID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class TokenRejected(Exception):
    """Why a request is not authenticated; the message is safe to show to the client."""


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[tuple[str, bytes], ...]  # (kid, secret), the signing key first

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """`kid1:secret1,kid2:secret2`: the first signs, all verify."""
        keys: list[tuple[str, bytes]] = []
        for item in filter(None, (part.strip() for part in text.split(","))):
            kid, sep, secret = item.partition(":")
            if not sep or not _KID.match(kid):
                raise ValueError("each key is KID:SECRET, the id of letters, digits, . _ -")
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ValueError(f"the secret of key {kid!r} is shorter than "
                                 f"{MIN_SECRET_BYTES} bytes")
            if kid in dict(keys):
                raise ValueError(f"key id {kid!r} is given twice")
            keys.append((kid, secret.encode()))
        if not keys:
            raise ValueError("no keys")
        return cls(tuple(keys))

    def secret(self, kid: str) -> bytes | None:
        return dict(self.keys).get(kid)


@dataclass(frozen=True)
class TokenService:
    keys: KeyRing
    issuer: str = "pact-ledger"
    audience: str = "pact-ledger"

    def issue(self, actor: Actor, lifetime: timedelta = timedelta(hours=8),
              now: datetime | None = None) -> str:
        problem = principal_problem(actor.role, actor.member_state)
        if problem is not None:
            raise ValueError(problem)
        if not 0 < lifetime.total_seconds() <= MAX_LIFETIME.total_seconds():
            raise ValueError(f"a token lives at most {MAX_LIFETIME}")
        now = now or datetime.now(UTC)
        kid, secret = self.keys.keys[0]
        claims = {"iss": self.issuer, "aud": self.audience, "sub": actor.id,
                  "iat": now, "exp": now + lifetime, "role": actor.role,
                  "member_state": actor.member_state, "authority": actor.authority}
        return jwt.encode(claims, secret, algorithm=ALGORITHM, headers={"kid": kid})

    def verify(self, token: str) -> Actor:
        """The principal a token names; `TokenRejected` with the reason otherwise."""
        return self.verified(token)[0]

    def verified(self, token: str) -> tuple[Actor, float]:
        """The principal a token names, and until when (seconds since 1970: its `exp` plus
        the leeway) the check would accept it."""
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenRejected("Malformed token: too long")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise TokenRejected("Malformed token: not a signed JWT") from None
        secret = self.keys.secret(kid) if isinstance(kid, str) else None
        if secret is None:
            raise TokenRejected("Unknown signing key (kid): the token was not issued here or "
                                "its key was retired")
        try:
            claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=self.audience,
                                issuer=self.issuer, leeway=LEEWAY,
                                options={"require": list(CLAIMS)})
        except jwt.ExpiredSignatureError:
            raise TokenRejected("Token expired: get a new one") from None
        except jwt.InvalidSignatureError:
            raise TokenRejected("Token signature is invalid") from None
        except jwt.InvalidAudienceError:
            raise TokenRejected(f"Token is not meant for this service (audience must be "
                                f"{self.audience!r})") from None
        except jwt.InvalidIssuerError:
            raise TokenRejected("Token issuer is not trusted") from None
        except jwt.MissingRequiredClaimError as error:
            raise TokenRejected(f"Token lacks the {error.claim!r} claim") from None
        except jwt.PyJWTError as error:
            raise TokenRejected(f"Invalid token: {type(error).__name__}") from None
        actor = _principal(claims)  # checks that `exp` is a number
        return actor, float(claims["exp"]) + LEEWAY.total_seconds()


def _principal(claims: dict[str, Any]) -> Actor:
    for name in ("exp", "iat", "nbf"):  # NumericDate (RFC 7519 section 2): a JSON number
        if name in claims and (isinstance(claims[name], bool)
                               or not isinstance(claims[name], int | float)):
            raise TokenRejected(f"Token claim {name!r} must be a number (seconds since 1970)")
    lifetime = claims["exp"] - claims["iat"]
    if not isinstance(lifetime, int | float) or lifetime > (MAX_LIFETIME + LEEWAY).total_seconds():
        raise TokenRejected(f"Token lives longer than {MAX_LIFETIME}: ask for a shorter one")
    values = {name: claims[name] for name in ("sub", "role", "member_state", "authority")}
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip() or len(value) > 200 \
                or any(not_text(ch) for ch in value):
            raise TokenRejected(f"Token claim {name!r} must be a short text")
    problem = principal_problem(values["role"], values["member_state"])
    if problem is not None:
        raise TokenRejected(f"Token names no principal the ledger knows: {problem}")
    return Actor(id=values["sub"], role=values["role"], authority=values["authority"],
                 member_state=values["member_state"])

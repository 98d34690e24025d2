"""Tokens issued by an identity provider (RS256/ES256, keys from its JWKS), mapped to principals.

Providers name roles and organisations their own way: Keycloak puts realm roles in
`realm_access.roles` and custom attributes at the top level; Entra ID puts app roles in `roles`
and the tenant in `tid`. `ClaimMapping` says which claim holds the subject, the role, the member
state and the authority, and how the provider's values translate (e.g. `pl-case-worker` ->
`CASE_WORKER`, a tenant id -> `IT`). The token must still name exactly one ledger role and a
principal the ledger knows, exactly as a development token must.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt

from ledger.authorization.roles import Role, principal_problem
from ledger.envelope import Actor
from pact_ledger.jwks import ALGORITHMS, JwksKeys, KeysUnavailable
from pact_ledger.tokens import LEEWAY, MAX_LIFETIME, MAX_TOKEN_CHARS, TokenRejected, TokenService
from pact_ledger.verified_tokens import VerifiedTokens

_ROLES = {role.value for role in Role}


def parse_map(text: str, name: str) -> dict[str, str]:
    """`a=B,c=D` as a mapping (values upper-cased)."""
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{name}: each entry is PROVIDER_VALUE=LEDGER_VALUE, not {item!r}")
        mapping[key.strip()] = value.strip().upper()
    return mapping


@dataclass(frozen=True)
class ClaimMapping:
    subject: str = "sub"
    role: str = "roles"
    role_map: Mapping[str, str] = field(default_factory=dict)
    member_state: str = "member_state"
    member_state_map: Mapping[str, str] = field(default_factory=dict)
    authority: str = "authority"

    def __post_init__(self) -> None:
        unknown = sorted(set(self.role_map.values()) - _ROLES)
        if unknown:
            raise ValueError(f"role map names roles the ledger does not know: {unknown}")

    def principal(self, claims: Mapping[str, Any]) -> Actor:
        subject = _text(claims, self.subject)
        roles = self._roles(_claim(claims, self.role))
        if len(roles) != 1:
            raise TokenRejected(
                f"Token names {'no' if not roles else 'several'} ledger role"
                f"{'s' if roles else ''} in {self.role!r}"
                + (f" ({', '.join(sorted(roles))}): the ledger acts with one" if roles else ""))
        member_state = _text(claims, self.member_state)
        if self.member_state_map:
            if member_state not in self.member_state_map:
                raise TokenRejected(f"Token's {self.member_state!r} is not mapped to a member "
                                    "state")
            member_state = self.member_state_map[member_state]
        else:
            member_state = member_state.upper()
        authority = _text(claims, self.authority)
        role = roles.pop()
        problem = principal_problem(role, member_state)
        if problem is not None:
            raise TokenRejected(f"Token names no principal the ledger knows: {problem}")
        return Actor(id=subject, role=role, authority=authority, member_state=member_state)

    def _roles(self, value: Any) -> set[str]:
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        found = set()
        for item in values:
            if not isinstance(item, str):
                continue
            if self.role_map:
                if item in self.role_map:
                    found.add(self.role_map[item])
            elif item.upper() in _ROLES:
                found.add(item.upper())
        return found


def _claim(claims: Mapping[str, Any], path: str) -> Any:
    """A claim by dotted path (`realm_access.roles`); a key with a dot in it is tried first."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _text(claims: Mapping[str, Any], path: str) -> str:
    value = _claim(claims, path)
    if not isinstance(value, str) or not value.strip() or len(value) > 200 \
            or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise TokenRejected(f"Token claim {path!r} must be a short text")
    return value.strip()


@dataclass(frozen=True)
class IdentityProviderTokens:
    keys: JwksKeys
    issuer: str
    audience: str
    claims: ClaimMapping = field(default_factory=ClaimMapping)

    def verify(self, token: str, header: Mapping[str, Any]) -> Actor:
        kid, algorithm = header.get("kid"), header.get("alg")
        if not isinstance(kid, str) or not kid:
            raise TokenRejected("Token names no signing key (kid)")
        try:
            key = self.keys.key(kid)
        except KeysUnavailable:
            raise TokenRejected("The identity provider's keys cannot be loaded now: try "
                                "again later") from None
        if key is None:
            raise TokenRejected("Unknown signing key (kid): not in the identity provider's "
                                "key set")
        expected = ALGORITHMS.get(key.key_type or "")
        if expected is None or algorithm != expected:
            raise TokenRejected("Token's algorithm does not match its key")
        try:
            claims = jwt.decode(token, key.key, algorithms=[expected], audience=self.audience,
                                issuer=self.issuer, leeway=LEEWAY,
                                options={"require": ["exp", "iat", "iss", "aud"]})
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
        lifetime = claims["exp"] - claims["iat"]
        if not isinstance(lifetime, int | float) \
                or lifetime > (MAX_LIFETIME + LEEWAY).total_seconds():
            raise TokenRejected(f"Token lives longer than {MAX_LIFETIME}: ask for a shorter one")
        return self.claims.principal(claims)


@dataclass(frozen=True)
class TokenVerifier:
    """Chooses by the token's algorithm: HS256 against the configured keys (when accepted),
    RS256/ES256 against the identity provider's; nothing else."""

    hs256: TokenService | None
    provider: IdentityProviderTokens | None = None
    verified: VerifiedTokens = field(default_factory=VerifiedTokens, compare=False)

    def verify(self, token: str) -> Actor:
        local = self.verify_local(token)
        if local is not None:
            return local
        return self._provider(token, self._header(token))

    def verify_local(self, token: str) -> Actor | None:
        """`verify` when it needs no I/O (HS256 against the configured keys, remembered once
        verified: `pact_ledger.verified_tokens`), so that a server can call it on its event
        loop; None when the identity provider's keys are needed (they may have to be fetched:
        call `verify` in a thread then)."""
        if self.hs256 is None:
            return None
        known = self.verified.get(token)
        if known is not None:
            return known
        if self._header(token).get("alg") != "HS256":
            return None
        actor, valid_until = self.hs256.verified(token)
        self.verified.put(token, actor, valid_until)
        return actor

    @staticmethod
    def _header(token: str) -> dict[str, Any]:
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenRejected("Malformed token: too long")
        try:
            return jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRejected("Malformed token: not a signed JWT") from None

    def _provider(self, token: str, header: dict[str, Any]) -> Actor:
        algorithm = header.get("alg")
        if algorithm in ALGORITHMS.values() and self.provider is not None:
            return self.provider.verify(token, header)
        accepted = (["HS256"] if self.hs256 else []) + \
            (sorted(ALGORITHMS.values()) if self.provider else [])
        raise TokenRejected(f"Token algorithm {algorithm!r} is not accepted here "
                            f"({', '.join(accepted)})")

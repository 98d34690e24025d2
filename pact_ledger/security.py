"""Security settings from the environment: token keys, issuer and audience, request limits and
whether GraphiQL (with introspection) is served.

Without `PACT_LEDGER_JWT_KEYS` the server and `pact-ledger token` sign with a development key
kept in the data folder (created on first use, readable by its owner only): tokens issued on
the command line then work against `make serve`. Configure keys for anything else.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pact_ledger.idp_tokens import ClaimMapping, IdentityProviderTokens, TokenVerifier, parse_map
from pact_ledger.jwks import JwksKeys
from pact_ledger.settings import DATA_DIR
from pact_ledger.tokens import KeyRing, TokenService

JWT_KEYS = "PACT_LEDGER_JWT_KEYS"
JWT_ISSUER = "PACT_LEDGER_JWT_ISSUER"
JWT_AUDIENCE = "PACT_LEDGER_JWT_AUDIENCE"
GRAPHIQL = "PACT_LEDGER_GRAPHIQL"
RATE_LIMIT = "PACT_LEDGER_RATE_LIMIT"
MAX_BODY = "PACT_LEDGER_MAX_BODY_BYTES"
DEV_KEY_FILE = "dev-jwt.key"
JWKS = "PACT_LEDGER_JWKS"
OIDC_ISSUER = "PACT_LEDGER_OIDC_ISSUER"
OIDC_AUDIENCE = "PACT_LEDGER_OIDC_AUDIENCE"
JWKS_REFRESH = "PACT_LEDGER_JWKS_REFRESH_SECONDS"
CLAIMS = {  # ClaimMapping field -> variable
    "subject": "PACT_LEDGER_CLAIM_SUBJECT",
    "role": "PACT_LEDGER_CLAIM_ROLE",
    "member_state": "PACT_LEDGER_CLAIM_MEMBER_STATE",
    "authority": "PACT_LEDGER_CLAIM_AUTHORITY",
}
ROLE_MAP = "PACT_LEDGER_ROLE_MAP"
MEMBER_STATE_MAP = "PACT_LEDGER_MEMBER_STATE_MAP"


@dataclass(frozen=True)
class Limits:
    #: Requests a minute per principal (token bucket: bursts up to the same number).
    rate_per_minute: int = 600
    #: Largest request body; the largest command (27 member states' key inputs) is ~3 kB.
    max_body_bytes: int = 64 * 1024


@dataclass(frozen=True)
class SecuritySettings:
    tokens: TokenService
    limits: Limits = field(default_factory=Limits)
    graphiql: bool = False
    #: True when signing with the development key (no keys configured).
    development_key: bool = False
    #: Tokens of an identity provider (RS256/ES256 against its JWKS), when configured.
    provider: IdentityProviderTokens | None = None
    #: HS256 tokens are accepted unless only an identity provider is configured.
    accept_hs256: bool = True

    @property
    def verifier(self) -> TokenVerifier:
        return TokenVerifier(self.tokens if self.accept_hs256 else None, self.provider)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> SecuritySettings:
        configured = env.get(JWT_KEYS, "").strip()
        try:
            keys = KeyRing.parse(configured) if configured else None
        except ValueError as error:
            raise ValueError(f"{JWT_KEYS}: {error}") from None
        provider = identity_provider(env)
        if keys is None:
            keys = development_keys(Path(env.get(DATA_DIR, "data")).resolve())
        tokens = TokenService(keys, issuer=env.get(JWT_ISSUER, "").strip() or "pact-ledger",
                              audience=env.get(JWT_AUDIENCE, "").strip() or "pact-ledger")
        limits = Limits(rate_per_minute=_positive(env, RATE_LIMIT, Limits.rate_per_minute),
                        max_body_bytes=_positive(env, MAX_BODY, Limits.max_body_bytes))
        return cls(tokens, limits, graphiql=env.get(GRAPHIQL, "") in ("1", "true", "yes"),
                   development_key=not configured and provider is None, provider=provider,
                   accept_hs256=bool(configured) or provider is None)


def identity_provider(env: Mapping[str, str]) -> IdentityProviderTokens | None:
    """The identity provider's tokens, if `PACT_LEDGER_JWKS` names its key set."""
    source = env.get(JWKS, "").strip()
    if not source:
        return None
    issuer, audience = env.get(OIDC_ISSUER, "").strip(), env.get(OIDC_AUDIENCE, "").strip()
    if not issuer or not audience:
        raise ValueError(f"{JWKS} needs {OIDC_ISSUER} and {OIDC_AUDIENCE} (the provider's "
                         "issuer and this service's audience)")
    given = {name: env.get(var, "").strip() for name, var in CLAIMS.items()}
    mapping = ClaimMapping(**{k: v for k, v in given.items() if v},
                           role_map=parse_map(env.get(ROLE_MAP, ""), ROLE_MAP),
                           member_state_map=parse_map(env.get(MEMBER_STATE_MAP, ""),
                                                      MEMBER_STATE_MAP))
    refresh = _positive(env, JWKS_REFRESH, 300)
    return IdentityProviderTokens(JwksKeys(source, refresh_seconds=refresh), issuer, audience,
                                  mapping)


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a positive whole number, not {text!r}")
    return int(text)


def development_keys(data_dir: Path) -> KeyRing:
    """The local development key, created (owner-only) on first use."""
    path = data_dir / DEV_KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
    secret = path.read_text(encoding="utf-8").strip()
    kid = "dev-" + hashlib.sha256(secret.encode()).hexdigest()[:8]
    return KeyRing.parse(f"{kid}:{secret}")

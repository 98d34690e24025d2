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

from pact_ledger.settings import DATA_DIR
from pact_ledger.tokens import KeyRing, TokenService

JWT_KEYS = "PACT_LEDGER_JWT_KEYS"
JWT_ISSUER = "PACT_LEDGER_JWT_ISSUER"
JWT_AUDIENCE = "PACT_LEDGER_JWT_AUDIENCE"
GRAPHIQL = "PACT_LEDGER_GRAPHIQL"
RATE_LIMIT = "PACT_LEDGER_RATE_LIMIT"
MAX_BODY = "PACT_LEDGER_MAX_BODY_BYTES"
DEV_KEY_FILE = "dev-jwt.key"


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

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> SecuritySettings:
        configured = env.get(JWT_KEYS, "").strip()
        try:
            keys = KeyRing.parse(configured) if configured else None
        except ValueError as error:
            raise ValueError(f"{JWT_KEYS}: {error}") from None
        if keys is None:
            keys = development_keys(Path(env.get(DATA_DIR, "data")).resolve())
        tokens = TokenService(keys, issuer=env.get(JWT_ISSUER, "").strip() or "pact-ledger",
                              audience=env.get(JWT_AUDIENCE, "").strip() or "pact-ledger")
        limits = Limits(rate_per_minute=_positive(env, RATE_LIMIT, Limits.rate_per_minute),
                        max_body_bytes=_positive(env, MAX_BODY, Limits.max_body_bytes))
        return cls(tokens, limits, graphiql=env.get(GRAPHIQL, "") in ("1", "true", "yes"),
                   development_key=not configured)


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

"""How the server listens, logs and admits browsers and proxies, and the settings it refuses.

Development is a server on a loopback address: anything else is reachable by others, so the
settings that are fine on a laptop (the development signing key, trusting every proxy, any
origin) make the server refuse to start, saying why.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from pact_ledger.options import flag_on

HOST = "PACT_LEDGER_HOST"
PORT = "PACT_LEDGER_PORT"
LOG_FORMAT = "PACT_LEDGER_LOG_FORMAT"
LOG_LEVEL = "PACT_LEDGER_LOG_LEVEL"
CORS_ORIGINS = "PACT_LEDGER_CORS_ORIGINS"
TRUSTED_PROXIES = "PACT_LEDGER_TRUSTED_PROXIES"
METRICS = "PACT_LEDGER_METRICS"


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    log_format: str = "text"
    log_level: str = "INFO"
    #: Origins a browser may call the API from (CORS); empty: no CORS headers at all.
    cors_origins: tuple[str, ...] = ()
    #: Addresses of reverse proxies whose forwarded headers are believed; empty: none.
    trusted_proxies: tuple[str, ...] = ()
    metrics: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> ServeSettings:
        port_text = env.get(PORT, "").strip() or "8000"
        if not port_text.isdigit() or int(port_text) > 65535:
            raise ValueError(f"{PORT} must be a port number, not {port_text!r}")
        log_format = env.get(LOG_FORMAT, "").strip().lower() or "text"
        if log_format not in ("json", "text"):
            raise ValueError(f"{LOG_FORMAT} must be json or text, not {log_format!r}")
        level = env.get(LOG_LEVEL, "").strip().upper() or "INFO"
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError(f"{LOG_LEVEL} must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
        origins = _items(env.get(CORS_ORIGINS, ""))
        for origin in origins:
            parts = urlparse(origin)
            if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc
                                  or parts.path not in ("", "/")):
                raise ValueError(f"{CORS_ORIGINS}: {origin!r} is not an origin "
                                 "(scheme://host[:port])")
        proxies = _items(env.get(TRUSTED_PROXIES, ""))
        for proxy in proxies:
            if proxy == "*":
                continue
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{TRUSTED_PROXIES}: {proxy!r} is not an address or "
                                 "network") from None
        return cls(host=env.get(HOST, "").strip() or "127.0.0.1", port=int(port_text),
                   log_format=log_format, log_level=level,
                   cors_origins=tuple(o.rstrip("/") for o in origins),
                   trusted_proxies=proxies, metrics=flag_on(env, METRICS, True))

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def _items(text: str) -> tuple[str, ...]:
    return tuple(filter(None, (part.strip() for part in text.split(","))))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def insecure_settings(serve: ServeSettings, development_key: bool, graphiql: bool,
                      jwks_source: str | None) -> list[str]:
    """Why these settings must not serve anyone but this machine (empty: they may)."""
    if serve.loopback:
        return []
    where = f"the server listens on {serve.host}, reachable from other machines"
    reasons = []
    if development_key:
        reasons.append(f"{where}, but tokens are signed with the development key (anyone "
                       "with the data folder can mint them): set PACT_LEDGER_JWT_KEYS or "
                       "PACT_LEDGER_JWKS")
        if graphiql:
            reasons.append(f"{where} with GraphiQL and introspection on and the development "
                           "key: set real keys or --no-graphiql")
    if "*" in serve.cors_origins:
        reasons.append(f"{where} and PACT_LEDGER_CORS_ORIGINS allows every origin (*): name "
                       "the front ends' origins")
    if "*" in serve.trusted_proxies:
        reasons.append(f"{where} and PACT_LEDGER_TRUSTED_PROXIES trusts every address (*): "
                       "anyone could choose the client address that rate limits count")
    if jwks_source:
        parts = urlparse(jwks_source)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            reasons.append(f"{where} and PACT_LEDGER_JWKS is fetched over plain http from "
                           f"{parts.hostname}: keys could be substituted; use https")
    return reasons

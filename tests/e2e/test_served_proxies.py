"""Forwarded headers are believed only from configured proxies (issue 10, defect 7): uvicorn
trusted X-Forwarded-For from 127.0.0.1 by default, so failed authentications, counted per client
address, were never throttled when the header rotated."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.served_process import served

SECRET = "s" * 40


def _failed_logins(url: str, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=url, timeout=30) as http:
        return [http.post("/graphql", json={"query": "{ rules { code } }"},
                          headers={"authorization": "Bearer forged",
                                   "x-forwarded-for": address}).status_code
                for address in forwarded_for]


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(tmp_path: Path) -> None:
    env = {"PACT_LEDGER_DATA_DIR": str(tmp_path), "PACT_LEDGER_JWT_KEYS": f"k1:{SECRET}",
           "PACT_LEDGER_RATE_LIMIT": "3"}
    rotating = [f"203.0.113.{n}" for n in range(6)]
    with served(env) as server:
        # Not trusted: every attempt counts against 127.0.0.1, whatever the header says.
        assert _failed_logins(server.url, rotating) == [401, 401, 401, 429, 429, 429]
    with served({**env, "PACT_LEDGER_TRUSTED_PROXIES": "127.0.0.1"}) as server:
        # A trusted proxy's header names the client: each address has its own bucket ...
        assert _failed_logins(server.url, rotating) == [401] * 6
        # ... and one client behind it is throttled.
        assert _failed_logins(server.url, ["198.51.100.7"] * 4) == [401, 401, 401, 429]
    with served({**env, "PACT_LEDGER_TRUSTED_PROXIES": "10.9.9.9"}) as server:
        # A proxy elsewhere is trusted, not this one: its header is ignored again.
        assert _failed_logins(server.url, rotating)[3:] == [429, 429, 429]

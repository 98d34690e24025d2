"""Signing in from a browser: the login cookie is set only from this site's own form and for a
valid token, it authenticates reads (GET) of pages and exports only, never GraphQL nor a write,
and the pages forbid scripts and framing."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import token
from tests.support.acting import principal

pytestmark = pytest.mark.storage


def login(http: httpx.Client, value: str, origin: str | None, next_path: str = "/pages/"
          ) -> httpx.Response:
    headers = {"origin": origin} if origin else {}
    return http.post("/login", data={"token": value, "next": next_path}, headers=headers)


def test_login_sets_a_strict_cookie_only_from_this_site(http: httpx.Client,
                                                        base_url: str) -> None:
    valid = token(principal("AUDITOR", "EU"))
    cross = login(http, valid, "http://evil.example")
    assert cross.status_code == 403 and "set-cookie" not in cross.headers
    assert login(http, valid, None).status_code == 403  # neither Origin nor Referer
    forged = login(http, valid[:-4] + "AAAA", base_url)
    assert forged.status_code == 401 and "set-cookie" not in forged.headers
    assert "signature is invalid" in forged.text
    signed_in = login(http, valid, base_url, next_path="//evil.example/x")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/pages/"  # never another site
    cookie = signed_in.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie


def test_the_cookie_reads_pages_and_exports_only(http: httpx.Client, base_url: str) -> None:
    http.cookies.set("pact_ledger_token", token(principal("CASE_WORKER", "IT")))
    page = http.get("/pages/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "frame-ancestors 'none'" in policy and page.headers["cache-control"] == "no-store"
    assert http.get("/exports/cases.csv").status_code == 200
    # Never GraphQL, and never a request that is not a read.
    graphql = http.post("/graphql", json={"query": "{ cases(first: 1) { totalCount } }"})
    assert graphql.status_code == 401
    assert http.post("/exports/cases.csv").status_code == 401
    # Signing out needs this site's own form too, and clears the cookie.
    assert http.post("/logout", headers={"origin": "http://evil.example"}).status_code == 403
    out = http.post("/logout", headers={"origin": base_url})
    assert out.status_code == 303 and 'pact_ledger_token=""' in out.headers["set-cookie"]


def test_without_a_session_pages_ask_for_one_and_exports_refuse(http: httpx.Client) -> None:
    page = http.get("/pages/member-states/IT?x=1")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/pages/member-states/IT%3Fx%3D1"
    http.cookies.set("pact_ledger_token", "expired-or-forged")
    assert http.get("/pages/").status_code == 303
    assert http.get("/exports/cases.csv").status_code == 401

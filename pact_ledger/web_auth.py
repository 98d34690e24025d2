"""Signing in from a browser, which cannot send a bearer header when it follows a link.

`POST /login` takes the same bearer token an API client sends (pasted into a small form),
verifies it and keeps it in a cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no
other site's page or link sends it), `Path=/`, `Secure` over HTTPS, and no longer than the
token lives. `CookieAuth` turns that cookie into the `Authorization` header for GET and HEAD
only, on the read-only routes it is mounted in front of (pages and exports): no request that
changes anything is ever authenticated by the cookie, and `/graphql` never reads it, so there is
nothing for a cross-site request to forge. The login and logout forms themselves refuse a POST
whose `Origin` (or, without one, `Referer`) is another site's, so no other site can sign a
browser in as someone else (login CSRF). API clients send `Authorization: Bearer ...` as
everywhere.
"""

from __future__ import annotations

import time
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote, urlsplit

import jwt
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from pact_ledger.guard import Verifier
from pact_ledger.tokens import TokenRejected

COOKIE = "pact_ledger_token"
MAX_FORM_BYTES = 8192


def cookie_token(headers: Headers) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is no session
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel and morsel.value else None


def safe_next(value: str | None) -> str:
    """Only a path of this site: never another origin (`//host`, `https://...`, `\\`)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/pages/"
    return value


class CookieAuth:
    """In front of the `Guard`: a GET/HEAD without an Authorization header but with the login
    cookie is sent on with the cookie's token as its bearer token. Pages (`redirect=True`)
    send a browser without a valid session to the login form instead of a 401."""

    def __init__(self, app: ASGIApp, tokens: Verifier, redirect: bool) -> None:
        self.app, self.tokens, self.redirect = app, tokens, redirect

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "authorization" not in headers and scope["method"] in ("GET", "HEAD"):
            token = cookie_token(headers)
            valid = token is not None and self._valid(token)
            if valid:
                scope = {**scope, "headers": [*scope["headers"],
                                              (b"authorization", f"Bearer {token}".encode())]}
            elif self.redirect:
                root, path = scope.get("root_path", ""), scope["path"]
                path = path if path.startswith(root) else root + path  # Starlette versions
                query = scope.get("query_string", b"").decode("latin-1")
                target = path + (f"?{query}" if query else "")
                response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
                if token is not None:
                    response.delete_cookie(COOKIE, path="/")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _valid(self, token: str) -> bool:
        try:
            self.tokens.verify(token)
        except TokenRejected:
            return False
        return True


def same_origin(request: Request) -> bool:
    """The form was posted from a page of this site (Origin, else Referer, must match)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return False
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.url.scheme}://{request.url.netloc}"


async def read_form(request: Request) -> dict[str, str] | None:
    """A small urlencoded form, or None when it is too large."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    return {k: v[0] for k, v in fields.items()}


def session_response(request: Request, token: str, next_path: str) -> Response:
    """A redirect that keeps `token` in the login cookie for as long as it lives."""
    expires = jwt.decode(token, options={"verify_signature": False}).get("exp", 0)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(COOKIE, token, max_age=max(0, int(expires - time.time())), path="/",
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


def logout_response() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response

"""The routes for people and files beside GraphQL: exports (`pact_ledger.exports`), the pages
for auditors and appeal bodies (`pact_ledger.pages`) and signing in for a browser
(`pact_ledger.web_auth`). Exports and pages stand behind the same `Guard` as GraphQL (token,
rate limit, body size), with the login cookie accepted for GET only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from pact_ledger.exports import export_routes
from pact_ledger.guard import Guard
from pact_ledger.pages import page_routes, render
from pact_ledger.rate_limit import Limiter
from pact_ledger.security import SecuritySettings
from pact_ledger.tokens import TokenRejected
from pact_ledger.web_auth import (
    CookieAuth,
    logout_response,
    read_form,
    safe_next,
    same_origin,
    session_response,
)
from pact_ledger.wiring import Container


def web_routes(container: Container, security: SecuritySettings,
               limiter: Limiter) -> list[BaseRoute]:
    """`limiter`: the server's own (shared by every process on PostgreSQL), so pages, exports
    and GraphQL draw on one budget per principal; tokens are checked as on /graphql (HS256
    keys and the identity provider's)."""
    tokens = security.verifier

    def guarded(app: object, redirect: bool) -> CookieAuth:
        return CookieAuth(Guard(app, tokens, limiter,  # type: ignore[arg-type]
                                security.limits.max_body_bytes, None), tokens, redirect)

    async def login(request: Request) -> Response:
        next_path = safe_next(request.query_params.get("next"))
        if request.method == "GET":
            return render("login.html", next=next_path, principal=None)
        if not same_origin(request):
            return render("login.html", 403, next=next_path, principal=None,
                          message="Sign in from this site's own form.")
        form = await read_form(request)
        if form is None:
            return render("login.html", 413, next=next_path, principal=None,
                          message="The form is too large.")
        token = form.get("token", "").strip()
        wait = limiter.take(f"address:{(request.client or ('unknown', 0))[0]}")
        if wait:
            return render("login.html", 429, next=next_path, principal=None,
                          message=f"Too many attempts; retry after {wait} s.")
        try:
            tokens.verify(token)
        except TokenRejected as rejected:
            return render("login.html", 401, next=form.get("next", next_path), principal=None,
                          message=str(rejected))
        return session_response(request, token, form.get("next", next_path))

    async def logout(request: Request) -> Response:
        if not same_origin(request):
            return render("message.html", 403, heading="Not signed out", principal=None,
                          message="Sign out from this site's own pages.")
        return logout_response()

    return [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Mount("/exports", app=guarded(export_routes(container), redirect=False)),
        Mount("/pages", app=guarded(page_routes(container), redirect=True)),
    ]

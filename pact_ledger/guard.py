"""What stands in front of GraphQL: authentication, the rate limit and the body size limit.

A request refused here never reaches a resolver, so it can record nothing and read nothing.
In order: a bearer token naming a principal (401 otherwise; failed attempts count against the
client address's bucket), the principal's rate limit (429 with Retry-After), then the body size
(413), read in full before GraphQL sees it. The one request served without a token is the
GraphiQL page itself, when it is enabled: served here, static, without reaching GraphQL (it holds
no data; the queries it sends need a token like any other).
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.envelope import Actor
from pact_ledger.rate_limit import Limiter, too_many, wait_for
from pact_ledger.request_context import CURRENT
from pact_ledger.service_pages import CONTENT_SECURITY_POLICY
from pact_ledger.tokens import TokenRejected

Json = dict[str, Any]


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
           **extensions: Any) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message,
                                     "extensions": {"code": code, **extensions}}]},
                        status_code=status, headers=headers)


class Verifier(Protocol):
    """Checks a bearer token; one may also offer `verify_local(token) -> Actor | None`, the
    check when it needs no I/O (then the Guard makes it on the event loop, not in a thread)."""

    def verify(self, token: str) -> Actor: ...


class Guard:
    def __init__(self, app: ASGIApp, tokens: Verifier, limiter: Limiter,
                 max_body_bytes: int, graphiql_html: str | None) -> None:
        self.app, self.tokens, self.limiter = app, tokens, limiter
        self.max_body, self.graphiql_html = max_body_bytes, graphiql_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self.graphiql_html and scope["method"] == "GET" \
                and "text/html" in headers.get("accept", ""):
            await HTMLResponse(self.graphiql_html, headers={
                "content-security-policy": CONTENT_SECURITY_POLICY})(scope, receive, send)
            return
        response, principal = await self._authenticate(scope, headers)
        if response is None:
            info = CURRENT.get()
            if info is not None:
                info.principal = principal
            response = await self._limit(f"principal:{principal.id}", "principal")
        body = b""
        if response is None:
            body, response = await self._body(headers, receive)
        if response is not None:
            await response(scope, receive, send)
            return
        state = {**(scope.get("state") or {}), "principal": principal}
        await self.app({**scope, "state": state}, _replay(body, receive), send)

    async def _authenticate(self, scope: Scope,
                            headers: Headers) -> tuple[JSONResponse | None, Any]:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer" or not token.strip():
                raise TokenRejected("Missing bearer token: send 'Authorization: Bearer <token>' "
                                    "(`pact-ledger token --help` issues one)")
            token = token.strip()
            local = getattr(self.tokens, "verify_local", None)  # no I/O: no thread hop
            principal = local(token) if local is not None else None
            if principal is not None:
                return None, principal
            # In a thread: an identity provider's key set may have to be fetched.
            return None, await asyncio.to_thread(self.tokens.verify, token)
        except TokenRejected as rejected:
            client = scope.get("client") or ("unknown", 0)
            limited = await self._limit(f"address:{client[0]}", "client address")
            return limited or _error(
                401, "UNAUTHENTICATED", str(rejected),
                {"WWW-Authenticate": 'Bearer realm="pact-ledger", error="invalid_token"'}), None

    async def _limit(self, key: str, who: str) -> JSONResponse | None:
        wait = await wait_for(self.limiter, key)
        if not wait:
            return None
        return _error(429, "RATE_LIMITED", too_many(self.limiter, who, wait),
                      {"Retry-After": str(wait)}, retryAfter=wait)

    async def _body(self, headers: Headers, receive: Receive) -> tuple[bytes, Any]:
        def too_large() -> JSONResponse:  # (made only when sent: a response costs ~40 us)
            return _error(413, "PAYLOAD_TOO_LARGE",
                          f"Request body larger than {self.max_body} bytes")
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return b"", too_large() if declared.isdigit() else _error(
                400, "BAD_REQUEST", "Invalid Content-Length")
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", _error(400, "BAD_REQUEST", "Client disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body already read, then passes on to the client's."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay

"""The shape of a GraphQL request body, checked before GraphQL parses it.

A body that is not a JSON object with a `query` string (a bare JSON string, an array, a
20,000-deep nesting that would exhaust the parser's recursion, invalid UTF-8 or a lone UTF-16
surrogate that no response could encode) is a 400 that says what is wrong, not a 500.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Deepest nesting of a body (variables included): far beyond any real input object.
MAX_JSON_DEPTH = 64
_FIELDS: dict[str, tuple[type, ...]] = {
    "query": (str,), "variables": (dict, type(None)), "operationName": (str, type(None)),
    "extensions": (dict, type(None)),
}


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def body_problem(body: bytes) -> str | None:
    """Why `body` is not a GraphQL request; None when it is one."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return (f"The body is not valid JSON ({error.msg}): UTF-8, no lone surrogates, at most "
                f"{MAX_JSON_DEPTH} levels deep")
    if not isinstance(data, dict):
        return "The body must be a JSON object: {\"query\": \"...\", \"variables\": {...}}"
    for name, kinds in _FIELDS.items():
        if (name in data or name == "query") and not isinstance(data.get(name), kinds):
            return f"`{name}` must be " + ("a string" if kinds[0] is str else "an object")
    if _too_deep(data):
        return f"The body is nested more than {MAX_JSON_DEPTH} levels deep"
    return None


class RequestBodyCheck:
    """ASGI wrapper: POST bodies (read whole by the Guard) must be GraphQL requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = Headers(scope=scope).get("content-type", "")
        if scope["type"] != "http" or scope["method"] != "POST" or "multipart" in content_type:
            await self.app(scope, receive, send)
            return
        first = await receive()
        problem = body_problem(first.get("body", b""))
        if problem is not None:
            await JSONResponse({"errors": [{"message": problem, "extensions": {
                "code": "BAD_REQUEST"}}]}, status_code=400)(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return first
            return await receive()

        await self.app(scope, replay, send)

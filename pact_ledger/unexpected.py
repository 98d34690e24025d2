"""The last line of the HTTP layer: an error no one handled becomes a JSON 500 that says only
what is known. It is logged with its traceback; the client learns neither the traceback nor the
error, and is told that a mutation in the request may or may not have been recorded."""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MESSAGE = ("Internal error; it has been logged. If the request held a mutation, whether it was "
           "recorded is not known: send it again with the same commandId (a command id is "
           "recorded at most once), never with a new one.")


class UnexpectedErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if started or scope["type"] != "http":
                raise
            await JSONResponse({"errors": [{"message": MESSAGE, "extensions": {
                "code": "INTERNAL_ERROR", "recorded": "UNKNOWN"}}]},
                status_code=500)(scope, receive, send)

"""What the edge learns about one request while it is served, for its log line, metrics and span.

The request observer puts a `RequestInfo` in a context variable; the Guard adds the principal,
the GraphQL view the operation, the command wrapper each command's outcome (worker threads
started with `asyncio.to_thread` see the same variable).
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

from ledger.envelope import Actor

#: An incoming X-Request-ID is kept only if it is this plain (it goes into logs and headers).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
_OPERATION_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")


@dataclass
class RequestInfo:
    request_id: str
    principal: Actor | None = None
    #: A bounded name for the operation: its type and root field (or "(several)"), for labels.
    operation: str = "-"
    #: The client's operationName when it is a GraphQL name (logs only: clients choose it).
    operation_name: str | None = None
    #: "errors" when the GraphQL result carried errors; the first error's code.
    graphql_error: str | None = None
    commands: list[tuple[str, str]] = field(default_factory=list)  # (command type, outcome)

    def outcome(self, status: int) -> str:
        if status >= 400:
            return f"http_{status}"
        if self.commands:
            return ",".join(outcome for _, outcome in self.commands)
        if self.graphql_error:
            return f"error:{self.graphql_error}"
        return "ok"


CURRENT: ContextVar[RequestInfo | None] = ContextVar("pact_ledger_request", default=None)


def request_id(incoming: str | None) -> str:
    if incoming and _REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def operation_name(value: object) -> str | None:
    return value if isinstance(value, str) and _OPERATION_NAME.match(value) else None

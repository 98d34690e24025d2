"""Watches every request, command and access-log write: one log line, metrics and spans each.

`RequestObserver` wraps the whole app: it gives the request an id (a plain incoming
`X-Request-ID` is kept, else a new one; echoed in the response), opens the request's span and,
when the response is done, logs one line (id, method, path, status, duration, the principal's
subject and role, the operation, the outcome) and observes the latency histogram.
`ObservedCommands` and `CountedAccessLog` wrap the services the resolvers use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from opentelemetry import propagate
from opentelemetry.trace import SpanKind, StatusCode
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pact_ledger import metrics, tracing
from pact_ledger.request_context import CURRENT, RequestInfo, request_id
from projections.consistency import Applied

log = logging.getLogger("pact_ledger.request")

#: Paths whose requests are logged at DEBUG only (probes and scrapes every few seconds).
QUIET_PATHS = frozenset({"/metrics", "/healthz", "/readyz"})


class RequestObserver:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        info = RequestInfo(request_id(headers.get("x-request-id")))
        token = CURRENT.set(info)
        started = time.perf_counter()
        status = 500
        path = scope.get("path", "")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = info.request_id
            await send(message)

        parent = propagate.extract(dict(headers)) if tracing.enabled() else None
        with tracing.tracer().start_as_current_span(
                f"{scope['method']} {path}", context=parent, kind=SpanKind.SERVER,
                attributes={"http.request.method": scope["method"], "url.path": path,
                            "pact_ledger.request_id": info.request_id}) as span:
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                took = time.perf_counter() - started
                span.set_attribute("http.response.status_code", status)
                span.set_attribute("pact_ledger.operation", info.operation)
                if status >= 500:
                    span.set_status(StatusCode.ERROR)
                CURRENT.reset(token)
                self._done(info, scope, path, status, took)

    @staticmethod
    def _done(info: RequestInfo, scope: Scope, path: str, status: int, took: float) -> None:
        if path == "/graphql":
            metrics.REQUEST_SECONDS.labels(operation=info.operation,
                                           status=str(status)).observe(took)
        principal = info.principal
        log.log(logging.DEBUG if path in QUIET_PATHS else logging.INFO, "request", extra={
            "request_id": info.request_id, "method": scope["method"], "path": path,
            "status": status, "duration_ms": round(took * 1000, 2),
            "subject": principal.id if principal else None,
            "role": principal.role if principal else None,
            "member_state": principal.member_state if principal else None,
            "operation": info.operation, "operation_name": info.operation_name,
            "outcome": info.outcome(status)})


class ObservedCommands:
    """The command service, counting each outcome and tracing each command."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def handle(self, command: Any, meta: Any) -> Applied:
        return self._counted(self.inner.handle, command, meta)

    def record(self, command: Any, meta: Any) -> Applied:
        return self._counted(self.inner.record, command, meta)

    def settle(self, outcome: Any) -> bool:
        return bool(self.inner.settle(outcome))

    def reach(self, position: int) -> bool:
        return bool(self.inner.reach(position))

    def _counted(self, call: Any, command: Any, meta: Any) -> Applied:
        kind = type(command).__name__
        info = CURRENT.get()
        with tracing.span(f"command {kind}", **{"pact_ledger.command": kind}) as span:
            try:
                applied = call(command, meta)
            except Exception as error:
                rule = metrics.refusal_label(error)
                outcome = "error" if rule == "INTERNAL" else "refused"
                metrics.record_command(kind, outcome, rule)
                span.set_attribute("pact_ledger.outcome", f"{outcome}:{rule}")
                if info is not None:
                    info.commands.append((kind, f"{outcome}:{rule}"))
                raise
            try:  # recorded: counting it must never turn the answer into an error
                outcome = metrics.command_outcome(applied)
                metrics.record_command(kind, outcome)
                span.set_attribute("pact_ledger.outcome", outcome)
                if info is not None:
                    info.commands.append((kind, outcome))
            except Exception:
                log.warning("command %s recorded; counting it failed", kind, exc_info=True)
            return applied


class CountedAccessLog:
    """The access log, counting the entries written."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def append(self, accesses: Sequence[Any]) -> None:
        self._inner.append(accesses)
        metrics.ACCESS_LOG_WRITES.inc(len(accesses))

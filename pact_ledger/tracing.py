"""OpenTelemetry spans for requests, commands and read-side database calls; off by default.

Enabled by the standard variables only: `OTEL_TRACES_EXPORTER` (`otlp`, `console`, or both,
comma-separated; unset or `none`: off) and, for OTLP, `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`;
`OTEL_SDK_DISABLED=true` turns it off whatever else is set. Spans carry no personal data: the
request's method, path, status and id, the operation and command types and outcomes, and SQL
text without its parameters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import NoOpTracer, Tracer

_tracer: Tracer = NoOpTracer()
_enabled = False


def exporters(env: Mapping[str, str]) -> list[str]:
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    names = [n.strip().lower() for n in env.get("OTEL_TRACES_EXPORTER", "").split(",")]
    return [n for n in names if n and n != "none"]


def configure(env: Mapping[str, str] = os.environ, provider: Any = None) -> bool:
    """Set up tracing from `env` (or with a given SDK `provider`, for tests); True if on."""
    global _tracer, _enabled
    if provider is None:
        names = exporters(env)
        if not names:
            _tracer, _enabled = NoOpTracer(), False
            return False
        provider = _provider(names, env)
    _tracer, _enabled = provider.get_tracer("pact_ledger"), True
    return True


def _provider(names: Sequence[str], env: Mapping[str, str]) -> Any:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    named = env.get("OTEL_SERVICE_NAME") or "service.name=" in env.get(
        "OTEL_RESOURCE_ATTRIBUTES", "")
    # The SDK reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES itself; ours is the default.
    provider = TracerProvider(resource=Resource.create(
        {} if named else {"service.name": "pact-ledger"}))
    for name in names:
        if name == "console":
            provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
        elif name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        else:
            raise ValueError(f"OTEL_TRACES_EXPORTER: {name!r} is not supported here "
                             "(otlp, console or none)")
    trace.set_tracer_provider(provider)
    return provider


def enabled() -> bool:
    return _enabled


def tracer() -> Tracer:
    return _tracer


@contextmanager
def span(name: str, **attributes: Any) -> Iterator[Any]:
    with _tracer.start_as_current_span(name, attributes=attributes) as current:
        yield current


class TracedDatabase:
    """The read database with a span around each call (only built when tracing is on)."""

    def __init__(self, db: Any) -> None:
        self._db = db
        self._system = "postgresql" if getattr(db, "dialect", "") == "postgres" else "sqlite"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with span("db transaction", **{"db.system": self._system}), \
                self._db.transaction() as tx:
            yield tx

    def fetchall(self, sql: str, params: Any = ()) -> Any:
        with span("db query", **{"db.system": self._system, "db.statement": sql}):
            return self._db.fetchall(sql, params)

    def fetchone(self, sql: str, params: Any = ()) -> Any:
        with span("db query", **{"db.system": self._system, "db.statement": sql}):
            return self._db.fetchone(sql, params)

    def close(self) -> None:
        self._db.close()

"""OpenTelemetry spans for a request, the command it carries and the database calls; off unless
the standard OTEL variables turn it on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pact_ledger import tracing
from pact_ledger.settings import Settings
from pact_ledger.wiring import build
from tests.e2e.conftest import SECURITY, bearer
from tests.support.live_server import live_server
from tests.support.served_process import served

# (Selecting the case makes the answer read the read models within the request: traced calls.)
START = """mutation($input: StartScreeningInput!) { startScreening(input: $input) {
  __typename ... on CommandSucceeded { case { status } } } }"""
VARIABLES = {"input": {"memberState": "IT", "nationalReference": "IT-TRACE-1",
                       "person": {"nationality": "SY", "familyName": "Tracedname"},
                       "trigger": "SEARCH_AND_RESCUE", "location": "Lampedusa",
                       "occurredAt": "2026-03-02T08:00:00Z"}}

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracing.configure(provider=provider)
    try:
        yield memory
    finally:
        tracing.configure({})  # off again for the other tests


def test_off_by_default_and_when_disabled() -> None:
    assert tracing.exporters({}) == []
    assert tracing.exporters({"OTEL_TRACES_EXPORTER": "none"}) == []
    assert tracing.exporters({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}) == []
    assert tracing.exporters({"OTEL_TRACES_EXPORTER": "console,otlp"}) == ["console", "otlp"]
    assert not tracing.configure({}) and not tracing.enabled()


def test_spans_for_a_request_a_command_and_database_calls(settings: Settings,
                                                          exporter: InMemorySpanExporter) -> None:
    from pact_ledger.server import create_app

    container = build(settings)  # built with tracing on: its database calls are traced
    try:
        with live_server(create_app(container, SECURITY)) as url, \
                httpx.Client(base_url=url, timeout=30) as http:
            answer = http.post("/graphql", json={"query": START, "variables": VARIABLES},
                               headers={**bearer("SCREENING_OFFICER"),
                                        "x-request-id": "trace-me"})
            assert answer.json()["data"]["startScreening"]["__typename"] == "CommandSucceeded"
            http.post("/graphql", json={"query": "{ rules { code } }"},
                      headers={**bearer("CASE_WORKER"), "traceparent": TRACEPARENT})
    finally:
        container.close()
    spans = exporter.get_finished_spans()
    request = next(s for s in spans if s.name == "POST /graphql"
                   and s.attributes["pact_ledger.request_id"] == "trace-me")
    assert request.attributes["http.response.status_code"] == 200
    assert request.attributes["pact_ledger.operation"] == "mutation startScreening"
    command = next(s for s in spans if s.name == "command StartScreening")
    assert command.parent.span_id == request.context.span_id
    assert command.context.trace_id == request.context.trace_id
    assert command.attributes["pact_ledger.outcome"] == "recorded"
    in_request = [s for s in spans if s.name.startswith("db ")
                  and s.context.trace_id == request.context.trace_id]
    assert in_request, "no database span within the request"
    assert all("Tracedname" not in json.dumps(dict(s.attributes)) for s in spans)
    continued = next(s for s in spans if s.name == "POST /graphql"
                     and s.attributes["pact_ledger.operation"] == "query rules")
    assert f"{continued.context.trace_id:032x}" == TRACEPARENT.split("-")[1]


def _json_objects(text: str) -> list[dict]:
    decoder, objects, at = json.JSONDecoder(), [], 0
    while True:
        start = text.find("{", at)
        if start < 0:
            return objects
        value, at = decoder.raw_decode(text, start)
        objects.append(value)


def test_console_exporter_from_the_standard_variables(tmp_path: Path) -> None:
    env = {"PACT_LEDGER_DATA_DIR": str(tmp_path), "PACT_LEDGER_JWT_KEYS": "new:" + "n" * 40,
           "OTEL_TRACES_EXPORTER": "console"}
    with served(env) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        answer = http.post("/graphql", json={"query": START, "variables": VARIABLES},
                           headers=bearer("SCREENING_OFFICER"))
        assert answer.status_code == 200
    spans = _json_objects("\n".join(server.stdout))
    names = {span["name"] for span in spans}
    assert {"POST /graphql", "command StartScreening"} <= names
    assert any(name.startswith("db ") for name in names)

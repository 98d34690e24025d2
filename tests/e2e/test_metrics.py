"""/metrics in Prometheus format, scraped over HTTP: the series move with requests, commands,
refusals and personal-data reads, and no label holds personal data or a principal."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from pact_ledger.wiring import Container
from tests.e2e.conftest import GraphQLClient

FAMILY_NAME = "Qwertzmetric"

START = """mutation($input: StartScreeningInput!) { startScreening(input: $input) {
  __typename ... on CommandSucceeded { caseId } ... on RuleViolation { rule } } }"""


def scrape(http: httpx.Client) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return response.text, samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def screening(reference: str, occurred_at: str) -> dict:
    return {"input": {"memberState": "IT", "nationalReference": reference,
                      "person": {"nationality": "SY", "familyName": FAMILY_NAME},
                      "trigger": "SEARCH_AND_RESCUE", "location": "Lampedusa",
                      "occurredAt": occurred_at}}


def test_metrics_move_with_requests_commands_and_reads(http: httpx.Client, gql: GraphQLClient,
                                                      container: Container) -> None:
    _, before = scrape(http)
    officer = gql.as_role("SCREENING_OFFICER")
    gql("{ rules { code } }")
    made = officer(START, screening("IT-MET-1", "2026-03-02T08:00:00Z"))["startScreening"]
    refused = officer(START, screening("IT-MET-2", "2099-01-01T00:00:00Z"))["startScreening"]
    assert refused == {"__typename": "RuleViolation", "rule": "OCCURRED_IN_FUTURE"}
    read = gql("query($id: ID!) { case(id: $id) { person { familyName } } }",
               {"id": made["caseId"]})
    assert read["case"]["person"]["familyName"] == FAMILY_NAME
    text, after = scrape(http)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    latency = "pact_ledger_request_duration_seconds_count"
    assert moved(latency, operation="query rules", status="200") == 1
    assert moved(latency, operation="mutation startScreening", status="200") == 2
    assert moved(latency, operation="query case", status="200") == 1
    commands = "pact_ledger_commands_total"
    assert moved(commands, command="StartScreening", outcome="recorded", rule="") == 1
    assert moved(commands, command="StartScreening", outcome="refused",
                 rule="OCCURRED_IN_FUTURE") == 1
    assert moved("pact_ledger_access_log_writes_total") >= 1
    assert value(after, "pact_ledger_projection_lag_events") == 0
    assert moved("pact_ledger_log_position", of="log") >= 1
    if container.settings.backend == "postgres":
        for pool in ("read", "events"):
            assert value(after, "pact_ledger_db_pool_connections", pool=pool, state="open") >= 1
            assert moved("pact_ledger_db_pool_requests", pool=pool) > 0
    for secret in (FAMILY_NAME, "IT-MET-1", made["caseId"], gql.actor.id, "it-so-01"):
        assert secret not in text


def test_operation_labels_are_bounded(http: httpx.Client, gql: GraphQLClient) -> None:
    gql.post("query Anything { nonsenseField }")
    gql.post("query A { rules { code } } query B { rules { code } }")
    gql.post("{ a1: rules { code } b: recognitionRates { nationality } }")
    gql.post("{ r" * 5)
    _, samples = scrape(http)
    labels = {dict(labels).get("operation") for (name, labels) in samples
              if name == "pact_ledger_request_duration_seconds_count"}
    assert {"query (unknown field)", "invalid", "query (several)"} <= labels
    assert not any("nonsense" in (label or "") or "Anything" in (label or "")
                   for label in labels)

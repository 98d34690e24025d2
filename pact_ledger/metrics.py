"""Prometheus metrics: request latency per GraphQL operation, command outcomes, projection lag,
database pool use and access-log writes, served at /metrics.

Labels hold only bounded values the code chooses: operation type and root field (from the
schema), command type, outcome, rule or refusal code, HTTP status. Never a subject, a case id,
a name or anything a client typed. With several worker processes set PROMETHEUS_MULTIPROC_DIR
(an empty folder, the same for all of them): counters and histograms are then summed over the
processes (prometheus-client's multi-process mode); lag and pool use are read when scraped.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from ledger.application import Ledger
from ledger.errors import LedgerError, RuleViolation
from projections.consistency import Applied

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "pact_ledger_request_duration_seconds",
    "Time to answer an HTTP request, by GraphQL operation (type and root field) and status.",
    ["operation", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
COMMANDS = Counter(
    "pact_ledger_commands",
    "Commands handled, by command type and outcome (recorded, replayed, refused, error); "
    "refusals name their rule or refusal code.",
    ["command", "outcome", "rule"],
)
ACCESS_LOG_WRITES = Counter(
    "pact_ledger_access_log_writes",
    "Reads of personal data written to the access log (entries).",
)


def record_command(command: str, outcome: str, rule: str = "") -> None:
    COMMANDS.labels(command=command, outcome=outcome, rule=rule).inc()


def refusal_label(error: Exception) -> str:
    if isinstance(error, RuleViolation):
        return error.rule.code
    if isinstance(error, LedgerError):
        return error.code
    return "INTERNAL"


def command_outcome(applied: Applied) -> str:
    return "replayed" if applied.outcome.replayed else "recorded"


class LedgerCollector(Collector):
    """Read when scraped: how far the read models are behind the log, and the pools' use."""

    def __init__(self, ledger: Ledger, read_position: Any, db: Any) -> None:
        self.ledger, self.read_position, self.db = ledger, read_position, db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        log_position = self.ledger.recorder.max_notification_id() or 0
        read_position = self.read_position()
        lag = GaugeMetricFamily("pact_ledger_projection_lag_events",
                                "Events recorded but not yet in the read models.")
        lag.add_metric([], max(0, log_position - read_position))
        yield lag
        positions = GaugeMetricFamily("pact_ledger_log_position",
                                      "Position of the last event, in the log and the read models.",
                                      labels=["of"])
        positions.add_metric(["log"], log_position)
        positions.add_metric(["read_models"], read_position)
        yield positions
        candidates = {"read": getattr(self.db, "pool", None),
                      "events": getattr(getattr(self.ledger.recorder, "datastore", None), "pool",
                                        None)}
        pools: dict[str, Any] = {name: pool for name, pool in candidates.items()
                                 if hasattr(pool, "get_stats")}
        if not pools:
            return  # SQLite: no pool
        family = GaugeMetricFamily("pact_ledger_db_pool_connections",
                                   "PostgreSQL pools (read side, event store): connections by "
                                   "state.", labels=["pool", "state"])
        used = GaugeMetricFamily("pact_ledger_db_pool_requests",
                                 "Connections handed out by the pool since it opened.",
                                 labels=["pool"])
        for name, pool in pools.items():
            stats = pool.get_stats()
            size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
            family.add_metric([name, "open"], size)
            family.add_metric([name, "idle"], available)
            family.add_metric([name, "in_use"], max(0, size - available))
            family.add_metric([name, "max"], stats.get("pool_max", 0))
            family.add_metric([name, "waiting"], stats.get("requests_waiting", 0))
            used.add_metric([name], stats.get("requests_num", 0))
        yield family
        yield used


def _base_registry() -> CollectorRegistry:
    if os.environ.get(MULTIPROC_DIR):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics_endpoint(collector: LedgerCollector) -> Any:
    ledger_registry = CollectorRegistry(auto_describe=False)
    ledger_registry.register(collector)

    def exposition() -> bytes:
        return generate_latest(_base_registry()) + generate_latest(ledger_registry)

    async def metrics(request: Request) -> Response:
        body = await asyncio.to_thread(exposition)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics

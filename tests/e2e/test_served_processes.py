"""Two server processes on one PostgreSQL database: their metrics add up in multi-process mode
(PROMETHEUS_MULTIPROC_DIR) and their rate limits are one (issue 10, defect 7)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from pact_ledger.tokens import KeyRing, TokenService
from tests.support.acting import principal
from tests.support.pgserver import TemporaryPostgres
from tests.support.served_process import served

SECRET = "s" * 40
TOKENS = TokenService(KeyRing.parse(f"k1:{SECRET}"))


def _count(text: str, operation: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "pact_ledger_request_duration_seconds_count" \
                    and sample.labels.get("operation") == operation:
                return sample.value
    return 0.0


def test_two_processes_share_rate_limits_and_metrics(tmp_path: Path,
                                                     postgres: TemporaryPostgres) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = postgres.create_database(name)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {"PACT_LEDGER_DATA_DIR": str(tmp_path), "PACT_LEDGER_JWT_KEYS": f"k1:{SECRET}",
           "PACT_LEDGER_DATABASE_URL": url, "PACT_LEDGER_RATE_LIMIT": "5",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    headers = {"authorization": f"Bearer {TOKENS.issue(principal('AUDITOR', 'EU'))}"}
    query = {"query": "{ recognitionRates { nationality } }"}
    try:
        with served(env) as first, served(env) as second, \
                httpx.Client(timeout=30) as http:
            statuses = [http.post(f"{server.url}/graphql", json=query, headers=headers)
                        .status_code for server in (first, second) * 4]
            # One bucket of 5 for the principal, whichever process answers.
            assert statuses == [200] * 5 + [429] * 3
            scraped = http.get(f"{second.url}/metrics").text
            assert _count(scraped, "query recognitionRates") == 5  # 3 in one, 2 in the other
    finally:
        postgres.drop_database(name)

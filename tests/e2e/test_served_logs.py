"""The JSON log of a real `pact-ledger serve`: a startup line saying where it listens, one line per
request with its id, the principal's subject and role, the operation, duration and outcome,
uvicorn's access log in the same format, and no personal data anywhere."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx

from pact_ledger.tokens import KeyRing, TokenService
from tests.support.acting import principal
from tests.support.served_process import run_serve, served

SECRET = "s" * 40
TOKENS = TokenService(KeyRing.parse(f"k1:{SECRET}"))
FAMILY_NAME = "Zzyzxqwerty"  # personal data that must never reach a log line

MAKE = """mutation($input: StartScreeningInput!) { startScreening(input: $input) {
  __typename ... on CommandSucceeded { caseId } ... on RuleViolation { rule } } }"""


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PACT_LEDGER_DATA_DIR": str(tmp_path), "PACT_LEDGER_JWT_KEYS": f"k1:{SECRET}",
            **extra}


def bearer(role: str = "SCREENING_OFFICER") -> dict[str, str]:
    return {"authorization": f"Bearer {TOKENS.issue(principal(role, 'IT'))}"}


def test_json_logs_name_request_principal_operation_and_outcome(tmp_path: Path) -> None:
    with served(env(tmp_path)) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        asked = http.post("/graphql", json={"query": "query Rules { rules { code } }"},
                          headers={**bearer("CASE_WORKER"), "x-request-id": "req-42"})
        assert asked.status_code == 200 and asked.headers["x-request-id"] == "req-42"
        made = http.post("/graphql", headers=bearer(), json={"query": MAKE, "variables": {
            "input": {"memberState": "IT", "nationalReference": "IT-LOG-1",
                      "person": {"nationality": "SY", "familyName": FAMILY_NAME},
                      "trigger": "SEARCH_AND_RESCUE", "location": "Lampedusa",
                      "occurredAt": "2026-03-02T08:00:00Z"}}})
        assert made.json()["data"]["startScreening"]["__typename"] == "CommandSucceeded"
        generated = made.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
        refused = http.post("/graphql", json={"query": "{ rules { code } }"},
                            headers={"x-request-id": "bad id with spaces"})
        assert refused.status_code == 401
        server.wait_for_record(lambda r: r.get("message") == "request"
                               and r.get("status") == 401)

    records = server.records()  # every line is JSON
    listening = [r for r in records if r["message"] == "listening"]
    assert listening and listening[0]["url"] == server.url
    requests = {r["request_id"]: r for r in records if r["message"] == "request"}
    query = requests["req-42"]
    assert (query["subject"], query["role"], query["operation"], query["operation_name"],
            query["outcome"], query["status"]) == ("it-cw-01", "CASE_WORKER", "query rules",
                                                    "Rules", "ok", 200)
    assert query["duration_ms"] > 0 and query["method"] == "POST" and query["level"] == "INFO"
    command = requests[generated]
    assert (command["subject"], command["role"], command["operation"], command["outcome"]) == (
        "it-so-01", "SCREENING_OFFICER", "mutation startScreening", "recorded")
    unauthenticated = next(r for r in requests.values() if r["status"] == 401)
    assert unauthenticated["request_id"] != "bad id with spaces"
    assert unauthenticated["subject"] is None and unauthenticated["outcome"] == "http_401"
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert {(r["method"], r["path"], r["status"]) for r in access} >= {("POST", "/graphql", 200),
                                                                      ("POST", "/graphql", 401)}
    assert all("127.0.0.1" not in json.dumps(r) for r in access)  # no client address
    everything = "\n".join(server.lines + server.stdout)
    assert FAMILY_NAME not in everything and "IT-LOG-1" not in everything


def test_text_log_format(tmp_path: Path) -> None:
    with served(env(tmp_path), "--log-format", "text") as server, \
            httpx.Client(base_url=server.url, timeout=30) as http:
        http.post("/graphql", json={"query": "{ rules { code } }"},
                  headers={**bearer("AUDITOR"), "x-request-id": "txt-1"})
        for _ in range(200):  # the line is written once the response is sent
            if any("request_id=txt-1" in line for line in server.lines):
                break
            time.sleep(0.05)
    line = next(line for line in server.lines if "request_id=txt-1" in line)
    assert " INFO    pact_ledger.request: request " in line
    assert "subject=it-au-01" in line and "operation=query rules" in line
    assert not line.startswith("{")


def test_log_format_is_a_setting(tmp_path: Path) -> None:
    result = run_serve(env(tmp_path, PACT_LEDGER_LOG_FORMAT="xml"))
    assert result.returncode == 2
    assert "PACT_LEDGER_LOG_FORMAT must be json or text" in result.stderr

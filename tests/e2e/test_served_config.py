"""Settings by variable and by flag; insecure settings outside development refused with exit 2
and the reason; CORS only for configured origins."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from pact_ledger.options import OPTIONS
from pact_ledger.serve_settings import ServeSettings
from pact_ledger.wiring import Container
from tests.e2e.conftest import SECURITY, bearer
from tests.support.live_server import live_server
from tests.support.served_process import run_serve

ROOT = Path(__file__).resolve().parents[2]
KEYS = "k1:" + "s" * 40


@pytest.mark.parametrize(("env", "args", "reason"), [
    ({}, ["--host", "0.0.0.0"], "signed with the development key"),
    ({"PACT_LEDGER_HOST": "0.0.0.0", "PACT_LEDGER_GRAPHIQL": "1"}, [],
     "GraphiQL and introspection on and the development key"),
    ({"PACT_LEDGER_JWT_KEYS": KEYS, "PACT_LEDGER_CORS_ORIGINS": "*"}, ["--host", "0.0.0.0"],
     "allows every origin"),
    ({"PACT_LEDGER_JWT_KEYS": KEYS}, ["--host", "0.0.0.0", "--trusted-proxies", "*"],
     "trusts every address"),
    ({"PACT_LEDGER_JWT_KEYS": KEYS, "PACT_LEDGER_JWKS": "http://idp.example/certs",
      "PACT_LEDGER_OIDC_ISSUER": "i", "PACT_LEDGER_OIDC_AUDIENCE": "a"},
     ["--host", "0.0.0.0"], "fetched over plain http"),
])
def test_insecure_settings_outside_development_are_refused(
        tmp_path: Path, env: dict[str, str], args: list[str], reason: str) -> None:
    result = run_serve({"PACT_LEDGER_DATA_DIR": str(tmp_path), **env}, *args)
    assert result.returncode == 2, result.stderr
    assert "refusing to start" in result.stderr and reason in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "pact-ledger.sqlite").exists()  # nothing opened


@pytest.mark.parametrize(("env", "args", "message"), [
    ({"PACT_LEDGER_RATE_LIMIT": "fast"}, [], "PACT_LEDGER_RATE_LIMIT must be a positive"),
    ({}, ["--cors-origins", "not-an-origin"], "is not an origin"),
    ({"PACT_LEDGER_TRUSTED_PROXIES": "proxy.local"}, [], "is not an address"),
    ({"PACT_LEDGER_DATABASE_URL": "mysql://x"}, [], "must start with sqlite:/// or postgresql"),
    ({"PACT_LEDGER_REBUILD_MEMORY_MB": "2G"}, [], "PACT_LEDGER_REBUILD_MEMORY_MB must be whole"),
    ({"PACT_LEDGER_JWKS": "/no/such/file"}, [], "needs PACT_LEDGER_OIDC_ISSUER"),
])
def test_invalid_settings_are_named(tmp_path: Path, env: dict[str, str], args: list[str],
                                    message: str) -> None:
    result = run_serve({"PACT_LEDGER_DATA_DIR": str(tmp_path), **env}, *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_a_flag_wins_over_its_variable() -> None:
    from pact_ledger.options import environment

    env = environment({"rate_limit": 7, "graphiql": False, "host": None},
                      {"PACT_LEDGER_RATE_LIMIT": "9", "PACT_LEDGER_GRAPHIQL": "1",
                       "PACT_LEDGER_HOST": "127.0.0.2"})
    assert env["PACT_LEDGER_RATE_LIMIT"] == "7" and env["PACT_LEDGER_GRAPHIQL"] == "0"
    assert ServeSettings.from_env(env).host == "127.0.0.2"


def test_every_setting_is_one_row_of_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    for option in OPTIONS:
        flag = option.flag.split("/")[0]
        matching = [row for row in rows if f"`{option.env}`" in row and f"`{flag}" in row]
        assert len(matching) == 1, f"{option.env} / {flag} is not one row of the table"


def test_cors_is_off_by_default_and_answers_preflight_for_configured_origins(
        container: Container) -> None:
    from pact_ledger.server import create_app

    preflight = {"origin": "https://case.example.eu", "access-control-request-method": "POST",
                 "access-control-request-headers": "authorization,content-type"}
    with live_server(create_app(container, SECURITY)) as url, httpx.Client(base_url=url) as http:
        answer = http.options("/graphql", headers=preflight)
        assert "access-control-allow-origin" not in answer.headers
        assert answer.status_code == 405
    serve = ServeSettings(cors_origins=("https://case.example.eu",))
    with live_server(create_app(container, SECURITY, serve=serve)) as url, \
            httpx.Client(base_url=url) as http:
        answer = http.options("/graphql", headers=preflight)
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "https://case.example.eu"
        assert "authorization" in answer.headers["access-control-allow-headers"].lower()
        assert "POST" in answer.headers["access-control-allow-methods"]
        other = http.options("/graphql", headers={**preflight, "origin": "https://evil.example"})
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
        actual = http.post("/graphql", json={"query": "{ rules { code } }"},
                           headers={**bearer("CASE_WORKER"), "origin": "https://case.example.eu"})
        assert actual.status_code == 200
        assert actual.headers["access-control-allow-origin"] == "https://case.example.eu"
        assert "x-request-id" in actual.headers["access-control-expose-headers"].lower()

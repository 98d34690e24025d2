"""GraphiQL works on an air-gapped network: a real headless Chromium (Debian's `chromium`,
driven over the DevTools protocol by Playwright) with every host but 127.0.0.1 unreachable loads
the page and its assets from the server itself, takes a token in GraphiQL's headers editor and
runs a query that returns data. The screenshot is written to the test's tmp folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from pact_ledger.service_pages import STATIC_DIR
from pact_ledger.settings import Settings
from pact_ledger.wiring import Container, build
from tests.e2e.conftest import serving, token
from tests.support.acting import principal

CHROMIUM = "/usr/bin/chromium"
OFFLINE_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    # The network is cut off: no name resolves but loopback, and every proxied request goes to a
    # closed port (loopback itself is never proxied).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]


def test_the_vendored_assets_match_their_manifest() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(root / "scripts" / "vendor-graphiql"),
                             "--check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((STATIC_DIR / "manifest.json").read_text())
    assert {p["name"] for p in manifest["packages"]} == {"graphiql", "react", "react-dom"}
    assert all(p["integrity"].startswith("sha512-") for p in manifest["packages"])


def test_pages_reference_no_other_host(container: Container) -> None:
    with serving(container, graphiql=True) as url, httpx.Client(base_url=url) as http:
        page = http.get("/graphql", headers={"accept": "text/html"})
        home = http.get("/")
        for response in (page, home):
            assert response.status_code == 200
            assert "http://" not in response.text and "https://" not in response.text
            assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "GraphiQL" in home.text and 'href="/graphql"' in home.text
        assert http.get("/static/graphiql/graphiql.min.js").status_code == 200
    with serving(container, graphiql=False) as url, httpx.Client(base_url=url) as http:
        home = http.get("/")
        assert home.status_code == 200 and "GraphiQL is off" in home.text
        assert http.get("/static/graphiql/graphiql.min.js").status_code == 404


def test_graphiql_runs_a_query_in_chromium_with_the_network_cut_off(tmp_path: Path) -> None:
    # One browser run, on SQLite: the page does not depend on the backend.
    container = build(Settings(f"sqlite:///{tmp_path / 'ledger.sqlite'}"))
    try:
        _run_graphiql(container, tmp_path)
    finally:
        container.close()


def _run_graphiql(container: Container, tmp_path: Path) -> None:
    assert shutil.which(CHROMIUM), "chromium missing: scripts/ensure-chromium installs it"
    from playwright.sync_api import sync_playwright

    bearer = token(principal("CASE_WORKER", "IT"))
    with serving(container, graphiql=True) as url, sync_playwright() as driver:
        browser = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
            args=OFFLINE_FLAGS, viewport={"width": 1280, "height": 800})
        try:
            probe = browser.new_page()
            # The cut-off is real: another host cannot be reached from this browser.
            with pytest.raises(Exception, match="ERR_"):
                probe.goto("http://example.com/", timeout=15_000)
            probe.close()
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            failures: list[str] = []
            page.on("pageerror", lambda error: failures.append(str(error)))
            page.goto(f"{url}/graphql", timeout=30_000)
            page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
            page.get_by_role("button", name="Headers").click()
            headers_editor = page.locator(".graphiql-editor-tool .CodeMirror").last
            headers_editor.click()
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            page.keyboard.insert_text(json.dumps({"Authorization": f"Bearer {bearer}"}))
            page.click(".graphiql-execute-button")
            result = page.locator(".result-window")
            # The first rule of the list: the result pane renders only the lines in view.
            result.get_by_text("CASE_CLOSED").wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "graphiql.png"), full_page=True)
            print(f"screenshot: {tmp_path / 'graphiql.png'}")
        finally:
            browser.close()
    assert (tmp_path / "graphiql.png").stat().st_size > 10_000
    assert not failures, failures
    assert requested and all(u.startswith(url) or u.startswith("data:") for u in requested), \
        requested

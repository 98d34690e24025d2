"""A real headless Chromium (Debian's, /usr/bin/chromium) driven over the DevTools protocol by
Playwright, with a fresh profile per use. Nothing is downloaded: `scripts/ensure-chromium`
installs the browser (`make test` runs it); Playwright only speaks to it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
#: Where screenshots go when set (e.g. docs/screenshots), else the test's own tmp dir.
SCREENSHOTS = "PACT_LEDGER_SCREENSHOTS"


@contextmanager
def chromium(profile: Path) -> Iterator[BrowserContext]:
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/ensure-chromium")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1200, "height": 900}, timeout=60_000)
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


def screenshot_path(name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get(SCREENSHOTS) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name

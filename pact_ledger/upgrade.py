"""A server that finds read models of an older shape version rebuilds them, blue-green.

It does not serve the old tables (their shape is not what this code reads) nor extend them:
until the new tables are switched in, this process answers /graphql and /readyz with 503, so a
load balancer keeps sending requests to the processes of the old version, which go on serving
the old tables. One process rebuilds (the rebuild lock); the others wait for the version to
change. Tables of a newer version than this code are left alone (a rollback must not undo them).
"""

from __future__ import annotations

import logging
import threading

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from projections.blue_green import RebuildRunning
from projections.read_model_version import READ_MODEL_VERSION
from projections.runner import ProjectionRunner

log = logging.getLogger(__name__)


class ReadModelUpgrade:
    def __init__(self, runner: ProjectionRunner, poll_seconds: float = 1.0) -> None:
        self.runner = runner
        self.poll_seconds = poll_seconds
        self._current = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rebuilt_events: int | None = None

    def start(self) -> None:
        """Check the version; when it is older, rebuild in the background."""
        if self.runner.version() == READ_MODEL_VERSION:
            self._current = True
            return
        self._thread = threading.Thread(target=self._upgrade, name="read-model-upgrade",
                                        daemon=True)
        self._thread.start()

    def current(self) -> bool:
        return self._current

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _upgrade(self) -> None:
        while not self._stop.is_set():
            try:
                found = self.runner.version()
                if found == READ_MODEL_VERSION:
                    self._current = True
                    log.info("read models are version %s", found)
                    return
                if found > READ_MODEL_VERSION:
                    log.error("read models are version %s, newer than this server's %s: not "
                              "serving them", found, READ_MODEL_VERSION)
                else:
                    log.warning("read models are version %s: rebuilding them to version %s",
                                found, READ_MODEL_VERSION)
                    self.rebuilt_events = self.runner.rebuild()
                    continue
            except RebuildRunning:
                pass  # another process rebuilds: wait for the version to change
            except Exception:
                log.exception("read-model upgrade failed; trying again")
            self._stop.wait(self.poll_seconds)


class UpgradeGate:
    """503 for /graphql until the read models have this server's version."""

    def __init__(self, app: ASGIApp, upgrade: ReadModelUpgrade) -> None:
        self.app = app
        self.upgrade = upgrade

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.upgrade.current():
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"errors": [{"message": "The read models are being rebuilt to this server's "
                                    "version; other processes serve meanwhile.",
                         "extensions": {"code": "READ_MODELS_REBUILDING"}}]},
            status_code=503, headers={"Retry-After": "5"})
        await response(scope, receive, send)

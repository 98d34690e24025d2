"""`/healthz` (the process is alive) and `/readyz` (it can serve: database reachable, read models
of this version and within the configured lag).

Neither may hang when PostgreSQL is down or stalled: `/healthz` touches no database, and
`/readyz` gives its probe a short bound (and runs at most one probe at a time, so a stalled
database cannot pile up threads); past the bound it answers 503 at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pact_ledger.wiring import Container
from projections.read_model_version import READ_MODEL_VERSION
from projections.runner import TRACKING_NAME

log = logging.getLogger(__name__)

#: How long /readyz waits for the database before it says "unavailable".
PROBE_SECONDS = 0.5


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "alive"})


class Readiness:
    def __init__(self, container: Container, upgrading: Any = None) -> None:
        self.container = container
        self.upgrading = upgrading
        self._probing = threading.Lock()

    def _probe(self) -> dict[str, Any]:
        try:
            c = self.container
            log_position = c.runner.log_position()
            read_position = c.runner.position()
            figures: dict[str, Any] = {"logPosition": log_position,
                                       "readModelPosition": read_position,
                                       "lag": log_position - read_position,
                                       "readModelVersion": c.runner.version(),
                                       "projectionLeader": (c.leadership is None
                                                            or c.leadership.leading)}
            if c.read_db is not None and c.read_db is not c.db:
                row = c.read_db.fetchone(
                    "SELECT position FROM projection_tracking WHERE name = ?", (TRACKING_NAME,))
                replica = int(row["position"]) if row else 0
                figures["replicaPosition"] = replica
                figures["lag"] = max(figures["lag"], log_position - replica)
            return figures
        finally:
            self._probing.release()

    async def respond(self, request: Request) -> Response:
        settings = self.container.settings
        body: dict[str, Any] = {"backend": settings.backend, "maxLag": settings.ready_max_lag,
                                "version": READ_MODEL_VERSION}
        if not self._probing.acquire(blocking=False):
            return self._unready(body, "database not answering (a probe is still waiting)")
        try:
            future = asyncio.get_running_loop().run_in_executor(None, self._probe)
        except BaseException:
            self._probing.release()
            raise
        try:
            figures = await asyncio.wait_for(asyncio.shield(future), PROBE_SECONDS)
        except TimeoutError:
            return self._unready(body, f"database not answering within {PROBE_SECONDS} s")
        except Exception as error:
            log.warning("readiness probe failed: %s", error)
            return self._unready(body, "database unreachable")
        body.update(figures)
        if figures["readModelVersion"] != READ_MODEL_VERSION:
            return self._unready(body, "read models are being rebuilt to this version")
        if figures["lag"] > settings.ready_max_lag:
            return self._unready(body, f"read models {figures['lag']} events behind")
        return JSONResponse({"status": "ready", **body})

    @staticmethod
    def _unready(body: dict[str, Any], reason: str) -> Response:
        return JSONResponse({"status": "unavailable", "reason": reason, **body},
                            status_code=503, headers={"Retry-After": "1"})

"""The HTTP server: GraphQL at /graphql (GraphiQL in a browser when enabled) and a health check.

Every GraphQL request passes the `Guard` first (token, rate limit, body size); the principal it
authenticated is the actor recorded on every event and the one the reads are scoped to. There
is no WebSocket route: the schema has no subscriptions.

The projection runner follows the log in the background for events written by other processes
(the CLI, a second server); this process's own mutations catch the read models up themselves
before they answer (read-your-writes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from ledger.envelope import Actor
from pact_ledger.erasure import ErasureSchedule
from pact_ledger.guard import Guard
from pact_ledger.rate_limit import RateLimiter
from pact_ledger.security import SecuritySettings
from pact_ledger.wiring import Container
from schema.build import build_schema
from schema.context import Context

log = logging.getLogger(__name__)


class LedgerGraphQL(GraphQL[Context, None]):
    def __init__(self, container: Container, graphiql: bool) -> None:
        super().__init__(
            build_schema(introspection=graphiql),
            graphql_ide="graphiql" if graphiql else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
        )
        self.container = container

    async def get_context(self, request: Any, response: Any) -> Context:
        principal = request.scope.get("state", {}).get("principal")
        if not isinstance(principal, Actor):  # only the Guard puts one there
            raise PermissionError("no authenticated principal")
        c = self.container
        return Context.of(c.commands, c.reads, c.access_log, principal, c.personal)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def create_app(container: Container, security: SecuritySettings,
               follow: bool = True, erasure_interval: float | None = None) -> Starlette:
    """`follow`: keep the read models current in the background; `erasure_interval`: seconds
    between runs of the erasure schedule in the background (`pact_ledger.erasure`), none: off."""
    graphql = LedgerGraphQL(container, security.graphiql)
    guarded = Guard(graphql, security.tokens, RateLimiter(security.limits.rate_per_minute),
                    security.limits.max_body_bytes,
                    graphql.graphql_ide_html if security.graphiql else None)

    async def healthz(request: Request) -> Response:
        runner = container.runner
        try:
            log_position, read_position = await asyncio.gather(
                asyncio.to_thread(runner.log_position), asyncio.to_thread(runner.position)
            )
        except Exception:
            log.exception("health check failed")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse(
            {
                "status": "ok",
                "backend": container.settings.backend,
                "logPosition": log_position,
                "readModelPosition": read_position,
                "lag": log_position - read_position,
            }
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if follow:
            container.runner.start()
        schedule = ErasureSchedule(container, erasure_interval) if erasure_interval else None
        if schedule is not None:
            schedule.start()
        try:
            yield
        finally:
            if schedule is not None:
                schedule.stop()
            container.runner.stop()

    return Starlette(
        routes=[
            Route("/graphql", guarded, methods=["GET", "POST"]),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )

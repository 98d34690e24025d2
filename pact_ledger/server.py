"""The HTTP server: GraphQL at /graphql (GraphiQL in a browser when enabled) and a health check.

Every GraphQL request passes the `Guard` first (token, rate limit, body size); the principal it
authenticated is the actor recorded on every event and the one the reads are scoped to. There
is no WebSocket route: the schema has no subscriptions.

The projection runner follows the log in the background for events written by other processes
(the CLI, other servers) while this process is the projection leader (pact_ledger/leader.py);
this process's own mutations catch the read models up themselves before they answer
(read-your-writes). `/healthz` says the process is alive, `/readyz` whether it can serve
(pact_ledger/health.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from ledger.envelope import Actor
from pact_ledger.guard import Guard
from pact_ledger.health import Readiness, healthz
from pact_ledger.rate_limit import RateLimiter
from pact_ledger.security import SecuritySettings
from pact_ledger.upgrade import ReadModelUpgrade, UpgradeGate
from pact_ledger.wiring import Container
from schema.build import build_schema
from schema.context import Context


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
        return Context.of(c.commands, c.reads, c.access_log, principal)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def create_app(container: Container, security: SecuritySettings,
               follow: bool = True, close_container: bool = False) -> Starlette:
    """`follow`: keep the read models current in the background while this process leads;
    `close_container`: the app owns the container (the ASGI factory) and closes it on exit."""
    graphql = LedgerGraphQL(container, security.graphiql)
    guarded = Guard(graphql, security.tokens, RateLimiter(security.limits.rate_per_minute),
                    security.limits.max_body_bytes,
                    graphql.graphql_ide_html if security.graphiql else None)

    upgrade = ReadModelUpgrade(container.runner)
    readiness = Readiness(container, upgrade)

    graphql_route = UpgradeGate(guarded, upgrade)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(upgrade.start)
        if follow:
            container.runner.start(container.leadership)
        try:
            yield
        finally:
            upgrade.stop()
            container.runner.stop()
            if close_container:
                await asyncio.to_thread(container.close)

    return Starlette(
        routes=[
            Route("/graphql", graphql_route, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readiness.respond),
        ],
        lifespan=lifespan,
    )

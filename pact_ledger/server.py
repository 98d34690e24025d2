"""The HTTP server: GraphQL (with GraphiQL in the browser) at /graphql and a health check.

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
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL

from ledger.envelope import Actor
from pact_ledger.wiring import Container
from schema.build import schema
from schema.context import Context

log = logging.getLogger(__name__)

#: Until token authentication lands, the acting principal is taken from these headers, with
#: defaults that mark the record as made in development.
ACTOR_HEADERS = {
    "id": ("x-actor-id", "dev-user"),
    "role": ("x-actor-role", "CASE_WORKER"),
    "authority": ("x-actor-authority", "Development"),
    "member_state": ("x-actor-member-state", "EU"),
}


def actor_from(request: Request | Any) -> Actor:
    headers = request.headers
    values = {name: headers.get(key, default)[:100] for name, (key, default) in
              ACTOR_HEADERS.items()}
    return Actor(**values)


class LedgerGraphQL(GraphQL[Context, None]):
    def __init__(self, container: Container, graphiql: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
        )
        self.container = container

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(
            commands=self.container.commands,
            reads=self.container.reads,
            actor=actor_from(request),
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def create_app(container: Container, graphiql: bool = True, follow: bool = True) -> Starlette:
    graphql = LedgerGraphQL(container, graphiql)

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
        try:
            yield
        finally:
            container.runner.stop()

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )

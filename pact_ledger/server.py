"""The HTTP server: GraphQL at /graphql (GraphiQL in a browser when enabled, its assets served
from here), a health check, Prometheus metrics and a page at / saying what the service is.

Every GraphQL request passes the `Guard` first (token, rate limit, body size); the principal it
authenticated is the actor recorded on every event and the one the reads are scoped to.
Subscriptions are served over WebSocket on the same path (`pact_ledger.live`: the token travels
in `connection_init`), fed by one live feed per process. Every request is observed (request id,
one log line, latency histogram, span: `pact_ledger.observer`); CORS headers are sent only for
the configured origins.

The projection runner follows the log in the background for events written by other processes
(the CLI, other servers) while this process is the projection leader (pact_ledger/leader.py);
a mutation only records (nothing is projected on its request path) and answers with its log
`position`; its `case`, `events` and `readModelsCurrent`, when selected, and any request that
sends `X-Pact-Min-Position: <position>` (a query without it: the latest write through this
process) wait (bounded) for the read models to include it, a lagging process catching them up
itself (read-your-writes). `/healthz` says the process is
alive, `/readyz` whether it can serve (pact_ledger/health.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from typing import Any, cast

import orjson
from cross_web import HTTPException  # (what strawberry.asgi catches)
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData

from ledger.envelope import Actor
from pact_ledger import metrics
from pact_ledger import service_pages as pages
from pact_ledger.erasure import ErasureSchedule
from pact_ledger.guard import Guard
from pact_ledger.health import Readiness, healthz
from pact_ledger.live import LiveGate, LiveGraphQL, is_subscription, live_feed
from pact_ledger.observer import CountedAccessLog, ObservedCommands, RequestObserver
from pact_ledger.operation_label import operation_label, root_fields
from pact_ledger.rate_limit import Limiter, PostgresRateLimiter, RateLimiter
from pact_ledger.read_your_writes import RememberedWrites, holds_mutation
from pact_ledger.request_body import RequestBodyCheck
from pact_ledger.request_context import CURRENT, operation_name
from pact_ledger.security import SecuritySettings
from pact_ledger.serve_settings import ServeSettings
from pact_ledger.unexpected import UnexpectedErrors
from pact_ledger.upgrade import ReadModelUpgrade, UpgradeGate
from pact_ledger.web import web_routes
from pact_ledger.wiring import Container
from schema.build import build_schema, sdl
from schema.context import Context
from schema.heavy_work import HeavyWork


class LedgerGraphQL(GraphQL[Context, None]):
    def __init__(self, container: Container, graphiql: bool) -> None:
        super().__init__(
            build_schema(introspection=graphiql),
            graphql_ide="graphiql" if graphiql else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
        )
        self.container = container
        self.remembered = RememberedWrites(container.commands)
        self.commands = ObservedCommands(self.remembered)
        self.access_log: Any = CountedAccessLog(container.access_log)
        self.known_operations = root_fields(cast(Any, self.schema)._schema)
        self.heavy = HeavyWork()

    async def get_context(self, request: Any, response: Any) -> Context:
        principal = request.scope.get("state", {}).get("principal")
        if not isinstance(principal, Actor):  # only the Guard puts one there
            raise PermissionError("no authenticated principal")
        wanted = min_position(request.headers.get(MIN_POSITION))
        if wanted is not None and not self.remembered.reached(wanted) \
                and not await asyncio.to_thread(self.commands.reach, wanted):
            raise HTTPException(503, f"The read models have not reached position {wanted} "
                                     f"yet: retry shortly ({MIN_POSITION}).")
        c = self.container
        return Context.of(self.commands, c.reads, self.access_log, principal, c.personal,
                          self.heavy)

    async def execute_single(self, request: Any, request_adapter: Any, sub_response: Any,
                             context: Any, root_value: Any,
                             request_data: GraphQLRequestData) -> Any:
        if is_subscription(request_data.query, request_data.operation_name):
            raise HTTPException(400, "Subscriptions are served over WebSocket (graphql-transport-"
                                     "ws at /graphql), not over HTTP")
        wrote = self.remembered.latest
        if wrote and not self.remembered.reached(wrote) \
                and not holds_mutation(request_data.query):
            # the latest write through this process (`pact_ledger.read_your_writes`)
            await asyncio.to_thread(self.commands.reach, wrote)
        result = await super().execute_single(request, request_adapter, sub_response, context,
                                              root_value, request_data)
        info = CURRENT.get()
        if info is not None:
            asked = request_data.operation_name
            info.operation, named = operation_label(
                request_data.query, asked if isinstance(asked, str) else None,
                self.known_operations)
            info.operation_name = operation_name(named)
            if result.errors:
                code = (result.errors[0].extensions or {}).get("code")
                info.graphql_error = code if isinstance(code, str) else "GRAPHQL_ERROR"
        return result

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


#: The consistency token a client sends to read at least its own writes: a mutation's
#: `position`.
MIN_POSITION = "X-Pact-Min-Position"


def min_position(header: str | None) -> int | None:
    """The position asked for; a value that is not a whole number is a 400 naming the header."""
    if header is None or not header.strip():
        return None
    text = header.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise HTTPException(400, f"{MIN_POSITION} must be a log position (a whole number), "
                                 f"not {header[:40]!r}")
    return int(text)


def rate_limiter(container: Container, per_minute: int) -> Limiter:
    """Shared by every process on PostgreSQL; per process on SQLite."""
    if container.settings.backend == "postgres":
        return PostgresRateLimiter(container.db, per_minute)
    return RateLimiter(per_minute)


def create_app(container: Container, security: SecuritySettings,
               follow: bool = True, serve: ServeSettings | None = None,
               close_container: bool = False,
               erasure_interval: float | None = None) -> Starlette:
    """`follow`: keep the read models current in the background while this process leads;
    `close_container`: the app owns the container (the ASGI factory) and closes it on exit;
    `erasure_interval`: seconds between runs of the erasure schedule in the background
    (`pact_ledger.erasure`, issue 12), none: off."""
    serve = serve or ServeSettings()
    graphql = LedgerGraphQL(container, security.graphiql)
    limiter = rate_limiter(container, security.limits.rate_per_minute)
    guarded = Guard(RequestBodyCheck(graphql), security.verifier, limiter,
                    security.limits.max_body_bytes,
                    pages.graphiql_page() if security.graphiql else None)
    home = pages.home_page(security.graphiql, serve.metrics)

    async def index(request: Request) -> Response:
        return HTMLResponse(home, headers={
            "content-security-policy": pages.CONTENT_SECURITY_POLICY})

    async def schema_sdl(request: Request) -> Response:
        return PlainTextResponse(sdl())

    upgrade = ReadModelUpgrade(container.runner)
    readiness = Readiness(container, upgrade)

    graphql_route = UpgradeGate(guarded, upgrade)
    feed = live_feed(container)
    live = LiveGate(LiveGraphQL(container, security.verifier, feed, limiter,
                                security.graphiql, serve.cors_origins), upgrade)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(upgrade.start)
        if follow:
            container.runner.start(container.leadership)
        schedule = ErasureSchedule(container, erasure_interval) if erasure_interval else None
        if schedule is not None:
            schedule.start()
        await feed.start()
        # The heap built so far (schema, tables, wiring: ~170k objects) stays out of every
        # full collection: walking it took 40-80 ms of CPU at a time, stopping every request
        # in flight (the tail of a page at 100 req/s, issue 15). It lives as long as the app.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()  # collectable again once the app stops (tests start many apps)
            await feed.stop()
            if schedule is not None:
                schedule.stop()
            upgrade.stop()
            container.runner.stop()
            graphql.heavy.close()
            if close_container:
                await asyncio.to_thread(container.close)

    routes: list[BaseRoute] = [
        Route("/", index),
        Route("/graphql", UnexpectedErrors(graphql_route), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", live),  # subscriptions (issue 14)
        Route("/healthz", healthz),
        Route("/readyz", readiness.respond),
        *web_routes(container, security, limiter),  # exports and pages (issue 14)
    ]
    if serve.metrics:
        collector = metrics.LedgerCollector(container.ledger, container.runner.position,
                                            container.db)
        routes.append(Route("/metrics", metrics.metrics_endpoint(collector)))
    if security.graphiql:
        routes.append(Route("/schema.graphql", schema_sdl))
        routes.append(Mount(pages.STATIC_PREFIX,
                            StaticFiles(directory=pages.STATIC_DIR, follow_symlink=False)))
    middleware = [Middleware(RequestObserver)]
    if serve.cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(serve.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "x-request-id"],
            expose_headers=["x-request-id", "retry-after"], allow_credentials=False,
            max_age=600))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)

"""GraphQL subscriptions over WebSocket at /graphql (`graphql-transport-ws` only; issue 14).

The token travels in `connection_init` (`{"authorization": "Bearer <token>"}`, as the HTTP
header would): without a valid one the socket is closed with 4403 Forbidden (a `subscribe` before
`connection_init` with 4401, by the protocol). The token is verified again before every item
delivered and at least every second while idle (`schema.subscriptions.fields`): once it has
expired or its key has been retired, the subscription ends with an `UNAUTHENTICATED` error.
Only subscriptions travel over the socket: queries and mutations go over HTTP POST, through the
Guard (rate limit, body size). The socket takes from the same rate limit as HTTP: its
`connection_init` (from the principal's bucket, or from the client address's when the token is
refused) and each `subscribe`. Over the limit a connection is closed with 4429 and a subscription
gets an error `RATE_LIMITED` with `retryAfter`, as a request would get a 429. Browsers may
connect only from this origin or a configured CORS origin. While the read models are being
rebuilt the socket is closed with 1013 (try again later).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from graphql import GraphQLError, OperationType, parse
from graphql.error import GraphQLSyntaxError
from graphql.utilities import get_operation_ast
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.types.unset import UNSET, UnsetType

from ledger.envelope import Actor
from pact_ledger.guard import Verifier
from pact_ledger.rate_limit import Limiter, too_many, wait_for
from pact_ledger.tokens import TokenRejected
from pact_ledger.upgrade import ReadModelUpgrade
from pact_ledger.wiring import Container
from projections.live_feed import LiveFeed
from schema.build import build_schema
from schema.subscriptions.context import LiveContext, TokenExpired

log = logging.getLogger(__name__)

#: Subscriptions one connection may hold at once.
MAX_SUBSCRIPTIONS = 20


def live_feed(container: Container) -> LiveFeed:
    """The process's one feed: LISTEN on PostgreSQL (on the primary: a standby cannot LISTEN),
    polling on SQLite; read from where the queries read."""
    settings = container.settings
    url = settings.postgres_url if settings.backend == "postgres" else None
    return LiveFeed(container.read_db or container.db, container.reads.deadlines.now,
                    listen_url=url, primary=container.db)


def is_subscription(query: object, operation_name: object) -> bool:
    """Whether a GraphQL document's operation is a subscription (refused over HTTP: without the
    socket's context it could not run)."""
    if not isinstance(query, str) or "subscription" not in query:
        return False
    try:
        operation = get_operation_ast(parse(query, max_tokens=2000),
                                      operation_name if isinstance(operation_name, str) else None)
    except GraphQLSyntaxError:
        return False  # reported by GraphQL itself
    return operation is not None and operation.operation == OperationType.SUBSCRIPTION


class ConnectionLimited(Exception):
    """`connection_init` over the rate limit: the socket is closed with 4429."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _SubscriptionsOnly(BaseGraphQLTransportWSHandler[LiveContext, None]):
    """Refuses queries and mutations sent over the socket (they belong to HTTP POST), and
    subscriptions over the principal's rate limit."""

    view: LiveGraphQL

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except ConnectionLimited as limited:
            await self.websocket.close(code=4429, reason=limited.reason[:120])

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and message.get("id") not in self.operations:
            refusal = await self._refusal(message.get("payload"))
            if refusal is not None:
                await self.send_message({"id": message["id"], "type": "error",
                                         "payload": [refusal.formatted]})
                return
        await super().handle_subscribe(message)

    async def _refusal(self, payload: object) -> GraphQLError | None:
        """Why a new subscription is refused here (the principal over its rate limit, or not a
        subscription at all), or None: strawberry checks the rest."""
        actor = self.context.actor
        if actor is not None:
            limiter = self.view.limiter
            wait = await wait_for(limiter, f"principal:{actor.id}")
            if wait:
                return GraphQLError(too_many(limiter, "principal", wait),
                                    extensions={"code": "RATE_LIMITED", "retryAfter": wait})
        fields = payload if isinstance(payload, dict) else {}
        query = fields.get("query")
        if not isinstance(query, str):
            return None
        try:
            operation = get_operation_ast(parse(query, max_tokens=2000),
                                          fields.get("operationName"))
        except GraphQLSyntaxError:
            return None  # strawberry reports the syntax error itself
        if operation is not None and operation.operation != OperationType.SUBSCRIPTION:
            return GraphQLError(
                "Only subscriptions are served over WebSocket: send queries and mutations "
                "as HTTP POST to /graphql", extensions={"code": "BAD_REQUEST"})
        return None


class LiveGraphQL(GraphQL[LiveContext, None]):
    graphql_transport_ws_handler_class = _SubscriptionsOnly

    def __init__(self, container: Container, verifier: Verifier, feed: LiveFeed,
                 limiter: Limiter, graphiql: bool, origins: tuple[str, ...] = ()) -> None:
        super().__init__(build_schema(introspection=graphiql), graphql_ide=None,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
                         max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
                         allowed_origins=origins)
        self.container, self.verifier, self.feed = container, verifier, feed
        self.limiter = limiter

    async def get_context(self, request: Any, response: Any) -> LiveContext:
        client = getattr(request, "client", None)
        return LiveContext(feed=self.feed, reads=self.container.reads,
                           client_address=client[0] if client else "unknown")

    async def on_ws_connect(self, context: LiveContext) -> UnsetType | dict[str, object] | None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        value = params.get("authorization") or params.get("Authorization") or ""
        scheme, _, token = str(value).partition(" ")
        try:
            if scheme.lower() != "bearer" or not token.strip():
                raise TokenRejected("Missing bearer token in connection_init")
            actor = await asyncio.to_thread(self.verifier.verify, token.strip())
        except TokenRejected as rejected:
            log.info("subscription connection refused: %s", rejected)
            wait = await wait_for(self.limiter, f"address:{context.client_address}")
            if wait:  # as over HTTP: a 429, not whether the token held
                raise ConnectionLimited(too_many(self.limiter, "client address", wait)) from None
            raise ConnectionRejectionError() from None
        wait = await wait_for(self.limiter, f"principal:{actor.id}")
        if wait:
            raise ConnectionLimited(too_many(self.limiter, "principal", wait))
        context.actor = actor
        context.recheck = self._recheck(token.strip())
        return UNSET

    def _recheck(self, token: str) -> Any:
        async def recheck() -> Actor:
            try:
                return await asyncio.to_thread(self.verifier.verify, token)
            except TokenRejected as rejected:
                raise TokenExpired(f"{rejected}; the subscription ended: connect again with a "
                                   "new token and resume after the last cursor") from None
        return recheck


class LiveGate:
    """Closes the socket with 1013 while the read models are rebuilt (as /graphql answers 503)."""

    def __init__(self, app: LiveGraphQL, upgrade: ReadModelUpgrade) -> None:
        self.app, self.upgrade = app, upgrade

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.upgrade.current():
            await self.app(scope, receive, send)
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1013,
                    "reason": "read models are being rebuilt"})

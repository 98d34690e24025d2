"""What a subscription resolver may use: the principal the connection authenticated, a check that
its token still holds, the process's live feed and the read models (for the scope checks).

One context serves one WebSocket connection. It is made empty when the socket opens and filled
by `connection_init` (the edge checks the token there, `pact_ledger.live`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ledger.envelope import Actor
from ledger.errors import LedgerError
from projections.live_feed import LiveFeed
from projections.read_models import ReadModels


class TokenExpired(LedgerError):
    """The connection's token no longer holds (expired, or its key retired): the subscription
    ends; connect again with a new token, resuming `after` the last item received."""

    code = "UNAUTHENTICATED"


@dataclass
class LiveContext:
    feed: LiveFeed
    reads: ReadModels
    #: The client's address (the rate limit's key when a token is refused).
    client_address: str = "unknown"
    #: The payload of `connection_init` (strawberry puts it here).
    connection_params: dict[str, Any] = field(default_factory=dict)
    #: Set once `connection_init` carried a valid token.
    actor: Actor | None = None
    #: Verifies the connection's token again; raises `TokenExpired` once it no longer holds.
    recheck: Callable[[], Awaitable[Actor]] | None = None

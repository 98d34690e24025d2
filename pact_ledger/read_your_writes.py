"""Read-your-writes without a token: each principal's latest write, remembered by the process
that recorded it.

A mutation answers as soon as it is committed (`projections.consistency`); a client that reads
afterwards through the same process need not send its `position` back: a query (any request
whose document holds no mutation) by a principal who wrote through this process first waits,
bounded, until the read models include that principal's latest position. Across processes the
client sends the position itself (`X-Pact-Min-Position`, `pact_ledger.server`).
"""

from __future__ import annotations

import threading
from typing import Any

from ledger.envelope import Actor
from projections.consistency import Applied

#: Principals remembered at most (then forgotten all at once: they fall back to the token).
MAX_PRINCIPALS = 100_000


class RememberedWrites:
    """The command service, remembering each principal's latest recorded position."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._latest: dict[Actor, int] = {}
        self._lock = threading.Lock()

    def record(self, command: Any, meta: Any) -> Applied:
        applied: Applied = self.inner.record(command, meta)
        self._remember(meta.actor, applied.position)
        return applied

    def handle(self, command: Any, meta: Any) -> Applied:
        applied: Applied = self.inner.handle(command, meta)
        self._remember(meta.actor, applied.position)
        return applied

    def settle(self, outcome: Any) -> bool:
        return bool(self.inner.settle(outcome))

    def reach(self, position: int) -> bool:
        return bool(self.inner.reach(position))

    def latest(self, actor: Actor) -> int:
        """The latest position `actor` wrote through this process (0: none)."""
        return self._latest.get(actor, 0)

    def _remember(self, actor: Actor, position: int) -> None:
        with self._lock:
            if len(self._latest) >= MAX_PRINCIPALS:
                self._latest.clear()
            if position > self._latest.get(actor, 0):
                self._latest[actor] = position


def holds_mutation(document: str | None) -> bool:
    """Whether a GraphQL document may hold a mutation (then no implicit wait: a mutation must
    not wait for the one before it)."""
    return document is None or "mutation" in document

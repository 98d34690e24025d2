"""Read-your-writes without a token, within one process: the latest position written through it.

A mutation answers as soon as it is committed (`projections.consistency`); a client that reads
afterwards through the same process need not send its `position` back: a query (any request
whose document holds no mutation) first waits, bounded, until the read models include the
latest position recorded through this process, so a write is never missing from a read that
follows its answer here, whoever reads. Across processes the client sends the position itself
(`X-Pact-Min-Position`, `pact_ledger.server`).
"""

from __future__ import annotations

import threading
from typing import Any

from projections.consistency import Applied


class RememberedWrites:
    """The command service, remembering the latest position recorded through this process."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._latest = 0
        self._lock = threading.Lock()

    def record(self, command: Any, meta: Any) -> Applied:
        applied: Applied = self.inner.record(command, meta)
        self._remember(applied.position)
        return applied

    def handle(self, command: Any, meta: Any) -> Applied:
        applied: Applied = self.inner.handle(command, meta)
        self._remember(applied.position)
        return applied

    def settle(self, outcome: Any) -> bool:
        return bool(self.inner.settle(outcome))

    def reach(self, position: int) -> bool:
        return bool(self.inner.reach(position))

    @property
    def latest(self) -> int:
        """The latest position recorded through this process (0: none yet)."""
        return self._latest

    def _remember(self, position: int) -> None:
        with self._lock:
            self._latest = max(self._latest, position)


def holds_mutation(document: str | None) -> bool:
    """Whether a GraphQL document may hold a mutation (then no implicit wait: a mutation must
    not wait for the one before it)."""
    return document is None or "mutation" in document

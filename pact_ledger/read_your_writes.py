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
        self._reached = 0  # the highest position a `reach` confirmed (positions only grow)
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
        reached = bool(self.inner.reach(position))
        if reached:
            with self._lock:
                self._reached = max(self._reached, position)
        return reached

    def reached(self, position: int) -> bool:
        """Has a `reach` confirmed `position` (or a later one) already? Answered without
        waiting or any I/O, so that a read after a write need not take a worker thread to
        learn what is known already."""
        return position <= self._reached

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

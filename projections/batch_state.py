"""State a projection keeps in memory from one batch to the next, instead of reading its own
rows back and parsing them at every batch (the cost that grew with the ledger: a case spans more
batches the longer the log).

What is kept is trusted only when nothing else can have moved the tables since: it is tagged
with the tracking position its batch ended at, and the next batch uses it only if the tracking
row (read in the batch's own transaction) still says that position. A batch that fails, a
transaction rolled back, another runner or process that applied batches meanwhile, or a rebuild
switched in all leave another position, and the state is dropped and read from the tables again.
Each thread keeps its own (the live runner and a rebuild's build run side by side on the same
projection objects), bounded in size: the oldest cases are dropped first and read back when they
come again, so memory stays flat however large the log.
"""

from __future__ import annotations

import threading
from typing import Any, Generic, TypeVar

from projections.db import Tx

V = TypeVar("V")

#: The tracking row every runner of the read models moves (`projections.runner.TRACKING_NAME`).
TRACKING_NAME = "read_models"
#: Cases kept per thread and projection (a case's state is a few kilobytes).
DEFAULT_LIMIT = 5_000


class Kept(Generic[V]):
    """One thread's state: per case (`items`, oldest first) and whatever else (`extra`)."""

    __slots__ = ("after", "extra", "items")

    def __init__(self) -> None:
        self.items: dict[str, V] = {}
        self.extra: dict[str, Any] = {}
        self.after: int | None = None  # the tracking position this state stands at


class BatchState(Generic[V]):
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._local = threading.local()

    def begin(self, tx: Tx) -> Kept[V]:
        """The state to use for the batch now being applied in `tx` (empty when untrusted)."""
        kept: Kept[V] | None = getattr(self._local, "kept", None)
        tx.execute("SELECT position FROM projection_tracking WHERE name = ?", (TRACKING_NAME,))
        row = tx.fetchone()
        position = int(row["position"]) if row else 0
        if kept is None or kept.after is None or kept.after != position:
            kept = self._local.kept = Kept()
        kept.after = None  # until `finish`: a batch that stops half-way leaves nothing trusted
        return kept

    def finish(self, kept: Kept[V], last_position: int) -> None:
        """The batch ending at `last_position` is applied (trusted once its commit shows)."""
        excess = len(kept.items) - self.limit
        if excess > 0:
            for key in list(kept.items)[:excess]:
                del kept.items[key]
        kept.after = last_position

    def forget(self) -> None:
        self._local.kept = None

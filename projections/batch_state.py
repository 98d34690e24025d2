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
come again, so memory stays flat however large the log. A rebuild's build keeps more: every case
until the process holds its memory budget (`BatchState.memory_budget`, the operator's setting or
`DEFERRING_MEMORY`; then `Kept.ceiling`), as a case pushed out costs far more there than it
saves (see `DEFERRING_LIMIT`).

During a rebuild (`defer`, on the build's thread only) the per-case rows a projection keeps
beside this state (case rows, deadline trackers) are not written at every batch: the cases
changed since their row was written are marked `dirty`, and the projection writes a case's row
when the case leaves memory and all the others at the end of the build (`projections.blue_green`
calls `write_deferred` before the switch). Nothing reads the build's tables until the switch, and
a build that stops half-way is never switched in; if its state is untrusted while rows are still
unwritten, `begin` refuses rather than let the build go on with those rows missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from projections.db import Tx

V = TypeVar("V")

#: The tracking row every runner of the read models moves (`projections.runner.TRACKING_NAME`).
TRACKING_NAME = "read_models"
#: Cases kept per thread and projection (a case's state is a few kilobytes).
DEFAULT_LIMIT = 5_000
#: ... while a rebuild defers its rows (`defer`) or a catch-up far behind runs (`in_bulk`): a
#: case pushed out is written, then read back and parsed if its next event comes (a 115,820-event
#: ledger has about 7,600 cases). Still a fixed bound, so memory stays flat however long the log
#: (measured: about 22 kB per case for the case and deadline projections together, so at most
#: ~110 MB above the live bound); the live follower keeps the smaller one, as it runs for good
#: beside the server (its next batch drops the cases beyond it).
DEFERRING_LIMIT = 10_000
#: ... and a rebuild's build (`defer`) keeps more than that while the process's resident memory
#: stays below this many bytes: in a large ledger each case's events spread over the whole log
#: (1,156,372 events of 68,954 cases: with 10,000 kept, 250k of its events found their case
#: pushed out, and writing, reading back and parsing those cases took ~40% of the build's CPU
#: by 200k events and more after, the rate falling from ~4,900 to ~1,500 events per CPU second).
#: Still a fixed bound (memory stays flat beyond it whatever the log's length): once reached,
#: each projection keeps the number of cases it held then (`Kept.ceiling`). The cap: a quarter
#: of the machine's memory, if less. The default of `BatchState.memory_budget` (the operator's
#: `PACT_LEDGER_REBUILD_MEMORY_MB`, passed in by `pact_ledger.wiring`).
DEFERRING_MEMORY = 2 * 2**30


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux `/proc`; None elsewhere)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def default_memory_budget() -> int:
    """`DEFERRING_MEMORY`, or a quarter of the machine's memory if less."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError):
        return DEFERRING_MEMORY
    return min(DEFERRING_MEMORY, physical // 4)

#: Cases whose deferred rows are made and written per statement at a build's end.
WRITE_CHUNK = 2_000

_bulk = threading.local()


@contextmanager
def in_bulk() -> Iterator[None]:
    """On this thread, while it lasts: every projection keeps up to its larger limit (a
    catch-up far behind the log, `projections.runner.ProjectionRunner.catch_up`)."""
    was = getattr(_bulk, "on", False)
    _bulk.on = True
    try:
        yield
    finally:
        _bulk.on = was


class Kept(Generic[V]):
    """One thread's state: per case (`items`, oldest first) and whatever else (`extra`)."""

    __slots__ = ("after", "ceiling", "dirty", "extra", "items")

    def __init__(self) -> None:
        self.items: dict[str, V] = {}
        self.extra: dict[str, Any] = {}
        self.after: int | None = None  # the tracking position this state stands at
        #: while deferring: the cases (in `items`) whose rows are not written yet, with what
        #: the projection needs to write them (e.g. the position reached)
        self.dirty: dict[str, Any] = {}
        #: while deferring: the cases kept once the process reached its memory budget (None:
        #: not reached yet, every case is kept; see `BatchState.memory_budget`)
        self.ceiling: int | None = None


class UnwrittenRows(RuntimeError):
    """A deferring build lost the state of cases whose rows it had not written yet."""


class BatchState(Generic[V]):
    """`memory_budget`: the resident bytes up to which a rebuild's build keeps every case
    (None: `default_memory_budget()`; 0: no budget, `deferring_limit` cases only)."""

    def __init__(self, limit: int = DEFAULT_LIMIT,
                 deferring_limit: int = DEFERRING_LIMIT,
                 memory_budget: int | None = None) -> None:
        self.limit = limit
        self.deferring_limit = deferring_limit
        self.memory_budget = memory_budget
        self._local = threading.local()

    @property
    def deferring(self) -> bool:
        """Whether this thread's batches leave per-case rows unwritten until they are flushed."""
        return bool(getattr(self._local, "deferring", False))

    def defer(self) -> None:
        """From now on, on this thread: mark changed cases `dirty` instead of writing them."""
        self._local.deferring = True

    def stop_deferring(self) -> Kept[V] | None:
        """Back to writing per batch; returns the state whose dirty rows are still to be
        written (None when there is none), and drops it from this thread if any are left, so
        that no later batch trusts rows that were never written."""
        self._local.deferring = False
        kept: Kept[V] | None = getattr(self._local, "kept", None)
        if kept is not None and kept.dirty:
            self._local.kept = None
        return kept

    def written(self) -> Kept[V] | None:
        """This thread's state, to write its dirty rows from (the caller clears `dirty`)."""
        return getattr(self._local, "kept", None)

    def begin(self, tx: Tx) -> Kept[V]:
        """The state to use for the batch now being applied in `tx` (empty when untrusted)."""
        kept: Kept[V] | None = getattr(self._local, "kept", None)
        tx.execute("SELECT position FROM projection_tracking WHERE name = ?", (TRACKING_NAME,))
        row = tx.fetchone()
        position = int(row["position"]) if row else 0
        if kept is None or kept.after is None or kept.after != position:
            if kept is not None and kept.dirty and self.deferring:
                raise UnwrittenRows(f"{len(kept.dirty)} cases' rows were never written")
            kept = self._local.kept = Kept()
        kept.after = None  # until `finish`: a batch that stops half-way leaves nothing trusted
        return kept

    def evict(self, kept: Kept[V]) -> list[tuple[str, V, Any]]:
        """Drop the oldest cases beyond the limit; return those that were dirty (their rows
        are the caller's to write, in the batch's transaction), with their dirty marks."""
        if self.deferring:
            excess = len(kept.items) - self._deferring_bound(kept)
        elif getattr(_bulk, "on", False):
            excess = len(kept.items) - self.deferring_limit
        else:
            excess = len(kept.items) - self.limit
        if excess <= 0:
            return []
        unwritten = []
        for key in list(kept.items)[:excess]:
            value = kept.items.pop(key)
            if key in kept.dirty:
                unwritten.append((key, value, kept.dirty.pop(key)))
        return unwritten

    def _deferring_bound(self, kept: Kept[V]) -> int:
        """Cases a deferring build keeps: all of them until the process reaches its memory
        budget, then as many as it held then (never fewer than `deferring_limit`)."""
        held = len(kept.items)
        budget = (default_memory_budget() if self.memory_budget is None
                  else self.memory_budget)
        if held <= self.deferring_limit or budget <= 0:  # (0: no budget, the count only)
            return self.deferring_limit
        if kept.ceiling is None:
            resident = resident_bytes()
            if resident is not None and resident < budget:
                return held
            kept.ceiling = held
        return max(self.deferring_limit, kept.ceiling)

    def finish(self, kept: Kept[V], last_position: int) -> None:
        """The batch ending at `last_position` is applied (trusted once its commit shows)."""
        if self.evict(kept):
            raise UnwrittenRows("a deferring projection must write what `evict` returns")
        kept.after = last_position

    def forget(self) -> None:
        self._local.kept = None


class DeferredRows(Generic[V]):
    """What a rebuild calls on a projection whose per-case rows it defers
    (`projections.blue_green`); the projection only says how its dirty rows are written."""

    _kept: BatchState[V]

    def defer_writes(self) -> None:
        self._kept.defer()

    def has_deferred(self) -> bool:
        kept = self._kept.written()
        return kept is not None and bool(kept.dirty)

    def write_deferred(self, tx: Tx, cases: int | None = None) -> None:
        """Write the dirty rows (of at most `cases` cases, the first marked first, when given;
        those written are no longer dirty), `WRITE_CHUNK` cases at a time: the rows and JSON
        texts made for one statement stay small however many cases the build kept (all of them,
        up to its memory budget: a 400,000-event build's end wrote ~30,000 cases, and making
        all their rows at once took its peak memory from ~600 MB to ~930 MB)."""
        kept = self._kept.written()
        if kept is None or not kept.dirty:
            return
        dirty = list(kept.dirty.items())
        if cases is not None:
            dirty = dirty[:cases]
        part: Kept[V] = Kept()
        part.items = kept.items
        for start in range(0, len(dirty), WRITE_CHUNK):
            part.dirty = dict(dirty[start:start + WRITE_CHUNK])
            self._write_dirty(tx, part)
        if cases is None or len(dirty) == len(kept.dirty):
            kept.dirty.clear()
        else:
            for key, _ in dirty:
                del kept.dirty[key]

    def stop_deferring(self) -> None:
        self._kept.stop_deferring()

    def _write_dirty(self, tx: Tx, kept: Kept[V]) -> None:
        raise NotImplementedError

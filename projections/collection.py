"""Python's cyclic garbage collection paused in its full form while projections work in bulk.

Why: a rebuild or a catch-up far behind the log keeps thousands of cases in memory (case states,
deadline trackers: `projections.batch_state`), and every full collection walks all of them. The
larger the ledger, the more cases are kept, so the same events cost more the longer the log:
measured on a 115,820-event ledger, collections took 30% of a rebuild's CPU, against ~10% at
10k events, and pausing them left peak memory as it was (the projections make no cyclic garbage
to speak of: a collection after a 10k-event rebuild run without any found none). So, while any
bulk run lasts (`paused`, re-entrant and shared between threads, as the collector is the
process's), automatic collection is off, and a batch ends with a collection of the young
generations only once more than `YOUNG_LIMIT` objects were made and kept since the last one
(`after_batch`: a safety net against cyclic garbage piling up, should any code make some; the
kept state is bounded, so this is rare, and it walks those objects only, however large the
heap). A young collection after every batch cost ~8% of a rebuild's CPU (it walks every object
the batch made that is still alive). The cost per event is then the same at 10k events and at
1M. The old setting is restored when the last bulk run ends; cyclic garbage that reached the
oldest generation meanwhile is collected then as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
#: Objects made and still alive since the last collection (the collector's own count of its
#: youngest generation) above which a batch's end collects the young generations.
YOUNG_LIMIT = 1_000_000
_runs = 0  # bulk runs now in progress (any thread)
_was_enabled = True  # the collector's setting before the first of them


@contextmanager
def paused() -> Iterator[None]:
    """While this lasts: no automatic collections; `after_batch` collects the young objects."""
    global _runs, _was_enabled
    with _lock:
        if _runs == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if _runs == 0 and _was_enabled:
                gc.enable()


def after_batch() -> None:
    """A batch is applied: while collections are paused, collect the two young generations if
    more than `YOUNG_LIMIT` objects were made (and kept) since the last collection; the
    survivors move to the oldest generation."""
    if _runs and gc.get_count()[0] > YOUNG_LIMIT:
        gc.collect(1)

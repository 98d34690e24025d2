"""A token bucket per principal: `per_minute` requests a minute, in bursts of at most as many.

Kept in the server process (one bucket set per worker); at most `max_keys` principals are
tracked, the least recently seen forgotten first (a forgotten one starts with a full bucket).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.per_minute = per_minute
        self._rate = per_minute / 60.0  # tokens a second
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at

    def take(self, key: str) -> int:
        """0 when `key` may make a request now (and it is counted); else the whole seconds to
        wait before it may (for a Retry-After header)."""
        now = self._clock()
        tokens, at = self._buckets.pop(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - at) * self._rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            wait = 0
        else:
            self._buckets[key] = (tokens, now)
            wait = max(1, math.ceil((1.0 - tokens) / self._rate))
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return wait

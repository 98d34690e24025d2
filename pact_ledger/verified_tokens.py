"""Tokens already verified against the configured keys, remembered until they expire.

Checking an HS256 token (three base64 segments decoded, a signature, every claim) cost more CPU
than serving a small GraphQL read. The same token comes with every request of a session, and
what the check decides depends only on the token's bytes, the key ring (fixed for the life of
the process) and the time: so a token verified once is taken as verified until its `exp` plus
the leeway the check allows, and at most `max_seconds` after its check. Only successes are
remembered, a bounded number of them (the oldest are forgotten first). Identity-provider tokens
are not remembered: their keys can be retired while the process runs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ledger.envelope import Actor


class VerifiedTokens:
    def __init__(self, size: int = 4096, max_seconds: float = 300.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.size, self.max_seconds, self._clock = size, max_seconds, clock
        self._entries: dict[str, tuple[Actor, float]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Actor | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        if self._clock() >= entry[1]:
            with self._lock:
                self._entries.pop(token, None)
            return None
        return entry[0]

    def put(self, token: str, actor: Actor, valid_until: float) -> None:
        """`valid_until`: seconds since 1970 after which the check would refuse the token."""
        until = min(valid_until, self._clock() + self.max_seconds)
        with self._lock:
            while len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[token] = (actor, until)

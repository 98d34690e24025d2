"""A separate, bounded pool for heavy reads (verifying the ledger, digests, proofs).

Light reads run on the default worker threads; heavy ones here, one at a time, with a few
waiting: a burst of verifications cannot take every worker thread from the light reads, and
one beyond the queue is refused at once with BUSY (retry later) instead of waiting unbounded.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from graphql import GraphQLError

T = TypeVar("T")

WORKERS = 1
WAITING = 4


class HeavyWork:
    def __init__(self, workers: int = WORKERS, waiting: int = WAITING) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="heavy-read")
        self._slots = threading.BoundedSemaphore(workers + waiting)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if not self._slots.acquire(blocking=False):
            raise GraphQLError("The ledger is busy with heavy reads (verification, proofs); "
                               "retry in a few seconds", extensions={"code": "BUSY"})
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool,
                                                                    partial(fn, *args))
        finally:
            self._slots.release()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

"""The in-memory token buckets (SQLite servers): a flood of new keys cannot forget a throttled
principal (issue 10, defect 7: 10,001 keys used to evict it from a 10,000-key LRU)."""

from __future__ import annotations

from pact_ledger.rate_limit import RateLimiter


def test_a_flood_of_keys_does_not_reset_a_throttled_principal() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=3, clock=lambda: now[0], max_keys=10_000)
    assert [limiter.take("principal:mallory") for _ in range(4)] == [0, 0, 0, 20]
    for n in range(10_001):
        limiter.take(f"principal:sock-puppet-{n}")
        limiter.take(f"address:10.0.{n // 250}.{n % 250}")
    assert limiter.take("principal:mallory") == 20  # still throttled, not a fresh bucket
    now[0] = 20.0
    assert limiter.take("principal:mallory") == 0


def test_only_buckets_full_again_are_forgotten() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, clock=lambda: now[0])
    for n in range(100):
        limiter.take(f"principal:p{n}")
    assert limiter.tracked() == 100
    now[0] = 59.0  # not yet full: kept
    limiter.take("principal:p0")
    assert limiter.tracked() == 100
    now[0] = 60.5  # every bucket but p0's (used at 59 s) is full again: forgotten
    limiter.take("principal:new")
    assert limiter.tracked() == 2


def test_at_capacity_new_keys_wait_rather_than_evict() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: now[0], max_keys=3)
    assert [limiter.take("principal:mallory") for _ in range(3)] == [0, 0, 30]
    limiter.take("principal:b")
    limiter.take("principal:c")
    assert limiter.take("principal:d") == 60  # the table is full of recent buckets: d waits
    assert limiter.take("address:127.0.0.1") == 0  # addresses have their own table
    assert limiter.take("principal:mallory") == 30  # and mallory is still throttled
    now[0] = 61.0
    assert limiter.take("principal:d") == 0

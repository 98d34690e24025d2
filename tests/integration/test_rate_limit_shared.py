"""Rate limits on PostgreSQL are rows of one table, shared by every process on the database,
taken atomically; only buckets that are full again are ever deleted (issue 10, defect 7)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pact_ledger.rate_limit import PostgresRateLimiter
from projections.db import PostgresDatabase
from tests.support.pgserver import TemporaryPostgres


def test_two_processes_share_one_bucket(postgres: TemporaryPostgres) -> None:
    url = postgres.create_database("rate_shared")
    first_db, second_db = PostgresDatabase(url), PostgresDatabase(url)  # two processes' pools
    try:
        first = PostgresRateLimiter(first_db, per_minute=10)
        second = PostgresRateLimiter(second_db, per_minute=10)
        with ThreadPoolExecutor(8) as pool:
            waits = list(pool.map(lambda n: (first, second)[n % 2].take("principal:p"),
                                  range(30)))
        assert waits.count(0) == 10  # exactly the bucket's size, whichever process answered
        assert all(w >= 1 for w in waits if w)
        assert second.take("principal:other") == 0
    finally:
        first_db.close()
        second_db.close()
        postgres.drop_database("rate_shared")


def test_cleaning_keeps_throttled_buckets(postgres: TemporaryPostgres) -> None:
    url = postgres.create_database("rate_clean")
    db = PostgresDatabase(url)
    try:
        limiter = PostgresRateLimiter(db, per_minute=1)
        assert [limiter.take("principal:mallory") for _ in range(2)][-1] >= 1
        with db.transaction() as tx:  # 10,001 other keys used just now (a flood)
            tx.execute("INSERT INTO rate_limit_buckets SELECT 'address:' || g, 0, "
                       "extract(epoch from clock_timestamp()), false "
                       "FROM generate_series(1, 10001) AS g")
        for n in range(5):
            limiter.take(f"address:flood-{n}")
        limiter.forget_full()
        assert limiter.take("principal:mallory") >= 1  # still throttled
        # Buckets not used for a minute are full again: only those go.
        with db.transaction() as tx:
            tx.execute("UPDATE rate_limit_buckets SET at = at - 61 WHERE left(key, 8) = 'address:'")
        assert limiter.forget_full() == 10_006
        assert db.fetchone("SELECT count(*) AS n FROM rate_limit_buckets")["n"] == 1
    finally:
        db.close()
        postgres.drop_database("rate_clean")


def test_workers_started_together_create_the_table_once(postgres: TemporaryPostgres) -> None:
    """Eight workers starting at once each create the buckets table: CREATE ... IF NOT EXISTS
    alone races (a unique violation on pg_type); under the lock every one of them starts."""
    from threading import Barrier

    failures: list[BaseException] = []
    for attempt in range(5):  # a fresh database each time: the race is only on the first CREATE
        name = f"rate_start_{attempt}"
        url = postgres.create_database(name)
        dbs = [PostgresDatabase(url) for _ in range(8)]
        gate = Barrier(len(dbs))

        def start(db: PostgresDatabase, gate: Barrier = gate) -> None:
            gate.wait()
            try:
                PostgresRateLimiter(db, per_minute=10)
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                failures.append(error)

        try:
            with ThreadPoolExecutor(len(dbs)) as pool:
                list(pool.map(start, dbs))
        finally:
            for db in dbs:
                db.close()
            postgres.drop_database(name)
    assert failures == []

"""The PostgreSQL key store answers a key look-up, and stores a new key, in one round trip each
(autocommit: the statement is its own transaction), and a new key is committed when `key_for`
returns, also on the connection that just compacted the store after a destruction."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from pact_ledger.keystore import KeyStore
from pact_ledger.master_keys import MasterKeys, new_master_key_text
from pact_ledger.settings import Settings
from tests.support.pgserver import TemporaryPostgres


@pytest.fixture
def pg_settings(postgres: TemporaryPostgres) -> Iterator[Settings]:
    """A fresh PostgreSQL database (round trips: the SQLite store has none)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield Settings(postgres.create_database(name))
    postgres.drop_database(name)


@pytest.fixture
def pg_store(pg_settings: Settings) -> Iterator[KeyStore]:
    store = KeyStore(pg_settings.keystore_location, pg_settings.master_key_ring(),
                     pool_size=1)
    yield store
    store.close()


def _traced(store: KeyStore, action: Callable[[], Any]) -> int:
    """`_syncs` with the pool's one connection lent back to the action."""
    pool = store.db.pool  # type: ignore[union-attr]
    conn = pool.getconn()
    trace = tempfile.TemporaryFile("w+")
    try:
        conn.pgconn.trace(trace.fileno())
    finally:
        pool.putconn(conn)
    try:
        action()
    finally:
        conn.pgconn.untrace()
    trace.seek(0)
    lines = [line.split("\t") for line in trace.read().splitlines()]
    trace.close()
    return sum(1 for parts in lines if len(parts) > 3 and parts[1] == "F"
               and parts[3].startswith(("Query", "Sync")))


def test_a_new_key_and_each_look_up_cost_one_round_trip(pg_store: KeyStore) -> None:
    assert _traced(pg_store, lambda: pg_store.key_for("case-1", "person-1")) == 2  # ask, insert
    assert _traced(pg_store, lambda: pg_store.key_for("case-1", "person-1")) == 1
    assert _traced(pg_store, lambda: pg_store.keys(["case-1"])) == 1


def test_a_new_key_is_committed_when_returned_even_after_a_compaction(
        pg_store: KeyStore, pg_settings: Settings) -> None:
    pg_store.key_for("case-1", "person-1")
    assert pg_store.destroy(["case-1"]) == ["case-1"]  # VACUUM FULL on the pool's connection
    key = pg_store.key_for("case-2", "person-1")
    with psycopg.connect(pg_settings.keystore_location) as other:
        rows = other.execute("SELECT key_id FROM pact_ledger_keys.data_keys").fetchall()
    assert rows == [("case-2",)]
    assert pg_store.keys(["case-2"]) == {"case-2": key}


def test_rewrapping_commits_each_key_and_compacts_on_the_autocommit_pool(
        pg_settings: Settings) -> None:
    """Several statements still go in one explicit transaction (an UPDATE per key), and the
    store's compaction (VACUUM FULL, refused inside a transaction block) still runs."""
    old = MasterKeys.parse(new_master_key_text("old"))
    store = KeyStore(pg_settings.keystore_location, old, pool_size=1)
    try:
        keys = {f"case-{n}": store.key_for(f"case-{n}", "person-1") for n in range(3)}
    finally:
        store.close()
    rotated = MasterKeys((*MasterKeys.parse(new_master_key_text("new")).keys, *old.keys))
    store = KeyStore(pg_settings.keystore_location, rotated, pool_size=1)
    try:
        assert store.rewrap() == 3
        assert store.master_kids_in_use() == {"new": 3}
        assert store.keys(list(keys)) == keys
        assert store.destroy(["case-0"]) == ["case-0"]
    finally:
        store.close()
    with psycopg.connect(pg_settings.keystore_location) as other:
        kids = other.execute("SELECT master_kid, count(*) FROM pact_ledger_keys.data_keys "
                             "GROUP BY master_kid").fetchall()
    assert kids == [("new", 2)]

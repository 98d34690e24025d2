"""The key store: one data key per case, wrapped by the master key, apart from the events.

On SQLite it is a file of its own (`data/pact-ledger-keys.sqlite` beside the ledger's file), so
that a copy or backup of the event store holds no keys; on PostgreSQL it is the schema
`pact_ledger_keys` of the database `PACT_LEDGER_KEYSTORE_URL` names (give it its own role and
credentials in production; default: the ledger's database). Keys are never logged or exported.

Destroying a key deletes its row and keeps a tombstone (`destroyed_keys`: which key, whose
person id, when; nothing secret). SQLite runs with `secure_delete=ON`, so the deleted row is
overwritten with zeros in its page, and in write-ahead-log mode with `synchronous=FULL`: a new
key is durable at its commit with one flush (the log's), where a rollback journal took four
(journal, its header, the file, the journal's deletion) and a file created and deleted. The log
holds earlier images of a page until a checkpoint, so after each batch of destructions, and
whenever the store is opened (a crash may have come between a destruction and that), the log is
checkpointed into the file and truncated to zero bytes (`compact`): then no file of the store
holds the destroyed key, as when the rollback journal was deleted at each commit. PostgreSQL
rewrites the table (`VACUUM FULL`) after each batch of destructions, so no data file keeps the
wrapped key. (PostgreSQL's write-ahead log and any archive of it keep the wrapped key until they
are recycled: that copy is useless once the master key that wrapped it is retired by a rotation,
which is why rotation is documented.)

A key is stored (committed, flushed) before any event sealed under it is recorded (the event
store's commit comes later, in `Ledger.handle`): a crash between the two leaves a key without an
event (harmless: nothing is sealed under it; a retry uses it), never an event without its key.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ledger.personal_data import cipher
from ledger.personal_data.sealed import SealedValue
from ledger.personal_data.vault import open_with
from pact_ledger.master_keys import MasterKeys

SCHEMA = "pact_ledger_keys"


class KeyDestroyed(Exception):
    """A data key was asked for after it was destroyed: nothing may be sealed under it again."""


def _wrap_aad(key_id: str, kid: str) -> bytes:
    return f"pact-ledger/data-key/v1|{key_id}|{kid}".encode()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class _SQLite:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.prefix = ""

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten with zeros
            conn.execute("PRAGMA busy_timeout=30000")
            # One flush a commit, durable at the commit; `compact` empties the log after a
            # destruction (module docstring).
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        conn = self._conn()
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cur.close()

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn().execute(sql, params).fetchall()

    def insert_one(self, sql: str, params: Sequence[Any]) -> int:
        """One statement in a transaction of its own, committed (flushed) on return; its row
        count."""
        with self.transaction() as tx:
            return int(tx.execute(sql, params).rowcount)

    def compact(self, tables: Iterable[str]) -> None:
        """secure_delete zeroed the rows in their pages; the write-ahead log still holds the
        pages' earlier images: copy the log into the file and truncate it to zero bytes, or
        raise (the key stays destroyed; the next destruction or opening of the store empties
        the log)."""
        if not self.empty_log():
            raise sqlite3.OperationalError(
                f"the key store's write-ahead log ({self.path}-wal) could not be emptied after "
                "a destruction (busy): a destroyed key's earlier page image stays in it until "
                "the next destruction or start empties it")

    def empty_log(self) -> bool:
        """Checkpoint the log into the file and truncate it; whether that finished. Readers
        hold a snapshot only while a statement runs, so each attempt waits at most a moment
        for them (within the busy timeout)."""
        for _ in range(3):
            busy = self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                return True
        return False

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


class _Postgres:
    dialect = "postgres"

    def __init__(self, url: str, max_size: int) -> None:
        from psycopg_pool import ConnectionPool

        # Autocommit connections: a single statement is its own transaction, so a key lookup
        # or a new key costs one round trip, not three (psycopg sends BEGIN, the statement and
        # COMMIT one at a time); several statements still go in an explicit transaction.
        self.pool = ConnectionPool(url, min_size=1, max_size=max_size, open=True,
                                   kwargs={"autocommit": True})
        self.prefix = f"{SCHEMA}."

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield _Cursor(cur)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.pool.connection() as conn:
            return list(conn.execute(sql.replace("?", "%s"), params).fetchall())

    def insert_one(self, sql: str, params: Sequence[Any]) -> int:
        """One statement, committed by the server before it answers (autocommit); its row
        count."""
        with self.pool.connection() as conn:
            return int(conn.execute(sql.replace("?", "%s"), params).rowcount)

    def compact(self, tables: Iterable[str]) -> None:
        """Rewrite the tables into new files: no data file keeps a destroyed key's row."""
        with self.pool.connection() as conn:
            for table in tables:
                conn.execute(f"VACUUM FULL {self.prefix}{table}")

    def close(self) -> None:
        self.pool.close()


class _Cursor:
    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cur.execute(sql.replace("?", "%s"), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any:
        return self._cur.executemany(sql.replace("?", "%s"), rows)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._cur.fetchall())


class KeyStore:
    """Per-case data keys, wrapped (AES-256-GCM) by the current master key."""

    def __init__(self, url: str, master: MasterKeys, pool_size: int = 2) -> None:
        self.master = master
        self.db: _SQLite | _Postgres
        if url.startswith("sqlite:///"):
            self.db = _SQLite(Path(url.removeprefix("sqlite://")))
        else:
            self.db = _Postgres(url.replace("postgres://", "postgresql://", 1), pool_size)
        self.url = url
        self._create()
        # A crash between a destruction and its compaction left the earlier page images in the
        # log (SQLite): empty it now (nothing to do on a clean log).
        if isinstance(self.db, _SQLite):
            self.db.empty_log()

    def _t(self, table: str) -> str:
        return self.db.prefix + table

    def _create(self) -> None:
        blob = "BLOB" if self.db.dialect == "sqlite" else "BYTEA"
        with self.db.transaction() as tx:
            if self.db.dialect == "postgres":
                tx.execute("SELECT pg_advisory_xact_lock(7243012)")
                tx.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            tx.execute(f"""CREATE TABLE IF NOT EXISTS {self._t('data_keys')} (
                key_id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL,
                master_kid TEXT NOT NULL,
                wrapped {blob} NOT NULL,
                created_at TEXT NOT NULL)""")
            tx.execute(f"CREATE INDEX IF NOT EXISTS data_keys_person ON "
                       f"{self._t('data_keys')} (person_id)")
            tx.execute(f"""CREATE TABLE IF NOT EXISTS {self._t('destroyed_keys')} (
                key_id TEXT PRIMARY KEY,
                person_id TEXT NOT NULL,
                destroyed_at TEXT NOT NULL)""")

    # --- wrapping ---------------------------------------------------------------------------
    def _wrap(self, key_id: str, key: bytes) -> tuple[str, bytes]:
        kid, master = self.master.current
        nonce, wrapped = cipher.seal(master, key, _wrap_aad(key_id, kid))
        return kid, nonce + wrapped

    def _unwrap(self, key_id: str, kid: str, blob: bytes) -> bytes:
        master = self.master.key(kid)
        if master is None:
            raise ValueError(f"data key {key_id} is wrapped by master key {kid!r}, which is not "
                             "configured (PACT_LEDGER_MASTER_KEYS)")
        blob = bytes(blob)
        return cipher.open_sealed(master, blob[:cipher.NONCE_BYTES], blob[cipher.NONCE_BYTES:],
                                  _wrap_aad(key_id, kid))

    # --- keys ---------------------------------------------------------------------------------
    def key_for(self, key_id: str, person_id: str) -> bytes:
        """The data key `key_id`, created on first use; refused once destroyed."""
        # One query asks both whether the key exists and whether it was destroyed (a new case
        # asks at its opening: two round trips were a tenth of its command's time).
        blob = "BLOB" if self.db.dialect == "sqlite" else "BYTEA"
        rows = self.db.fetchall(
            f"SELECT master_kid, wrapped, CAST(NULL AS TEXT) FROM {self._t('data_keys')} "
            f"WHERE key_id = ? UNION ALL SELECT CAST(NULL AS TEXT), CAST(NULL AS {blob}), "
            f"destroyed_at FROM {self._t('destroyed_keys')} WHERE key_id = ?",
            (key_id, key_id))
        for kid, wrapped, _destroyed_at in rows:
            if kid is not None:
                return self._unwrap(key_id, kid, wrapped)
        if rows:
            raise KeyDestroyed(f"data key {key_id} was destroyed")
        key = cipher.new_key()
        kid, wrapped = self._wrap(key_id, key)
        inserted = self.db.insert_one(
            f"INSERT INTO {self._t('data_keys')} (key_id, person_id, master_kid, "
            "wrapped, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING",
            (key_id, person_id, kid, wrapped, _now()))
        if inserted == 1:
            return key  # stored as generated: no need to read it back
        return self.keys([key_id])[key_id]  # another writer inserted first: theirs counts

    def add_keys(self, new: Sequence[tuple[str, str, bytes]]) -> dict[str, bytes]:
        """Store many new data keys (key id, person id, key) in one transaction (a bulk import
        creates one per case); returns each key as stored: whoever inserted first wins."""
        if not new:
            return {}
        rows = [(key_id, person_id, *self._wrap(key_id, key), _now())
                for key_id, person_id, key in new]
        with self.db.transaction() as tx:
            tx.executemany(f"INSERT INTO {self._t('data_keys')} (key_id, person_id, "
                           "master_kid, wrapped, created_at) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (key_id) DO NOTHING", rows)
        return self.keys([key_id for key_id, _, _ in new])

    def keys(self, key_ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        ids = sorted(set(key_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.db.fetchall(
                f"SELECT key_id, master_kid, wrapped FROM {self._t('data_keys')} "
                f"WHERE key_id IN ({', '.join('?' for _ in chunk)})", chunk)
            for key_id, kid, wrapped in rows:
                found[key_id] = self._unwrap(key_id, kid, wrapped)
        return found

    def key_ids_of(self, person_id: str) -> list[str]:
        """Every key (destroyed or not) of one person's cases."""
        rows = self.db.fetchall(
            f"SELECT key_id FROM {self._t('data_keys')} WHERE person_id = ? UNION "
            f"SELECT key_id FROM {self._t('destroyed_keys')} WHERE person_id = ?",
            (person_id, person_id))
        return sorted(r[0] for r in rows)

    def destroyed(self, key_ids: Sequence[str]) -> set[str]:
        """Those of `key_ids` that were destroyed."""
        found: set[str] = set()
        ids = sorted(set(key_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(r[0] for r in self.db.fetchall(
                f"SELECT key_id FROM {self._t('destroyed_keys')} "
                f"WHERE key_id IN ({', '.join('?' for _ in chunk)})", chunk))
        return found

    def destroyed_at(self, key_id: str) -> str | None:
        rows = self.db.fetchall(f"SELECT destroyed_at FROM {self._t('destroyed_keys')} "
                                "WHERE key_id = ?", (key_id,))
        return rows[0][0] if rows else None

    def destroy(self, key_ids: Sequence[str]) -> list[str]:
        """Destroy keys for good (idempotent); returns those that existed. Then compacts."""
        destroyed: list[str] = []
        for key_id in key_ids:
            with self.db.transaction() as tx:
                tx.execute(f"SELECT person_id FROM {self._t('data_keys')} WHERE key_id = ?",
                           (key_id,))
                rows = tx.fetchall()
                if not rows:
                    continue
                tx.execute(f"INSERT INTO {self._t('destroyed_keys')} (key_id, person_id, "
                           "destroyed_at) VALUES (?, ?, ?) ON CONFLICT (key_id) DO NOTHING",
                           (key_id, rows[0][0], _now()))
                tx.execute(f"DELETE FROM {self._t('data_keys')} WHERE key_id = ?", (key_id,))
                destroyed.append(key_id)
        if destroyed:
            self.db.compact(["data_keys"])
        return destroyed

    def rewrap(self) -> int:
        """Rewrap every data key not under the current master key; returns how many."""
        kid = self.master.current[0]
        rows = self.db.fetchall(f"SELECT key_id, master_kid, wrapped FROM {self._t('data_keys')} "
                                "WHERE master_kid <> ?", (kid,))
        for key_id, old_kid, wrapped in rows:
            key = self._unwrap(key_id, old_kid, wrapped)
            new_kid, new_wrapped = self._wrap(key_id, key)
            with self.db.transaction() as tx:
                tx.execute(f"UPDATE {self._t('data_keys')} SET master_kid = ?, wrapped = ? "
                           "WHERE key_id = ? AND master_kid = ?",
                           (new_kid, new_wrapped, key_id, old_kid))
        if rows:
            self.db.compact(["data_keys"])
        return len(rows)

    def master_kids_in_use(self) -> dict[str, int]:
        rows = self.db.fetchall(f"SELECT master_kid, COUNT(*) FROM {self._t('data_keys')} "
                                "GROUP BY master_kid")
        return {kid: int(n) for kid, n in rows}

    def close(self) -> None:
        self.db.close()


class KeyStoreVault:
    """The `PersonalDataVault` port over the key store."""

    def __init__(self, store: KeyStore) -> None:
        self.store = store

    def seal(self, key_id: str, person_id: str, plaintext: bytes, aad: bytes) -> SealedValue:
        key = self.store.key_for(key_id, person_id)
        nonce, ciphertext = cipher.seal(key, plaintext, aad)
        return SealedValue(key_id, cipher.b64(nonce), cipher.b64(ciphertext))

    def open(self, sealed: SealedValue, aad: bytes) -> bytes | None:
        return self.open_many([(sealed, aad)])[0]

    def open_many(self, items: list[tuple[SealedValue, bytes]]) -> list[bytes | None]:
        keys = self.store.keys([s.key_id for s, _ in items])
        return [open_with(keys.get(s.key_id), s, aad) for s, aad in items]

    def destroy(self, key_id: str) -> bool:
        return bool(self.store.destroy([key_id]))

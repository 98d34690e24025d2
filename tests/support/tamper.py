"""Direct SQL on the stored events of either backend, behind the ledger's back, as an attacker
with database access would do it (SQLite `stored_events` keyed by rowid; PostgreSQL
`pactledger_events` keyed by notification_id)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import psycopg

from pact_ledger.settings import Settings


class StoredRows:
    def __init__(self, settings: Settings) -> None:
        self.sqlite = settings.backend == "sqlite"
        if self.sqlite:
            self.conn: Any = sqlite3.connect(settings.sqlite_path, isolation_level=None)
            self.table, self.pos = "stored_events", "rowid"
        else:
            self.conn = psycopg.connect(settings.postgres_url, autocommit=True)
            self.table, self.pos = "pactledger_events", "notification_id"

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        if not self.sqlite:
            sql = sql.replace("?", "%s")
        cursor = self.conn.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []

    def _id(self, stream: UUID) -> Any:
        return stream.hex if self.sqlite else stream

    def positions(self, stream: UUID) -> dict[int, int]:
        """version -> position."""
        rows = self._run(f"SELECT originator_version, {self.pos} FROM {self.table} "
                         "WHERE originator_id = ?", (self._id(stream),))
        return {int(v): int(p) for v, p in rows}

    def state(self, position: int) -> dict[str, Any]:
        (raw,), = self._run(f"SELECT state FROM {self.table} WHERE {self.pos} = ?", (position,))
        return dict(json.loads(bytes(raw)))

    def raw_state(self, position: int) -> bytes:
        (raw,), = self._run(f"SELECT state FROM {self.table} WHERE {self.pos} = ?", (position,))
        return bytes(raw)

    def set_state(self, position: int, state: dict[str, Any] | bytes) -> None:
        raw = state if isinstance(state, bytes) else json.dumps(state).encode()
        self._run(f"UPDATE {self.table} SET state = ? WHERE {self.pos} = ?", (raw, position))

    def alter_actor(self, position: int, actor_id: str = "intruder") -> None:
        state = self.state(position)
        state["envelope"]["_data_"]["actor"]["_data_"]["id"] = actor_id
        self.set_state(position, state)

    def reoffset(self, position: int, hours: int, recorded: bool = False) -> None:
        """The same instant written in another UTC offset: legal time (or recording time)."""
        state = self.state(position)
        slot = state["timestamp"] if recorded else state["envelope"]["_data_"]["occurred_at"]
        moment = datetime.fromisoformat(slot["_data_"])
        slot["_data_"] = moment.astimezone(timezone(timedelta(hours=hours))).isoformat()
        assert datetime.fromisoformat(slot["_data_"]) == moment
        self.set_state(position, state)

    def downgrade_hash_format(self, position: int) -> None:
        """Claim the event was hashed in format 1 (which normalised offsets away)."""
        state = self.state(position)
        envelope = state["envelope"]["_data_"]
        envelope.pop("command_fingerprint", None)
        envelope.pop("hash_format", None)
        self.set_state(position, state)

    def set_topic(self, position: int, topic: str) -> None:
        self._run(f"UPDATE {self.table} SET topic = ? WHERE {self.pos} = ?", (topic, position))

    def garble_stream_id(self, position: int) -> None:
        """SQLite only (PostgreSQL types the column): an id the recorder cannot parse."""
        self._run(f"UPDATE {self.table} SET originator_id = 'not-a-uuid' WHERE {self.pos} = ?",
                  (position,))

    def delete(self, position: int) -> None:
        self._run(f"DELETE FROM {self.table} WHERE {self.pos} = ?", (position,))

    def set_version(self, position: int, version: int) -> None:
        self._run(f"UPDATE {self.table} SET originator_version = ? WHERE {self.pos} = ?",
                  (version, position))

    def shift_versions(self, stream: UUID, above: int, by: int) -> None:
        """Renumber every version above `above` (in two steps: versions are unique)."""
        for step in (1000, by - 1000):
            self._run(f"UPDATE {self.table} SET originator_version = originator_version + ? "
                      "WHERE originator_id = ? AND originator_version > ?",
                      (step, self._id(stream), above))

    def copy_as(self, position: int, version: int) -> int:
        """Insert a copy of a row as another version; returns the copy's position."""
        self._run(f"INSERT INTO {self.table} (originator_id, originator_version, topic, state) "
                  f"SELECT originator_id, ?, topic, state FROM {self.table} "
                  f"WHERE {self.pos} = ?", (version, position))
        (top,), = self._run(f"SELECT MAX({self.pos}) FROM {self.table}")
        return int(top)

    def swap_versions(self, first: int, second: int) -> None:
        (a,), = self._run(f"SELECT originator_version FROM {self.table} WHERE {self.pos} = ?",
                          (first,))
        (b,), = self._run(f"SELECT originator_version FROM {self.table} WHERE {self.pos} = ?",
                          (second,))
        self.set_version(first, -1)
        self.set_version(second, a)
        self.set_version(first, b)

    def swap_contents(self, first: int, second: int) -> None:
        """Swap what two rows hold (topic and state), leaving versions and positions."""
        select = f"SELECT topic, state FROM {self.table} WHERE {self.pos} = ?"
        (a,), (b,) = self._run(select, (first,)), self._run(select, (second,))
        update = f"UPDATE {self.table} SET topic = ?, state = ? WHERE {self.pos} = ?"
        self._run(update, (*b, first))
        self._run(update, (*a, second))

    def close(self) -> None:
        self.conn.close()

"""The access log: who read which personal fields of which case, and when.

Append-only. It lives beside the read models (not in the event store: reads are not steps of a
case, would swell the legal record and its Merkle tree, and must not change the log position
that every refused request is checked against), and no rebuild touches it. The code has no
UPDATE or DELETE for it, and the database refuses both (triggers on SQLite and PostgreSQL).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.db import ReadDatabase, Row
from projections.encoding import dumps, time_text
from projections.personal_data_log_chain import APPEND_LOCK, last_hash, row_hash
from projections.personal_data_log_roles import add_chain_columns, provisioned_by_another_role

_COLUMNS = ("at, subject, role, authority, member_state, case_id, case_member_state, fields, "
            "via")
_TABLE = """CREATE TABLE IF NOT EXISTS access_log (
    id {id},
    at TEXT NOT NULL,
    subject TEXT NOT NULL,
    role TEXT NOT NULL,
    authority TEXT NOT NULL,
    member_state TEXT NOT NULL,
    case_id TEXT NOT NULL,
    case_member_state TEXT NOT NULL,
    fields TEXT NOT NULL,
    via TEXT NOT NULL,
    previous_hash TEXT,
    hash TEXT
)"""
_INDEXES = ("CREATE INDEX IF NOT EXISTS access_log_case ON access_log (case_id, id)",
            "CREATE INDEX IF NOT EXISTS access_log_subject ON access_log (subject, id)")
_SQLITE = [_TABLE.format(id="INTEGER PRIMARY KEY AUTOINCREMENT"), *_INDEXES, *(
    f"CREATE TRIGGER IF NOT EXISTS access_log_no_{op.lower()} BEFORE {op} ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END" for op in ("UPDATE", "DELETE"))]
_POSTGRES = [
    "SELECT pg_advisory_xact_lock(7243001)",  # several processes may start at once
    _TABLE.format(id="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"), *_INDEXES,
    "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$",
    "DROP TRIGGER IF EXISTS access_log_no_change ON access_log",
    "CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
    "DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log",
    "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()",
]


@dataclass(frozen=True)
class Access:
    """One read of personal data: `fields` of case `case_id`, reached through `via`."""

    at: datetime
    subject: str
    role: str
    authority: str
    member_state: str
    case_id: str
    case_member_state: str
    fields: tuple[str, ...]
    via: str


@dataclass(frozen=True)
class AccessFilter:
    case_id: str | None = None
    subject: str | None = None
    at_from: datetime | None = None
    at_to: datetime | None = None
    case_member_state: str | None = None  # the reader's scope, forced by the API

    def where(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("case_id", self.case_id), ("subject", self.subject),
                              ("case_member_state", self.case_member_state)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        for op, moment in ((">=", self.at_from), ("<=", self.at_to)):
            if moment is not None:
                clauses.append(f"at {op} ?")
                params.append(time_text(moment))
        return clauses, params


class _Group:
    """Accesses to be committed in one transaction, and how that went."""

    __slots__ = ("accesses", "done", "error")

    def __init__(self) -> None:
        self.accesses: list[Access] = []
        self.done = False
        self.error: BaseException | None = None


class PersonalDataLog:
    def __init__(self, db: ReadDatabase) -> None:
        self.db = db
        self._gather = threading.Lock()  # guards `_pending`
        self._writing = threading.Lock()  # one group written at a time
        self._pending = _Group()

    def create(self) -> None:
        """Idempotent: safe at every start. On PostgreSQL a log provisioned by another role
        (`projections.personal_data_log_roles`) is left as it is: this role may not change it."""
        if self.db.dialect != "sqlite" and provisioned_by_another_role(self.db):
            return
        with self.db.transaction() as tx:
            for statement in _SQLITE if self.db.dialect == "sqlite" else _POSTGRES:
                tx.execute(statement)
            add_chain_columns(tx, self.db.dialect)

    def append(self, accesses: Sequence[Access]) -> None:
        """Record `accesses` in one transaction: all or none; returns once it is committed.

        Group commit: while one thread writes, the accesses of the requests arriving meanwhile
        gather and the next writer commits them together (one transaction instead of one
        each, and no writers of this process competing for SQLite's lock: that contention
        was a 1 s p99). Each caller still returns only after the transaction holding its own
        accesses committed, and raises if it failed (its accesses are then not recorded)."""
        if not accesses:
            return
        with self._gather:
            group = self._pending
            group.accesses.extend(accesses)
        with self._writing:  # one writer at a time; the next group fills meanwhile
            if not group.done:
                with self._gather:
                    if self._pending is group:
                        self._pending = _Group()
                try:
                    self._write(group.accesses)
                except BaseException as error:
                    group.error = error
                finally:
                    group.done = True
        if group.error is not None:
            raise group.error

    def _write(self, accesses: Sequence[Access]) -> None:
        columns = [c.strip() for c in _COLUMNS.split(",")]
        marks = ", ".join("?" for _ in range(len(columns) + 2))
        with self.db.transaction() as tx:
            if self.db.dialect != "sqlite":  # SQLite: BEGIN IMMEDIATE already takes turns
                tx.execute("SELECT pg_advisory_xact_lock(?)", (APPEND_LOCK,))
            previous = last_hash(tx)
            rows = []
            for a in accesses:
                values = dict(zip(columns, (
                    time_text(a.at), a.subject, a.role, a.authority, a.member_state, a.case_id,
                    a.case_member_state, dumps(list(a.fields)), a.via), strict=True))
                digest = row_hash(values, previous)
                rows.append((*values.values(), previous, digest))
                previous = digest
            tx.executemany(f"INSERT INTO access_log ({_COLUMNS}, previous_hash, hash) "
                           f"VALUES ({marks})", rows)

    def entries(self, filter: AccessFilter, first: int, before_id: int | None,
                newer_than: int | None = None, backward: bool = False) -> list[Row]:
        """Newest first, keyset on id (older than `before_id`, newer than `newer_than`);
        `first + 1` rows so the caller knows of more. `backward`: the oldest first (`last`)."""
        clauses, params = filter.where()
        for op, bound in (("<", before_id), (">", newer_than)):
            if bound is not None:
                clauses.append(f"id {op} ?")
                params.append(bound)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        order = "ASC" if backward else "DESC"
        return self.db.fetchall(f"SELECT * FROM access_log{where} ORDER BY id {order} LIMIT ?",
                                (*params, first + 1))

    def count(self) -> int:
        row = self.db.fetchone("SELECT COUNT(*) AS n FROM access_log")
        return int(row["n"]) if row else 0

"""SQLite's read-model switch in a time that does not grow with the ledger.

On SQLite the read models live in the ledger's own file, so every write to them takes the one
write lock that appends need too (the event store waits 30 s for it, then fails). Copying the
rebuilt rows over the live ones in the switch's transaction held that lock for as long as the
copy took: 339 s at 1M events, every append refused meanwhile. So the copy happens before the
switch, into staging tables beside the live ones (`<table>__next`, indexes `<index>__next`),
at most `chunk_rows` rows (sized to ~0.1 s at the last chunk's pace) per transaction:
appends and the live runner get the lock between chunks, and no reader reads the staging
tables. The build does not move during the copy; afterwards it keeps catching up, and
triggers in the build file log the rowid of every row it changes (`switch_changes`), so the
staging tables follow it by rewriting only those rows (`sync`), again in chunks while unlocked
and, under the switch's lock, for the few events replayed there.

The switch itself (`swap`, one transaction) then renames: each live table becomes
`<table>__old`, each staging table takes the live name. SQLite renames a table's automatic
indexes with it but has no ALTER INDEX RENAME, and a second copy of each index under its
canonical name would cost a full index build under the lock; so the explicit indexes' names are
exchanged in `sqlite_schema` itself (`PRAGMA writable_schema`, SQLite's documented procedure for
schema edits that leave the file format unchanged: an index's name is not stored in its pages),
and the tables' CREATE statements are set back to the build's text. After the swap the schema
reads exactly as a fresh one's (same names, same statements; only root pages differ), and the
old tables lose their own indexes, then are emptied in chunks and dropped (a DROP of a multi-GB
table walks all its pages; deleting rows from a table that still has its indexes updates each
index at random places: at 1M events the old tables took 76 s with their indexes in place
and every freed page zeroed, 19 s with neither); an old table of at most a chunk's rows is
dropped whole, which costs less than deleting them.

Readers see the old tables or the new ones, never a mix: the swap is one transaction (WAL: a
reader keeps its snapshot, schema included, until it ends). A crash before the swap commits
leaves the live tables untouched and staging tables behind; one after it leaves the switched
tables and the old ones behind; the next rebuild empties and drops both kinds first
(`clear_leftovers`). The rows switched in are the build's, with the build's rowids (the copy
before copied them anew, renumbered: no query reads rowids of these tables). The switch costs
disk: the live file holds a second copy of the read models until the old one is dropped (its
pages are reused by later writes; the file does not shrink).

Rejected: read models in a file of their own, attached by every connection and switched by a
pointer (every connection, read-your-writes and backups would change); this keeps one file.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from projections.db import Checkpointer

NEXT = "__next"
OLD = "__old"
#: At most this many rows per staging transaction (copy, sync, emptying the old tables)...
CHUNK_ROWS = 20_000
#: ...and fewer where rows are large: a table's chunk size follows the time its last chunk held
#: the lock, aiming at half of this (2,000 deadline trackers with their overflow pages took
#: 6.8 s to delete at 1M while freed pages were zeroed, `_connect`; 10,000 timeline rows take
#: ~40 ms to copy).
CHUNK_SECONDS = 0.2
#: A table's first chunk, whose time sizes the next; a table with fewer rows than this is
#: copied or dropped whole, together with the other small ones, in one transaction.
FIRST_CHUNK = 100
#: How much larger than the last a chunk may be (its rows may be larger than those timed).
GROWTH = 16
CHANGES = "switch_changes"
#: After each of its transactions a staging loop pauses for this share of the time it held the
#: lock (within the bounds below): SQLite keeps no queue of waiting writers, each polls (every
#: 100 ms once it has waited a while), so transactions back to back would let an append in only
#: by luck, and it fails after the event store's 30 s.
GAP_SHARE, MIN_GAP, MAX_GAP = 0.25, 0.002, 0.05

#: Called after each committed chunk with the table it wrote (a test stops or probes there).
BetweenChunks = Callable[[str], None]

_TABLE_SQL = re.compile(r"CREATE TABLE (\S+)(\s)", re.ASCII)
_INDEX_SQL = re.compile(r"CREATE (UNIQUE )?INDEX (\S+) ON (\S+)(\s)", re.ASCII)


@dataclass(frozen=True)
class Staging:
    """How the staging tables are filled: rows per transaction, and a call after each."""

    chunk_rows: int = CHUNK_ROWS
    between_chunks: BetweenChunks | None = None


@dataclass
class WriteLocks:
    """How long this rebuild held the live file's write lock, transaction by transaction: from
    BEGIN to the end of COMMIT (the staging connection runs no checkpoint: `StagedTables`)."""

    longest_seconds: float = 0.0
    longest_what: str = ""
    total_seconds: float = 0.0
    transactions: int = 0
    #: per `what` (a table copied or emptied, "sync", ...): [transactions, seconds]
    by_what: dict[str, list[float]] = field(default_factory=dict)

    def record(self, what: str, seconds: float) -> None:
        self.transactions += 1
        self.total_seconds += seconds
        if seconds > self.longest_seconds:
            self.longest_seconds, self.longest_what = seconds, what
        totals = self.by_what.setdefault(what, [0, 0.0])
        totals[0] += 1
        totals[1] += seconds


class StagedTables:
    """The staging tables in the live file, filled from the build file (attached as `build`)."""

    def __init__(self, live: Path, build: Path, tables: Sequence[str], timeout: float,
                 chunk_rows: int = CHUNK_ROWS, between_chunks: BetweenChunks | None = None,
                 locks: WriteLocks | None = None) -> None:
        self.live, self.build, self.tables, self.timeout = live, build, list(tables), timeout
        self.chunk_rows = chunk_rows
        self.between_chunks = between_chunks
        self.locks = WriteLocks() if locks is None else locks
        #: The change-log id up to which the staging tables equal the build.
        self.synced = 0
        self._columns: dict[str, str] = {}
        self._canonical: dict[str, str] = {}  # object name -> the build's CREATE statement
        self.conn = self._connect()
        # The live file's WAL checkpoints, each as soon as a staging write has committed
        # (`_write`), on a thread of its own while the loop pauses and writes its next chunk.
        # The staging connection's own (SQLite's automatic checkpoint, inside the COMMIT that
        # crosses 1,000 pages) made the loop wait for two disk flushes after nearly every chunk:
        # about half of the staging copy's time at 151k events. Fewer, larger checkpoints would
        # cost as little, but an append that commits meanwhile runs the backlog's checkpoint
        # itself (the event store's connections keep SQLite's threshold): its longest time
        # doubled. Here the backlog stays about one chunk (docs/benchmarks.md, twentieth session).
        self.checkpoints = Checkpointer(live, timeout)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.live, timeout=self.timeout, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
        # Staging commits need not survive a crash (staging is thrown away then); the switch
        # commits its renames with `synchronous=FULL` (`blue_green._switch_sqlite`).
        conn.execute("PRAGMA synchronous=NORMAL")
        # What this connection deletes (old and staging read-model rows, indexes and tables)
        # is freed without first being overwritten with zeros. Debian's SQLite is built with
        # SECURE_DELETE on, which wrote every freed page back: DROP TABLE of 69,000 deadline
        # trackers held the lock 4.7 s at 1M events, 0.1 s without. Read models hold no
        # personal data in clear (sealed values only, `ledger.personal_data`), and every row
        # is rebuilt from the events, which are never deleted. (Set before ATTACH: the build
        # file takes it too.)
        conn.execute("PRAGMA secure_delete=OFF")
        conn.execute("PRAGMA wal_autocheckpoint=0")  # (`self.checkpoints` runs them)
        return conn

    def close(self) -> None:
        self.conn.close()
        self.checkpoints.stop()

    def attach(self) -> None:
        self.conn.execute("ATTACH DATABASE ? AS build", (str(self.build),))

    # --- one write transaction on the live file ---------------------------------------------
    def _next_rows(self, rows: int, held: float) -> int:
        """The next chunk's rows, after one of `rows` held the lock `held` seconds: as many as
        take about half of `CHUNK_SECONDS` at that pace (at most `GROWTH` times as many)."""
        scale = GROWTH if held <= 0 else min(GROWTH, CHUNK_SECONDS / 2 / held)
        return max(1, min(self.chunk_rows, int(rows * scale)))

    def _write(self, what: str, work: Callable[..., object], *args: object) -> float:
        """`work(cursor, *args)` in a transaction of its own, timed (`locks`). (IMMEDIATE
        locks the attached build file too: nothing writes it meanwhile, this thread builds.)"""
        cursor = self.conn.cursor()
        started = time.monotonic()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            work(cursor, *args)
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()
        held = time.monotonic() - started
        self.checkpoints.kick()
        self.locks.record(what, held)
        give_way(held)
        if self.between_chunks is not None:
            self.between_chunks(what)
        return held

    def _names(self, kind: str) -> set[str]:
        rows = self.conn.execute("SELECT name FROM main.sqlite_schema WHERE type = ?", (kind,))
        return {r["name"] for r in rows}

    # --- leftovers ----------------------------------------------------------------------------
    def clear_leftovers(self) -> None:
        """Empty and drop the staging and old tables a stopped rebuild left behind."""
        present = self._names("table")
        self._drop_all([name for table in self.tables for name in (table + NEXT, table + OLD)
                        if name in present])

    def drop_old(self) -> None:
        """After the swap: empty the old tables in chunks, then drop them."""
        present = self._names("table")
        self._drop_all([table + OLD for table in self.tables if table + OLD in present])

    def _drop_all(self, names: Sequence[str]) -> None:
        """The small tables dropped at once in one transaction; one of at most `chunk_rows`
        rows whole in a transaction of its own, the larger ones in chunks. A DROP frees a
        table's pages for less than deleting as many rows costs (the old tables of a
        10,336-event ledger: ~10 ms of CPU dropped whole, ~67 ms deleted in chunks), so none
        holds the lock longer than the chunks' largest would."""
        small = [name for name in names if self._small("main", name)]
        if small:
            self._write("drop small tables",
                        lambda cursor: [cursor.execute(f"DROP TABLE main.{name}")
                                        for name in small])
        for name in names:
            if name in small:
                continue
            if self._rows_at_most("main", name, self.chunk_rows):
                self._write(name, sqlite3.Cursor.execute, f"DROP TABLE main.{name}")
            else:
                self._drop_in_chunks(name)

    def _small(self, schema: str, table: str) -> bool:
        """Fewer rows than a first chunk (one index probe, whatever the table's size)."""
        return self.conn.execute(
            f"SELECT rowid FROM {schema}.{table} ORDER BY rowid LIMIT 1 OFFSET ?",
            (self._first_chunk() - 1,)).fetchone() is None

    def _rows_at_most(self, schema: str, table: str, rows: int) -> bool:
        """At most `rows` rows, judged by the span of its rowids (two index probes; the span
        bounds the count from above, so a table judged small never holds more)."""
        span = self.conn.execute(  # (each MAX, MIN alone in its query: a probe, no scan)
            f"SELECT (SELECT MAX(rowid) FROM {schema}.{table}) - "
            f"(SELECT MIN(rowid) FROM {schema}.{table}) + 1").fetchone()[0]
        return span is None or span <= rows

    def _first_chunk(self) -> int:
        return min(FIRST_CHUNK, self.chunk_rows)

    def _drop_in_chunks(self, name: str) -> None:
        """Its own indexes first, in one transaction (freeing an index's pages is quick: 0.04 s
        for 1.15M timeline rows, 0.05 s for the three of 594k deadlines), so that the rows'
        chunks maintain no index; then the rows, then the table (dropping a large table whole
        held the lock in proportion)."""
        indexes = [row["name"] for row in _own_indexes(self.conn, name)]
        if indexes:
            self._write(name, lambda cursor: [cursor.execute(f"DROP INDEX main.{index}")
                                              for index in indexes])
        rows = self._first_chunk()

        def chunk(cursor: sqlite3.Cursor, rows: int) -> None:
            cursor.execute(f"DELETE FROM main.{name} WHERE rowid IN "
                           f"(SELECT rowid FROM main.{name} ORDER BY rowid LIMIT ?)", (rows,))
            if cursor.rowcount < rows:  # (emptied: dropped in the same transaction)
                cursor.execute(f"DROP TABLE main.{name}")
                dropped.append(name)

        dropped: list[str] = []
        while not dropped:
            rows = self._next_rows(rows, self._write(name, chunk, rows))

    # --- staging ------------------------------------------------------------------------------
    def stage(self) -> None:
        """With the build idle at its position: log its changes from now on, create the staging
        tables and copy the build's rows into them, a chunk per transaction."""
        self._log_build_changes()
        ddl = []
        for table in self.tables:
            rows = self.conn.execute(
                "SELECT type, name, sql FROM build.sqlite_schema WHERE tbl_name = ? "
                "AND sql IS NOT NULL AND type IN ('table', 'index') ORDER BY rowid", (table,))
            for row in rows:
                self._canonical[row["name"]] = row["sql"]
                ddl.append(_staged(row["type"], row["name"], table, row["sql"]))
            self._columns[table] = ", ".join(
                r["name"] for r in self.conn.execute(f"PRAGMA build.table_info({table})"))
        # The small tables are copied whole in the transaction that creates the staging ones.
        small = [table for table in self.tables if self._small("build", table)]
        ddl += [self._copy_statement(table, "") for table in small]
        self._write("create staging", lambda cursor: [cursor.execute(s) for s in ddl])
        for table in self.tables:
            if table not in small:
                self._copy(table)

    def _log_build_changes(self) -> None:
        statements = [f"CREATE TABLE build.{CHANGES} (id INTEGER PRIMARY KEY, "
                      "tbl TEXT NOT NULL, rid INTEGER NOT NULL)"]
        for table in self.tables:
            log = f"INSERT INTO {CHANGES} (tbl, rid) VALUES"
            statements += [
                f"CREATE TRIGGER build.{table}__logged_insert AFTER INSERT ON {table} "
                f"BEGIN {log} ('{table}', NEW.rowid); END",
                f"CREATE TRIGGER build.{table}__logged_update AFTER UPDATE ON {table} "
                f"BEGIN {log} ('{table}', OLD.rowid), ('{table}', NEW.rowid); END",
                f"CREATE TRIGGER build.{table}__logged_delete AFTER DELETE ON {table} "
                f"BEGIN {log} ('{table}', OLD.rowid); END"]
        self.conn.execute("BEGIN")  # (its statements write the build file only)
        try:
            for statement in statements:
                self.conn.execute(statement)
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def _copy(self, table: str) -> None:
        """A chunk of rows per transaction, in rowid order, keeping the build's rowids."""
        copy = self._copy_statement(table, " WHERE rowid > ? AND rowid <= ?")
        after, rows = -(2**63), self._first_chunk()
        while True:
            row = self.conn.execute(
                f"SELECT rowid FROM build.{table} WHERE rowid > ? ORDER BY rowid "
                "LIMIT 1 OFFSET ?", (after, rows - 1)).fetchone()
            upto = 2**63 - 1 if row is None else int(row[0])
            rows = self._next_rows(rows, self._write(table, sqlite3.Cursor.execute, copy,
                                                     (after, upto)))
            if row is None:
                return
            after = upto

    def _copy_statement(self, table: str, where: str) -> str:
        columns = self._columns[table]
        return (f"INSERT INTO main.{table}{NEXT} (rowid, {columns}) SELECT rowid, {columns} "
                f"FROM build.{table}{where} ORDER BY rowid")

    # --- following the build ------------------------------------------------------------------
    def sync(self) -> None:
        """Without the switch's lock: bring the staging tables to the build's rows, a chunk of
        the change log per transaction (sized by time, as the copy's)."""
        end, changes = self._log_end(), self._first_chunk()
        while self.synced < end:
            upto = min(end, self.synced + changes)
            changes = self._next_rows(changes, self._write("sync", self.sync_in, upto))
            self.synced = upto

    def sync_in(self, cursor: sqlite3.Cursor, upto: int | None = None) -> int:
        """In `cursor`'s transaction: rewrite the staging rows the build changed after
        `synced` (up to change `upto`, default all); return the change reached.

        Each changed rowid is deleted and copied again from the build. A chunk of the log may
        insert a row whose unique key a row not yet rewritten still holds (the key moved between
        rowids later in the log): that row is stale and is rewritten by a later chunk of the
        same round, so REPLACE may remove it now."""
        end = self._log_end() if upto is None else upto
        if end <= self.synced:
            return self.synced
        for table in self.tables:
            changed = (f"SELECT rid FROM build.{CHANGES} WHERE id > ? AND id <= ? "
                       "AND tbl = ?")
            params = (self.synced, end, table)
            cursor.execute(f"DELETE FROM main.{table}{NEXT} WHERE rowid IN ({changed})", params)
            columns = self._columns[table]
            cursor.execute(f"INSERT OR REPLACE INTO main.{table}{NEXT} (rowid, {columns}) "
                           f"SELECT rowid, {columns} FROM build.{table} "
                           f"WHERE rowid IN ({changed})", params)
        return end

    def _log_end(self) -> int:
        row = self.conn.execute(f"SELECT MAX(id) FROM build.{CHANGES}").fetchone()
        return int(row[0] or 0)

    # --- the switch -------------------------------------------------------------------------
    def swap(self, cursor: sqlite3.Cursor) -> None:
        """In the switch's transaction: the staging tables take the live names, the live ones
        become `<table>__old`; index names and CREATE statements end as the build's."""
        live = self._names("table")
        for table in self.tables:
            if table + OLD in live:  # (dropped before staging; never left at this point)
                raise RuntimeError(f"{table}{OLD} still exists")
            if table in live:
                cursor.execute(f"ALTER TABLE main.{table} RENAME TO {table}{OLD}")
            cursor.execute(f"ALTER TABLE main.{table}{NEXT} RENAME TO {table}")
        edits: list[tuple[str, str, str]] = []  # (name now, name after, statement after)
        for table in self.tables:
            for row in _own_indexes(cursor, table + OLD):
                edits.append((row["name"], row["name"] + OLD,
                              _renamed_index(row["sql"], row["name"], row["name"] + OLD)))
        for table in self.tables:
            for row in _own_indexes(cursor, table):
                name = row["name"]
                if not name.endswith(NEXT):
                    raise RuntimeError(f"unexpected index {name} on the staged {table}")
                canonical = name[:-len(NEXT)]
                edits.append((name, canonical, self._canonical[canonical]))
        version = int(cursor.execute("PRAGMA main.schema_version").fetchone()[0])
        cursor.execute("PRAGMA writable_schema = ON")
        try:
            for now, after, statement in edits:
                cursor.execute("UPDATE main.sqlite_schema SET name = ?, sql = ? "
                               "WHERE type = 'index' AND name = ?", (after, statement, now))
            for table in self.tables:
                cursor.execute("UPDATE main.sqlite_schema SET sql = ? "
                               "WHERE type = 'table' AND name = ?",
                               (self._canonical[table], table))
            cursor.execute(f"PRAGMA main.schema_version = {version + 1}")
        finally:
            cursor.execute("PRAGMA writable_schema = OFF")

    def after_swap(self) -> None:
        """A connection of its own from here (the one that edited the schema reloads it)."""
        self.conn.close()
        self.conn = self._connect()


def _own_indexes(db: sqlite3.Connection | sqlite3.Cursor, table: str) -> list[sqlite3.Row]:
    """The indexes created for `table` in the live file (name, sql), not its automatic ones."""
    return db.execute("SELECT name, sql FROM main.sqlite_schema WHERE type = 'index' "
                      "AND tbl_name = ? AND sql IS NOT NULL", (table,)).fetchall()


def give_way(held: float) -> None:
    """Leave the live file's write lock free a while after holding it `held` seconds."""
    time.sleep(min(MAX_GAP, max(MIN_GAP, held * GAP_SHARE)))


def _staged(kind: str, name: str, table: str, sql: str) -> str:
    """The build's CREATE statement for `name` (of `table`), naming the staging object."""
    if kind == "table":
        match = _TABLE_SQL.match(sql)
        if match is None or match.group(1) != table:
            raise RuntimeError(f"unexpected CREATE statement for {table}: {sql[:80]!r}")
        return f"CREATE TABLE main.{table}{NEXT}{match.group(2)}{sql[match.end():]}"
    match = _INDEX_SQL.match(sql)
    if match is None or match.group(2) != name or match.group(3) != table:
        raise RuntimeError(f"unexpected CREATE statement for index {name}: {sql[:80]!r}")
    unique = match.group(1) or ""
    return (f"CREATE {unique}INDEX main.{name}{NEXT} ON {table}{NEXT}{match.group(4)}"
            f"{sql[match.end():]}")


def _renamed_index(sql: str, name: str, new: str) -> str:
    match = _INDEX_SQL.match(sql)
    if match is None or match.group(2) != name:
        raise RuntimeError(f"unexpected CREATE statement for index {name}: {sql[:80]!r}")
    return f"CREATE {match.group(1) or ''}INDEX {new} ON {sql[match.start(3):]}"

"""Hashing a long log's stored rows in worker processes, one range of positions at a time.

`verify` spends its time hashing each stored row (its stored bytes for hash format 3, canonical
bytes rebuilt from them for formats 1 and 2: `ledger.stored_canonical`), row by row,
independently: on a long log, worker processes (forks of this process where it runs no other
thread, so they start with its imports; else fresh interpreters) each read a range of positions
from the event table through a connection of their own and send back compact results, which the
caller takes in log order.
A range whose rows a worker cannot read plainly comes back as such, for the caller to read the
library's way. Below `PARALLEL_FROM` events one process is quicker than starting workers.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import multiprocessing.context
import os
import resource
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.connection import Connection
from typing import Any

from eventsourcing.application import Application

from ledger.range_check import checked_rows
from ledger.stored_canonical import EveryStream
from ledger.streamed_check import Checked, checked_range, range_subtrees
from projections import fork_server_main
from projections.joined_reads import JoinedReads
from projections.stored_rows import range_reader

PARALLEL_FROM = 50_000
#: Positions a worker takes at once: a power of two, so that the stored subtrees within a
#: range are the worker's to check (`ledger.streamed_check.range_subtrees`).
CHUNK = 8192
#: Worker processes by default (`PACT_LEDGER_HELPER_PROCESSES` caps them).
WORKERS = 2
#: A worker's PostgreSQL connections' `application_name` (what `pg_stat_activity` shows).
WORKER_NAME = "pact-ledger verify worker"
#: Ranges sent ahead of the one being consumed, per worker (bounds the results held in memory).
AHEAD = 2

#: A hashed row: (position, stream, version, chain hash, leaf, previous_hash, member state);
#: a row left to decoding is the raw row itself (five items).
Result = tuple[Any, ...]


@dataclass(frozen=True)
class Source:
    """Where a worker reads the events, and the transcodings the application registered."""

    backend: str  # "sqlite" or "postgres"
    location: str  # the SQLite file, or the PostgreSQL conninfo
    schema: str | None
    table: str
    transcodings: tuple[type, ...]
    #: the files of this process's `ledger` and `projections` packages: a worker that imports
    #: others (a fork server started elsewhere) refuses to start rather than check with them
    code: tuple[str, ...] = ()
    #: where the hash table and the stored subtrees are (`tables_of`): a worker compares its
    #: ranges with them too (None: the caller does)
    tables: Tables | None = None


@dataclass(frozen=True)
class Tables:
    """The read models' database: an SQLite file, or a PostgreSQL conninfo and search_path."""

    backend: str
    location: str
    search_path: str | None = None


def tables_of(db: Any) -> Tables | None:
    """Where a worker reads `db`'s hash table (an `SQLiteDatabase` or a `PostgresDatabase`)."""
    dialect = getattr(db, "dialect", None)
    if dialect == "sqlite" and getattr(db, "path", None) is not None:
        return Tables("sqlite", str(db.path))
    if dialect == "postgres" and getattr(db, "url", None):
        return Tables("postgres", db.url, getattr(db, "search_path", None))
    return None


def code_files() -> tuple[str, ...]:
    """Where this process's `ledger` and `projections` packages come from."""
    import ledger
    import projections

    return (str(ledger.__file__), str(projections.__file__))


def source_of(app: Application) -> Source | None:
    """Where workers can read `app`'s events, or None (another store, or a mapper the fast
    path does not cover)."""
    recorder: Any = app.recorder
    mapper: Any = app.mapper
    if mapper.cipher is not None or mapper.compressor is not None:
        return None
    datastore: Any = getattr(recorder, "datastore", None)
    if getattr(datastore, "originator_id_type", None) != "uuid":
        return None
    kinds = tuple(type(t) for t in mapper.transcoder.names.values())
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    if isinstance(recorder, SQLiteApplicationRecorder):
        pool = datastore.pool
        if pool.is_sqlite_memory_mode or str(pool.db_name).startswith("file:"):
            return None
        return Source("sqlite", str(pool.db_name), None, recorder.events_table_name, kinds,
                      code_files())
    try:
        from eventsourcing.postgres import PostgresApplicationRecorder
    except ImportError:
        return None
    if isinstance(recorder, PostgresApplicationRecorder):
        from psycopg.conninfo import make_conninfo

        pool = datastore.pool
        if getattr(pool, "get_password_func", None) is not None:
            return None  # a password only this process can get
        given = {k: v for k in ("dbname", "host", "port", "user", "password")
                 if (v := pool.kwargs.get(k)) not in (None, "")}
        return Source("postgres", make_conninfo(pool.conninfo or "", **given), datastore.schema,
                      recorder.events_table_name, kinds, code_files())
    return None


_worker: dict[str, Any] = {}


def _start(source: Source) -> None:
    """In each worker: the event classes registered, a mapper with the same transcodings, a
    connection of its own."""
    from eventsourcing.persistence import JSONTranscoder, Mapper

    import ledger.application  # noqa: F401  - registers every event class's topic
    from ledger.stored_canonical import StoredCanonical

    if source.code and code_files() != source.code:
        raise RuntimeError(f"this worker imports {code_files()}, its caller {source.code}")
    transcoder = JSONTranscoder()
    for kind in source.transcodings:
        transcoder.register(kind())
    _worker["twin"] = StoredCanonical(Mapper(transcoder))
    _worker["named"] = set()
    _worker["unnamed"] = set()
    tables, events = source.tables, _shared_connection(source)
    hashes = events
    if source.backend == "postgres" and events is None:
        import psycopg

        events = psycopg.connect(source.location, autocommit=True,
                                 application_name=WORKER_NAME)
    if tables is not None and tables.backend == "postgres" and hashes is None:
        hashes = _postgres_connection(tables)
    _worker["read"], _worker["streams"] = range_reader(source.backend, source.location,
                                                       source.schema, source.table, events)
    _worker["joined"] = None if tables is None else _joined_reads(tables, hashes)
    #: the PostgreSQL connections it opened (one where both reads share it)
    _worker["connections"] = list({id(c): c for c in (events, hashes) if c is not None}.values())


def _shared_connection(source: Source) -> Any:
    """On PostgreSQL, where the hash table is in the event store's database, one connection
    for both reads (the events' statement names their schema; the tables' search_path is the
    connection's): a worker holds one connection, not two (None: each read opens its own)."""
    tables = source.tables
    if source.backend != "postgres" or tables is None or tables.backend != "postgres":
        return None
    from psycopg.conninfo import conninfo_to_dict

    def database(conninfo: str) -> tuple[Any, ...]:
        given = conninfo_to_dict(conninfo)
        return tuple(str(given.get(key) or "") for key in ("host", "port", "dbname", "user"))

    if database(source.location) != database(tables.location):
        return None  # (read models elsewhere: a standby, another database)
    return _postgres_connection(tables)


def _postgres_connection(tables: Tables) -> Any:
    """An autocommit connection to the read models' database, their search_path set."""
    import psycopg

    options = f"-c search_path={tables.search_path}" if tables.search_path else None
    return psycopg.connect(tables.location, autocommit=True, options=options,  # (None: none)
                           application_name=WORKER_NAME)


def _joined_reads(tables: Tables, connection: Any = None) -> JoinedReads:
    """The hash table's and stored subtrees' joined reads over a connection of the worker's
    (on PostgreSQL `connection`, one to the read models' database with their search_path)."""
    if tables.backend == "sqlite":
        import sqlite3

        conn = sqlite3.connect(tables.location, check_same_thread=False)

        def query_sqlite(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.commit()  # (no read transaction held between ranges)

        return JoinedReads(query_sqlite, "sqlite")
    pg = connection if connection is not None else _postgres_connection(tables)

    def query_postgres(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with pg.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
            return cur.fetchall()

    return JoinedReads(query_postgres, "postgres")


def hash_range(lo: int, hi: int, checked: bool = False, tree: tuple[int, int] | None = None,
               named_before: list[str] | None = None, unnamed_before: list[str] | None = None,
               member_states: bool = True) -> tuple[bool, list[Result] | Checked]:
    """Rows lo..hi hashed (False: a stream id is not plain, read the range the library's way);
    `checked`: as a `Checked` where the range is plain (`ledger.range_check.checked_rows`:
    a few values per stream, not a tuple per row to send), else its rows; `tree`: (the hash
    table's last position, the leaves the stored subtrees cover), for the range's `Checked`
    to say what the range matched of them (`ledger.streamed_check.range_subtrees`).

    `named_before`: streams whose member state a range before this one named (the caller
    keeps each stream's first): its rows here are not parsed to find one, as a stream this
    worker saw named is not (`StoredCanonical.hashed`); `unnamed_before`: streams whose
    version 1 a range before read, none of whose rows named one yet: their rows are parsed.
    A row of a stream in neither (whose version 1 another worker may be reading now) is not
    parsed either: its `Checked` lists the stream as uncertain, for the caller to check that
    an earlier range named it (`ledger.range_check.checked_rows`); else each worker would
    parse every row of the streams whose opening event another worker read.
    `member_states` False: none is wanted, no row is parsed to find one (`EveryStream`)."""
    rows = _worker["read"](lo, hi)
    twin, named, streams = _worker["twin"], _worker["named"], _worker["streams"]
    if not member_states:
        named = EveryStream()
    if named_before:
        named.update(named_before)
    if unnamed_before:
        _worker["unnamed"].update(unnamed_before)
    if checked:
        done = checked_rows(twin, rows, named, streams,
                            _worker["unnamed"] if member_states else None)
        if done is not None:
            found, leaves = done
            joined = _worker["joined"]
            if tree is not None and joined is not None:
                found.tree = range_subtrees(found.positions, leaves, *tree, joined.leaves,
                                            joined.nodes)
            return True, found
    rows = streams.rows(rows)
    if any(row[1] is None for row in rows):
        return False, []
    results = twin.hashed_rows(rows, named)
    if checked:
        return True, checked_range(results) or results
    return True, results


def hashed_ranges(source: Source, last: int, checked: bool = False,
                  tree: tuple[int, int] | None = None, processes: int = WORKERS,
                  member_states: bool = True
                  ) -> Iterator[tuple[int, int, bool, list[Result] | Checked]]:
    """(lo, hi, readable, results) for positions 1..last, in order, from `processes` worker
    processes, at least one (`checked`, `tree`, `member_states`: a range's results as a
    `Checked` where it can be, with the member states its rows name, `hash_range`).

    Workers take ranges on a pipe each and answer in the order asked; ranges go to the
    workers in turn. They are forks of this process where it can fork safely (`_context`):
    everything a worker needs is imported here first, so a worker starts at no cost; else
    forks of a server process that imported it once."""
    ranges = [(lo, min(lo + CHUNK - 1, last)) for lo in range(1, last + 1, CHUNK)]
    context = _context()
    forking = context.get_start_method() == "fork"
    frozen = gc.get_freeze_count() > 0  # (by the caller: it unfreezes)
    if forking:
        _imports()
        gc.freeze()  # a worker's collections leave the objects it inherits (and their pages)
    workers: list[tuple[Any, Connection]] = []
    try:
        try:
            for _ in range(max(1, min(processes, len(ranges)))):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, source), daemon=True)
                process.start()
                theirs.close()  # its only copy is the worker's: its end means it ended
                workers.append((process, mine))
        finally:
            if forking and not frozen:
                gc.unfreeze()
        asked = 0
        # per worker, the streams other ranges named a member state for since it was last
        # asked: a range after them need not parse rows to look for one (`hash_range`)
        named: list[list[str]] = [[] for _ in workers]
        unnamed: list[list[str]] = [[] for _ in workers]
        for done, (lo, hi) in enumerate(ranges):
            while asked < len(ranges) and asked < done + AHEAD * len(workers):
                to = asked % len(workers)
                workers[to][1].send((*ranges[asked], checked, tree, named[to], unnamed[to],
                                     member_states))
                named[to], unnamed[to] = [], []
                asked += 1
            readable, results = workers[done % len(workers)][1].recv()
            if readable is None:
                raise WorkerFailed(f"a worker did not start: {results}")
            if isinstance(results, Checked) and member_states:
                found = {stream for stream, _ in results.states}
                opened = [stream for stream, version, *_ in results.streams
                          if version == 1 and stream not in found]
                for other in range(len(workers)):
                    if other != done % len(workers):
                        named[other].extend(found)
                        unnamed[other].extend(opened)
            yield lo, hi, readable, results
    finally:
        for process, mine in workers:
            spent = _stop(process, mine)
            if context.get_start_method() == "forkserver":  # not this process's children
                ELSEWHERE_CPU[0] += spent


def _context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it and this process runs no other thread (a fork copies
    only the calling thread: a lock another thread held would stay held in the child);
    else a fork server (a fresh interpreter started once per process, which imports what
    workers need once and forks them); else spawn. A forked worker uses nothing it inherits
    but imported modules: it opens its own connection, and ends without running this
    process's clean-ups."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # (the stand-in for this process's main script first: else each worker runs it)
        context.set_forkserver_preload([fork_server_main.__name__, __name__, *_PRELOAD])
        _start_fork_server()
        return context
    return multiprocessing.get_context("spawn")


def _start_fork_server() -> None:
    """The fork server started (if it is not running) with this process's module path: Python
    3.11's takes the current directory first and ignores the path it is given, so a caller run
    from another checkout would have its workers import that checkout's code (`Source.code`
    catches it; this avoids it); and with this process's main script named, for the server to
    stand in for it (`projections.fork_server_main`: else each worker runs it again)."""
    from multiprocessing import forkserver

    names = ("PYTHONPATH", "PYTHONSAFEPATH", fork_server_main.MAIN_PATH,
             fork_server_main.MAIN_NAME)
    given = {name: os.environ.get(name) for name in names}
    os.environ["PYTHONPATH"] = os.pathsep.join(path for path in sys.path if path)
    os.environ["PYTHONSAFEPATH"] = "1"  # not the current directory first
    prepared = spawn.get_preparation_data("verify")
    for key, name in (("init_main_from_path", fork_server_main.MAIN_PATH),
                      ("init_main_from_name", fork_server_main.MAIN_NAME)):
        os.environ.pop(name, None)
        if prepared.get(key):
            os.environ[name] = prepared[key]
    try:
        forkserver.ensure_running()
    finally:
        for name, value in given.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


#: The modules `_start` imports (a fork server imports them before forking workers).
_PRELOAD = ("eventsourcing.persistence", "ledger.application", "ledger.stored_canonical",
            "ledger.streamed_check", "ledger.range_check")


def _imports() -> None:
    """What `_start` imports, imported here before forking (a fork inherits it)."""
    for name in _PRELOAD:
        importlib.import_module(name)


class WorkerFailed(RuntimeError):
    """A worker could not start (its reason in the message)."""


#: Why workers' checks were left to the calling process, one line each (also logged as a
#: warning): for a benchmark to say its figures are not the workers'.
FAILURES: list[str] = []


#: CPU seconds spent by workers that were not this process's children (a fork server's), summed
#: (the operating system counts the others among this process's children).
ELSEWHERE_CPU = [0.0]


def _stop(process: Any, pipe: Connection) -> float:
    """The worker stopped; the CPU seconds it said it spent (0.0: it did not say)."""
    spent = 0.0
    try:
        pipe.send(None)
        while pipe.poll(10):  # (answers to ranges asked ahead come first when stopped early)
            answer = pipe.recv()
            if isinstance(answer, float):
                spent = answer
                break
    except (OSError, EOFError):
        pass  # it has ended already
    pipe.close()
    process.join(timeout=10)
    if process.is_alive():  # a worker that will not stop is stopped
        process.kill()
        process.join(timeout=10)
    process.close()
    return spent


def _serve(pipe: Connection, source: Source) -> None:
    """A worker: (lo, hi, checked) ranges from `pipe` until None, each answered on it; then the CPU
    seconds it spent."""
    try:
        _start(source)
    except Exception as error:  # said to the caller, which checks in its own process
        pipe.send((None, f"{type(error).__name__}: {error}"))
        return
    gc.freeze()  # what it inherited and imported: never traversed by its collections again
    while (asked := pipe.recv()) is not None:
        gc.disable()  # a range makes no cycles: no collection walks its rows while it is read
        try:
            found = hash_range(*asked)
        finally:
            gc.enable()
        pipe.send(found)
    used = resource.getrusage(resource.RUSAGE_SELF)
    pipe.send(used.ru_utime + used.ru_stime)

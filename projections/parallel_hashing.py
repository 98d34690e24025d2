"""Hashing a long log's stored rows in worker processes, one range of positions at a time.

`verify` spends its time hashing each stored row (its stored bytes for hash format 3, canonical
bytes rebuilt from them for formats 1 and 2: `ledger.stored_canonical`), row by row,
independently: on a long log, worker processes (fresh
interpreters, not forks of a process that may hold threads and connections) each read a range of
positions from the event table through their own connection and send back compact results,
which the caller takes in log order.
A range whose rows a worker cannot read plainly comes back as such, for the caller to read the
library's way. Below `PARALLEL_FROM` events one process is quicker than starting workers.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application

from projections.stored_rows import RawRow, range_reader

PARALLEL_FROM = 50_000
CHUNK = 10_000
WORKERS = 2
#: Ranges sent ahead of the one being consumed (bounds the results held in memory).
AHEAD = 2 * WORKERS

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
        return Source("sqlite", str(pool.db_name), None, recorder.events_table_name, kinds)
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
                      recorder.events_table_name, kinds)
    return None


_worker: dict[str, Any] = {}


def _start(source: Source) -> None:
    """In each worker: the event classes registered, a mapper with the same transcodings, a
    connection of its own."""
    from eventsourcing.persistence import JSONTranscoder, Mapper

    import ledger.application  # noqa: F401  - registers every event class's topic
    from ledger.stored_canonical import StoredCanonical

    transcoder = JSONTranscoder()
    for kind in source.transcodings:
        transcoder.register(kind())
    _worker["twin"] = StoredCanonical(Mapper(transcoder))
    _worker["named"] = set()
    _worker["read"] = range_reader(source.backend, source.location, source.schema, source.table)


def hash_range(lo: int, hi: int) -> tuple[bool, list[Result]]:
    """Rows lo..hi hashed (False: a stream id is not plain, read the range the library's way)."""
    rows: list[RawRow] = _worker["read"](lo, hi)
    if any(row[1] is None for row in rows):
        return False, []
    return True, _worker["twin"].hashed_rows(rows, _worker["named"])


def hashed_ranges(source: Source, last: int) -> Iterator[tuple[int, int, bool, list[Result]]]:
    """(lo, hi, readable, results) for positions 1..last, in order, from worker processes.

    Each worker is `python -m projections.parallel_hashing` (a fresh interpreter: nothing of
    this process is inherited or re-imported) fed ranges on its standard input and answering
    on its standard output, in the order asked; ranges go to the workers in turn."""
    ranges = [(lo, min(lo + CHUNK - 1, last)) for lo in range(1, last + 1, CHUNK)]
    workers = [subprocess.Popen([sys.executable, "-m", "projections.parallel_hashing"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
               for _ in range(min(WORKERS, len(ranges)))]
    try:
        for worker in workers:
            _send(worker, source)
        asked = 0
        for done, (lo, hi) in enumerate(ranges):
            while asked < len(ranges) and asked < done + AHEAD:
                _send(workers[asked % len(workers)], ranges[asked])
                asked += 1
            stdout = workers[done % len(workers)].stdout
            assert stdout is not None
            readable, results = pickle.load(stdout)
            yield lo, hi, readable, results
    finally:
        for worker in workers:
            _stop(worker)


def _send(worker: subprocess.Popen[bytes], message: Any) -> None:
    assert worker.stdin is not None
    pickle.dump(message, worker.stdin)
    worker.stdin.flush()


def _stop(worker: subprocess.Popen[bytes]) -> None:
    try:
        if worker.stdin is not None:
            worker.stdin.close()
        worker.wait(timeout=10)
    except Exception:  # noqa: BLE001 - a worker that will not stop is stopped
        worker.kill()
        worker.wait(timeout=10)


def _serve() -> None:
    """A worker: a `Source`, then (lo, hi) ranges until its input ends."""
    source = pickle.load(sys.stdin.buffer)
    _start(source)
    out = sys.stdout.buffer
    while True:
        try:
            lo, hi = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        pickle.dump(hash_range(lo, hi), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    _serve()

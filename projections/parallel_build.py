"""A rebuild's build split in two: the deadline projection applied by a worker process beside
the others (`projections.blue_green`, the first pass from zero of a long log).

Each projection reads and writes only its own tables, so two processes can build disjoint
tables from the same events at once, each on a core of its own (threads would not: the
projections are Python, one interpreter lock). The worker builds its projections' tables from
the first event to the build's target in a place of its own (PostgreSQL: the schema
`read_models_build_part`; SQLite: a file beside the build's), with its own tracking row, as a
build does (`blue_green._Build`, the same code); the build applies the other projections over
the same events meanwhile. Then the worker's tables are taken into the build (PostgreSQL:
moved into the build's schema, no row copied; SQLite: copied into the build file), and the
build goes on with every projection from the target, as if it had applied them all.

Below `PARALLEL_FROM` events, or with one core, a second process costs more than it saves.
A worker that fails (it cannot start, or stops) leaves its part to this process, which applies
it itself before going on: the tables are the same either way
(`tests/integration/test_parallel_build.py`).
"""

from __future__ import annotations

import logging
import resource
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from projections import collection
from projections.cores import usable_cores
from projections.db import DatabaseTimeouts, PostgresDatabase, ReadDatabase, SQLiteDatabase
from projections.deadline_projection import DeadlineProjection
from projections.parallel_hashing import _context, code_files

log = logging.getLogger(__name__)

#: Events from which the first pass of a build is split: a worker costs a start (a fork of
#: this process, or of a fork server, which a process running threads starts once: ~1 s where
#: it compiles its imports) and reads and decodes every event again. Measured: `pact-ledger
#: rebuild` of 10,323 events 4.1-4.3 s with a worker against 3.7-3.9 s without; 151,725
#: events +25% (SQLite) and +38% (PostgreSQL) of wall time; 1.15M events on SQLite +21%.
PARALLEL_FROM = 50_000
#: The worker's schema on PostgreSQL (beside `blue_green.BUILD_SCHEMA`).
PART_SCHEMA = "read_models_build_part"
#: The projections a worker takes: an explicit table of the kinds that can go (their
#: constructor's arguments are read back from the build's own objects, `_arguments`).
WORKER_KINDS: tuple[type, ...] = (DeadlineProjection,)

#: Why a worker's part was built by this process instead, one line each (also logged as a
#: warning): for a benchmark to say its figures are not the worker's.
FAILURES: list[str] = []

#: CPU seconds spent by workers that were not this process's children (a fork server's),
#: summed, as they reported them (for benchmarks: the others count among its children).
ELSEWHERE_CPU = [0.0]


@dataclass(frozen=True)
class Part:
    """What a worker builds: `projections` (class, constructor arguments) over positions
    1..`until` of the log of an application of `app_class` configured by `env`, into
    `target` (PostgreSQL: a conninfo, the worker's schema first on its search_path; SQLite:
    its own file), with the build's tracking row name and batch size."""

    app_class: type[Application]
    env: dict[str, str]
    projections: tuple[tuple[type, dict[str, Any]], ...]
    until: int
    backend: str
    target: str
    tracking: str
    batch: int
    #: the files of this process's `ledger` and `projections` packages: a worker that imports
    #: others (a fork server started elsewhere) refuses to start rather than build with them
    code: tuple[str, ...] = ()
    #: PostgreSQL: the build's bounds on waits (`projections.db.DatabaseTimeouts`)
    timeouts: DatabaseTimeouts | None = None


def _arguments(projection: Any) -> dict[str, Any]:
    """The constructor arguments that made a deferring projection (`batch_state.BatchState`
    keeps them): the worker makes the same."""
    kept = projection._kept  # noqa: SLF001 (the projection's own bounds)
    return {"kept_cases": kept.limit, "kept_while_rebuilding": kept.deferring_limit,
            "rebuild_memory": projection.rebuild_memory}


def plan(app: Application, build_db: ReadDatabase, projections: Sequence[Any], until: int,
         tracking: str, batch: int, part_file: Path | None = None,
         helpers: int | None = None) -> Part | None:
    """The worker's part of a build of positions 1..`until` into `build_db`, or None where
    none is worth it or possible (a short log, one core, no projection a worker can take, an
    event store a worker cannot open by itself: SQLite in memory) or allowed (`helpers` 0:
    the operator's `PACT_LEDGER_HELPER_PROCESSES`)."""
    if helpers == 0 or until < PARALLEL_FROM or usable_cores() < 2:
        return None  # (on one core, or one core's quota, the two would only take turns)
    taken = tuple((type(p), _arguments(p)) for p in projections if type(p) in WORKER_KINDS)
    if not taken:
        return None
    env = {str(k): str(v) for k, v in app.env.items()}
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        name = env.get("SQLITE_DBNAME", "")
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
    if isinstance(build_db, PostgresDatabase):
        return Part(type(app), env, taken, until, "postgres", build_db.url, tracking, batch,
                    code_files(), build_db.timeouts)
    if isinstance(build_db, SQLiteDatabase) and part_file is not None:
        return Part(type(app), env, taken, until, "sqlite", str(part_file), tracking, batch,
                    code_files())
    return None


def tables_of(part: Part) -> list[str]:
    return [t for kind, _ in part.projections for t in kind.tables]


def taken_by(part: Part, projections: Sequence[Any]) -> list[Any]:
    """Those of `projections` whose tables the worker of `part` builds."""
    kinds = {kind for kind, _ in part.projections}
    return [p for p in projections if type(p) in kinds]


def build_part(part: Part, in_worker: bool = True) -> int:
    """The part built (in a worker, or in this process when a worker failed); the events
    applied."""
    from projections.blue_green import LATE_INDEXES, _Build, _BuildFile

    if in_worker and part.code and code_files() != part.code:
        raise RuntimeError(f"this worker imports {code_files()}, its caller {part.code}")
    app = part.app_class(env=part.env)
    db: ReadDatabase
    if part.backend == "postgres":
        db = PostgresDatabase(part.target, max_size=1, search_path=f"{PART_SCHEMA},public",
                              timeouts=part.timeouts)
    else:
        db = _BuildFile(Path(part.target))
    try:
        projections = [kind(**arguments) for kind, arguments in part.projections]
        # (a part file's rows are copied into the build's tables and the file removed: it never
        # needs the indexes the build creates late, `blue_green.LATE_INDEXES`)
        build = _Build(app, db, projections, part.tracking, part.batch,
                       LATE_INDEXES if part.backend == "sqlite" else ())
        with collection.paused():  # (as the build's: `projections.collection`)
            build.catch_up(until=part.until)
        return build.applied
    finally:
        db.close()
        app.close()


class Worker:
    """A worker process building a `Part`, started when made (`failure` says why none could
    start)."""

    def __init__(self, part: Part) -> None:
        self.part = part
        self.failure: str | None = None
        self._process: Any = None
        self._pipe: Connection | None = None
        self._forked_here = True
        try:
            context = _context()
            mine, theirs = context.Pipe()
            self._forked_here = context.get_start_method() != "forkserver"
            self._process = context.Process(target=_serve, args=(theirs, part), daemon=True,
                                            name="pact-ledger build worker")
            self._process.start()
            theirs.close()  # (its only copy is the worker's: its end means it ended)
            self._pipe = mine
        except Exception as error:  # noqa: BLE001 (e.g. a daemonic process may not fork)
            self.failure = f"{type(error).__name__}: {error}"

    def finish(self) -> None:
        """Wait for the worker; if it failed (or never started), build its part here."""
        if self.failure is None and self._pipe is not None:
            try:
                answer = self._pipe.recv()
            except (OSError, EOFError) as error:
                answer = ("failed", f"the worker ended without an answer ({error})")
            if answer[0] == "done":
                if not self._forked_here:
                    ELSEWHERE_CPU[0] += answer[2]
            else:
                self.failure = str(answer[1])
        self.close()
        if self.failure is None:
            log.info("a worker built %s over positions 1..%d",
                     ", ".join(kind.__name__ for kind, _ in self.part.projections),
                     self.part.until)
            return
        failure = f"the build's worker failed ({self.failure}): this process builds its part"
        FAILURES.append(failure)
        log.warning("%s", failure)
        clear(self.part)  # (what a worker that stopped half-way wrote is not a start)
        build_part(self.part, in_worker=False)

    def close(self, at_once: bool = False) -> None:
        """The worker gone (`at_once`: stopped now, its part no longer wanted)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._process is not None:
            if at_once:
                self._process.kill()
            self._process.join(timeout=10)
            if self._process.is_alive():  # (stopped early: a build that failed here)
                self._process.kill()
                self._process.join(timeout=10)
            self._process.close()
            self._process = None


def _serve(pipe: Connection, part: Part) -> None:
    """The worker: builds its part, then says so (or why it could not) with its CPU seconds."""
    try:
        applied = build_part(part)
    except BaseException as error:  # (said to the caller, which builds the part itself)
        pipe.send(("failed", f"{type(error).__name__}: {error}"))
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    pipe.send(("done", applied, used.ru_utime + used.ru_stime))


def clear(part: Part) -> None:
    """The part's place emptied: its schema made afresh, or its file removed."""
    if part.backend == "postgres":
        import psycopg

        timeouts = part.timeouts or DatabaseTimeouts()
        with psycopg.connect(part.target, autocommit=True, **timeouts.connect_kwargs()) as conn:
            prepare_postgres(conn)
        return
    from projections.blue_green import _remove

    _remove(Path(part.target))


# --- taking the worker's tables into the build ---------------------------------------------------
def prepare_postgres(lock: Any) -> None:
    """The worker's schema, empty (`lock`: an autocommit connection of the rebuild's)."""
    lock.execute(f"DROP SCHEMA IF EXISTS {PART_SCHEMA} CASCADE")
    lock.execute(f"CREATE SCHEMA {PART_SCHEMA}")


def adopt_postgres(lock: Any, part: Part, build_schema: str) -> None:
    """The worker's tables moved into the build's schema, in place of its empty ones (one
    transaction; their indexes move with them), then the worker's schema dropped."""
    with lock.transaction():
        for table in tables_of(part):
            lock.execute(f"DROP TABLE {build_schema}.{table}")
            lock.execute(f"ALTER TABLE {PART_SCHEMA}.{table} SET SCHEMA {build_schema}")
    drop_postgres(lock)


def drop_postgres(lock: Any) -> None:
    lock.execute(f"DROP SCHEMA IF EXISTS {PART_SCHEMA} CASCADE")


def adopt_sqlite(build_db: SQLiteDatabase, part: Part) -> None:
    """The worker's rows copied into the build file's tables (empty until now), one
    transaction."""
    conn = build_db._connection()  # noqa: SLF001 (this thread's, the build's own)
    conn.execute("ATTACH DATABASE ? AS part", (part.target,))
    try:
        with build_db.transaction() as tx:
            for table in tables_of(part):
                tx.execute(f"INSERT INTO main.{table} SELECT * FROM part.{table}")
    finally:
        conn.execute("DETACH DATABASE part")

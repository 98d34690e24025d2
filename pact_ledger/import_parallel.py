"""`pact-ledger import --workers N`: the file's lines partitioned by case over N worker
processes, each running the same `BulkImport` (same rules, large transactions) on its own
connection, so that a multi-core server imports about N times faster.

Correctness rests on two things:

* a case's lines all go to one worker (by its case id: `caseId`, or the id `Case.open` derives
  from `memberState` and `nationalReference`), in file order; cases are independent of each
  other in a chunk;
* every other line (crisis, solidarity, reference data, erasure, the two case steps that credit a
  solidarity account, and any line whose case cannot be told without parsing it in full) is a
  barrier: the workers commit the lines before it, it is recorded alone in this process
  (`BulkImport`, as the sequential import would), and only then do the lines after it start; the
  workers then forget what the barriers recorded on, and this process every case (the workers
  may have recorded on any), keeping the shared streams only it records on.

So each case, and each shared stream, records the same events as the sequential import; only the
interleaving of different cases in the log differs. Resumable as the sequential import is: each
command is recorded once by its command id, whichever worker saw it.
"""

from __future__ import annotations

import multiprocessing
import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any
from uuid import UUID

import orjson

from ledger.bulk_import import BulkImport, ImportInterrupted, Item, Result
from ledger.case import commands as case_commands
from ledger.case.aggregate import Case
from ledger.case.erasure.commands import ErasePersonalData
from ledger.case.handlers import CASE_HANDLERS
from ledger.envelope import Actor
from ledger.errors import InvalidInput, RuleViolation

#: Lines sent to the workers between two joins (each worker's part then is one or more batches).
CHUNK_LINES = 20_000
#: Case steps that record on a shared stream (a solidarity account) too: barriers.
_SHARED = (case_commands.RecordRelocationArrival, case_commands.ShiftResponsibility)


@dataclass(frozen=True)
class Outcome:
    """What became of one line, as reported (picklable: it crosses from a worker)."""

    line: int
    command_id: str
    status: str  # recorded | replayed | refused
    events: int = 0
    detail: dict[str, Any] | None = None  # a refusal's code, message, rule, article, fields


def refusal_detail(error: Any) -> dict[str, Any]:
    """What a refused line's report says: the error's code, rule (and article) or fields."""
    detail: dict[str, Any] = {"code": getattr(error, "code", "REFUSED"), "message": str(error)}
    if isinstance(error, RuleViolation):
        detail["rule"] = error.rule.code
        detail["article"] = error.rule.article
    if isinstance(error, InvalidInput):
        detail["fields"] = [p.field for p in getattr(error, "problems", [])]
    return detail


def outcome_of(result: Result) -> Outcome:
    item = result.item
    command_id = item.command_id or (item.meta.command_id if item.meta else "") or ""
    return Outcome(item.line, command_id, result.status, result.events,
                   refusal_detail(result.error) if result.status == "refused" else None)


def _kinds() -> dict[str, type]:
    from pact_ledger.import_format import COMMANDS, MUTATIONS

    return {**COMMANDS, **MUTATIONS}


def case_key(text: str, kinds: dict[str, type]) -> UUID | None:
    """The case a line is about, told cheaply; None: a barrier line (not about one case alone,
    or not plainly so: it is then decided in file order by this process)."""
    try:
        data = orjson.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("input"), dict):
        return None
    kind = kinds.get(data.get("mutation"))  # type: ignore[arg-type]
    if kind is None or kind not in CASE_HANDLERS or kind is ErasePersonalData \
            or kind in _SHARED:
        return None
    given = data["input"]
    case_id = given.get("caseId")
    if isinstance(case_id, str):
        try:
            return UUID(case_id)
        except ValueError:
            return None
    member_state, reference = given.get("memberState"), given.get("nationalReference")
    if not isinstance(member_state, str) or not isinstance(reference, str) \
            or member_state != member_state.strip().upper() \
            or reference != unicodedata.normalize("NFKC", reference).strip():
        return None  # the ledger normalises it: its case is told by the parsed command
    return Case.create_id(member_state, reference)


def _worker(conn: Connection, principal: Actor, batch: int, parent: int,
            memory_mb: int = 0) -> None:
    """One worker: a container of its own; receives (aggregates changed by barriers or None,
    whether a barrier erased, [(line number, text)]) parts, sends
    back their outcomes once committed; None ends it."""
    from pact_ledger.cli import _container
    from pact_ledger.import_format import parse_line
    from pact_ledger.import_frozen import frozen_batches
    from pact_ledger.import_wiring import bulk_import

    try:
        message = conn.recv()  # sent once this process has opened the ledger (made its keys)
        if message is None:
            return
        with _container() as container, frozen_batches() as after_batch:
            bulk = bulk_import(container, batch, after_batch, memory_mb)
            while message is not None:
                changed, erased, lines = message
                if changed is not None:  # what the barriers before these lines recorded on,
                    bulk.forget(changed, keys_destroyed=erased)  # and whether one erased
                items = [i for n, t in lines if (i := parse_line(n, t, principal)) is not None]
                outcomes = []
                try:
                    for result in bulk.run(items):
                        outcomes.append(outcome_of(result))
                        if os.getppid() != parent:
                            return  # the importing process was killed: stop after a commit
                except ImportInterrupted as error:
                    conn.send(("interrupted", str(error)))
                else:
                    conn.send(("done", outcomes))
                message = conn.recv()
    except (EOFError, BrokenPipeError):
        return  # the importing process has gone (killed): what is committed stays


class ParallelImport:
    """Runs the import of numbered lines over `workers` processes; `run` yields the outcomes
    (a chunk's as its workers finish it, a barrier's at once)."""

    def __init__(self, principal: Actor, workers: int, batch: int, memory_mb: int = 0) -> None:
        """Started before this process opens the ledger: the workers are forked with the
        code loaded and no connection or thread of this one. `memory_mb`: each worker's
        (`pact_ledger.import_wiring`)."""
        context = multiprocessing.get_context("fork")
        self.conns: list[Connection] = []
        self.processes = []
        for _ in range(workers):
            here, there = context.Pipe()
            process = context.Process(
                target=_worker, args=(there, principal, batch, os.getpid(), memory_mb),
                daemon=True)
            process.start()
            there.close()
            self.conns.append(here)
            self.processes.append(process)

    def close(self) -> None:
        for conn in self.conns:
            try:
                conn.send(None)
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()

    def run(self, bulk: BulkImport, parse: Callable[[int, str], Item | None],
            lines: Iterator[tuple[int, str]]) -> Iterator[Outcome]:
        """`bulk` and `parse` record the barrier lines in this process."""
        kinds = _kinds()
        parts: list[list[tuple[int, str]]] = [[] for _ in self.conns]
        changed: set[UUID] | None = None
        erased = False  # whether one of them was an erasure (it destroyed a data key)
        waiting = 0  # changed: what the barriers since the last join recorded on
        for number, text in lines:
            stripped = text.strip()
            if not stripped or stripped.startswith("//"):
                continue
            key = case_key(stripped, kinds)
            if key is not None:
                parts[key.int % len(parts)].append((number, text))
                waiting += 1
                if waiting >= CHUNK_LINES:
                    yield from self._join(parts, changed, erased)
                    parts, waiting, changed, erased = [[] for _ in self.conns], 0, None, False
                continue
            if waiting:
                yield from self._join(parts, changed, erased)
                parts, waiting, changed, erased = [[] for _ in self.conns], 0, None, False
            item = parse(number, text)
            if item is not None:
                bulk.forget_cases()  # the workers recorded on cases meanwhile
                changed = changed if changed is not None else set()
                erased = erased or isinstance(item.command, ErasePersonalData)
                for result in bulk.run([item]):
                    if result.aggregate_id is not None:
                        changed.add(result.aggregate_id)
                    yield outcome_of(result)
        yield from self._join(parts, changed, erased)

    def _join(self, parts: list[list[tuple[int, str]]], changed: set[UUID] | None,
              erased: bool) -> Iterator[Outcome]:
        """Send each worker its part (and what the barriers since the last join changed,
        and whether one of them erased); the outcomes once all have committed theirs, in line
        order."""
        busy = [conn for conn, part in zip(self.conns, parts, strict=True)
                if part or changed is not None]
        for conn in busy:
            conn.send((changed, erased, parts[self.conns.index(conn)]))
        outcomes: list[Outcome] = []
        failed: list[str] = []
        for conn in busy:
            try:
                status, value = conn.recv()
            except EOFError:
                failed.append("a worker process ended unexpectedly")
                continue
            if status == "done":
                outcomes.extend(value)
            else:
                failed.append(value)
        outcomes.sort(key=lambda o: o.line)
        yield from outcomes
        if failed:
            raise ImportInterrupted([], RuntimeError("; ".join(failed)))

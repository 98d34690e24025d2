"""Bulk import: many commands recorded through the same rules as `Ledger.handle`, in large
transactions, for migrating a member state's caseload (issue 15).

Each command goes through what a mutation goes through: the role policy, the shape checks, the
member-state scope, the command's handler and its aggregate (which writes the hash chain). What
differs is only how the events reach the store:

* the aggregates stay in memory for the whole import (bounded, least recently used dropped
  between batches), so a case's third step neither re-reads nor copies its first two; a
  refused command leaves no trace in them (the aggregates it touched are rebuilt from their
  events);
* the cases a batch of lines is about are read from the store in one query (`BatchStore.stored`)
  before the batch is decided: a case found is loaded with every command id it has processed,
  a case not found is known to be new without asking the store again;
* the batch's events are encoded once and written together, `batch_events` at a time, in one
  transaction each (`BatchStore.write`: one executemany on SQLite, COPY on PostgreSQL under
  the recorder's table lock, so log order stays commit order), the batch's new data keys
  stored just before.

A command is reported as recorded only once its batch is committed.

Resumable: a command whose `command_id` is already recorded is a replay (the handlers'
`has_processed`, asked of the case as loaded) and records nothing; so an import killed at any
point is re-run from the top and records each command exactly once.

Commands that are not about a case (crisis, solidarity, reference data), and erasure (which
destroys a key after its commit), go one at a time through `Ledger.handle`, after the batch
before them is committed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, StoredEvent

from ledger.case.aggregate import Case
from ledger.case.erasure.commands import ErasePersonalData
from ledger.case.handlers import CASE_HANDLERS
from ledger.case.screening.events import CaseOpened
from ledger.command_checks import checked, step_of
from ledger.command_fingerprint import check_same_command
from ledger.command_meta import CommandMeta
from ledger.errors import FieldProblem, InvalidInput, LedgerError, OutcomeUnknown
from ledger.personal_data.vault import PersonalDataVault
from ledger.recording_clock import recording_with
from ledger.repository import replayed

if TYPE_CHECKING:
    from ledger.application import Ledger

#: Events saved per transaction.
BATCH_EVENTS = 5_000
#: Aggregates kept in memory between batches (the lines of a caseload interleave its cases; a
#: case takes ~8-18 KB: a worker of the 10M-event scale run held ~0.9 GB with them), unless a
#: memory budget lets a process keep more (`BulkImport.memory_budget`).
KEPT_AGGREGATES = 50_000


@dataclass(frozen=True)
class Item:
    """One command to import: where it came from (a line number), the command, its meta, and
    (for the demo only) the moment the ledger's clock reads while it is recorded."""

    line: int
    command: Any
    meta: CommandMeta | None
    entered: datetime | None = None
    #: Refused before it could become a command (a malformed line): reported as such.
    refusal: LedgerError | None = None
    command_id: str = ""


@dataclass(frozen=True)
class Result:
    """What became of one item: `recorded` (events > 0, committed), `replayed` (its command id
    was already recorded: nothing new) or `refused` (`error`: nothing recorded)."""

    item: Item
    status: str
    events: int = 0
    aggregate_id: UUID | None = None
    error: LedgerError | None = None


class ImportInterrupted(Exception):
    """A batch's commit failed in a way that may or may not have written it: the lines listed
    may or may not be recorded. Re-running the import records each of them at most once."""

    def __init__(self, unknown: list[Item], cause: BaseException) -> None:
        self.unknown = unknown
        lines = f"{unknown[0].line}-{unknown[-1].line}" if unknown else "none"
        super().__init__(f"the commit of lines {lines} failed ({cause}); whether they were "
                         "recorded is unknown: run the import again (command ids make it "
                         "record each command at most once)")


class BatchStore(Protocol):
    """How a batch reads and writes the event store (the edge gives a faster one than the
    recorder's own methods: `pact_ledger.import_store`)."""

    def stored(self, ids: Collection[UUID]) -> dict[UUID, list[StoredEvent]]:
        """The stored events of those aggregates that have any, in version order."""
        ...

    def write(self, events: list[StoredEvent]) -> None:
        """All of them in one transaction, or none (a duplicate version: `IntegrityError`)."""
        ...


class RecorderStore:
    """`BatchStore` through the recorder's own methods (one query per aggregate)."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder

    def stored(self, ids: Collection[UUID]) -> dict[UUID, list[StoredEvent]]:
        found = {i: list(self.recorder.select_events(i)) for i in ids}
        return {i: rows for i, rows in found.items() if rows}

    def write(self, events: list[StoredEvent]) -> None:
        self.recorder.insert_events(events)


class _BatchRepository:
    """The ledger's repository during a batch: the aggregates kept in memory (with events not
    yet saved), those known not to exist, others as stored."""

    def __init__(self, stored: Any, kept: dict[UUID, Aggregate], absent: set[UUID],
                 others: set[UUID]) -> None:
        self.stored = stored
        self.kept = kept
        self.absent = absent
        self.others = others
        #: the aggregates handed out (for the current command: `BulkImport._add` clears it),
        #: the only ones its handler can have changed
        self.handed: set[UUID] = set()

    def get(self, aggregate_id: UUID, *, version: int | None = None, **kwargs: Any) -> Any:
        if version is None:
            self.handed.add(aggregate_id)
            kept = self.kept.get(aggregate_id)
            if kept is not None:
                return kept
            if aggregate_id in self.absent:
                raise AggregateNotFoundError(aggregate_id)
        try:
            aggregate = self.stored.get(aggregate_id, version=version, **kwargs)
        except AggregateNotFoundError:
            if version is None:  # asked once per batch (a member state's crisis regime)
                self.absent.add(aggregate_id)
            raise
        if version is None:
            self.kept[aggregate_id] = aggregate
            if not isinstance(aggregate, Case):
                self.others.add(aggregate_id)
        return aggregate

    def __contains__(self, aggregate_id: UUID) -> bool:
        try:
            self.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stored, name)


class BatchKeys(PersonalDataVault, Protocol):
    """A vault whose new keys wait for `persist` (one transaction per batch, before the
    batch's events), or are dropped by `forget`."""

    def persist(self) -> None: ...

    def forget(self) -> None: ...

    def expect(self, key_ids: Collection[str]) -> None:
        """The keys of these cases will be asked for (read them at once)."""
        ...

    def mark(self) -> int:
        """How many new keys wait now (to drop those a refused command made: `drop_after`)."""
        ...

    def drop_after(self, mark: int) -> None: ...

    def reread(self) -> None:
        """Keys may have been destroyed since they were read: ask the store again."""
        ...


class _BatchEvents:
    """The ledger's event store during a batch: a stream's stored events followed by the ones of
    the batch not yet saved (a handler reading a case's opening event finds it)."""

    def __init__(self, stored: Any, unsaved: dict[UUID, list[Any]], absent: set[UUID]) -> None:
        self.stored = stored
        self.unsaved = unsaved
        self.absent = absent

    def get(self, originator_id: UUID, gt: int | None = None, lte: int | None = None,
            desc: bool = False, limit: int | None = None) -> Any:
        unsaved = self.unsaved.get(originator_id)
        if not unsaved:
            return self.stored.get(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        stored = () if originator_id in self.absent else self.stored.get(originator_id, gt=gt,
                                                                         lte=lte)
        events = [e for e in (*stored, *unsaved)
                  if (gt is None or e.originator_version > gt)
                  and (lte is None or e.originator_version <= lte)]
        if desc:
            events.reverse()
        return iter(events if limit is None else events[:limit])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stored, name)


def _batched(command: Any) -> bool:
    return type(command) in CASE_HANDLERS and not isinstance(command, ErasePersonalData)


def case_of(command: Any) -> UUID | None:
    """The case a case command is about: named, or (opening it) derived as `Case.open` does."""
    case_id = getattr(command, "case_id", None)
    if isinstance(case_id, UUID):
        return case_id
    member_state = getattr(command, "member_state", None)
    reference = getattr(command, "national_reference", None)
    if isinstance(member_state, str) and isinstance(reference, str):
        return _case_id(member_state, reference)
    return None


@lru_cache(maxsize=100_000)
def _case_id(member_state: str, reference: str) -> UUID:
    """`case_of` by (member state, reference) as a line gives them, remembered: a case's every
    line names it, and its id is a UUID5 of the normalised reference (the same input, the same
    id)."""
    return Case.create_id(member_state, unicodedata.normalize("NFKC", reference).strip())


class BulkImport:
    """Imports items into `ledger`; `run` yields one `Result` per item, in order of commit
    (a refusal at once, a recorded command when its batch is committed)."""

    def __init__(self, ledger: Ledger, batch_events: int = BATCH_EVENTS,
                 keys: BatchKeys | None = None, store: BatchStore | None = None,
                 kept_aggregates: int = KEPT_AGGREGATES,
                 after_batch: Callable[[], object] | None = None,
                 memory_budget: int = 0,
                 resident: Callable[[], int | None] | None = None) -> None:
        """`after_batch` runs after each committed batch, once what it kept is trimmed (the
        edge freezes the survivors out of the collector's walks: `pact_ledger.import_frozen`).

        `memory_budget` (bytes; 0: none) and `resident` (this process's resident bytes now,
        the edge's reading): every aggregate used is kept while the process holds less than
        the budget; at the first batch end where it does not, as many as it kept then, from
        then on (never fewer than `kept_aggregates`). Why: a case that left is read back from
        its events when a later line needs it, and in a file whose cases' lines interleave
        (a caseload exported in date order) that reading back was about a third of a worker's
        time in the 10M-event scale run; an operator with the memory keeps them all."""
        self.ledger = ledger
        self.after_batch = after_batch
        self.keys = keys
        self.store: BatchStore = store if store is not None else RecorderStore(ledger.recorder)
        self.batch_events = batch_events
        self.kept_aggregates = kept_aggregates
        self.memory_budget = memory_budget
        self._resident = resident
        #: the aggregates kept once the process reached its memory budget (None: not yet)
        self.kept_ceiling: int | None = None
        self._kept: dict[UUID, Aggregate] = {}  # least recently used first
        #: The kept aggregates that are not cases (a crisis regime, a solidarity account: a
        #: few), which a command outside the batches may change: dropped without a walk over
        #: every kept case (`_drop_others`; ids no longer kept may linger until then).
        self._others: set[UUID] = set()
        self._absent: set[UUID] = set()  # cases of the open lines known not to be stored
        self._pending: list[Any] = []
        self._done: list[Result] = []  # recorded in the open batch, reported at its commit
        self._items: list[Item] = []  # every item of the open batch (to redo on a conflict)
        self._dirty: set[UUID] = set()
        self._unsaved: dict[UUID, list[Any]] = {}  # the open batch's events, by stream
        self._after_commit: list[Callable[[], object]] = []  # to run once the batch is saved
        #: Per kept aggregate, the fingerprint recorded for each command id in its events (as
        #: read or as added to the batch): a replayed command is checked against it without
        #: reading the aggregate's events again (a resumed import replays every line).
        self._fingerprints: dict[UUID, dict[str, str | None]] = {}
        #: The ledger's `opening_seals` during a batch: a case's opening event may be one of
        #: the batch's, not stored yet, so what is remembered of it goes when the batch fails.
        self._opening_seals: dict[UUID, Any] = {}
        #: The ledger's repository, event store and vault as a batch sees them: made once,
        #: put in place while the open batch's case commands are decided (`_swap`).
        self._repository = _BatchRepository(ledger._repository, self._kept,  # noqa: SLF001
                                            self._absent, self._others)
        self._events = _BatchEvents(ledger.events, self._unsaved, self._absent)
        self._saved: tuple[Any, Any, Any, Any] | None = None  # the ledger's own, while swapped
        #: The recording clock while swapped (one context per batch, not one per command): the
        #: moment of the command being decided.
        self._now: datetime | None = None
        self._recording: AbstractContextManager[None] | None = None

    def run(self, items: Iterable[Item], stop_on_error: bool = False) -> Iterator[Result]:
        """With `stop_on_error`, the first refusal ends the import once the commands before
        it are committed; nothing after it is recorded. Lines are read a batch ahead (to ask
        the store about their cases at once)."""
        try:
            yield from self._run(iter(items), stop_on_error)
        finally:
            self._restore()

    def _run(self, source: Iterator[Item], stop_on_error: bool) -> Iterator[Result]:
        # The batch's view of the ledger is in place only while case commands are decided:
        # the ledger's own while a command goes through `Ledger.handle`, a batch is saved, or
        # a result is handed out.
        while chunk := list(islice(source, self.batch_events)):
            self._load_cases(chunk)
            for item in chunk:
                if item.refusal is not None:
                    result: Result | None = Result(item, "refused", error=item.refusal)
                elif not _batched(item.command):
                    self._restore()
                    yield from self._flush()
                    result = self._single(item)
                else:
                    self._swap()
                    result = self._add(item)
                if result is not None:
                    self._restore()
                    yield result
                    if stop_on_error and result.status == "refused":
                        yield from self._flush()
                        return
                if len(self._pending) >= self.batch_events:
                    self._restore()
                    yield from self._flush()
            self._restore()
        yield from self._flush()

    def _load_cases(self, chunk: list[Item]) -> None:
        """The cases these lines are about, as stored, in one query: the found ones kept in
        memory, the others known to be new."""
        kept = self._kept
        wanted = {case_of(i.command) for i in chunk if i.refusal is None and _batched(i.command)}
        # (each id looked up: `difference_update(kept)` walked every kept case, hashing each
        # UUID in Python, at each call: once per worker part, ~26% of a worker at 10M events)
        wanted = {i for i in wanted if i is not None and i not in kept}
        if not wanted:
            return
        found = self.store.stored(wanted)  # type: ignore[arg-type]
        for aggregate_id, rows in found.items():
            self._kept[aggregate_id] = self._projected(rows, [])  # type: ignore[assignment]
        self._absent = {i for i in wanted if i not in found}  # type: ignore[misc]
        if self.keys is not None and self._absent:
            self.keys.expect([str(i) for i in self._absent])  # a new case's data key

    def _projected(self, rows: list[StoredEvent], unsaved: list[Any]) -> Aggregate | None:
        mapper = self.ledger.mapper
        events = [mapper.to_domain_event(row) for row in rows] + unsaved
        if not events:
            return None
        # `project_aggregate` without its `assert isinstance(event, CanMutateProtocol)` per
        # event (a runtime protocol check, ~9% of a worker reading cases back at 10M events),
        # the case's chain hashed from its last event's stored bytes (`ledger.repository`)
        aggregate: Any = replayed(None, events)
        if aggregate is not None:
            self._fingerprints[aggregate.id] = {}
            self._note_fingerprints(events)
        return aggregate

    def _note_fingerprints(self, events: Iterable[Any]) -> None:
        """Remember the fingerprint of each event's command, for the kept aggregates."""
        fingerprints = self._fingerprints
        for event in events:
            envelope = getattr(event, "envelope", None)
            known = fingerprints.get(event.originator_id)
            if envelope is not None and known is not None:
                known.setdefault(envelope.command_id, envelope.command_fingerprint)

    def _recorded_fingerprint(self, aggregate_id: UUID, command_id: str) -> str | None:
        known = self._fingerprints.get(aggregate_id)
        if known is not None and command_id in known:
            return known[command_id]
        return self.ledger._recorded_fingerprint(aggregate_id, command_id)  # (swapped)

    # --- one command, as Ledger.handle does it, without saving ------------------------------
    def _add(self, item: Item) -> Result | None:
        ledger = self.ledger
        meta = item.meta
        assert meta is not None
        now = item.entered or ledger.clock()
        keys = self.keys.mark() if self.keys is not None else 0
        self._repository.handed.clear()
        try:
            registration, command, meta = checked(ledger, item.command, meta, now)
            command_id = meta.command_id or ""
            if not command_id:
                raise InvalidInput([FieldProblem(
                    "commandId", "an imported command needs a command id (it is what "
                                 "makes a re-run of the import record nothing twice)")])
            step = step_of(ledger, command, meta, now, command_id)
            self._now = now  # what `recording_now` reads while the batch's view is in place
            changes = registration.handler(ledger, command, step)
        except LedgerError as error:
            self._undo_refused()
            if self.keys is not None:
                self.keys.drop_after(keys)  # the data key of a case it would have opened
            return Result(item, "refused", error=error)
        primary = changes.primary
        if changes.replayed:
            try:
                recorded = self._recorded_fingerprint(primary.id, step.command_id)
                check_same_command(recorded, step.command_id, step.command_fingerprint)
            except LedgerError as error:
                return Result(item, "refused", error=error)
            replay = Result(item, "replayed", aggregate_id=primary.id)
            if primary.id in self._dirty:  # recorded earlier in this very batch: not yet saved
                self._done.append(replay)
                self._items.append(item)
                return None
            return replay
        aggregates = (primary, *changes.others)
        events = [e for agg in aggregates for e in agg.collect_events()]
        unsaved, kept = self._unsaved, self._kept
        for event in events:
            unsaved.setdefault(event.originator_id, []).append(event)
        for aggregate in aggregates:
            kept.pop(aggregate.id, None)  # the most recently used last: dropped last
            kept[aggregate.id] = aggregate
            if not isinstance(aggregate, Case):
                self._others.add(aggregate.id)
            self._dirty.add(aggregate.id)
            if aggregate.id in self._absent:  # a new one: all its events are in this batch
                self._fingerprints.setdefault(aggregate.id, {})
        self._note_fingerprints(events)
        seals = self._opening_seals
        for event in events:  # what `opening_seal` would read back: the case's opening event
            if event.originator_version == 1 and isinstance(event, CaseOpened):
                seals[event.originator_id] = event.personal_data
        self._pending.extend(events)
        if changes.after_commit is not None:
            self._after_commit.append(changes.after_commit)
        self._items.append(item)
        self._done.append(Result(item, "recorded", events=len(events), aggregate_id=primary.id))
        return None

    def _swap(self) -> None:
        """Put the batch's repository, event store and vault in the ledger's place."""
        if self._saved is not None:
            return
        ledger = self.ledger
        self._saved = (ledger._repository, ledger.events,  # noqa: SLF001
                       ledger.personal_data, ledger.opening_seals)
        self._repository.stored, self._events.stored = self._saved[0], self._saved[1]
        self._events.unsaved = self._unsaved
        self._repository.absent = self._events.absent = self._absent
        ledger._repository = self._repository  # type: ignore[assignment]  # noqa: SLF001
        ledger.events = self._events  # type: ignore[assignment]
        ledger.opening_seals = self._opening_seals
        if self.keys is not None:
            ledger.personal_data = self.keys
        self._recording = recording_with(self._recording_now)
        self._recording.__enter__()

    def _recording_now(self) -> datetime:
        assert self._now is not None
        return self._now

    def _restore(self) -> None:
        """The ledger's own again."""
        if self._saved is None:
            return
        ledger = self.ledger
        (ledger._repository, ledger.events,  # noqa: SLF001
         ledger.personal_data, ledger.opening_seals) = self._saved
        self._saved = None
        if self._recording is not None:
            self._recording.__exit__(None, None, None)
            self._recording = None

    def _undo_refused(self) -> None:
        """A refused command may have changed an aggregate in memory before its rule said no:
        such an aggregate is rebuilt from its events (stored, then the batch's), so that the
        refusal leaves no trace and the batch goes on. Only the aggregates handed to its
        handler are looked at (`_BatchRepository.handed`), not every kept one (up to
        `KEPT_AGGREGATES`: a file with many refused lines paid that walk for each)."""
        kept = self._kept
        for aggregate in [a for i in self._repository.handed
                          if (a := kept.get(i)) is not None and a.pending_events]:
            aggregate.collect_events()  # the refused command's events: discarded
            rows = ([] if aggregate.id in self._absent
                    else self.store.stored([aggregate.id]).get(aggregate.id, []))
            rebuilt = self._projected(rows, self._unsaved.get(aggregate.id, []))
            if rebuilt is None:
                self._drop(aggregate.id)
            else:
                self._kept[aggregate.id] = rebuilt

    # --- saving a batch --------------------------------------------------------------------
    def _flush(self) -> Iterator[Result]:
        done, items, pending = self._done, self._items, self._pending
        after_commit = self._after_commit
        self._done, self._items, self._pending, self._after_commit = [], [], [], []
        self._dirty, self._unsaved = set(), {}
        if pending:
            to_stored = self.ledger.mapper.to_stored_event
            stored = [to_stored(event) for event in pending]
            try:
                self.ledger.before_commit()
                if self.keys is not None:
                    self.keys.persist()
                self.store.write(stored)
            except IntegrityError:
                # Another writer recorded on one of these aggregates meanwhile: nothing of the
                # batch was written; each command is decided again on the stored state.
                self._forget_kept()
                for item in items:
                    yield self._single(item)
                return
            except Exception as error:
                self._forget_kept()
                raise ImportInterrupted(items, error) from error
            self._absent.difference_update(e.originator_id for e in pending)
        for follow in after_commit:
            follow()
        excess = len(self._kept) - self._kept_bound()
        if excess > 0:  # all saved now: any may go, the least recently used first (one walk
            # over the dict's front: `next(iter(...))` per key would walk the freed slots again)
            for aggregate_id in list(islice(self._kept, excess)):
                self._drop(aggregate_id)
        # What is remembered per aggregate goes with it (`_drop`), not by a walk over all of it
        # at each batch: once the kept aggregates reached their bound, that walk (a UUID hash
        # per kept case) was ~14% of a worker's time in a 10M-event import. A walk remains
        # for anything left behind, only once it holds as much again: rare and amortised.
        bound = 2 * max(len(self._kept), 1024)
        if len(self._fingerprints) > bound:
            self._fingerprints = {i: f for i, f in self._fingerprints.items() if i in self._kept}
        if len(self._opening_seals) > max(bound, 2 * self.kept_aggregates):
            self._opening_seals = {i: s for i, s in self._opening_seals.items()
                                   if i in self._kept}
        if self.after_batch is not None:
            self.after_batch()
        yield from done

    def forget(self, aggregate_ids: Collection[UUID], keys_destroyed: bool = True) -> None:
        """Another writer (a parallel import's ordered lane) may have recorded on these
        aggregates and on any that is not a case: read them again when next needed; and,
        with `keys_destroyed` (an erasure among its commands), the data keys too. Each is
        looked up, not found by a walk over every kept case (at ~25k kept cases a walk per
        barrier was ~13% of a worker's time in a 10M-event import)."""
        for aggregate_id in aggregate_ids:
            self._drop(aggregate_id)
        self._drop_others()
        self._absent.clear()
        if self.keys is not None and keys_destroyed:
            self.keys.reread()

    def _kept_bound(self) -> int:
        """How many aggregates stay after this batch: all of them while the process is below
        its memory budget, then as many as it held when it first was not (see `__init__`)."""
        held = len(self._kept)
        if held <= self.kept_aggregates or self.memory_budget <= 0 or self._resident is None:
            return self.kept_aggregates
        if self.kept_ceiling is None:
            resident = self._resident()
            if resident is not None and resident < self.memory_budget:
                return held
            self.kept_ceiling = held
        return max(self.kept_aggregates, self.kept_ceiling)

    def _drop(self, aggregate_id: UUID) -> None:
        """No longer kept, nor anything remembered of it."""
        self._kept.pop(aggregate_id, None)
        self._fingerprints.pop(aggregate_id, None)
        self._opening_seals.pop(aggregate_id, None)

    def _drop_others(self) -> None:
        for aggregate_id in self._others:
            self._drop(aggregate_id)
        self._others.clear()

    def forget_cases(self) -> None:
        """Another writer (a parallel import's workers) may have recorded on any case, and on
        nothing else: read every case again when next needed, and the data keys, but keep the
        other aggregates read so far (a solidarity account, a crisis regime, the reference
        data), which only the lines recorded here change. (Read again at every barrier line,
        a solidarity account, one event longer per credit, came from the repository's cache
        brought up to date by a query and copied whole: ~2-4 ms for the largest of a
        10M-event import, 2,431 events, by its end; 88-165 ms read in full.) A writer outside
        the import is caught as it is in the sequential import: the version its insert finds
        taken."""
        others = {i: a for i, a in self._kept.items() if i in self._others}
        fingerprints = {i: f for i, f in self._fingerprints.items() if i in others}
        self._forget_kept()
        self._kept.update(others)
        self._others.update(others)
        self._fingerprints.update(fingerprints)

    def _forget_kept(self) -> None:
        self._kept.clear()
        self._others.clear()
        self._absent.clear()
        self._fingerprints.clear()  # (some were of events that may not be stored)
        self._opening_seals.clear()
        if self.keys is not None:
            self.keys.reread()

    def _single(self, item: Item) -> Result:
        """One command through `Ledger.handle` itself."""
        ledger = self.ledger
        wall_clock = ledger.clock
        if item.entered is not None:
            ledger.clock = lambda: item.entered  # type: ignore[assignment,return-value]
        assert item.meta is not None
        try:
            outcome = ledger.handle(item.command, item.meta)
        except LedgerError as error:
            return Result(item, "refused", error=error)
        except OutcomeUnknown as error:
            raise ImportInterrupted([item], error) from error
        finally:
            ledger.clock = wall_clock
        if self.keys is not None and isinstance(item.command, ErasePersonalData):
            # An erasure destroys its case's key (the one command that does: its handler's
            # `after_commit`); a crisis or solidarity line leaves the keys read so far valid,
            # which were otherwise all read again, one query per case, after each such line.
            self.keys.reread()
        # It may have changed its own aggregate and any other kind (a crisis regime, a
        # solidarity account); a command that is not about a case records on no other case.
        self._drop_others()
        self._drop(outcome.aggregate_id)
        self._absent.discard(outcome.aggregate_id)
        if outcome.replayed:
            return Result(item, "replayed", aggregate_id=outcome.aggregate_id)
        return Result(item, "recorded", events=len(outcome.positions),
                      aggregate_id=outcome.aggregate_id)


ProgressCallback = Callable[[int, int], None]

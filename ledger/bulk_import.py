"""Bulk import: many commands recorded through the same rules as `Ledger.handle`, in large
transactions, for migrating a member state's caseload (issue 15).

Each command goes through what a mutation goes through: the role policy, the shape checks, the
member-state scope, the command's handler and its aggregate (which writes the hash chain). What
differs is only how the events reach the store: the aggregates a batch touches stay in memory
(so a case's third step does not re-read its first two), and their new events are saved
together, `batch_events` at a time, in one transaction each. A command is reported as recorded
only once its batch is committed.

Resumable: a command whose `command_id` is already recorded is a replay (the handlers'
`has_processed`) and records nothing; so an import killed at any point is re-run from the top
and records each command exactly once.

Commands that are not about a case (crisis, solidarity, reference data), and erasure (which
destroys a key after its commit), go one at a time through `Ledger.handle`, after the batch
before them is committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from ledger.authorization.policy import check_acts_for, check_may_run
from ledger.case.erasure.commands import ErasePersonalData
from ledger.case.handlers import CASE_HANDLERS
from ledger.command_fingerprint import check_same_command, fingerprint
from ledger.command_meta import CommandMeta
from ledger.crisis.handlers import crisis_lookup
from ledger.envelope import Step
from ledger.errors import FieldProblem, InvalidInput, LedgerError, OutcomeUnknown
from ledger.handlers import COMMAND_HANDLERS
from ledger.identifiers import normalised, normalised_meta
from ledger.personal_data.vault import PersonalDataVault
from ledger.recording_clock import recording_with
from ledger.validation import Problems, check_meta, raise_if_any

if TYPE_CHECKING:
    from ledger.application import Ledger

#: Events saved per transaction.
BATCH_EVENTS = 5_000
#: Aggregates kept in memory between batches (a case is usually imported line after line).
KEPT_AGGREGATES = 20_000


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


class _BatchRepository:
    """The ledger's repository during a batch: the aggregates of the batch as they stand in
    memory (with events not yet saved), others as stored."""

    def __init__(self, stored: Any, kept: dict[UUID, Aggregate]) -> None:
        self.stored = stored
        self.kept = kept

    def get(self, aggregate_id: UUID, *, version: int | None = None, **kwargs: Any) -> Any:
        if version is None:
            kept = self.kept.get(aggregate_id)
            if kept is not None:
                return kept
        aggregate = self.stored.get(aggregate_id, version=version, **kwargs)
        if version is None:
            if len(self.kept) >= KEPT_AGGREGATES:
                del self.kept[next(iter(self.kept))]
            self.kept[aggregate_id] = aggregate
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


class _BatchEvents:
    """The ledger's event store during a batch: a stream's stored events followed by the ones of
    the batch not yet saved (a handler reading a case's opening event finds it)."""

    def __init__(self, stored: Any, unsaved: dict[UUID, list[Any]]) -> None:
        self.stored = stored
        self.unsaved = unsaved

    def get(self, originator_id: UUID, gt: int | None = None, lte: int | None = None,
            desc: bool = False, limit: int | None = None) -> Any:
        unsaved = self.unsaved.get(originator_id)
        if not unsaved:
            return self.stored.get(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        events = [e for e in (*self.stored.get(originator_id, gt=gt, lte=lte), *unsaved)
                  if (gt is None or e.originator_version > gt)
                  and (lte is None or e.originator_version <= lte)]
        if desc:
            events.reverse()
        return iter(events if limit is None else events[:limit])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stored, name)


def _batched(command: Any) -> bool:
    return type(command) in CASE_HANDLERS and not isinstance(command, ErasePersonalData)


class BulkImport:
    """Imports items into `ledger`; `run` yields one `Result` per item, in order of commit
    (a refusal at once, a recorded command when its batch is committed)."""

    def __init__(self, ledger: Ledger, batch_events: int = BATCH_EVENTS,
                 keys: BatchKeys | None = None) -> None:
        self.ledger = ledger
        self.keys = keys
        self.batch_events = batch_events
        self._kept: dict[UUID, Aggregate] = {}
        self._pending: list[Any] = []
        self._done: list[Result] = []  # recorded in the open batch, reported at its commit
        self._items: list[Item] = []  # every item of the open batch (to redo on a conflict)
        self._dirty: set[UUID] = set()
        self._unsaved: dict[UUID, list[Any]] = {}  # the open batch's events, by stream
        self._after_commit: list[Callable[[], object]] = []  # to run once the batch is saved

    def run(self, items: Iterable[Item], stop_on_error: bool = False) -> Iterator[Result]:
        """With `stop_on_error`, the first refusal ends the import once the commands before
        it are committed; nothing after it is read."""
        for item in items:
            if item.refusal is not None:
                result: Result | None = Result(item, "refused", error=item.refusal)
            elif not _batched(item.command):
                yield from self._flush()
                result = self._single(item)
            else:
                result = self._add(item)
            if result is not None:
                yield result
                if stop_on_error and result.status == "refused":
                    yield from self._flush()
                    return
            if len(self._pending) >= self.batch_events:
                yield from self._flush()
        yield from self._flush()

    # --- one command, as Ledger.handle does it, without saving ------------------------------
    def _add(self, item: Item) -> Result | None:
        ledger = self.ledger
        try:
            registration = COMMAND_HANDLERS[type(item.command)]
            meta = item.meta
            assert meta is not None
            check_may_run(meta.actor, type(item.command))
            command, meta = normalised(item.command), normalised_meta(meta)
            now = item.entered or ledger.clock()
            problems = Problems()
            check_meta(problems, meta)
            if registration.check is not None:
                registration.check(problems, command, now.date())
            raise_if_any(problems)
            with self._batch_repository():
                check_acts_for(meta.actor, command, ledger.member_state_of)
                command_id = meta.command_id or ""
                if not command_id:
                    raise InvalidInput([FieldProblem(
                        "commandId", "an imported command needs a command id (it is what "
                                     "makes a re-run of the import record nothing twice)")])
                step = Step(
                    command_fingerprint=fingerprint(command, meta),
                    occurred_at=meta.occurred_at, actor=meta.actor, command_id=command_id,
                    correlation_id=meta.correlation_id or command_id,
                    causation_id=meta.causation_id or command_id, now=now,
                    legal_basis=meta.legal_basis, evidence_refs=meta.evidence_refs,
                    derogations_at=crisis_lookup(ledger),
                )
                with recording_with(lambda: now):
                    changes = registration.handler(ledger, command, step)
        except LedgerError as error:
            self._forget_unsaved()
            return Result(item, "refused", error=error)
        primary = changes.primary
        if changes.replayed:
            try:
                with self._batch_repository():
                    recorded = ledger._recorded_fingerprint(primary.id, step.command_id)
                check_same_command(recorded, step.command_id, step.command_fingerprint)
            except LedgerError as error:
                return Result(item, "refused", error=error)
            replay = Result(item, "replayed", aggregate_id=primary.id)
            if primary.id in self._dirty:  # recorded earlier in this very batch: not yet saved
                self._done.append(replay)
                self._items.append(item)
                return None
            return replay
        events = [e for agg in (primary, *changes.others) for e in agg.collect_events()]
        for event in events:
            self._unsaved.setdefault(event.originator_id, []).append(event)
        for aggregate in (primary, *changes.others):
            self._kept.pop(aggregate.id, None)  # the most recently used last: evicted last
            self._kept[aggregate.id] = aggregate
            self._dirty.add(aggregate.id)
        self._pending.extend(events)
        if changes.after_commit is not None:
            self._after_commit.append(changes.after_commit)
        self._items.append(item)
        self._done.append(Result(item, "recorded", events=len(events), aggregate_id=primary.id))
        return None

    @contextmanager
    def _batch_repository(self) -> Iterator[None]:
        ledger = self.ledger
        stored = ledger._repository  # noqa: SLF001 - swapped for the batch, restored below
        stored_events, vault = ledger.events, ledger.personal_data
        ledger._repository = _BatchRepository(stored, self._kept)  # type: ignore[assignment]
        ledger.events = _BatchEvents(stored_events, self._unsaved)  # type: ignore[assignment]
        if self.keys is not None:
            ledger.personal_data = self.keys
        try:
            yield
        finally:
            ledger._repository = stored
            ledger.events = stored_events
            ledger.personal_data = vault

    def _forget_unsaved(self) -> None:
        """A refused command may have changed an aggregate in memory before its rule said no:
        such an aggregate is dropped (its events before this command are in `_pending`, so the
        batch is saved first, and the aggregate is read again when next needed)."""
        touched = [a for a in self._kept.values() if a.pending_events]
        if not touched:
            return
        for aggregate in touched:
            aggregate.collect_events()  # the refused command's events: discarded
        saved = list(self._flush())
        self._done.extend(saved)  # reported with the next results
        for aggregate in touched:
            self._kept.pop(aggregate.id, None)

    # --- saving a batch --------------------------------------------------------------------
    def _flush(self) -> Iterator[Result]:
        done, items, pending = self._done, self._items, self._pending
        after_commit = self._after_commit
        self._done, self._items, self._pending, self._after_commit = [], [], [], []
        self._dirty, self._unsaved = set(), {}
        if pending:
            try:
                self.ledger.before_commit()
                if self.keys is not None:
                    self.keys.persist()
                self.ledger.save(*pending)
            except IntegrityError:
                # Another writer recorded on one of these aggregates meanwhile: nothing of the
                # batch was written; each command is decided again on the stored state.
                self._kept.clear()
                for item in items:
                    yield self._single(item)
                return
            except Exception as error:
                self._kept.clear()
                raise ImportInterrupted(items, error) from error
        for follow in after_commit:
            follow()
        yield from done

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
        self._kept.clear()  # it may have changed any aggregate kept (a regime, an account)
        if outcome.replayed:
            return Result(item, "replayed", aggregate_id=outcome.aggregate_id)
        return Result(item, "recorded", events=len(outcome.positions),
                      aggregate_id=outcome.aggregate_id)


ProgressCallback = Callable[[int, int], None]
